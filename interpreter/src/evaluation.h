// The evaluation machinery both evaluators share, internal to the
// interpreter's sources: matching of one matcher, the charged, memoized walk
// of a condition, and the prefilter scan charge. The optimized evaluator
// (evaluator.cpp, in the sensor library) and the reference evaluator
// (reference_evaluator.cpp, its own library) include it, so they differ only
// in the Test each passes to the walk. Everything is inline: the hot path
// keeps its inlining.
#pragma once
#include <algorithm>
#include <bit>
#include <optional>

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/limits.h"
#include "seams.h"

namespace chanval::interp {

struct EvalAccess {
  static void Reset(EvalScratch& s) { s.match_count_ = 0; }
  static void Push(EvalScratch& s, const Match& m) { s.matches_[s.match_count_++] = m; }
  static std::vector<std::uint64_t>& Hits(EvalScratch& s) { return s.pattern_hits_; }
  static std::vector<std::uint64_t>& Candidates(EvalScratch& s) { return s.candidates_; }
  static std::vector<std::uint32_t>& WalkList(EvalScratch& s) { return s.walk_list_; }
  static std::array<std::uint64_t, 2>& FoldPartnerFields(EvalScratch& s) { return s.fold_partner_fields_; }
  static void Reach(EvalScratch& s, std::uint32_t m) {
    if (s.trace_) s.reached_[m] = 1;
  }
};

namespace evaluation {

inline std::string_view Clip(std::string_view v) {
  return v.size() > limits::kMaxInputLength ? v.substr(0, limits::kMaxInputLength) : v;
}

inline bool TextEquals(std::string_view text, std::string_view lit, bool fold) {
  return fold ? EqualsFolded(text, lit) : text == lit;
}

// The match functions, one case per kind. No default: a kind without its
// case does not compile (-Werror=switch).

// One literal of a literal kind (ValueSyntax::Literal).
inline bool TestLiteral(MatcherKind kind, std::string_view text, std::string_view lit, bool fold) {
  switch (kind) {
    case MatcherKind::Equals:
      return TextEquals(text, lit, fold);
    case MatcherKind::Prefix:
      return text.size() >= lit.size() && TextEquals(text.substr(0, lit.size()), lit, fold);
    case MatcherKind::Suffix:
      return text.size() >= lit.size() && TextEquals(text.substr(text.size() - lit.size()), lit, fold);
    case MatcherKind::Contains:
      return fold ? ContainsFolded(text, lit) : text.find(lit) != std::string_view::npos;
    case MatcherKind::Wildcard:
    case MatcherKind::Regex:
    case MatcherKind::IntCompare:
    case MatcherKind::IntRange:
    case MatcherKind::OneOf:
    case MatcherKind::Cidr:
    case MatcherKind::FieldEquals:
      return false;  // not tested literal by literal
  }
  return false;
}

inline bool InSortedSet(const CompiledContent& c, const CompiledMatcher& m, std::string_view text) {
  auto first = c.literals.begin() + m.literal_begin, last = first + m.literal_count;
  if (m.ignore_case) {
    auto it = std::partition_point(first, last, [&](const std::string& s) { return CompareFolded(text, s) > 0; });
    return it != last && CompareFolded(text, *it) == 0;
  }
  return std::binary_search(first, last, text, std::less<>{});
}

inline bool Compare(CompareOp op, std::int64_t a, std::int64_t b) {
  switch (op) {
    case CompareOp::Eq: return a == b;
    case CompareOp::Ne: return a != b;
    case CompareOp::Lt: return a < b;
    case CompareOp::Le: return a <= b;
    case CompareOp::Gt: return a > b;
    case CompareOp::Ge: return a >= b;
  }
  return false;
}

// A matcher decided from scratch: the reference evaluator's test, and the
// optimized evaluator's for whatever its prefilter does not gate. `other` is
// the second input of a kind that reads two (InputUse::TwoTexts).
inline bool Matches(const CompiledContent& c, const CompiledMatcher& m, const Input& in, const Input& other) {
  const std::string_view text = Clip(in.text);
  switch (m.kind) {
    case MatcherKind::Wildcard:
      return true;
    case MatcherKind::Equals:
    case MatcherKind::Prefix:
    case MatcherKind::Suffix:
    case MatcherKind::Contains:
      for (std::uint32_t l = 0; l < m.literal_count; ++l) {
        if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
      }
      return false;
    case MatcherKind::Regex:
      return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *c.regexes[m.regex]);
    case MatcherKind::IntCompare:
      return in.has_number && Compare(m.op, in.number, m.lo);
    case MatcherKind::IntRange:
      return in.has_number && m.lo <= in.number && in.number <= m.hi;
    case MatcherKind::OneOf:
      if (m.int_count) {
        return in.has_number && std::binary_search(c.ints.begin() + m.int_begin,
                                                   c.ints.begin() + m.int_begin + m.int_count, in.number);
      }
      return InSortedSet(c, m, text);
    case MatcherKind::Cidr: {
      const auto addr = ParseAddress(text);
      if (!addr) return false;
      for (std::uint32_t b = 0; b < m.cidr_count; ++b) {
        if (CidrContains(c.cidrs[m.cidr_begin + b], *addr)) return true;
      }
      return false;
    }
    case MatcherKind::FieldEquals: {
      const auto b = Clip(other.text);
      return m.ignore_case ? EqualsIgnoringCase(text, b) : text == b;
    }
  }
  return false;
}

// Short-circuit walk of a condition. Each node visited and each matcher run
// is charged (cost.h) *before* it runs, so a budget fault stops evaluation
// inside the budget. A matcher referenced several times is run once per
// instance and its value reused (two 64-bit masks: at most 64 matchers per
// instance), so its price counts once, as in the static bound.
struct WalkState {
  EvalOutcome* outcome;
  std::uint64_t budget;
  std::uint32_t instance_index;
  std::uint32_t matcher_begin;
  std::uint64_t known = 0, value = 0;  // memo, bit = matcher index within the instance
  bool stopped = false;

  bool Charge(std::uint64_t units, std::uint32_t matcher, std::uint16_t field) {
    if (units > budget || outcome->cost > budget - units) {
      *outcome = {EvalStatus::BudgetExceeded, AddCost(outcome->cost, units), instance_index, matcher, field};
      stopped = true;
      return false;
    }
    outcome->cost += units;
    return true;
  }
};
static_assert(limits::kMaxMatchersPerInstance <= 64, "the walk's memo masks hold one bit per matcher");

template <typename Test>
inline bool Walk(const CompiledContent& c, std::uint32_t node, Inputs inputs, EvalScratch& scratch, WalkState& st,
          const Test& test) {
  const CompiledNode& n = c.nodes[node];
  if (!st.Charge(limits::kCostNode, n.matcher, 0)) return false;
  switch (n.op) {
    case ExprOp::Matcher: {
      const CompiledMatcher& m = c.matchers()[n.matcher];
      EvalAccess::Reach(scratch, n.matcher);
      if (m.input == InputUse::None) return true;  // never reads its field
      // A matcher reads at most `field` and `other_field`: only one naming an
      // input past the end needs the bounds check's verdict (an out-of-line
      // seam, kept off the common path).
      if (std::max(m.field, m.other_field) >= inputs.size()) {
        if (const auto past = ReadPastSupplied(m, inputs.size())) {
          *st.outcome = {EvalStatus::InputOutOfBounds, st.outcome->cost, st.instance_index, n.matcher, *past};
          st.stopped = true;
          return false;
        }
      }
      const std::uint64_t bit = std::uint64_t{1} << (n.matcher - st.matcher_begin);
      if (st.known & bit) return (st.value & bit) != 0;
      const Input& in = inputs[m.field];
      const Input& other = m.input == InputUse::TwoTexts ? inputs[m.other_field] : in;
      bool ruled_out = false;
      if (!st.Charge(test.Price(m, in, ruled_out), n.matcher, m.field)) return false;
      const bool v = !ruled_out && test.Run(m, in, other, st, n.matcher);  // may charge a second part
      if (st.stopped) return false;
      st.known |= bit;
      if (v) st.value |= bit;
      return v;
    }
    case ExprOp::And:
      for (std::uint32_t i = 0; i < n.child_count; ++i) {
        if (!Walk(c, c.node_children[n.child_begin + i], inputs, scratch, st, test) || st.stopped) return false;
      }
      return true;
    case ExprOp::Or:
      for (std::uint32_t i = 0; i < n.child_count; ++i) {
        const bool v = Walk(c, c.node_children[n.child_begin + i], inputs, scratch, st, test);
        if (st.stopped) return false;
        if (v) return true;
      }
      return false;
    case ExprOp::Not: {
      const bool v = Walk(c, c.node_children[n.child_begin], inputs, scratch, st, test);
      return !st.stopped && !v;
    }
  }
  return false;
}

template <typename Test>
inline bool EvalInstance(const CompiledContent& c, std::uint32_t idx, Inputs inputs, EvalScratch& scratch,
                  EvalOutcome& out, const Test& test) {
  const CompiledInstance& ci = c.instances()[idx];
  WalkState st{&out, c.profile().budgets.max_cost_per_event, idx, ci.matcher_begin};
  const bool matched = Walk(c, ci.root, inputs, scratch, st, test);
  if (st.stopped) return false;
  if (matched) EvalAccess::Push(scratch, {idx, ci.id, ci.action, ci.severity});
  return true;
}

// The prefilter passes, charged before they run (both evaluators charge them,
// so both stop at the same budget).
inline bool ChargeScans(const CompiledContent& c, const TypeIndex& t, Inputs inputs, EvalOutcome& out) {
  WalkState st{&out, c.profile().budgets.max_cost_per_event, t.instances.front(), 0};
  if (!st.Charge(t.selection_cost, c.instances()[t.instances.front()].matcher_begin, 0)) return false;
  for (const auto& fa : t.automata) {
    if (fa.field >= inputs.size()) continue;  // the bounds check reports it
    if (!st.Charge(ScanCost(Clip(inputs[fa.field].text).size(), fa.pattern_count),
                   c.instances()[t.instances.front()].matcher_begin, fa.field)) {
      return false;
    }
  }
  return true;
}

}  // namespace evaluation
}  // namespace chanval::interp
