// The guard page is the execution step's last line of defence: with the
// interpreter's bounds check planted away (tests/planted/bounds_check_removed.cpp
// linked in place of interpreter/src/bounds_check.cpp, this binary only), the read past the 7-entry input array of sensor
// 7.10 hits the PROT_NONE page behind it and the gate reports CV205 instead
// of crashing or reading stray memory.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>

#include "chanval/validator/check.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/report.h"
#include "support/channel_builder.h"

using namespace chanval;
using namespace chanval::test;

TEST_CASE("CV205 a read past the supplied inputs hits the guard page") {
  Diagnostics d;
  const Fleet fleet = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, d);
  REQUIRE(d.empty());
  auto c = Channel(10, 12);
  // Two instances: the second fault comes after the handler jumped out of
  // the first, so it is caught only if that jump left the signal unblocked.
  for (const std::uint32_t id : {7u, 8u}) {
    c.instances.push_back(Instance(id, 17, Matchers(M(5, fb::MatcherKind::Regex, {"^\\\\x"}),
                                                    M(7, fb::MatcherKind::Regex, {"SYSTEM"}))));
  }
  CheckOptions o;
  o.fleet = &fleet;
  const auto r = CheckBytes(Bytes(c), "planted.chan", o);
  std::string all;
  std::vector<std::uint32_t> faulted;
  for (const auto& x : r.diagnostics) {
    all += FormatDiagnostic(x) + "\n";
    if (x.code == Code::MemoryFault) {
      CHECK(x.sensor->ToString() == "7.10");
      faulted.push_back(*x.instance_id);
    }
  }
  const std::vector<std::uint32_t> both = {7, 8};
  CHECK_MESSAGE(faulted == both, all);
  CHECK_FALSE(r.passed());
}
