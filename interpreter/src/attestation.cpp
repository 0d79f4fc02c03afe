// AttestationStatement, SignAttestation, VerifySignedContent
// (attestation.h). Tests: tests/test_attestation.cpp, tests/cli/signing.sh.
#include "chanval/interpreter/attestation.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>

namespace chanval::interp {
namespace {

bool SodiumReady() { return sodium_init() >= 0; }

// Splits off one "\n"-terminated line; false if there is none.
bool NextLine(std::string_view& rest, std::string_view& line) {
  const auto nl = rest.find('\n');
  if (nl == std::string_view::npos) return false;
  line = rest.substr(0, nl);
  rest.remove_prefix(nl + 1);
  return true;
}

bool Field(std::string_view& rest, std::string_view name, std::string_view& value) {
  std::string_view line;
  if (!NextLine(rest, line) || line.size() < name.size() + 2 || line.substr(0, name.size()) != name ||
      line.substr(name.size(), 2) != ": ") {
    return false;
  }
  value = line.substr(name.size() + 2);
  return true;
}

bool ParseVersion(std::string_view s, SensorVersion& v) {
  unsigned major = 0, minor = 0;
  const auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size() || dot > 5 || s.size() - dot - 1 > 5) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == dot) continue;
    if (s[i] < '0' || s[i] > '9') return false;
    unsigned& part = i < dot ? major : minor;
    part = part * 10 + static_cast<unsigned>(s[i] - '0');
  }
  if (major > 0xffff || minor > 0xffff) return false;
  v = {static_cast<std::uint16_t>(major), static_cast<std::uint16_t>(minor)};
  return true;
}

bool ParseTime(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SSZ, digits where digits go.
  constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (s.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (kShape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != kShape[i]) return false;
  }
  return true;
}

// Parses everything but checks no cryptography; `statement` is the signed part.
bool Parse(std::string_view text, Attestation& a, std::string_view& statement, Signature& sig) {
  if (text.size() > kMaxAttestationBytes) return false;
  std::string_view rest = text, line, value;
  if (!NextLine(rest, line) || line != kAttestationMagic) return false;
  if (!Field(rest, "file-sha256", value) || !FromHex(value, a.file_sha256)) return false;
  if (!Field(rest, "verdict", value) || value.empty()) return false;
  a.verdict = std::string(value);
  if (!Field(rest, "chanval", value) || value.empty()) return false;
  a.chanval_version = std::string(value);
  if (!Field(rest, "fleet-sha256", value) || !FromHex(value, a.fleet_sha256)) return false;
  if (!Field(rest, "builds", value) || value.empty()) return false;
  a.builds.clear();
  while (!value.empty()) {
    const auto sp = value.find(' ');
    SensorVersion v;
    if (!ParseVersion(value.substr(0, sp), v)) return false;
    if (!a.builds.empty() && !(a.builds.back() < v)) return false;
    a.builds.push_back(v);
    if (sp == std::string_view::npos) break;
    value.remove_prefix(sp + 1);
    if (value.empty()) return false;
  }
  if (!Field(rest, "time", value) || !ParseTime(value)) return false;
  a.time = std::string(value);
  if (!Field(rest, "key", value) || !FromHex(value, a.key)) return false;
  statement = text.substr(0, text.size() - rest.size());
  if (!Field(rest, "signature", value) || !FromHex(value, sig)) return false;
  return rest.empty();
}

}  // namespace

const char* SignatureStatusName(SignatureStatus s) {
  switch (s) {
    case SignatureStatus::Ok: return "ok";
    case SignatureStatus::Missing: return "missing-signature";
    case SignatureStatus::Malformed: return "malformed-signature";
    case SignatureStatus::UnknownKey: return "untrusted-key";
    case SignatureStatus::BadSignature: return "bad-signature";
    case SignatureStatus::FileMismatch: return "file-mismatch";
    case SignatureStatus::NotPassed: return "verdict-not-pass";
    case SignatureStatus::CryptoUnavailable: return "crypto-unavailable";
  }
  return "unknown";
}

std::string ToHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

bool FromHex(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  auto nibble = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool GenerateSigningKey(PublicKey& pub, SecretKey& secret) {
  return SodiumReady() && crypto_sign_keypair(pub.data(), secret.data()) == 0;
}

PublicKey PublicKeyOf(const SecretKey& secret) {
  PublicKey pub{};
  if (SodiumReady()) crypto_sign_ed25519_sk_to_pk(pub.data(), secret.data());
  return pub;
}

std::string AttestationStatement(const Attestation& a) {
  std::string s(kAttestationMagic);
  s += "\nfile-sha256: " + ToHex(a.file_sha256) + "\nverdict: " + a.verdict + "\nchanval: " + a.chanval_version +
       "\nfleet-sha256: " + ToHex(a.fleet_sha256) + "\nbuilds:";
  for (const auto& v : a.builds) s += " " + v.ToString();
  s += "\ntime: " + a.time + "\nkey: " + ToHex(a.key) + "\n";
  return s;
}

std::string SignAttestation(const Attestation& a, const SecretKey& secret) {
  const std::string statement = AttestationStatement(a);
  Signature sig{};
  if (!SodiumReady()) return {};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(statement.data()), statement.size(),
                       secret.data());
  return statement + "signature: " + ToHex(sig) + "\n";
}

VerifiedContent VerifySignedContent(std::span<const std::uint8_t> file, std::string_view signature,
                                    std::span<const PublicKey> trusted) {
  VerifiedContent out;
  if (signature.empty()) return out;  // Missing
  if (!SodiumReady()) {
    out.status = SignatureStatus::CryptoUnavailable;
    return out;
  }
  std::string_view statement;
  Signature sig{};
  if (!Parse(signature, out.attestation, statement, sig)) {
    out.status = SignatureStatus::Malformed;
    return out;
  }
  const auto key = std::find(trusted.begin(), trusted.end(), out.attestation.key);
  if (key == trusted.end()) {
    out.status = SignatureStatus::UnknownKey;
  } else if (crypto_sign_verify_detached(sig.data(), reinterpret_cast<const unsigned char*>(statement.data()),
                                         statement.size(), key->data()) != 0) {
    out.status = SignatureStatus::BadSignature;
  } else if (ComputeSha256(file) != out.attestation.file_sha256) {
    out.status = SignatureStatus::FileMismatch;
  } else if (out.attestation.verdict != "pass") {
    out.status = SignatureStatus::NotPassed;
  } else {
    out.status = SignatureStatus::Ok;
  }
  return out;
}

}  // namespace chanval::interp
