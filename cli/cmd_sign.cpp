// `chanval keygen -o KEY` and `chanval verify FILE --key KEY.pub`: the keys
// and the check of signed gate verdicts (attestation.h). `check --sign`
// writes verdicts; `run --key` enforces them as the sensor does.
#include <fmt/format.h>

#include <filesystem>

#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/limits.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/io.h"
#include "commands.h"
#include "common.h"
#include "keys.h"

namespace chanval::cli {
namespace {

std::vector<std::uint8_t> Text(std::string_view s) { return {s.begin(), s.end()}; }

int Keygen(const std::string& out, bool force) {
  const std::string pub_path = out + ".pub";
  std::error_code ec;
  for (const auto& p : {out, pub_path}) {
    if (!force && std::filesystem::exists(std::filesystem::symlink_status(p, ec))) {
      PrintError(p + " exists; a key is never overwritten without --force");
      return kExitUsage;
    }
  }
  interp::PublicKey pub{};
  interp::SecretKey secret{};
  if (!interp::GenerateSigningKey(pub, secret)) {
    PrintError("cannot generate a key: libsodium did not start");
    return kExitUsage;
  }
  StagedWrite secret_file, pub_file;
  auto err = secret_file.Stage(out, Text("chanval-secret-key-v1\n" + interp::ToHex(secret) + "\n"), 0600);
  if (!err) err = pub_file.Stage(pub_path, Text("chanval-public-key-v1\n" + interp::ToHex(pub) + "\n"));
  if (!err) err = secret_file.Commit();
  if (!err) err = pub_file.Commit();
  if (err) {
    PrintError(*err);
    return kExitUsage;
  }
  fmt::print(stderr, "wrote {} (secret, mode 0600) and {} (public key {})\n", out, pub_path, interp::ToHex(pub));
  return kExitOk;
}

struct VerifyOptions {
  std::string file, signature, fleet;
  std::vector<std::string> keys;
  bool no_current = false;
};

int Verify(const VerifyOptions& o) {
  const std::string sig_path = o.signature.empty() ? SignaturePathFor(o.file) : o.signature;
  std::vector<std::uint8_t> bytes;
  const auto v = VerifyFile(o.file, sig_path, o.keys, bytes);
  if (!v) return kExitUsage;
  const auto& a = v->attestation;
  std::string why;
  switch (v->status) {
    case interp::SignatureStatus::Ok: break;
    case interp::SignatureStatus::Missing: why = "no signature: " + sig_path + " does not exist or is empty"; break;
    case interp::SignatureStatus::Malformed:
      why = sig_path + " is not a chanval verdict (truncated, altered, or another format)";
      break;
    case interp::SignatureStatus::UnknownKey:
      why = "signed by key " + interp::ToHex(a.key) + ", which is not among the trusted keys";
      break;
    case interp::SignatureStatus::BadSignature:
      why = "the signature does not match the verdict it carries: " + sig_path + " was altered";
      break;
    case interp::SignatureStatus::FileMismatch:
      why = fmt::format("the verdict is for other bytes: {} has sha256 {}, the signed verdict names {}", o.file,
                        interp::ToHex(interp::ComputeSha256(bytes)), interp::ToHex(a.file_sha256));
      break;
    case interp::SignatureStatus::NotPassed: why = "the signed verdict is '" + a.verdict + "', not pass"; break;
    case interp::SignatureStatus::CryptoUnavailable: PrintError("libsodium did not start"); return kExitUsage;
  }
  if (!why.empty()) {
    fmt::print(stderr, "REJECT {}: {} ({})\n", o.file, why, interp::SignatureStatusName(v->status));
    return kExitRejected;
  }
  if (!o.fleet.empty()) {
    auto fleet = LoadFleetOrReport(o.fleet, !o.no_current);
    if (!fleet) return kExitUsage;
    const auto digest = FleetDigest(*fleet);
    if (digest != a.fleet_sha256) {
      fmt::print(stderr, "REJECT {}: the verdict was made against another fleet (signed fleet sha256 {}, {} is {}) "
                         "(fleet-mismatch)\n",
                 o.file, interp::ToHex(a.fleet_sha256), o.fleet, interp::ToHex(digest));
      return kExitRejected;
    }
  }
  std::string builds;
  for (const auto& b : a.builds) builds += (builds.empty() ? "" : " ") + b.ToString();
  fmt::print("OK {}: verdict {} by chanval {} at {} for sensor builds {}, key {}\n", o.file, a.verdict,
             a.chanval_version, a.time, builds, interp::ToHex(a.key));
  return kExitOk;
}

}  // namespace

void RegisterKeygen(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("keygen", "Make an Ed25519 key pair for signed gate verdicts");
  auto out = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  cmd->add_option("-o,--output", *out, "secret key file (mode 0600); the public key goes to OUTPUT.pub")->required();
  cmd->add_flag("--force", *force, "replace existing key files");
  cmd->callback([&run, out, force] { run = [out, force] { return Keygen(*out, *force); }; });
}

void RegisterVerify(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("verify", "Check a channel file's signed gate verdict (FILE.sig)");
  auto o = std::make_shared<VerifyOptions>();
  cmd->add_option("file", o->file, "channel file")->required();
  cmd->add_option("--key", o->keys, "trusted public key (repeatable)")->required();
  cmd->add_option("--signature", o->signature, "signature file (default: FILE.sig)");
  cmd->add_option("--fleet", o->fleet, "also require the verdict to have been made against this fleet directory");
  cmd->add_flag("--no-current-build", o->no_current, "the fleet without the compiled-in current build");
  cmd->callback([&run, o] { run = [o] { return Verify(*o); }; });
}

}  // namespace chanval::cli
