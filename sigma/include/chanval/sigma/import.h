// Sigma rules → channel instances. A rule is imported with its full meaning
// or not at all: anything the sensor cannot express exactly is a skip with a
// reason, never a looser instance.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chanval/sigma/channel_source.h"

namespace chanval::sigma {

// Largest rule file read; Sigma rules are a few KiB.
inline constexpr std::size_t kMaxRuleFileBytes = 1u << 20;
// Deepest YAML flow nesting accepted ([ and {), so the YAML parser's
// recursion stays bounded on hostile input.
inline constexpr std::size_t kMaxYamlFlowDepth = 32;
// Most YAML documents read from one file before giving up (a rule is one).
inline constexpr std::size_t kMaxYamlDocuments = 16;
// Most string variants one Sigma value may expand into (windash, base64offset).
inline constexpr std::size_t kMaxVariantsPerValue = 625;

enum class SkipReason {
  UnreadableFile,
  InvalidYaml,
  NotARule,              // no title / detection / condition, or a rule collection
  UnmappedLogsource,     // no template type for the product/category
  UnknownField,          // the template type has no such field
  UnsupportedModifier,   // modifier unknown, or not expressible
  Placeholder,           // `expand`: needs environment-specific values
  KeywordSearch,         // values without a field name
  RegexNotSupported,     // `re` value RE2 cannot compile with the sensor's options
  ValueNotRepresentable, // e.g. wildcards on an integer field, bad CIDR
  BadCondition,          // condition does not parse or names no identifier
  Aggregation,           // `| count() ...` and similar
  ExceedsLimits,         // more matchers / nodes / bytes than the format allows
  DuplicateKey,          // a key twice in one map: its meaning depends on the loader
  TooLarge,              // the file is larger than kMaxRuleFileBytes
  SymlinkOutside,        // a symlink in a searched folder that leads out of it
};
inline constexpr std::size_t kSkipReasonCount = static_cast<std::size_t>(SkipReason::SymlinkOutside) + 1;
const char* SkipReasonName(SkipReason r);  // kebab-case, stable: used in reports and tests

struct RuleImport {
  std::string path;
  std::string rule_id, title, category;      // as far as the file says
  std::uint16_t template_type = 0;           // the logsource's template type; 0: none (or unread)
  std::optional<fb::InstanceT> instance;     // set when imported
  SkipReason reason = SkipReason::NotARule;  // when not imported
  std::string detail;                        // the exact reason, for humans
};

RuleImport ImportRuleText(std::string_view yaml, const std::string& path, std::uint32_t instance_id);
RuleImport ImportRuleFile(const std::filesystem::path& path, std::uint32_t instance_id);

// Files as given, folders searched recursively for *.yml / *.yaml; sorted,
// so instance ids are stable for a given rule set. A symlink in a folder
// that leads out of it is not followed: it goes to *outside, if given.
// Error text on failure (a missing input, or one that is a FIFO or device).
std::optional<std::string> CollectRuleFiles(const std::vector<std::filesystem::path>& inputs,
                                            std::vector<std::filesystem::path>& out,
                                            std::vector<std::filesystem::path>* outside = nullptr);

}  // namespace chanval::sigma
