// Optimized vs reference evaluator on the same content and event: any
// disagreement in matches is a finding.
#include <cstdio>
#include <cstdlib>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/parser.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  const auto parts = fuzz::Split(data, size);
  auto parsed = ParseChannel({parts.channel.begin(), parts.channel.end()}, "fuzz.chan");
  if (!parsed.channel) return 0;
  const auto profile = interp::CurrentBuildProfile();
  auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
  if (!loaded.content) return 0;
  const auto& c = *loaded.content;
  interp::EvalScratch scratch(c);
  for (const auto& t : c.types()) {
    // Full inputs: the gate guarantees them; faults are fuzz_soundness's job.
    const auto* spec = profile.FindType(t.template_type);
    for (std::size_t variant = 0; variant < 3; ++variant) {
      fuzz::DerivedEvent ev(parts.events, spec->supplied.size(), variant);
      const auto a = interp::Evaluate(c, t.template_type, ev.inputs, scratch);
      std::vector<std::uint32_t> opt;
      for (const auto& m : scratch.matches()) opt.push_back(m.instance_index);
      const auto b = interp::EvaluateReference(c, t.template_type, ev.inputs, scratch);
      std::vector<std::uint32_t> ref;
      for (const auto& m : scratch.matches()) ref.push_back(m.instance_index);
      if (a.status != interp::EvalStatus::Ok || b.status != interp::EvalStatus::Ok) continue;  // budgets differ
      if (opt != ref) {
        std::fprintf(stderr, "DIFFERENTIAL: type %u: optimized %zu matches, reference %zu\n", t.template_type,
                     opt.size(), ref.size());
        std::abort();
      }
    }
  }
  return 0;
}
