// The soundness oracle on raw two-part inputs: [u32 len][channel][event bytes].
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = chanval::fuzz::Split(data, size);
  chanval::fuzz::SoundnessOracle(parts.channel, parts.events);
  return 0;
}
