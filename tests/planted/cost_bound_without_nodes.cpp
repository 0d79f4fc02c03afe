// PLANTED DEFECT, test builds only (tests/test_planted_cost.cpp): the static
// bound of issue 10's finding 1 — each matcher's price once, condition nodes
// not counted — in place of interpreter/src/cost_bound.cpp.
#include "chanval/interpreter/content.h"
#include "seams.h"

namespace chanval::interp {

std::uint64_t InstanceCostBound(const CompiledContent& c, const CompiledInstance& ci) {
  std::uint64_t bound = 0;
  for (std::uint32_t m = ci.matcher_begin; m < ci.matcher_begin + ci.matcher_count; ++m) {
    bound = AddCost(bound, c.matchers()[m].price.Worst());
  }
  return bound;
}

}  // namespace chanval::interp
