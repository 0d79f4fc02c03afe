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
  c.instances.push_back(Instance(7, 17, Matchers(M(5, fb::MatcherKind::Regex, {"^\\\\x"}),
                                                 M(7, fb::MatcherKind::Regex, {"SYSTEM"}))));
  CheckOptions o;
  o.fleet = &fleet;
  const auto r = CheckBytes(Bytes(c), "planted.chan", o);
  std::string all;
  bool memory_fault = false;
  for (const auto& x : r.diagnostics) {
    all += FormatDiagnostic(x) + "\n";
    if (x.code == Code::MemoryFault) {
      memory_fault = true;
      CHECK(x.sensor->ToString() == "7.10");
      CHECK(x.instance_id == 7u);
    }
  }
  CHECK_MESSAGE(memory_fault, all);
  CHECK_FALSE(r.passed());
}
