// Sigma detection items → matchers (lower.h).
// Tests: tests/test_sigma.cpp, sigma.regression.
#include "lower.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/parser.h"
#include "condition.h"
#include "pattern.h"

namespace chanval::sigma {
namespace {

using interp::FieldType;
using Op = fb::ExprOp;
using Kind = fb::MatcherKind;

[[noreturn]] void Throw(SkipReason r, std::string detail) { throw Skip{r, std::move(detail)}; }

SourceExpr Combine(Op op, std::vector<SourceExpr> args) {
  std::vector<SourceExpr> flat;
  for (auto& a : args) {
    if (a.op == op) {
      for (auto& g : a.args) flat.push_back(std::move(g));
    } else {
      flat.push_back(std::move(a));
    }
  }
  if (flat.size() == 1) return std::move(flat.front());
  return {op, 0, std::move(flat)};
}

SourceExpr Negate(SourceExpr e) {
  if (e.op == Op::Not) return std::move(e.args.front());
  return {Op::Not, 0, {std::move(e)}};
}

fb::MatcherT NewMatcher(std::uint16_t field, Kind kind, std::vector<std::string> values, bool ignore_case) {
  fb::MatcherT m;
  m.field = field;
  m.kind = kind;
  m.values = std::move(values);
  m.ignore_case = ignore_case;
  return m;
}

bool SameMatcher(const fb::MatcherT& a, const fb::MatcherT& b) {
  return a.field == b.field && a.kind == b.kind && a.values == b.values && a.int_values == b.int_values &&
         a.ignore_case == b.ignore_case && a.op == b.op && a.lo == b.lo && a.hi == b.hi &&
         a.other_field == b.other_field;
}

// Modifiers, parsed once per field key.
struct Modifiers {
  enum class Position { Exact, Contains, StartsWith, EndsWith };
  Position position = Position::Exact;
  bool all = false, regex = false, cidr = false, exists = false, cased = false, fieldref = false;
  std::string regex_flags;  // subset of "ims"
  std::optional<fb::CompareOp> compare;  // gt/gte/lt/lte
  // Transformations, in rule order.
  enum class Transform { Windash, Base64, Base64Offset, Utf16le, Utf16be, Utf16 };
  std::vector<Transform> transforms;
};

Modifiers ParseModifiers(const std::vector<std::string>& names, const std::string& key) {
  Modifiers m;
  using T = Modifiers::Transform;
  using P = Modifiers::Position;
  for (const auto& n : names) {
    auto position = [&](P p) {
      if (m.position != P::Exact) Throw(SkipReason::UnsupportedModifier, "'" + key + "' combines two of contains/startswith/endswith");
      m.position = p;
    };
    if (n == "contains") position(P::Contains);
    else if (n == "startswith") position(P::StartsWith);
    else if (n == "endswith") position(P::EndsWith);
    else if (n == "all") m.all = true;
    else if (n == "re") m.regex = true;
    else if (n == "i" || n == "m" || n == "s") m.regex_flags += n;
    else if (n == "cidr") m.cidr = true;
    else if (n == "exists") m.exists = true;
    else if (n == "cased") m.cased = true;
    else if (n == "gt") m.compare = fb::CompareOp::Gt;
    else if (n == "gte") m.compare = fb::CompareOp::Ge;
    else if (n == "lt") m.compare = fb::CompareOp::Lt;
    else if (n == "lte") m.compare = fb::CompareOp::Le;
    else if (n == "windash") m.transforms.push_back(T::Windash);
    else if (n == "base64") m.transforms.push_back(T::Base64);
    else if (n == "base64offset") m.transforms.push_back(T::Base64Offset);
    else if (n == "wide" || n == "utf16le") m.transforms.push_back(T::Utf16le);
    else if (n == "utf16be") m.transforms.push_back(T::Utf16be);
    else if (n == "utf16") m.transforms.push_back(T::Utf16);
    else if (n == "fieldref") m.fieldref = true;
    else if (n == "expand") Throw(SkipReason::Placeholder, "'" + key + "': placeholders need environment-specific values");
    else Throw(SkipReason::UnsupportedModifier, "'" + key + "': unknown modifier '" + n + "'");
  }
  if (!m.regex_flags.empty() && !m.regex) Throw(SkipReason::UnsupportedModifier, "'" + key + "': regex flags without 're'");
  const int kinds = m.regex + m.cidr + m.exists + m.fieldref + m.compare.has_value();
  if (kinds > 1 || (kinds == 1 && (m.position != Modifiers::Position::Exact || !m.transforms.empty()))) {
    Throw(SkipReason::UnsupportedModifier, "'" + key + "': modifier combination has no defined meaning");
  }
  return m;
}

// The budgets of the build the rules are mapped against (built once).
const interp::Budgets& CurrentBudgets() {
  static const interp::Budgets budgets = interp::CurrentBuildProfile().budgets;
  return budgets;
}

// Why the current build would refuse the regex: RE2 syntax, or over the
// build's program-size budget (the gate checks every build in range).
std::optional<std::pair<SkipReason, std::string>> RegexError(const std::string& pattern, bool ignore_case) {
  const interp::Budgets& budgets = CurrentBudgets();
  RE2 re(pattern, interp::SensorRegexOptions(budgets, ignore_case));
  if (!re.ok()) return std::pair{SkipReason::RegexNotSupported, "RE2 rejects it: " + re.error()};
  if (re.ProgramSize() > static_cast<int>(budgets.regex_max_program_size)) {
    return std::pair{SkipReason::ExceedsLimits, fmt::format("compiled program size {} exceeds the sensor's budget of {}",
                                                            re.ProgramSize(), budgets.regex_max_program_size)};
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseInteger(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  if (std::to_string(v) != s) return std::nullopt;  // canonical form only: the event's text is canonical
  return v;
}

class Lowerer {
 public:
  Lowerer(const interp::TemplateTypeDef& type) : type_(type) {}

  LoweredDetection Run(const YAML::Node& detection, const CategoryMapping& category) {
    if (!detection.IsMap()) Throw(SkipReason::NotARule, "detection is not a map");
    std::map<std::string, SourceExpr> identifiers;
    YAML::Node condition;
    for (const auto& kv : detection) {
      const std::string name = kv.first.as<std::string>();
      if (name == "condition") {
        condition = kv.second;
      } else if (name == "timeframe") {
        Throw(SkipReason::Aggregation, "timeframe: correlation over several events");
      } else {
        identifiers.emplace(name, LowerSearch(name, kv.second));
      }
    }
    if (!condition) Throw(SkipReason::NotARule, "detection has no condition");
    std::vector<std::string> texts;
    if (condition.IsSequence()) {
      for (const auto& c : condition) texts.push_back(c.as<std::string>());
    } else if (condition.IsScalar()) {
      texts.push_back(condition.as<std::string>());
    } else {
      Throw(SkipReason::BadCondition, "condition is neither a string nor a list");
    }
    std::vector<SourceExpr> alternatives;
    for (const auto& text : texts) {
      const auto parsed = ParseCondition(text);
      if (!parsed.error.empty()) {
        Throw(parsed.error.starts_with("aggregation") ? SkipReason::Aggregation : SkipReason::BadCondition,
              "condition '" + text + "': " + parsed.error);
      }
      alternatives.push_back(LowerCondition(parsed.condition, identifiers, text));
    }
    SourceExpr expr = Combine(Op::Or, std::move(alternatives));
    if (!category.constraint_field.empty()) {
      const auto field = FindField(std::string(category.constraint_field));
      fb::MatcherT m = NewMatcher(field.index, category.constraint_values.size() == 1 ? Kind::Equals : Kind::OneOf, {}, true);
      for (auto v : category.constraint_values) m.values.emplace_back(v);
      std::sort(m.values.begin(), m.values.end());
      expr = Combine(Op::And, {SourceExpr::Leaf(Add(std::move(m))), std::move(expr)});
    }
    CheckLimits(expr);
    return {std::move(matchers_), std::move(expr)};
  }

 private:
  struct Field {
    std::uint16_t index;
    FieldType type;
  };

  Field FindField(const std::string& name) const {
    for (std::size_t i = 0; i < type_.declared.size(); ++i) {
      if (type_.declared[i].name == name) return {static_cast<std::uint16_t>(i), type_.declared[i].type};
    }
    Throw(SkipReason::UnknownField,
          fmt::format("field '{}' is not a field of template type {} ({})", name, type_.id, type_.name));
  }

  std::uint16_t Add(fb::MatcherT m) {
    for (std::size_t i = 0; i < matchers_.size(); ++i) {
      if (SameMatcher(matchers_[i], m)) return static_cast<std::uint16_t>(i);
    }
    if (matchers_.size() >= limits::kMaxMatchersPerInstance) {
      Throw(SkipReason::ExceedsLimits,
            fmt::format("needs more than {} matchers (kMaxMatchersPerInstance)", limits::kMaxMatchersPerInstance));
    }
    for (const auto& v : m.values) {
      if (!IsChannelString(v)) {
        Throw(SkipReason::ValueNotRepresentable, "a value is not NUL-free UTF-8, which channel strings must be");
      }
      if (v.size() > MaxLiteral()) {
        Throw(SkipReason::ExceedsLimits, fmt::format("a value of {} bytes is longer than the sensor's {}-byte literal budget",
                                                     v.size(), MaxLiteral()));
      }
    }
    if (m.values.size() > limits::kMaxValuesPerMatcher) {
      Throw(SkipReason::ExceedsLimits, fmt::format("a field has more than {} values (kMaxValuesPerMatcher)",
                                                   limits::kMaxValuesPerMatcher));
    }
    matchers_.push_back(std::move(m));
    return static_cast<std::uint16_t>(matchers_.size() - 1);
  }

  static std::size_t MaxLiteral() {
    return std::min<std::size_t>(CurrentBudgets().max_literal_length, limits::kMaxStringLength);
  }

  void CheckLimits(const SourceExpr& e) const {
    if (e.Depth() > limits::kMaxExprDepth) {
      Throw(SkipReason::ExceedsLimits, fmt::format("condition nests {} deep, more than {} (kMaxExprDepth)", e.Depth(),
                                                   limits::kMaxExprDepth));
    }
    if (e.NodeCount() > limits::kMaxExprNodesPerInstance) {
      Throw(SkipReason::ExceedsLimits, fmt::format("condition has {} nodes, more than {} (kMaxExprNodesPerInstance)",
                                                   e.NodeCount(), limits::kMaxExprNodesPerInstance));
    }
  }

  // A search identifier: a map (fields ANDed) or a list of maps (ORed).
  SourceExpr LowerSearch(const std::string& name, const YAML::Node& node) {
    if (node.IsMap()) return LowerMap(node);
    if (node.IsSequence()) {
      std::vector<SourceExpr> alts;
      for (const auto& item : node) {
        if (!item.IsMap()) {
          Throw(SkipReason::KeywordSearch,
                "search identifier '" + name + "' lists values without field names (keyword search over the whole event)");
        }
        alts.push_back(LowerMap(item));
      }
      if (alts.empty()) Throw(SkipReason::BadCondition, "search identifier '" + name + "' is an empty list");
      return Combine(Op::Or, std::move(alts));
    }
    Throw(SkipReason::KeywordSearch, "search identifier '" + name + "' is a single value without a field name");
  }

  SourceExpr LowerMap(const YAML::Node& map) {
    std::vector<SourceExpr> parts;
    for (const auto& kv : map) parts.push_back(LowerField(kv.first.as<std::string>(), kv.second));
    if (parts.empty()) Throw(SkipReason::BadCondition, "empty map in a search identifier");
    return Combine(Op::And, std::move(parts));
  }

  SourceExpr LowerField(const std::string& key, const YAML::Node& value) {
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      const auto bar = key.find('|', start);
      parts.push_back(key.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (parts.front().empty()) Throw(SkipReason::KeywordSearch, "'" + key + "' has no field name (keyword search)");
    const Field field = FindField(parts.front());
    const Modifiers mods = ParseModifiers({parts.begin() + 1, parts.end()}, key);

    std::vector<YAML::Node> values;
    if (value.IsSequence()) {
      for (const auto& v : value) values.push_back(v);
    } else if (value.IsMap()) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "' has a map as its value");
    } else {
      values.push_back(value);
    }
    if (values.empty()) Throw(SkipReason::ValueNotRepresentable, "'" + key + "' has an empty value list");
    for (const auto& v : values) {
      if (!v.IsScalar() && !v.IsNull()) Throw(SkipReason::ValueNotRepresentable, "'" + key + "' has a nested list or map as a value");
    }

    if (mods.exists) return LowerExists(key, field, values);
    std::vector<SourceExpr> per_value;
    if (mods.all) {
      for (const auto& v : values) per_value.push_back(LowerValues(key, field, mods, {v}));
      return Combine(Op::And, std::move(per_value));
    }
    return LowerValues(key, field, mods, values);
  }

  SourceExpr LowerExists(const std::string& key, const Field& field, const std::vector<YAML::Node>& values) {
    if (values.size() != 1 || !values.front().IsScalar() ||
        (values.front().Scalar() != "true" && values.front().Scalar() != "false")) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "' needs true or false");
    }
    if (field.type == FieldType::Integer) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "': existence of an integer field");
    }
    // The sensor supplies an absent field as empty text (README, "Sigma
    // import"), so existence is non-emptiness.
    auto empty = SourceExpr::Leaf(Add(NewMatcher(field.index, Kind::Equals, {""}, false)));
    return values.front().Scalar() == "true" ? Negate(std::move(empty)) : empty;
  }

  // Values ORed; each may expand into several strings (ORed too).
  SourceExpr LowerValues(const std::string& key, const Field& field, const Modifiers& mods,
                         const std::vector<YAML::Node>& values) {
    if (mods.fieldref) return LowerFieldRef(key, field, mods, values);
    if (mods.compare) return LowerCompare(key, field, mods, values);
    if (mods.cidr) return LowerCidr(key, field, values);
    if (mods.regex) return LowerRegex(key, field, mods, values);
    if (field.type == FieldType::Integer) return LowerIntegerEquality(key, field, mods, values);

    const bool ignore_case = !mods.cased;
    std::set<std::string> equal, prefix, suffix, contains;
    std::vector<std::string> globs;
    for (const auto& node : values) {
      if (node.IsNull()) {  // null: absent, which the sensor supplies as empty
        if (!mods.transforms.empty() || mods.position != Modifiers::Position::Exact) {
          Throw(SkipReason::ValueNotRepresentable, "'" + key + "': null with a string modifier");
        }
        equal.insert("");
        continue;
      }
      for (auto& p : Expand(key, mods, node.Scalar())) {
        const auto& pc = p.pieces();
        if (!p.HasWildcards()) {
          equal.insert(p.LiteralText());
        } else if (pc.size() == 2 && pc[0].kind == Piece::Kind::AnyRun && pc[1].kind == Piece::Kind::Literal) {
          suffix.insert(pc[1].text);
        } else if (pc.size() == 2 && pc[0].kind == Piece::Kind::Literal && pc[1].kind == Piece::Kind::AnyRun) {
          prefix.insert(pc[0].text);
        } else if (pc.size() == 3 && pc[0].kind == Piece::Kind::AnyRun && pc[1].kind == Piece::Kind::Literal &&
                   pc[2].kind == Piece::Kind::AnyRun) {
          contains.insert(pc[1].text);
        } else {
          globs.push_back(GlobRegex(p));
        }
      }
    }
    std::vector<SourceExpr> alts;
    auto add = [&](Kind kind, const std::set<std::string>& set) {
      if (set.empty()) return;
      alts.push_back(SourceExpr::Leaf(Add(NewMatcher(field.index, kind, {set.begin(), set.end()}, ignore_case))));
    };
    add(equal.size() == 1 ? Kind::Equals : Kind::OneOf, equal);
    add(Kind::Prefix, prefix);
    add(Kind::Suffix, suffix);
    add(Kind::Contains, contains);
    std::sort(globs.begin(), globs.end());
    globs.erase(std::unique(globs.begin(), globs.end()), globs.end());
    for (auto& g : globs) {
      if (auto err = RegexError(g, ignore_case)) Throw(err->first, "'" + key + "': wildcard pattern " + g + ": " + err->second);
      alts.push_back(SourceExpr::Leaf(Add(NewMatcher(field.index, Kind::Regex, {g}, ignore_case))));
    }
    return Combine(Op::Or, std::move(alts));
  }

  // One Sigma string value through the transformation modifiers, in rule
  // order, then the position modifier.
  std::vector<Pattern> Expand(const std::string& key, const Modifiers& mods, const std::string& text) {
    using T = Modifiers::Transform;
    std::vector<Pattern> variants{Pattern::Parse(text)};
    bool encoded = false;  // bytes from utf16*, valid only as base64 input
    for (const auto t : mods.transforms) {
      std::vector<Pattern> next;
      for (const auto& v : variants) {
        if (t != T::Windash && v.HasWildcards()) {
          Throw(SkipReason::ValueNotRepresentable, "'" + key + "': encoding modifiers on a value with wildcards");
        }
        switch (t) {
          case T::Windash: {
            if (encoded) Throw(SkipReason::UnsupportedModifier, "'" + key + "': windash after an encoding");
            auto w = WindashVariants(v, kMaxVariantsPerValue);
            if (w.empty()) Throw(SkipReason::ExceedsLimits, "'" + key + "': windash expands into too many variants");
            for (auto& x : w) next.push_back(std::move(x));
            break;
          }
          case T::Base64: next.push_back(Pattern::Literal(Base64(v.LiteralText()))); break;
          case T::Base64Offset:
            for (auto& s : Base64OffsetVariants(v.LiteralText())) next.push_back(Pattern::Literal(s));
            break;
          case T::Utf16le:
          case T::Utf16be:
          case T::Utf16: {
            std::string out;
            const auto form = t == T::Utf16le ? Utf16::LittleEndian : t == T::Utf16be ? Utf16::BigEndian : Utf16::WithBom;
            if (!EncodeUtf16(v.LiteralText(), form, out)) {
              Throw(SkipReason::ValueNotRepresentable, "'" + key + "': value is not valid UTF-8");
            }
            next.push_back(Pattern::Literal(out));
            break;
          }
        }
      }
      encoded = t == T::Utf16le || t == T::Utf16be || t == T::Utf16;
      variants = std::move(next);
      if (variants.size() > kMaxVariantsPerValue) {
        Throw(SkipReason::ExceedsLimits, "'" + key + "': value expands into too many variants");
      }
    }
    if (encoded) Throw(SkipReason::UnsupportedModifier, "'" + key + "': utf16 encoding not followed by base64");
    for (auto& v : variants) {
      switch (mods.position) {
        case Modifiers::Position::Exact: break;
        case Modifiers::Position::Contains: v.PrependAnyRun(), v.AppendAnyRun(); break;
        case Modifiers::Position::StartsWith: v.AppendAnyRun(); break;
        case Modifiers::Position::EndsWith: v.PrependAnyRun(); break;
      }
    }
    return variants;
  }

  SourceExpr LowerIntegerEquality(const std::string& key, const Field& field, const Modifiers& mods,
                                  const std::vector<YAML::Node>& values) {
    if (mods.position != Modifiers::Position::Exact || !mods.transforms.empty()) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "': string modifiers on an integer field");
    }
    std::set<std::int64_t> ints;
    for (const auto& node : values) {
      const auto v = node.IsNull() ? std::nullopt : ParseInteger(node.Scalar());
      if (!v) {
        Throw(SkipReason::ValueNotRepresentable,
              "'" + key + "': value '" + (node.IsNull() ? "null" : node.Scalar()) + "' on integer field is not an integer");
      }
      ints.insert(*v);
    }
    fb::MatcherT m = NewMatcher(field.index, Kind::OneOf, {}, false);
    m.int_values.assign(ints.begin(), ints.end());
    return SourceExpr::Leaf(Add(std::move(m)));
  }

  SourceExpr LowerCompare(const std::string& key, const Field& field, const Modifiers& mods,
                          const std::vector<YAML::Node>& values) {
    if (field.type != FieldType::Integer) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "': numeric comparison on a non-integer field");
    }
    std::vector<SourceExpr> alts;
    for (const auto& node : values) {
      const auto v = node.IsNull() ? std::nullopt : ParseInteger(node.Scalar());
      if (!v) Throw(SkipReason::ValueNotRepresentable, "'" + key + "': comparison value is not an integer");
      fb::MatcherT m = NewMatcher(field.index, Kind::IntCompare, {}, false);
      m.op = *mods.compare;
      m.lo = *v;
      alts.push_back(SourceExpr::Leaf(Add(std::move(m))));
    }
    return Combine(Op::Or, std::move(alts));
  }

  // `fieldref`: the value names another field of the same event.
  SourceExpr LowerFieldRef(const std::string& key, const Field& field, const Modifiers& mods,
                           const std::vector<YAML::Node>& values) {
    std::vector<SourceExpr> alts;
    for (const auto& node : values) {
      if (node.IsNull()) Throw(SkipReason::ValueNotRepresentable, "'" + key + "': fieldref to null");
      const Field other = FindField(node.Scalar());
      if (other.type != field.type) {
        Throw(SkipReason::ValueNotRepresentable, "'" + key + "': fieldref between fields of different types");
      }
      if (other.index == field.index) Throw(SkipReason::ValueNotRepresentable, "'" + key + "': fieldref to itself");
      fb::MatcherT m = NewMatcher(field.index, Kind::FieldEquals, {}, !mods.cased);
      m.other_field = other.index;
      alts.push_back(SourceExpr::Leaf(Add(std::move(m))));
    }
    return Combine(Op::Or, std::move(alts));
  }

  SourceExpr LowerCidr(const std::string& key, const Field& field, const std::vector<YAML::Node>& values) {
    if (field.type != FieldType::Address) {
      Throw(SkipReason::ValueNotRepresentable, "'" + key + "': cidr on a field that is not an address");
    }
    std::set<std::string> blocks;
    for (const auto& node : values) {
      if (node.IsNull() || !interp::ParseCidr(node.Scalar())) {
        Throw(SkipReason::ValueNotRepresentable, "'" + key + "': '" + (node.IsNull() ? "null" : node.Scalar()) +
                                                     "' is not a CIDR block");
      }
      blocks.insert(node.Scalar());
    }
    return SourceExpr::Leaf(Add(NewMatcher(field.index, Kind::Cidr, {blocks.begin(), blocks.end()}, false)));
  }

  SourceExpr LowerRegex(const std::string& key, const Field& field, const Modifiers& mods,
                        const std::vector<YAML::Node>& values) {
    if (field.type == FieldType::Integer) Throw(SkipReason::ValueNotRepresentable, "'" + key + "': regex on an integer field");
    // Spec: regexes are case-sensitive unless `i`; `m` and `s` as in PCRE.
    std::string flags;
    if (mods.regex_flags.find('m') != std::string::npos) flags += 'm';
    if (mods.regex_flags.find('s') != std::string::npos) flags += 's';
    const bool ignore_case = mods.regex_flags.find('i') != std::string::npos;
    std::vector<SourceExpr> alts;
    for (const auto& node : values) {
      if (node.IsNull()) Throw(SkipReason::ValueNotRepresentable, "'" + key + "': null regex");
      const std::string pattern = (flags.empty() ? "" : "(?" + flags + ")") + node.Scalar();
      if (auto err = RegexError(pattern, ignore_case)) {
        Throw(err->first, "'" + key + "': /" + node.Scalar() + "/: " + err->second);
      }
      alts.push_back(SourceExpr::Leaf(Add(NewMatcher(field.index, Kind::Regex, {pattern}, ignore_case))));
    }
    return Combine(Op::Or, std::move(alts));
  }

  SourceExpr LowerCondition(const Condition& c, const std::map<std::string, SourceExpr>& ids,
                            const std::string& text) {
    switch (c.kind) {
      case Condition::Kind::Identifier: {
        auto it = ids.find(c.name);
        if (it == ids.end()) Throw(SkipReason::BadCondition, "condition '" + text + "' names unknown identifier '" + c.name + "'");
        return it->second;
      }
      case Condition::Kind::And:
      case Condition::Kind::Or: {
        std::vector<SourceExpr> args;
        for (const auto& a : c.args) args.push_back(LowerCondition(a, ids, text));
        return Combine(c.kind == Condition::Kind::And ? Op::And : Op::Or, std::move(args));
      }
      case Condition::Kind::Not:
        return Negate(LowerCondition(c.args.front(), ids, text));
      case Condition::Kind::OneOf:
      case Condition::Kind::AllOf: {
        std::vector<SourceExpr> args;
        for (const auto& [name, expr] : ids) {
          const bool match = c.name == "them" ? !name.starts_with("_") : IdentifierMatches(c.name, name);
          if (match) args.push_back(expr);
        }
        if (args.empty()) {
          Throw(SkipReason::BadCondition, "condition '" + text + "': '" + c.name + "' matches no search identifier");
        }
        return Combine(c.kind == Condition::Kind::AllOf ? Op::And : Op::Or, std::move(args));
      }
    }
    Throw(SkipReason::BadCondition, "condition '" + text + "'");
  }

  const interp::TemplateTypeDef& type_;
  std::vector<fb::MatcherT> matchers_;
};

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

std::unique_ptr<fb::ExprT> SourceExpr::ToExprT() const {
  auto e = std::make_unique<fb::ExprT>();
  e->op = op;
  e->matcher = matcher;
  for (const auto& a : args) e->args.push_back(a.ToExprT());
  return e;
}

LoweredDetection LowerDetection(const YAML::Node& detection, const interp::TemplateTypeDef& type,
                                const CategoryMapping& category) {
  return Lowerer(type).Run(detection, category);
}

}  // namespace chanval::sigma
