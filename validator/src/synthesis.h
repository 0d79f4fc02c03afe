// Synthesized events for the execution step: field values that make a
// matcher hold or fail, and goal-directed events that take evaluation of an
// instance to one particular matcher past and/or short-circuits.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/validator/regex_sample.h"

namespace chanval {

struct FieldValue {
  std::string text;
  bool has_number = false;
  std::int64_t number = 0;
};
using Event = std::vector<FieldValue>;  // indexed by declared field

FieldValue Number(std::int64_t n);
// A value of the field that makes the matcher hold.
FieldValue Satisfying(const interp::CompiledContent& c, const interp::CompiledMatcher& m);
// A value of the field that makes the matcher fail (where one exists).
FieldValue Failing(const interp::CompiledContent& c, const interp::CompiledMatcher& m);

// FieldEquals reads two fields: the satisfying event gets the same value in
// both, the failing one different values.
void SettleFieldEquals(const interp::CompiledContent& c, const interp::CompiledMatcher& m, Event& sat, Event& unsat);

// An event meant to make evaluation of `instance` reach global matcher
// `target` at its `occurrence`-th place in the condition: every sibling
// evaluated before it on the way from the root gets the truth value that
// lets evaluation continue. Where a node can be made true (or) or false
// (and) through any of several children, `choice` picks which. Nullopt when
// the matcher has no such occurrence. The caller runs the event to see
// whether it worked.
std::optional<Event> EventToReach(const interp::CompiledContent& c, const interp::CompiledInstance& instance,
                                  std::uint32_t target, unsigned occurrence, unsigned choice,
                                  std::size_t field_count);


}  // namespace chanval
