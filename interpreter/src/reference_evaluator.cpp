// EvaluateReference, EvaluateInstance, MatcherHoldsReference (reference.h):
// the reference evaluator, every matcher decided from scratch. Its own
// library (chanval_reference): the validator, tests, fuzzers and benchmarks
// link it; the sensor library does not contain it.
// Tests: tests/test_interpreter.cpp; fuzz_differential (the two evaluators agree).
#include "chanval/interpreter/reference.h"

#include "evaluation.h"

namespace chanval::interp {
namespace {
using namespace evaluation;

// The reference evaluator: every matcher decided from scratch.
// Each test prices a matcher before it runs (cost.h) and says whether the
// prefilter has already ruled it out, so Run need not ask again.
struct ReferenceTest {
  const CompiledContent& c;
  std::uint64_t Price(const CompiledMatcher& m, const Input& in, bool& /*ruled_out*/) const {
    return m.price.At(in.text.size());
  }
  bool Run(const CompiledMatcher& m, const Input& in, const Input& other, WalkState& /*st*/,
           std::uint32_t /*matcher*/) const {
    return Matches(c, m, in, other);
  }
};

}  // namespace

bool MatcherHoldsReference(const CompiledContent& c, const CompiledMatcher& m, const Input& in) {
  return m.input != InputUse::TwoTexts && Matches(c, m, in, in);
}

EvalOutcome EvaluateReference(const CompiledContent& c, std::uint16_t template_type, Inputs inputs,
                              EvalScratch& scratch) {
  EvalAccess::Reset(scratch);
  EvalOutcome out;
  const TypeIndex* t = c.FindType(template_type);
  if (!t) return {EvalStatus::UnknownTemplateType};
  if (!ChargeScans(c, *t, inputs, out)) return out;
  const ReferenceTest test{c};
  for (std::uint32_t idx : t->instances) {
    if (!EvalInstance(c, idx, inputs, scratch, out, test)) return out;
  }
  return out;
}

EvalOutcome EvaluateInstance(const CompiledContent& c, std::uint32_t instance_index, Inputs inputs,
                             EvalScratch& scratch) {
  EvalAccess::Reset(scratch);
  EvalOutcome out;
  const ReferenceTest test{c};
  EvalInstance(c, instance_index, inputs, scratch, out, test);
  return out;
}

}  // namespace chanval::interp
