// Key files for signed verdicts, and the attestation beside a channel file.
//   secret: "chanval-secret-key-v1\n" + 128 hex + "\n"  (mode 0600)
//   public: "chanval-public-key-v1\n" + 64 hex + "\n"
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "chanval/interpreter/attestation.h"

namespace chanval::cli {

inline constexpr const char* kVersion = "0.1.0";

// Each prints why on failure.
std::optional<interp::SecretKey> ReadSecretKey(const std::string& path);
std::optional<std::vector<interp::PublicKey>> ReadPublicKeys(const std::vector<std::string>& paths);
// FILE.sig, or "" when there is none; nullopt (after printing why) on an I/O error.
std::optional<std::string> ReadSignatureFile(const std::string& path);
std::string SignaturePathFor(const std::string& file);

// Reads the keys, the file and its signature (sig_path; "" for FILE.sig)
// and verifies them as the sensor does. nullopt (after printing why) on a
// usage or I/O error; `bytes` receives the file.
std::optional<interp::VerifiedContent> VerifyFile(const std::string& file, const std::string& sig_path,
                                                  const std::vector<std::string>& key_paths,
                                                  std::vector<std::uint8_t>& bytes);

}  // namespace chanval::cli
