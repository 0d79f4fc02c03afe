// Test helper: run the gate on built content and look at its findings.
#pragma once
#include <doctest/doctest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "channel_builder.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/check.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/report.h"

namespace chanval::test {

inline const Fleet& BundledFleet() {
  static const Fleet fleet = [] {
    Diagnostics d;
    Fleet f = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, d);
    REQUIRE(d.empty());
    return f;
  }();
  return fleet;
}

inline Fleet CurrentOnly(const std::function<void(interp::SensorProfile&)>& edit = [](interp::SensorProfile&) {}) {
  Fleet f;
  f.members.push_back({interp::CurrentBuildProfile(), "test"});
  edit(f.members[0].profile);
  return f;
}

inline FileReport Gate(const fb::ChannelFileT& c, const Fleet& fleet = BundledFleet()) {
  CheckOptions o;
  o.fleet = &fleet;
  o.collect_reach = true;
  return CheckBytes(Bytes(c), "test.chan", o);
}

inline const Diagnostic* FindCode(const FileReport& r, Code code) {
  for (const auto& d : r.diagnostics) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

inline std::string AllFindings(const FileReport& r) {
  std::string s;
  for (const auto& d : r.diagnostics) s += FormatDiagnostic(d) + "\n";
  return s;
}

}  // namespace chanval::test
