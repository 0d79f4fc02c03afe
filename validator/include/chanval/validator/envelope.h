// The fixed 64-byte envelope in front of every channel file's payload. It is
// read without trusting the payload; all integers little-endian.
//
//   off size field
//     0    8 magic            89 43 48 41 4E 0D 0A 1A  ("\x89CHAN\r\n\x1a")
//     8    2 format_major     this tool reads major 1
//    10    2 format_minor
//    12    2 channel
//    14    2 flags            reserved, must be zero
//    16    4 sequence
//    20    2 min_sensor.major
//    22    2 min_sensor.minor
//    24    2 max_sensor.major
//    26    2 max_sensor.minor
//    28    4 payload_length   bytes after the envelope; must equal file size - 64
//    32   32 payload_sha256   SHA-256 of the payload bytes
//    64    … payload          FlatBuffers buffer, schema/channel.fbs
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "chanval/interpreter/profile.h"

namespace chanval {

inline constexpr std::size_t kEnvelopeSize = 64;
inline constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'C', 'H', 'A', 'N', '\r', '\n', 0x1a};
inline constexpr std::uint16_t kFormatMajor = 1;
inline constexpr std::uint16_t kFormatMinor = 0;

struct Envelope {
  std::array<std::uint8_t, 8> magic{};
  std::uint16_t format_major = 0;
  std::uint16_t format_minor = 0;
  std::uint16_t channel = 0;
  std::uint16_t flags = 0;
  std::uint32_t sequence = 0;
  interp::SensorVersion min_sensor;
  interp::SensorVersion max_sensor;
  std::uint32_t payload_length = 0;
  std::array<std::uint8_t, 32> payload_sha256{};
};

// Offsets of envelope fields, for diagnostics.
namespace envelope_offset {
inline constexpr std::size_t kFormatMajor = 8, kFlags = 14, kMinSensor = 20, kPayloadLength = 28, kDigest = 32;
}

Envelope DecodeEnvelope(std::span<const std::uint8_t, kEnvelopeSize> bytes);
std::array<std::uint8_t, kEnvelopeSize> EncodeEnvelope(const Envelope& e);

}  // namespace chanval
