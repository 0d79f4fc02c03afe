// Synthesized events (synthesis.h) and regex samples (regex_sample.h):
// events that satisfy, falsify or aim at each matcher. Tests: test_check.cpp.
#include "synthesis.h"

#include <arpa/inet.h>
#include <re2/re2.h>

#include <limits>
#include <map>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/reference.h"

namespace chanval {
namespace {

using interp::CompiledContent;
using interp::CompiledMatcher;
using interp::MatcherKind;
using interp::ExprOp;

std::string AddressText(const interp::CidrBlock& b) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(b.v6 ? AF_INET6 : AF_INET, b.network.data(), buf, sizeof buf);
  return buf;
}

struct Goal {
  std::uint32_t matcher;
  bool value;
};

// Collects goals that give node `n` the truth value `want`.
class GoalBuilder {
 public:
  GoalBuilder(const CompiledContent& c, unsigned choice) : c_(c), choice_(choice) {}

  void Require(std::uint32_t n, bool want) {
    const auto& node = c_.nodes[n];
    const auto child = [&](std::uint32_t i) { return c_.node_children[node.child_begin + i]; };
    switch (node.op) {
      case ExprOp::Matcher: goals.push_back({node.matcher, want}); return;
      case ExprOp::Not: Require(child(0), !want); return;
      case ExprOp::And:
      case ExprOp::Or: {
        const bool every = (node.op == ExprOp::And) == want;  // and→true, or→false: all children
        if (every) {
          for (std::uint32_t i = 0; i < node.child_count; ++i) Require(child(i), want);
        } else if (node.child_count) {
          Require(child((choice_ + choice_points_++) % node.child_count), want);
        }
        return;
      }
    }
  }

  // Path from `n` to the `occurrence`-th leaf of `target`; goals for the
  // siblings evaluated before each step. True if found.
  bool Reach(std::uint32_t n, std::uint32_t target, unsigned& occurrence) {
    const auto& node = c_.nodes[n];
    if (node.op == ExprOp::Matcher) return node.matcher == target && occurrence-- == 0;
    for (std::uint32_t i = 0; i < node.child_count; ++i) {
      const std::size_t mark = goals.size();
      const std::uint32_t kid = c_.node_children[node.child_begin + i];
      if (Reach(kid, target, occurrence)) {
        std::vector<Goal> path(goals.begin() + mark, goals.end());
        goals.resize(mark);
        // Earlier siblings must let evaluation continue: true under and, false under or.
        for (std::uint32_t j = 0; j < i; ++j) {
          Require(c_.node_children[node.child_begin + j], node.op == ExprOp::And);
        }
        goals.insert(goals.end(), path.begin(), path.end());
        return true;
      }
      goals.resize(mark);
    }
    return false;
  }

  std::vector<Goal> goals;

 private:
  const CompiledContent& c_;
  unsigned choice_;
  unsigned choice_points_ = 0;
};

bool IsLiteralKind(const CompiledMatcher& m) { return interp::HasLiteralText(m.kind, m.int_count != 0); }

// Whether `value` gives every string matcher among `goals` its wanted
// truth, as the interpreter's reference evaluator decides it.
bool MeetsGoals(const CompiledContent& c, const std::vector<Goal>& goals, const std::string& value) {
  const interp::Input in{value};
  for (const auto& g : goals) {
    const CompiledMatcher& m = c.matchers()[g.matcher];
    if (m.input != interp::InputUse::Text) continue;  // not decided by this text alone
    if (interp::MatcherHoldsReference(c, m, in) != g.value) return false;
  }
  return true;
}

// One value for a field meeting its goals: an equal literal, or a prefix,
// contained literals, a regex sample and a suffix joined by separators no
// literal contains; candidates are checked against the literal goals, and
// the caller verifies the whole event by running it.
FieldValue ValueFor(const CompiledContent& c, const std::vector<Goal>& goals) {
  std::vector<std::string> exact, prefixes, suffixes;
  std::string middle;
  std::vector<std::string> regex_samples;
  bool any_positive = false, any_empty_negative = false;
  std::vector<FieldValue> numbers;
  for (const auto& g : goals) {
    const CompiledMatcher& m = c.matchers()[g.matcher];
    if (!g.value) {
      if (m.literal_count && c.literals[m.literal_begin].empty()) any_empty_negative = true;
      continue;
    }
    any_positive = true;
    const auto lits = [&](std::vector<std::string>& out) {
      for (std::uint32_t i = 0; i < m.literal_count; ++i) out.push_back(c.literals[m.literal_begin + i]);
    };
    switch (m.kind) {
      case MatcherKind::Equals:
      case MatcherKind::OneOf:
        if (m.int_count) {
          numbers.push_back(Satisfying(c, m));
        } else {
          lits(exact);
        }
        break;
      case MatcherKind::Prefix: lits(prefixes); break;
      case MatcherKind::Suffix: lits(suffixes); break;
      case MatcherKind::Contains: middle += "\x02" + c.literals[m.literal_begin]; break;
      case MatcherKind::Regex: regex_samples.push_back(Satisfying(c, m).text); break;
      case MatcherKind::IntCompare:
      case MatcherKind::IntRange:
      case MatcherKind::Cidr: numbers.push_back(Satisfying(c, m)); break;
      case MatcherKind::Wildcard:
      case MatcherKind::FieldEquals: break;  // settled across fields in EventToReach
    }
  }
  if (!numbers.empty()) return numbers.front();
  if (!any_positive) return any_empty_negative ? FieldValue{"\x01~unmatched"} : FieldValue{};
  const auto meets = [&](const std::string& v, MatcherKind only_kind, bool any_kind) {
    for (const auto& g : goals) {
      const CompiledMatcher& m = c.matchers()[g.matcher];
      if (!IsLiteralKind(m) || (!any_kind && m.kind != only_kind) || (!any_kind && !g.value)) continue;
      if (interp::MatcherHoldsReference(c, m, interp::Input{v}) != g.value) return false;
    }
    return true;
  };
  for (const auto& e : exact) {
    if (meets(e, MatcherKind::Equals, true)) return {e};
  }
  if (!exact.empty()) return {exact.front()};
  // The affix every prefix (suffix) goal accepts, else the longest.
  const auto choose = [&](const std::vector<std::string>& options, MatcherKind kind) {
    std::string best;
    for (const auto& o : options) {
      if (meets(o, kind, false)) return o;
      if (o.size() > best.size()) best = o;
    }
    return best;
  };
  const std::string prefix = choose(prefixes, MatcherKind::Prefix);
  const std::string suffix = choose(suffixes, MatcherKind::Suffix);
  if (regex_samples.size() == 1 && prefixes.empty() && middle.empty() && suffixes.empty()) return {regex_samples[0]};
  std::string samples;
  for (const auto& sample : regex_samples) samples += "\x02" + sample;
  // Layouts, most separated first: separators at both ends keep negative
  // prefix/suffix goals from holding by accident, but an end-anchored regex
  // needs its sample last, a start-anchored one first. The interpreter
  // decides which layout meets every goal on the field.
  const std::string head = prefix.empty() ? "\x02" : prefix;
  const std::vector<std::string> layouts = {
      head + middle + samples + "\x02" + suffix,
      head + middle + samples + suffix,
      head + middle + samples,
      regex_samples.empty() ? std::string() : regex_samples.front() + middle + "\x02" + suffix,
  };
  for (const auto& v : layouts) {
    if (MeetsGoals(c, goals, v)) return {v};
  }
  return {layouts.front()};
}

}  // namespace

FieldValue Number(std::int64_t n) { return {std::to_string(n), true, n}; }

void SettleFieldEquals(const CompiledContent& c, const CompiledMatcher& m, Event& sat, Event& unsat) {
  if (m.input != interp::InputUse::TwoTexts || m.field >= sat.size() || m.other_field >= sat.size()) return;
  sat[m.other_field] = sat[m.field];
  if (unsat[m.other_field].text == unsat[m.field].text) unsat[m.other_field].text += "\x02";
}

FieldValue Satisfying(const CompiledContent& c, const CompiledMatcher& m) {

  const auto lit = [&](std::uint32_t i) { return c.literals[m.literal_begin + i]; };
  switch (m.kind) {
    case MatcherKind::Wildcard: return {};
    case MatcherKind::FieldEquals: return {"same~value"};  // the other field gets it too (SettleFieldEquals)
    case MatcherKind::Equals: return {lit(0)};
    case MatcherKind::Prefix: return {lit(0) + "~x"};
    case MatcherKind::Suffix: return {"x~" + lit(0)};
    case MatcherKind::Contains: return {"x~" + lit(0) + "~x"};
    case MatcherKind::OneOf:
      if (m.int_count) return Number(c.ints[m.int_begin]);
      return {lit(0)};
    case MatcherKind::Regex: {
      const RE2& re = *c.regexes[m.regex];
      std::string sample = SampleRegexMatch(re.pattern());
      if (RE2::PartialMatch(sample, re)) return {sample};
      std::string lo, hi;  // fallback: the smallest string the DFA can start a match with
      if (re.PossibleMatchRange(&lo, &hi, 64) && RE2::PartialMatch(lo, re)) return {lo};
      return {sample};
    }
    case MatcherKind::IntCompare: {
      constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
      constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
      switch (m.op) {
        case interp::CompareOp::Lt: return Number(m.lo == kMin ? kMin : m.lo - 1);
        case interp::CompareOp::Gt: return Number(m.lo == kMax ? kMax : m.lo + 1);
        case interp::CompareOp::Ne: return Number(m.lo == kMax ? m.lo - 1 : m.lo + 1);
        default: return Number(m.lo);
      }
    }
    case MatcherKind::IntRange: return Number(m.lo);
    case MatcherKind::Cidr: return {AddressText(c.cidrs[m.cidr_begin])};
  }
  return {};
}

// A value of the field that makes the matcher fail (where one exists).
FieldValue Failing(const CompiledContent& c, const CompiledMatcher& m) {
  for (std::uint32_t i = 0; i < m.literal_count; ++i) {
    if (c.literals[m.literal_begin + i].empty()) return {"\x01~unmatched"};
  }
  return {};
}

std::optional<Event> EventToReach(const CompiledContent& c, const interp::CompiledInstance& instance,
                                  std::uint32_t target, unsigned occurrence, unsigned choice, std::size_t field_count) {
  GoalBuilder builder(c, choice);
  if (!builder.Reach(instance.root, target, occurrence)) return std::nullopt;
  std::map<std::uint16_t, std::vector<Goal>> by_field;
  for (const auto& g : builder.goals) by_field[c.matchers()[g.matcher].field].push_back(g);
  Event ev(field_count);
  for (const auto& [field, goals] : by_field) {
    if (field < field_count) ev[field] = ValueFor(c, goals);
  }
  for (const auto& g : builder.goals) {
    const CompiledMatcher& m = c.matchers()[g.matcher];
    if (m.input != interp::InputUse::TwoTexts || m.field >= field_count || m.other_field >= field_count) continue;
    if (g.value) {  // copy into whichever side has no goals of its own
      if (!by_field.count(m.other_field)) {
        ev[m.other_field] = ev[m.field];
      } else if (by_field[m.field].size() == 1) {
        ev[m.field] = ev[m.other_field];
      }
    } else if (ev[m.field].text == ev[m.other_field].text) {
      ev[m.other_field].text += "\x02";
    }
  }
  return ev;
}

std::string SampleRegexMatch(std::string_view p) {
  constexpr std::size_t kMaxRegexRepeat = 1000;  // RE2 rejects larger counts (ErrorRepeatSize)
  std::string out;
  std::size_t i = 0;
  // First alternative of the whole pattern; groups handled recursively.
  const auto group_end = [&](std::size_t open) {
    int depth = 0;
    for (std::size_t k = open; k < p.size(); ++k) {
      if (p[k] == '\\') {
        ++k;
      } else if (p[k] == '[') {
        for (++k; k < p.size() && p[k] != ']'; ++k) {
          if (p[k] == '\\') ++k;
        }
      } else if (p[k] == '(') {
        ++depth;
      } else if (p[k] == ')' && --depth == 0) {
        return k;
      }
    }
    return p.size();
  };
  while (i < p.size()) {
    std::string atom;
    const char c = p[i];
    if (c == '|') break;
    if (c == '^' || c == '$') {
      ++i;
      continue;
    }
    if (c == '\\' && i + 1 < p.size()) {
      const char e = p[i + 1];
      i += 2;
      switch (e) {
        case 'd': atom = "1"; break;
        case 'D': case 'w': case 'S': atom = "a"; break;
        case 'W': atom = "-"; break;
        case 's': atom = " "; break;
        case 'b': case 'B': case 'A': case 'z': continue;
        case 't': atom = "\t"; break;
        case 'n': atom = "\n"; break;
        case 'x':
          if (i + 1 < p.size()) {
            atom = std::string(1, static_cast<char>(std::strtol(std::string(p.substr(i, 2)).c_str(), nullptr, 16)));
            i += 2;
          }
          break;
        default: atom = std::string(1, e);
      }
    } else if (c == '[') {
      std::size_t k = i + 1;
      const bool negated = k < p.size() && p[k] == '^';
      if (negated) ++k;
      if (k < p.size() && p[k] == '\\' && k + 1 < p.size()) {
        const char e = p[k + 1];
        atom = e == 'd' ? "1" : e == 's' ? " " : (e == 'w' ? "a" : std::string(1, e));
      } else if (k < p.size()) {
        atom = std::string(1, p[k]);
      }
      if (negated) atom = "\x01";
      for (k = i + 1; k < p.size() && (k == i + 1 || p[k] != ']'); ++k) {
        if (p[k] == '\\') ++k;
      }
      i = std::min(k + 1, p.size());
    } else if (c == '(') {
      const std::size_t close = group_end(i);
      std::string_view inner = p.substr(i + 1, close > i ? close - i - 1 : 0);
      if (inner.starts_with("?:")) {
        inner.remove_prefix(2);
      } else if (inner.starts_with("?")) {
        const auto colon = inner.find_first_of(":)");
        inner = colon == std::string_view::npos || inner[colon] == ')' ? std::string_view() : inner.substr(colon + 1);
      }
      atom = SampleRegexMatch(inner);
      i = std::min(close + 1, p.size());
    } else if (c == '.') {
      atom = "a";
      ++i;
    } else {
      atom = std::string(1, c);
      ++i;
    }
    std::size_t times = 1;
    if (i < p.size()) {
      if (p[i] == '*' || p[i] == '?') {
        times = 0;
        ++i;
      } else if (p[i] == '+') {
        ++i;
      } else if (p[i] == '{') {
        const auto close = p.find('}', i);
        if (close != std::string_view::npos) {
          // {n}, {n,}, {n,m}: n copies, up to RE2's own repetition limit.
          times = std::min<std::size_t>(std::strtoul(std::string(p.substr(i + 1, close - i - 1)).c_str(), nullptr, 10),
                                        kMaxRegexRepeat);
          i = close + 1;
        }
      }
      if (i < p.size() && (p[i] == '?' || p[i] == '+')) ++i;  // lazy / possessive
    }
    for (std::size_t t = 0; t < times && out.size() < limits::kMaxInputLength; ++t) out += atom;
  }
  return out;
}

}  // namespace chanval
