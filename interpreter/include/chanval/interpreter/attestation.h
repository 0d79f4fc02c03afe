// Signed gate verdicts: what `chanval check --sign` writes beside a file that
// passed (FILE.sig), and what the sensor verifies before it parses a byte of
// the file. Ed25519 through libsodium.
//
// The format is text, one field per line, in this order, every line ending
// in "\n", at most kMaxAttestationBytes:
//   chanval-verdict-v1
//   file-sha256: <64 lowercase hex>       SHA-256 of the whole channel file
//   verdict: pass
//   chanval: <version that checked it>
//   fleet-sha256: <64 lowercase hex>      FleetDigest of the fleet checked against
//   builds: <MAJOR.MINOR ...>             the sensor builds checked, ascending
//   time: <YYYY-MM-DDTHH:MM:SSZ>
//   key: <64 lowercase hex>               the signer's public key
//   signature: <128 lowercase hex>        Ed25519 over every byte before this line
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chanval/interpreter/profile.h"

namespace chanval::interp {

inline constexpr std::string_view kAttestationMagic = "chanval-verdict-v1";
inline constexpr std::size_t kMaxAttestationBytes = 4096;

using Sha256 = std::array<std::uint8_t, 32>;
using PublicKey = std::array<std::uint8_t, 32>;
using SecretKey = std::array<std::uint8_t, 64>;
using Signature = std::array<std::uint8_t, 64>;

struct Attestation {
  Sha256 file_sha256{};
  std::string verdict = "pass";
  std::string chanval_version;
  Sha256 fleet_sha256{};
  std::vector<SensorVersion> builds;
  std::string time;  // UTC, YYYY-MM-DDTHH:MM:SSZ
  PublicKey key{};
};

enum class SignatureStatus {
  Ok,
  Missing,       // no signature bytes at all
  Malformed,     // not the format above (a truncated or altered signature file)
  UnknownKey,    // signed by a key that is not trusted
  BadSignature,  // the statement is not what the key signed
  FileMismatch,  // the signature is valid, for other file bytes
  NotPassed,     // a verdict other than pass
  CryptoUnavailable,
};
const char* SignatureStatusName(SignatureStatus s);

// sha256.cpp: OpenSSL where the build links it (the CPU's SHA extensions),
// else libsodium.
Sha256 ComputeSha256(std::span<const std::uint8_t> bytes);

// The signed statement: every line but the signature.
std::string AttestationStatement(const Attestation& a);
// Statement + signature line. The secret key's public half must be a.key.
std::string SignAttestation(const Attestation& a, const SecretKey& secret);

struct VerifiedContent {
  SignatureStatus status = SignatureStatus::Missing;
  Attestation attestation;  // as parsed (when status is not Missing/Malformed)
};

// The sensor's gate before parsing: `signature` must be a well-formed
// attestation, signed by one of `trusted`, for exactly `file`, with verdict
// pass. No exceptions; allocates only at load.
VerifiedContent VerifySignedContent(std::span<const std::uint8_t> file, std::string_view signature,
                                    std::span<const PublicKey> trusted);

// A new Ed25519 key pair from the system's random source; false if the
// crypto library cannot start.
bool GenerateSigningKey(PublicKey& pub, SecretKey& secret);
PublicKey PublicKeyOf(const SecretKey& secret);

std::string ToHex(std::span<const std::uint8_t> bytes);
bool FromHex(std::string_view hex, std::span<std::uint8_t> out);  // exact length, lowercase only

}  // namespace chanval::interp
