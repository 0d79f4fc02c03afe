// Planted defect: the prefilter trusts regex atoms even on text holding ſ or
// K (tests/planted/fold_partners_ignored.cpp, linked in place of
// interpreter/src/fold_partners.cpp) — the detection bypass of issue 10's
// finding 4. The gate's evaluator-agreement check must reject it (CV207);
// with the real fold_partners.cpp the same content passes (test_check.cpp).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "support/adversarial.h"
#include "support/gate.h"

using namespace chanval;
using namespace chanval::test;

TEST_CASE("planted: an ASCII-only prefilter under RE2's Unicode folding is caught (CV207)") {
  const auto r = Gate(adversarial::FoldPartners(), CurrentOnly());
  const auto* d = FindCode(r, Code::EvaluatorDisagreement);
  REQUIRE_MESSAGE(d, AllFindings(r));
  CHECK(d->instance_id.has_value());
  CHECK_FALSE(r.passed());
}
