// The channel source (the JSON `chanval build` reads) as plain structs, so
// the Sigma importer can produce content without going through text, and a
// writer that prints it in the same form as corpus/content/*.json.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chanval/interpreter/profile.h"

namespace chanval::sigma {

struct SourceMatcher {
  std::uint16_t field = 0;
  std::string kind;                 // MatcherKind name: "Equals", "Contains", ...
  std::vector<std::string> values;
  std::vector<std::int64_t> int_values;
  bool ignore_case = false;
  std::string op;                   // CompareOp name for IntCompare, else empty
  std::int64_t lo = 0;
  std::uint16_t other_field = 0;    // FieldEquals

  bool operator==(const SourceMatcher&) const = default;
};

struct SourceExpr {
  enum class Op { Matcher, And, Or, Not };
  Op op = Op::Matcher;
  std::uint16_t matcher = 0;
  std::vector<SourceExpr> args;

  static SourceExpr Leaf(std::uint16_t m) { return {Op::Matcher, m, {}}; }
  std::size_t Depth() const;
  std::size_t NodeCount() const;
};

struct SourceMeta {
  std::string rule_id, title, author;
  std::vector<std::string> references;
};

struct SourceInstance {
  std::uint32_t id = 0;
  std::string name;
  std::uint16_t template_type = 0;
  std::vector<SourceMatcher> matchers;
  SourceExpr condition;
  std::string severity = "Medium";  // Severity name
  SourceMeta meta;
};

struct SourceChannel {
  std::uint16_t channel = 0;
  std::uint32_t sequence = 1;
  interp::SensorVersion min_sensor, max_sensor;
  std::vector<SourceInstance> instances;
};

// JSON text `chanval build` accepts.
std::string ChannelSourceJson(const SourceChannel& channel);

}  // namespace chanval::sigma
