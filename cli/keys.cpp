// Key and signature files (keys.h). Tests: tests/cli/signing.sh.
#include "keys.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/io.h"
#include "common.h"

namespace chanval::cli {
namespace {

constexpr std::string_view kSecretHeader = "chanval-secret-key-v1\n";
constexpr std::string_view kPublicHeader = "chanval-public-key-v1\n";

// The hex body of a key file: header, hex, one newline.
bool KeyBody(const std::string& path, std::string_view header, std::span<std::uint8_t> out) {
  std::string text;
  if (auto err = ReadTextFile(path, text, 1024)) {
    PrintError(*err);
    return false;
  }
  const std::string_view t(text);
  if (t.substr(0, header.size()) != header || t.size() != header.size() + out.size() * 2 + 1 || t.back() != '\n' ||
      !interp::FromHex(t.substr(header.size(), out.size() * 2), out)) {
    PrintError(path + " is not a chanval " + (header == kSecretHeader ? "secret" : "public") +
               " key (expected the file `chanval keygen` writes)");
    return false;
  }
  return true;
}

}  // namespace

std::optional<interp::SecretKey> ReadSecretKey(const std::string& path) {
  interp::SecretKey key{};
  if (!KeyBody(path, kSecretHeader, key)) return std::nullopt;
  return key;
}

std::optional<std::vector<interp::PublicKey>> ReadPublicKeys(const std::vector<std::string>& paths) {
  std::vector<interp::PublicKey> keys;
  for (const auto& p : paths) {
    interp::PublicKey key{};
    if (!KeyBody(p, kPublicHeader, key)) return std::nullopt;
    keys.push_back(key);
  }
  return keys;
}

std::string SignaturePathFor(const std::string& file) { return file + ".sig"; }

std::optional<std::string> ReadSignatureFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) return std::string();
  // ReadFile stops one byte past the bound: an oversized signature file
  // reaches VerifySignedContent, which calls it malformed, not an I/O error.
  std::vector<std::uint8_t> bytes;
  if (auto err = ReadFile(path, bytes, interp::kMaxAttestationBytes)) {
    PrintError(*err);
    return std::nullopt;
  }
  return std::string(bytes.begin(), bytes.end());
}

std::optional<interp::VerifiedContent> VerifyFile(const std::string& file, const std::string& sig_path,
                                                  const std::vector<std::string>& key_paths,
                                                  std::vector<std::uint8_t>& bytes) {
  auto keys = ReadPublicKeys(key_paths);
  if (!keys) return std::nullopt;
  if (auto err = ReadFile(file, bytes, limits::kMaxFileSize)) {
    PrintError(*err);
    return std::nullopt;
  }
  const auto sig = ReadSignatureFile(sig_path.empty() ? SignaturePathFor(file) : sig_path);
  if (!sig) return std::nullopt;
  return interp::VerifySignedContent(bytes, *sig, *keys);
}

}  // namespace chanval::cli
