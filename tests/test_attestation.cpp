// Signed gate verdicts: only the exact bytes, signed by a trusted key, with
// an intact statement, verify; everything else gets its own status.
#include <doctest/doctest.h>

#include "chanval/interpreter/attestation.h"

#include <sodium.h>

using namespace chanval::interp;

namespace {

struct Signed {
  std::vector<std::uint8_t> file;
  std::string signature;
  PublicKey pub{};
  SecretKey secret{};
};

Signed Make(std::string_view content = "chanval file bytes \x01\x02\x03") {
  Signed s;
  s.file.assign(content.begin(), content.end());
  REQUIRE(GenerateSigningKey(s.pub, s.secret));
  Attestation a;
  a.file_sha256 = ComputeSha256(s.file);
  a.chanval_version = "0.1.0";
  a.fleet_sha256 = ComputeSha256(std::vector<std::uint8_t>{1, 2, 3});
  a.builds = {{7, 10}, {7, 11}, {7, 12}};
  a.time = "2026-11-26T03:00:00Z";
  a.key = s.pub;
  s.signature = SignAttestation(a, s.secret);
  return s;
}

SignatureStatus Check(const Signed& s, std::span<const std::uint8_t> file, std::string_view sig) {
  const std::array<PublicKey, 1> trusted{s.pub};
  return VerifySignedContent(file, sig, trusted).status;
}

}  // namespace

TEST_CASE("a verdict verifies for its own bytes and key, and round-trips its fields") {
  const auto s = Make();
  const std::array<PublicKey, 1> trusted{s.pub};
  const auto v = VerifySignedContent(s.file, s.signature, trusted);
  REQUIRE(v.status == SignatureStatus::Ok);
  CHECK(v.attestation.builds.size() == 3u);
  CHECK(v.attestation.builds.back() == SensorVersion{7, 12});
  CHECK(v.attestation.time == "2026-11-26T03:00:00Z");
  CHECK(PublicKeyOf(s.secret) == s.pub);
}

TEST_CASE("a byte changed anywhere in the file: file-mismatch") {
  const auto s = Make();
  for (std::size_t i = 0; i < s.file.size(); ++i) {
    auto file = s.file;
    file[i] ^= 0x01;
    CAPTURE(i);
    CHECK(Check(s, file, s.signature) == SignatureStatus::FileMismatch);
  }
  auto longer = s.file;
  longer.push_back(0);
  CHECK(Check(s, longer, s.signature) == SignatureStatus::FileMismatch);
  CHECK(Check(s, std::span(s.file).first(s.file.size() - 1), s.signature) == SignatureStatus::FileMismatch);
}

TEST_CASE("a signature altered at any byte, or cut at any length, never verifies") {
  const auto s = Make();
  for (std::size_t i = 0; i < s.signature.size(); ++i) {
    for (const char flip : {'\x01', '\x20'}) {
      std::string sig = s.signature;
      sig[i] = static_cast<char>(sig[i] ^ flip);
      CAPTURE(i);
      const auto st = Check(s, s.file, sig);
      CHECK(st != SignatureStatus::Ok);
      CHECK((st == SignatureStatus::Malformed || st == SignatureStatus::BadSignature ||
             st == SignatureStatus::UnknownKey));
    }
  }
  for (std::size_t n = 1; n < s.signature.size(); ++n) {
    CAPTURE(n);
    CHECK(Check(s, s.file, s.signature.substr(0, n)) == SignatureStatus::Malformed);
  }
  CHECK(Check(s, s.file, "") == SignatureStatus::Missing);
  CHECK(Check(s, s.file, s.signature + "extra\n") == SignatureStatus::Malformed);
  CHECK(Check(s, s.file, std::string(kMaxAttestationBytes + 1, 'a')) == SignatureStatus::Malformed);
}

TEST_CASE("another key, or another file's verdict, is refused") {
  const auto s = Make();
  const auto other = Make("another file");
  // Trusting only the other key: the signer is unknown.
  const std::array<PublicKey, 1> wrong{other.pub};
  CHECK(VerifySignedContent(s.file, s.signature, wrong).status == SignatureStatus::UnknownKey);
  // The other file's valid verdict, presented with this file's bytes.
  const std::array<PublicKey, 2> both{s.pub, other.pub};
  CHECK(VerifySignedContent(s.file, other.signature, both).status == SignatureStatus::FileMismatch);
  // A statement whose key line names the trusted key but was signed by another.
  std::string forged = other.signature;
  const auto key_at = forged.find("key: ") + 5;
  forged.replace(key_at, 64, ToHex(s.pub));
  CHECK(VerifySignedContent(other.file, forged, both).status == SignatureStatus::BadSignature);
}

TEST_CASE("SHA-256: the FIPS 180-2 vectors, and libsodium's digest at every length to 1,100 bytes") {
  const auto digest_of = [](std::string_view text) {
    return ToHex(ComputeSha256({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
  };
  CHECK(digest_of("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(digest_of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(digest_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Every tail length of the 64-byte block, across several blocks, so the
  // padding and block loop of whichever implementation is built are covered.
  REQUIRE(sodium_init() >= 0);
  std::vector<std::uint8_t> bytes(1100);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 131 + (i >> 7));
  for (std::size_t n = 0; n <= bytes.size(); ++n) {
    Sha256 expected{};
    crypto_hash_sha256(expected.data(), bytes.data(), n);
    CAPTURE(n);
    REQUIRE(ComputeSha256(std::span(bytes.data(), n)) == expected);
  }
}
