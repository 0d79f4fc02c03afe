// The reference evaluator: every instance of the event's type, every matcher
// decided from scratch, no prefilter. The definition of what content means,
// against which the sensor's optimized evaluator (evaluator.h) is checked.
// Library chanval_reference: linked by the validator, tests, fuzzers and
// benchmarks, never part of the sensor library.
#pragma once
#include "chanval/interpreter/evaluator.h"

namespace chanval::interp {

EvalOutcome EvaluateReference(const CompiledContent& content, std::uint16_t template_type, Inputs inputs,
                              EvalScratch& scratch);
// One matcher on one input, as the reference evaluator decides it (the
// validator's synthesizer asks the interpreter instead of modelling it).
// FieldEquals needs two inputs and is not decided here (returns false).
bool MatcherHoldsReference(const CompiledContent& content, const CompiledMatcher& m, const Input& input);

// One instance, reference path; matches() holds it if it matched.
EvalOutcome EvaluateInstance(const CompiledContent& content, std::uint32_t instance_index, Inputs inputs,
                             EvalScratch& scratch);

}  // namespace chanval::interp
