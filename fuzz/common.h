// Shared pieces of the fuzz targets: the bundled fleet (embedded), the input
// layout of the two-part targets, and the soundness oracle.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "chanval/interpreter/input.h"
#include "chanval/validator/fleet.h"

namespace chanval::fuzz {

const Fleet& BundledFleet();

// Two-part inputs: [u32 little-endian channel length][channel bytes][event bytes].
struct TwoPart {
  std::span<const std::uint8_t> channel;
  std::span<const std::uint8_t> events;
};
TwoPart Split(const std::uint8_t* data, std::size_t size);
std::vector<std::uint8_t> Join(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events);

// Event values from fuzz bytes: NUL-separated pieces fill the inputs in turn
// (cycling), so one byte string yields an event for any supplied count.
struct DerivedEvent {
  std::vector<std::string> text;
  std::vector<interp::Input> inputs;
  DerivedEvent(std::span<const std::uint8_t> bytes, std::size_t count, std::size_t variant);
};

// The soundness oracle: if the gate accepts `channel` for the bundled fleet,
// run the interpreter of every build in range on events derived from
// `events`, with inputs sized exactly as that build supplies them. A bounds
// fault or budget overrun means the gate let unsafe content through: abort.
void SoundnessOracle(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events);

}  // namespace chanval::fuzz
