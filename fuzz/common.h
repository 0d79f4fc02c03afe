// Shared pieces of the fuzz targets: the bundled fleet (embedded), the input
// layout of the two-part targets, and the soundness oracle.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "chanval/interpreter/content.h"
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
// Variants 0-2 rotate the pieces; variant 3 is variant 0 with every s and k
// spelled as the runes RE2 folds to them (U+017F, U+212A), where the
// prefilter and RE2 could part ways.
inline constexpr std::size_t kEventVariants = 4;
struct DerivedEvent {
  std::vector<std::string> text;
  std::vector<interp::Input> inputs;
  DerivedEvent(std::span<const std::uint8_t> bytes, std::size_t count, std::size_t variant);
};

// The derived events of one input, by (supplied count, variant): made once
// and shared by every type and build that supplies that many inputs (making
// them again per build was 6% of fuzz_structured's time).
class DerivedEvents {
 public:
  explicit DerivedEvents(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  const DerivedEvent& Get(std::size_t count, std::size_t variant);

 private:
  std::span<const std::uint8_t> bytes_;
  std::vector<std::tuple<std::size_t, std::size_t, std::unique_ptr<DerivedEvent>>> made_;
};

// What an oracle saw go wrong, in which build.
struct OracleFinding {
  std::string what;
  const interp::SensorProfile* build = nullptr;
  std::string detail;
};
[[noreturn]] void Report(const OracleFinding& f);  // prints "SOUNDNESS: ..." and aborts

// The soundness oracle: if the gate accepts `channel` for the bundled fleet,
// load it in every build in range and check what the gate promises there:
// MemoryOracle and EvaluatorOracle below. Any failure aborts.
// The whole gate (with its execution step) runs on one input in
// `full_gate_every` (0: none), picked by the input's bytes so a run is
// reproducible, and on every input the oracles would report; the other
// inputs go on to the oracles when parse and semantics accept them. A
// finding therefore always has the whole gate's acceptance; the sample is
// there so the gate's execution step keeps its coverage feedback.
inline constexpr std::uint32_t kFullGateEvery = 64;
void SoundnessOracle(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events,
                     std::uint32_t full_gate_every = kFullGateEvery);

// Loaded content: the automata hold no more than the loader's figure, and
// the figures are within the build's budgets.
std::optional<OracleFinding> MemoryOracle(const interp::CompiledContent& content, const interp::SensorProfile& build);

// Events derived from `events` (every variant), inputs sized exactly as the
// build supplies them, through both evaluators: no fault (bounds or budget),
// no evaluation charging more than the static bound, the same matches.
std::optional<OracleFinding> EvaluatorOracle(const interp::CompiledContent& content, const interp::SensorProfile& build,
                                             DerivedEvents& events);

}  // namespace chanval::fuzz
