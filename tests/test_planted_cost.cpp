// Planted defect: the static cost bound leaves condition nodes out
// (tests/planted/cost_bound_without_nodes.cpp, linked in place of
// interpreter/src/cost_bound.cpp). Content that names one matcher 127 times
// then costs more per event than the bound says. The gate must notice on its
// worst-case events (CV209), and with a budget at the unsound bound the
// interpreter's runtime check fires (CV203). Both tests fail without the
// gate's cross-checks; the real cost_bound.cpp passes them (test_check.cpp).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "support/adversarial.h"
#include "support/gate.h"

using namespace chanval;
using namespace chanval::test;

TEST_CASE("planted: a bound without condition nodes is caught on worst-case events (CV209)") {
  const auto r = Gate(adversarial::RepeatedReferences(), CurrentOnly());
  CHECK_MESSAGE(FindCode(r, Code::CostOverBound), AllFindings(r));
  CHECK_FALSE(r.passed());
}

TEST_CASE("planted: with the budget at the unsound bound, the runtime check fires (CV203)") {
  const auto probe = Gate(adversarial::RepeatedReferences(), CurrentOnly());
  REQUIRE(probe.resources.size() == 1);
  const std::uint64_t unsound_bound = probe.resources[0].figures.cost_bound;
  const auto r = Gate(adversarial::RepeatedReferences(),
                      CurrentOnly([&](interp::SensorProfile& p) { p.budgets.max_cost_per_event = unsound_bound; }));
  CHECK_MESSAGE(FindCode(r, Code::BudgetOverrun), AllFindings(r));
  CHECK_FALSE(r.passed());
}
