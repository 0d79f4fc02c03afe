// A fleet: the sensor builds a channel file will reach, one manifest each.
// The current build comes from the compiled-in registry; older builds from
// manifest files (JSON of schema/manifest.fbs).
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/profile.h"
#include "chanval/validator/diagnostic.h"

namespace chanval {

struct FleetMember {
  interp::SensorProfile profile;
  std::string source;  // manifest path, or "compiled-in current build"
};

struct Fleet {
  std::vector<FleetMember> members;  // sorted by version, unique
  const FleetMember* Find(interp::SensorVersion v) const;
  // Members with min <= version <= max.
  std::vector<const FleetMember*> InRange(interp::SensorVersion min, interp::SensorVersion max) const;
};

// Loads every *.json manifest in `dir` (sorted by name), plus the current
// build when `include_current`. Errors are BadManifest diagnostics.
Fleet LoadFleet(const std::filesystem::path& dir, bool include_current, Diagnostics& diags);

// Orders members by version; a version described twice is a BadManifest error.
void SortFleet(Fleet& fleet, Diagnostics& diags);


// SHA-256 over each member's manifest (ManifestJson, one per line) in
// version order: what a signed verdict names as the fleet it was made with.
interp::Sha256 FleetDigest(const Fleet& fleet);

std::optional<interp::SensorProfile> ParseManifestJson(const std::string& json, const std::string& name,
                                                       Diagnostics& diags);
std::string ManifestJson(const interp::SensorProfile& profile);

}  // namespace chanval
