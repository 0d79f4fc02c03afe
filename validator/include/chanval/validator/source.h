// The JSON source form: `build` (JSON → channel file) and `dump` (channel
// file → JSON). Both reuse FlatBuffers' own JSON parser and printer with the
// embedded schema; `build` re-encodes canonically so build(dump(f)) == f.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chanval/validator/diagnostic.h"
#include "chanval/validator/parser.h"

namespace chanval {

struct BuildResult {
  std::vector<std::uint8_t> file;  // empty on error
  Diagnostics diagnostics;
};

BuildResult BuildFromJson(const std::string& json, const std::string& source_name);

// JSON text of a parsed channel file; nullopt only if the printer fails.
std::optional<std::string> DumpJson(const ParsedChannel& channel);

// JSON source of content made in memory (the Sigma importer's), printed by
// the same printer as DumpJson, for BuildFromJson to build.
std::optional<std::string> SourceJson(const fb::ChannelFileT& content);

// SourceJson, then BuildFromJson: content made in memory, built as `build` would.
BuildResult BuildFromObject(const fb::ChannelFileT& content, const std::string& source_name);

}  // namespace chanval
