// The 64-byte envelope: read and write (envelope.h).
// Tests: tests/test_parser.cpp, the malformed set (tests/cli/malformed.sh).
#include "chanval/validator/envelope.h"

#include <cstring>

namespace chanval {
namespace {
std::uint16_t Get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t Get32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
void Put16(std::uint8_t* p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v);
  p[1] = static_cast<std::uint8_t>(v >> 8);
}
void Put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
}  // namespace

Envelope DecodeEnvelope(std::span<const std::uint8_t, kEnvelopeSize> b) {
  Envelope e;
  std::memcpy(e.magic.data(), b.data(), 8);
  e.format_major = Get16(&b[8]);
  e.format_minor = Get16(&b[10]);
  e.channel = Get16(&b[12]);
  e.flags = Get16(&b[14]);
  e.sequence = Get32(&b[16]);
  e.min_sensor = {Get16(&b[20]), Get16(&b[22])};
  e.max_sensor = {Get16(&b[24]), Get16(&b[26])};
  e.payload_length = Get32(&b[28]);
  std::memcpy(e.payload_sha256.data(), &b[32], 32);
  return e;
}

std::array<std::uint8_t, kEnvelopeSize> EncodeEnvelope(const Envelope& e) {
  std::array<std::uint8_t, kEnvelopeSize> b{};
  std::memcpy(b.data(), e.magic.data(), 8);
  Put16(&b[8], e.format_major);
  Put16(&b[10], e.format_minor);
  Put16(&b[12], e.channel);
  Put16(&b[14], e.flags);
  Put32(&b[16], e.sequence);
  Put16(&b[20], e.min_sensor.major);
  Put16(&b[22], e.min_sensor.minor);
  Put16(&b[24], e.max_sensor.major);
  Put16(&b[26], e.max_sensor.minor);
  Put32(&b[28], e.payload_length);
  std::memcpy(&b[32], e.payload_sha256.data(), 32);
  return b;
}

}  // namespace chanval
