// ComputeSha256 (attestation.h): one digest for the envelope, the report and
// the attestation. OpenSSL's libcrypto picks the CPU's SHA extensions at run
// time (1.2 GB/s here against libsodium's portable 280 MB/s, bench/README.md);
// builds that cannot link it (OSS-Fuzz builds every library from source with
// the fuzzing flags) use libsodium: CHANVAL_SHA256=sodium in CMake.
// Tests: tests/test_attestation.cpp (FIPS 180-2 vectors, and against libsodium
// at every length up to 1,100 bytes when both are linked).
#include "chanval/interpreter/attestation.h"

#if CHANVAL_SHA256_OPENSSL
#include <openssl/evp.h>
#else
#include <sodium.h>
#endif

namespace chanval::interp {

#if CHANVAL_SHA256_OPENSSL
namespace {
// Fetched once: an implicit fetch on every call costs a lock and a lookup.
const EVP_MD* Sha256Method() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}
}  // namespace

Sha256 ComputeSha256(std::span<const std::uint8_t> bytes) {
  Sha256 out{};
  unsigned int length = 0;
  // On failure the digest stays all zero: it matches no file, so the check
  // that compares it fails closed.
  if (const EVP_MD* md = Sha256Method()) {
    if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, md, nullptr) != 1 || length != out.size()) {
      out = {};
    }
  }
  return out;
}
#else
Sha256 ComputeSha256(std::span<const std::uint8_t> bytes) {
  Sha256 out{};
  if (sodium_init() >= 0) crypto_hash_sha256(out.data(), bytes.data(), bytes.size());
  return out;
}
#endif

}  // namespace chanval::interp
