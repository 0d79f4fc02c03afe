// The review of a content release: what changed between two channel files,
// and what NEW does that no earlier release did — the first read of a field
// by a non-wildcard matcher (channel file 291's new instance was the first
// to put a criterion on field 21), the first use of a template type, and a
// sensor range that newly reaches older builds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"

namespace chanval {

struct InstanceChange {
  enum class Kind { Added, Removed, Changed } kind = Kind::Changed;
  std::uint32_t id = 0;
  std::string name;
  std::vector<std::string> details;  // Changed: one line per difference
};

struct FirstUse {
  std::uint16_t template_type = 0;
  std::string type_name;
  std::optional<std::uint16_t> field;  // absent: the template type itself is new
  std::string field_name;
  std::vector<std::uint32_t> instances;             // NEW's instances that read it
  std::vector<interp::SensorVersion> in_range;      // builds in NEW's range
  std::vector<interp::SensorVersion> declaring;     // ... that declare the field (or have the type)
  std::vector<interp::SensorVersion> supplying;     // ... that supply the field
};

struct ReleaseDiff {
  std::vector<std::string> envelope;  // channel, sequence, sensor range changes
  std::vector<InstanceChange> instances;
  std::vector<FirstUse> first_uses;
  std::vector<interp::SensorVersion> newly_in_range;  // builds NEW reaches and OLD did not
  bool HasFirstUse() const { return !first_uses.empty() || !newly_in_range.empty(); }
};

ReleaseDiff DiffReleases(const ParsedChannel& old_file, const ParsedChannel& new_file, const Fleet& fleet);
std::string RenderDiffText(const ReleaseDiff& d, const std::string& old_name, const std::string& new_name);
std::string RenderDiffJson(const ReleaseDiff& d, const std::string& old_name, const std::string& new_name);

}  // namespace chanval
