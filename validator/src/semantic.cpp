// CheckSemantics (semantic.h): each build in range against the file (CV1xx).
// Tests: tests/test_check.cpp, fuzz_layers.
#include "chanval/validator/semantic.h"

#include <fmt/format.h>

#include <limits>
#include <map>
#include <memory>
#include <tuple>

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/matcher_rules.h"
#include "chanval/interpreter/matcher_shape.h"
#include "validator_seams.h"

namespace chanval {
namespace {

using fb::MatcherKind;
using interp::FieldType;

// Whether the pattern has an assertion whose truth at offset 0 depends on
// what follows it: $ and \z (end of text), \b and \B (word boundary).
bool HasLookaheadAssertion(std::string_view p) {
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 1 < p.size()) {
      const char e = p[++i];
      if (!in_class && (e == 'b' || e == 'B' || e == 'z')) return true;
    } else if (p[i] == '[') {
      in_class = true;
    } else if (p[i] == ']') {
      in_class = false;
    } else if (p[i] == '$' && !in_class) {
      return true;
    }
  }
  return false;
}

// An unanchored search finds the regex in every value exactly when it finds
// it in the empty one using only assertions that hold at offset 0 of any
// text (^, \A). RE2 decides the empty match; when the pattern also has an
// assertion that looks ahead, the empty match may depend on the text, and
// RE2 decides each context offset 0 can be in (end of text, a word byte, a
// non-word byte, a line break, a non-ASCII rune) and a long value.
bool MatchesEveryValue(const RE2& re) {
  if (!RE2::PartialMatch("", re)) return false;
  if (!HasLookaheadAssertion(re.pattern())) return true;
  static const std::string kContexts[] = {"a", "Z", "1", "_", " ", "-", "\n", "\r\n", "\xc3\xa9", "\x01q~",
                                          std::string(5000, 'x') + "1 -\n\xc3\xa9"};
  for (const auto& text : kContexts) {
    if (!RE2::PartialMatch(text, re)) return false;
  }
  return true;
}

// "Matches every value" verdicts, cached: the same pattern under the same
// budget compiles the same way for every build and every instance.
class RegexCache {
 public:
  explicit RegexCache(interp::RegexPool& pool) : pool_(pool) {}
  interp::RegexPool& pool() { return pool_; }
  // For a regex that compiled within the build's budgets.
  bool MatchesEverything(std::string_view pattern, bool ignore_case, const interp::Budgets& b) {
    auto key = std::make_tuple(std::string(pattern), ignore_case, b.regex_max_mem);
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    const bool v = MatchesEveryValue(*pool_.Get(pattern, ignore_case, b).re);
    return cache_.emplace(std::move(key), v).first->second;
  }

 private:
  interp::RegexPool& pool_;
  std::map<std::tuple<std::string, bool, std::uint32_t>, bool> cache_;
};

enum class Tri { False, Unknown, True };

class InstanceChecker {
 public:
  InstanceChecker(const std::string& file, const FleetMember& build, RegexCache& regexes, Diagnostics& out)
      : file_(file), build_(build), regexes_(regexes), out_(out) {}

  void Run(const fb::ChannelFile& root) {
    for (const auto* inst : *root.instances()) {
      inst_ = inst;
      const interp::TypeSpec* type = build_.profile.FindType(inst->template_type());
      if (!type) {
        Report(Level::Error, Code::UnknownTemplateType, {},
               fmt::format("template type {} does not exist in sensor {}", inst->template_type(), Version()));
        continue;
      }
      type_ = type;
      const auto& ms = *inst->matchers();
      std::vector<Tri> atoms(ms.size(), Tri::Unknown);
      for (std::uint32_t i = 0; i < ms.size(); ++i) {
        atoms[i] = CheckMatcher(i, *ms.Get(i));
      }
      CheckInstanceMeaning(*inst, atoms);
    }
    inst_ = nullptr;
    // Cost and memory budgets are the loader's to compute (execution step,
    // CV112/CV117): the validator does not model them.
  }

 private:
  std::string Version() const { return build_.profile.version.ToString(); }

  void Report(Level level, Code code, std::optional<std::uint16_t> field, std::string message) {
    Diagnostic d;
    d.level = level;
    d.code = code;
    d.file = file_;
    d.sensor = build_.profile.version;
    if (inst_) {
      d.instance_id = inst_->id();
      d.instance_name = inst_->name()->str();
    }
    d.field = field;
    if (field && type_ && *field < type_->declared.size()) d.field_name = type_->declared[*field].name;
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  // The 291 checks the validator adds to the build's own rules, for one
  // field a matcher reads (declared: see CheckMatcher): supplied, and
  // supplied as the input the type declares at that position.
  void CheckSupplied(std::uint32_t index, const fb::Matcher& m, std::uint16_t f) {
    const auto& declared = type_->declared;
    const auto& supplied = type_->supplied;
    if (f >= declared.size()) return;
    if (!FieldSupplied(*type_, f)) {
      Report(Level::Error, Code::FieldNotSupplied, f,
             fmt::format("matcher #{} ({}) reads field {} '{}', but sensor {} supplies only {} inputs for {} "
                         "(declares {})",
                         index, fb::EnumNameMatcherKind(m.kind()), f, declared[f].name, Version(), supplied.size(),
                         type_->name, declared.size()));
    } else if (f < supplied.size() && (supplied[f].name != declared[f].name || supplied[f].type != declared[f].type)) {
      Report(Level::Error, Code::SuppliedOrderMismatch, f,
             fmt::format("matcher #{} reads field {} '{}' ({}), but sensor {} supplies '{}' ({}) at that position",
                         index, f, declared[f].name, interp::FieldTypeName(declared[f].type), Version(),
                         supplied[f].name, interp::FieldTypeName(supplied[f].type)));
    }
  }

  static Code CodeFor(interp::LoadStatus s) {
    using S = interp::LoadStatus;
    switch (s) {
      case S::FieldNotDeclared: return Code::FieldNotDeclared;
      case S::KindDoesNotFitField: return Code::KindFieldMismatch;
      case S::KindNeedsNewerInterpreter: return Code::InterpreterTooOld;
      case S::LiteralTooLong: return Code::LiteralTooLong;
      case S::BadRegex: return Code::BadRegex;
      case S::RegexTooBig: return Code::RegexTooBig;
      case S::BadCidr: return Code::BadCidr;
      default: return Code::BadMatcherValues;  // shape and ranges: the strict parser rejected these already
    }
  }

  // Returns what is known of the matcher's truth on every event: True for a
  // matcher that holds on all events, Unknown otherwise.
  Tri CheckMatcher(std::uint32_t index, const fb::Matcher& m) {
    const interp::MatcherKindRow& row = interp::KindRow(m.kind());
    if (row.input == interp::InputUse::None) return Tri::True;
    // The build's own rules, exactly as its loader decides them.
    bool rules_ok = true;
    for (const auto& v : interp::MatcherViolations(m, *type_, build_.profile, regexes_.pool())) {
      rules_ok = false;
      Report(Level::Error, CodeFor(v.status), v.field,
             fmt::format("matcher #{} ({}): {} in sensor {}: {}", index, fb::EnumNameMatcherKind(m.kind()),
                         interp::LoadStatusName(v.status), Version(), v.detail));
    }
    interp::ForEachFieldRead(m, [&](std::uint16_t f) { CheckSupplied(index, m, f); });
    Tri truth = Tri::Unknown;
    const std::uint16_t f = m.field();
    // What more is known, by the kind's syntax and operands (optional
    // analyses: a new kind needs none of them).
    if (row.syntax == interp::ValueSyntax::Regex && rules_ok &&
        regexes_.MatchesEverything(m.values()->Get(0)->string_view(), m.ignore_case(), build_.profile.budgets)) {
      truth = Tri::True;
    }
    if (row.operands == interp::Operands::CompareWithLo) {
      const auto lo = m.lo();
      constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
      constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
      if ((m.op() == fb::CompareOp::Lt && lo == kMin) || (m.op() == fb::CompareOp::Gt && lo == kMax)) {
        Report(Level::Warning, Code::NeverMatches, f,
               fmt::format("matcher #{} compares {} {} and can never hold", index, fb::EnumNameCompareOp(m.op()), lo));
      }
    }
    return truth;
  }

  // Three-valued evaluation of the condition with what is known of each
  // matcher: True means the instance matches every event.
  Tri Eval(const fb::Expr* e, const std::vector<Tri>& atoms) {
    if (!e) {
      Tri r = Tri::True;
      for (Tri a : atoms) r = std::min(r, a);
      return r;
    }
    switch (e->op()) {
      case fb::ExprOp::Matcher:
        return atoms[e->matcher()];
      case fb::ExprOp::And: {
        Tri r = Tri::True;
        for (const auto* a : *e->args()) r = std::min(r, Eval(a, atoms));
        return r;
      }
      case fb::ExprOp::Or: {
        Tri r = Tri::False;
        for (const auto* a : *e->args()) r = std::max(r, Eval(a, atoms));
        return r;
      }
      case fb::ExprOp::Not: {
        const Tri v = Eval(e->args()->Get(0), atoms);
        return v == Tri::True ? Tri::False : v == Tri::False ? Tri::True : Tri::Unknown;
      }
    }
    return Tri::Unknown;
  }

  // Matchers that must all hold (the top-level conjunction), for contradiction search.
  void TopLevelConjuncts(const fb::Expr* e, std::uint32_t n, std::vector<std::uint32_t>& out) {
    if (!e) {
      for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
    } else if (e->op() == fb::ExprOp::Matcher) {
      out.push_back(e->matcher());
    } else if (e->op() == fb::ExprOp::And) {
      for (const auto* a : *e->args()) TopLevelConjuncts(a, n, out);
    }
  }

  void CheckInstanceMeaning(const fb::Instance& inst, const std::vector<Tri>& atoms) {
    const Tri always = Eval(inst.condition(), atoms);
    if (always == Tri::True && !inst.matches_everything_intended()) {
      Report(Level::Error, Code::MatchesEverything, {},
             "instance matches every event (all its criteria are wildcards or always true); set "
             "matches_everything_intended if that is meant");
    } else if (always == Tri::False) {
      Report(Level::Warning, Code::NeverMatches, {}, "instance can never match");
    }
    // Contradictions among conjuncts: two different exact values, or integer
    // bounds with an empty intersection, on the same field.
    std::vector<std::uint32_t> conj;
    TopLevelConjuncts(inst.condition(), inst.matchers()->size(), conj);
    std::map<std::uint16_t, std::pair<std::int64_t, std::int64_t>> bounds;
    std::map<std::uint16_t, const fb::Matcher*> equals;
    constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    for (std::uint32_t i : conj) {
      const fb::Matcher& m = *inst.matchers()->Get(i);
      if (m.kind() == MatcherKind::Equals) {
        auto [it, fresh] = equals.emplace(m.field(), &m);
        if (!fresh) {
          const auto a = it->second->values()->Get(0)->str(), b = m.values()->Get(0)->str();
          const bool both_exact = !it->second->ignore_case() && !m.ignore_case();
          if (interp::FoldedCopy(a) != interp::FoldedCopy(b) || (both_exact && a != b)) {
            Report(Level::Warning, Code::NeverMatches, m.field(),
                   fmt::format("field must equal both '{}' and '{}': the instance can never match", a, b));
          }
        }
      }
      const auto operands = interp::KindRow(m.kind()).operands;
      if (operands == interp::Operands::RangeLoHi || operands == interp::Operands::CompareWithLo) {
        const bool range = operands == interp::Operands::RangeLoHi;
        auto [it, fresh] = bounds.emplace(m.field(), std::make_pair(kMin, kMax));
        auto& [lo, hi] = it->second;
        const std::int64_t v = m.lo();
        switch (range ? fb::CompareOp::Eq : m.op()) {
          case fb::CompareOp::Eq:
            lo = std::max(lo, v);
            hi = std::min(hi, range ? m.hi() : v);
            break;
          case fb::CompareOp::Lt: hi = std::min(hi, v == kMin ? kMin : v - 1); if (v == kMin) lo = kMax; break;
          case fb::CompareOp::Le: hi = std::min(hi, v); break;
          case fb::CompareOp::Gt: lo = std::max(lo, v == kMax ? kMax : v + 1); if (v == kMax) hi = kMin; break;
          case fb::CompareOp::Ge: lo = std::max(lo, v); break;
          case fb::CompareOp::Ne: break;
        }
        if (lo > hi) {
          Report(Level::Warning, Code::NeverMatches, m.field(),
                 "integer conditions on this field have no value in common: the instance can never match");
          lo = kMin;  // report once per field
          hi = kMax;
        }
      }
    }
  }

  const std::string& file_;
  const FleetMember& build_;
  RegexCache& regexes_;
  Diagnostics& out_;
  const fb::Instance* inst_ = nullptr;
  const interp::TypeSpec* type_ = nullptr;
};

}  // namespace

std::vector<const FleetMember*> ResolveBuilds(const ParsedChannel& ch, const Fleet& fleet, const std::string& file,
                                              Diagnostics& out) {
  const auto& env = ch.envelope;
  for (const auto v : {env.min_sensor, env.max_sensor}) {
    if (!fleet.Find(v)) {
      Diagnostic d;
      d.code = Code::RangeNotInFleet;
      d.file = file;
      d.sensor = v;
      d.message = fmt::format("sensor range {}..{} reaches sensor {}, which has no manifest in the fleet",
                              env.min_sensor.ToString(), env.max_sensor.ToString(), v.ToString());
      out.push_back(std::move(d));
    }
  }
  return fleet.InRange(env.min_sensor, env.max_sensor);
}

void CheckSemantics(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds, const std::string& file,
                    Diagnostics& out, interp::RegexPool& pool) {
  RegexCache regexes(pool);
  for (const FleetMember* build : builds) {
    InstanceChecker(file, *build, regexes, out).Run(ch.root());
  }
}

}  // namespace chanval
