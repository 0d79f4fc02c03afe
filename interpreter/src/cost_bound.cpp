// InstanceCostBound (seams.h): the static bound's per-instance term. The
// planted replacement tests/planted/cost_bound_without_nodes.cpp leaves the
// nodes out; tests/test_planted_cost.cpp shows the gate rejecting (CV209,
// CV203) what that unsound bound would let through.
#include "chanval/interpreter/content.h"
#include "seams.h"

namespace chanval::interp {

std::uint64_t InstanceCostBound(const CompiledContent& c, const CompiledInstance& ci) {
  // Each node is visited at most once per event (the condition is a tree);
  // each matcher runs at most once however often the condition names it
  // (the walk's memo), so its price counts once.
  std::uint64_t bound = ci.node_count * limits::kCostNode;
  for (std::uint32_t m = ci.matcher_begin; m < ci.matcher_begin + ci.matcher_count; ++m) {
    bound = AddCost(bound, c.matchers()[m].price.Worst());
  }
  return bound;
}

}  // namespace chanval::interp
