// Optimized vs reference evaluator, the layer on its own (no gate): content
// the current build loads, run on events derived from the fuzz bytes,
// including fold-partner spellings. Any fault, any cost above the static
// bound, any difference in matches is a finding (EvaluatorOracle).
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/parser.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  const auto parts = fuzz::Split(data, size);
  auto parsed = ParseChannel({parts.channel.begin(), parts.channel.end()}, "fuzz.chan");
  if (!parsed.channel) return 0;
  // The current build supplies every field it declares, so no bounds fault is
  // possible here; the loader refuses content over the build's budgets.
  const auto profile = interp::CurrentBuildProfile();
  auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
  if (!loaded.content) return 0;
  if (auto f = fuzz::MemoryOracle(*loaded.content, profile)) fuzz::Report(*f);
  fuzz::DerivedEvents events(parts.events);
  if (auto f = fuzz::EvaluatorOracle(*loaded.content, profile, events)) fuzz::Report(*f);
  return 0;
}
