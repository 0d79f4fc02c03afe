// ChannelSourceJson (channel_source.h): imported rules as a channel source.
// Tests: tests/test_sigma.cpp, tests/cli/import_sigma.sh.
#include "chanval/sigma/channel_source.h"

#include <fmt/format.h>

#include <algorithm>

#include "chanval/validator/report.h"

namespace chanval::sigma {
namespace {

// A JSON string literal, escaped as the validator's reports escape theirs.
std::string Quote(std::string_view s) { return "\"" + JsonEscape(s) + "\""; }

std::string QuoteList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + Quote(v[i]);
  return out + "]";
}

const char* OpName(SourceExpr::Op op) {
  switch (op) {
    case SourceExpr::Op::Matcher: return "Matcher";
    case SourceExpr::Op::And: return "And";
    case SourceExpr::Op::Or: return "Or";
    case SourceExpr::Op::Not: return "Not";
  }
  return "Matcher";
}

std::string ExprJson(const SourceExpr& e) {
  if (e.op == SourceExpr::Op::Matcher) return fmt::format("{{\"op\": \"Matcher\", \"matcher\": {}}}", e.matcher);
  std::string out = fmt::format("{{\"op\": \"{}\", \"args\": [", OpName(e.op));
  for (std::size_t i = 0; i < e.args.size(); ++i) out += (i ? ", " : "") + ExprJson(e.args[i]);
  return out + "]}";
}

std::string MatcherJson(const SourceMatcher& m) {
  std::string out = fmt::format("{{\"field\": {}, \"kind\": \"{}\"", m.field, m.kind);
  if (!m.values.empty()) out += ", \"values\": " + QuoteList(m.values);
  if (!m.int_values.empty()) out += fmt::format(", \"int_values\": [{}]", fmt::join(m.int_values, ", "));
  if (m.ignore_case) out += ", \"ignore_case\": true";
  if (!m.op.empty()) out += fmt::format(", \"op\": \"{}\"", m.op);
  if (m.lo != 0) out += fmt::format(", \"lo\": {}", m.lo);
  if (m.other_field != 0) out += fmt::format(", \"other_field\": {}", m.other_field);
  return out + "}";
}

std::string VersionJson(const interp::SensorVersion& v) {
  return fmt::format("{{\"major\": {}, \"minor\": {}}}", v.major, v.minor);
}

}  // namespace

std::size_t SourceExpr::Depth() const {
  std::size_t d = 0;
  for (const auto& a : args) d = std::max(d, a.Depth());
  return d + 1;
}

std::size_t SourceExpr::NodeCount() const {
  std::size_t n = 1;
  for (const auto& a : args) n += a.NodeCount();
  return n;
}

std::string ChannelSourceJson(const SourceChannel& c) {
  std::string out = fmt::format("{{\n  \"channel\": {},\n  \"sequence\": {},\n  \"min_sensor\": {},\n  \"max_sensor\": {},\n"
                                "  \"instances\": [",
                                c.channel, c.sequence, VersionJson(c.min_sensor), VersionJson(c.max_sensor));
  for (std::size_t i = 0; i < c.instances.size(); ++i) {
    const auto& in = c.instances[i];
    out += fmt::format("{}\n    {{\n      \"id\": {},\n      \"name\": {},\n      \"template_type\": {},\n"
                       "      \"matchers\": [",
                       i ? "," : "", in.id, Quote(in.name), in.template_type);
    for (std::size_t m = 0; m < in.matchers.size(); ++m) {
      out += fmt::format("{}\n        {}", m ? "," : "", MatcherJson(in.matchers[m]));
    }
    out += fmt::format("\n      ],\n      \"condition\": {},\n      \"action\": \"Report\",\n      \"severity\": \"{}\",\n"
                       "      \"meta\": {{\"rule_id\": {}, \"title\": {}, \"author\": {}, \"references\": {}}}\n    }}",
                       ExprJson(in.condition), in.severity, Quote(in.meta.rule_id), Quote(in.meta.title),
                       Quote(in.meta.author), QuoteList(in.meta.references));
  }
  return out + "\n  ]\n}\n";
}

}  // namespace chanval::sigma
