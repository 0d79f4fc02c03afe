#include "chanval/interpreter/evaluator.h"

#include <algorithm>
#include <bit>
#include <optional>

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/limits.h"
#include "seams.h"

namespace chanval::interp {

const char* EvalStatusName(EvalStatus s) {
  switch (s) {
    case EvalStatus::Ok: return "ok";
    case EvalStatus::InputOutOfBounds: return "input out of bounds";
    case EvalStatus::BudgetExceeded: return "per-event budget exceeded";
    case EvalStatus::UnknownTemplateType: return "no content for template type";
  }
  return "?";
}

EvalScratch::EvalScratch(const CompiledContent& content)
    : matches_(content.max_instances_per_type()),
      pattern_hits_((content.max_patterns_per_type() + 63) / 64),
      candidates_((content.max_instances_per_type() + 63) / 64),
      reached_(content.matchers().size()) {}

void EvalScratch::EnableTrace(bool on) { trace_ = on; }
void EvalScratch::ClearTrace() { std::fill(reached_.begin(), reached_.end(), 0); }

struct EvalAccess {
  static void Reset(EvalScratch& s) { s.match_count_ = 0; }
  static void Push(EvalScratch& s, const Match& m) { s.matches_[s.match_count_++] = m; }
  static std::vector<std::uint64_t>& Hits(EvalScratch& s) { return s.pattern_hits_; }
  static std::vector<std::uint64_t>& Candidates(EvalScratch& s) { return s.candidates_; }
  static std::array<std::uint64_t, 2>& FoldPartnerFields(EvalScratch& s) { return s.fold_partner_fields_; }
  static void Reach(EvalScratch& s, std::uint32_t m) {
    if (s.trace_) s.reached_[m] = 1;
  }
};

namespace {

std::string_view Clip(std::string_view v) {
  return v.size() > limits::kMaxInputLength ? v.substr(0, limits::kMaxInputLength) : v;
}

bool TextEquals(std::string_view text, std::string_view lit, bool fold) {
  return fold ? EqualsFolded(text, lit) : text == lit;
}

bool TestLiteral(MatcherKind kind, std::string_view text, std::string_view lit, bool fold) {
  switch (kind) {
    case MatcherKind::Equals:
      return TextEquals(text, lit, fold);
    case MatcherKind::Prefix:
      return text.size() >= lit.size() && TextEquals(text.substr(0, lit.size()), lit, fold);
    case MatcherKind::Suffix:
      return text.size() >= lit.size() && TextEquals(text.substr(text.size() - lit.size()), lit, fold);
    case MatcherKind::Contains:
      return fold ? ContainsFolded(text, lit) : text.find(lit) != std::string_view::npos;
    default:
      return false;
  }
}

bool InSortedSet(const CompiledContent& c, const CompiledMatcher& m, std::string_view text) {
  auto first = c.literals.begin() + m.literal_begin, last = first + m.literal_count;
  if (m.ignore_case) {
    auto it = std::partition_point(first, last, [&](const std::string& s) { return CompareFolded(text, s) > 0; });
    return it != last && CompareFolded(text, *it) == 0;
  }
  return std::binary_search(first, last, text, std::less<>{});
}

bool Compare(CompareOp op, std::int64_t a, std::int64_t b) {
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

// Everything but the literal kinds, shared by both evaluators.
bool TestNonLiteral(const CompiledContent& c, const CompiledMatcher& m, const Input& in) {
  const std::string_view text = Clip(in.text);
  switch (m.kind) {
    case MatcherKind::Wildcard:
      return true;
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
    default:
      return false;
  }
}

bool TestReference(const CompiledContent& c, const CompiledMatcher& m, const Input& in) {
  if (m.kind == MatcherKind::Equals || m.kind == MatcherKind::Prefix || m.kind == MatcherKind::Suffix ||
      m.kind == MatcherKind::Contains) {
    const std::string_view text = Clip(in.text);
    for (std::uint32_t l = 0; l < m.literal_count; ++l) {
      if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
    }
    return false;
  }
  return TestNonLiteral(c, m, in);
}

bool HitSet(const std::vector<std::uint64_t>& hits, std::uint32_t p) {
  return (hits[p >> 6] >> (p & 63)) & 1u;
}

// The reference evaluator: every matcher decided from scratch.
// Each test prices a matcher before it runs (cost.h) and says whether the
// prefilter has already ruled it out, so Run need not ask again.
struct ReferenceTest {
  const CompiledContent& c;
  std::uint64_t Price(const CompiledMatcher& m, const Input& in, bool& /*ruled_out*/) const {
    return m.price.At(in.text.size());
  }
  bool Run(const CompiledMatcher& m, const Input& in) const { return TestReference(c, m, in); }
};

// The optimized evaluator: a literal whose pattern the prefilter did not see
// cannot match, so only seen literals are verified; folded contains is
// decided by the automaton alone; a regex none of whose necessary atoms was
// seen is not run (and costs only its atom test) — unless the value holds a
// rune RE2 folds to an ASCII letter, which the automaton cannot see.
struct OptimizedTest {
  const CompiledContent& c;
  const std::vector<std::uint64_t>& hits;
  const std::array<std::uint64_t, 2>& fold_partner_fields;

  bool RegexMayMatch(const CompiledMatcher& m) const {
    if (m.kind != MatcherKind::Regex || m.atom_count == 0) return true;
    if ((fold_partner_fields[m.field >> 6] >> (m.field & 63)) & 1u) return true;
    for (std::uint32_t a = m.atom_begin; a < m.atom_begin + m.atom_count; ++a) {
      if (HitSet(hits, c.atom_patterns[a])) return true;
    }
    return false;
  }
  std::uint64_t Price(const CompiledMatcher& m, const Input& in, bool& ruled_out) const {
    ruled_out = !RegexMayMatch(m);
    return ruled_out ? m.price.fixed : m.price.At(in.text.size());
  }
  bool Run(const CompiledMatcher& m, const Input& in) const {
    const bool literal = m.kind == MatcherKind::Equals || m.kind == MatcherKind::Prefix ||
                         m.kind == MatcherKind::Suffix || m.kind == MatcherKind::Contains;
    if (!literal && !(m.kind == MatcherKind::OneOf && m.literal_count)) return TestNonLiteral(c, m, in);
    const std::string_view text = Clip(in.text);
    bool any_seen = false;
    for (std::uint32_t l = 0; l < m.literal_count; ++l) {
      const std::uint32_t p = c.literal_patterns[m.literal_begin + l];
      if (p == CompiledContent::kNoPattern) {  // empty literal: test directly
        if (m.kind == MatcherKind::OneOf) return InSortedSet(c, m, text);
        if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
        continue;
      }
      if (!HitSet(hits, p)) continue;
      any_seen = true;
      if (m.kind == MatcherKind::OneOf) continue;
      if (m.kind == MatcherKind::Contains && m.ignore_case) return true;
      if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
    }
    return m.kind == MatcherKind::OneOf && any_seen && InSortedSet(c, m, text);
  }
};

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
bool Walk(const CompiledContent& c, std::uint32_t node, Inputs inputs, EvalScratch& scratch, WalkState& st,
          const Test& test) {
  const CompiledNode& n = c.nodes[node];
  if (!st.Charge(limits::kCostNode, n.matcher, 0)) return false;
  switch (n.op) {
    case ExprOp::Matcher: {
      const CompiledMatcher& m = c.matchers()[n.matcher];
      EvalAccess::Reach(scratch, n.matcher);
      if (m.kind == MatcherKind::Wildcard) return true;  // never reads its field
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
      bool v;
      if (m.kind == MatcherKind::FieldEquals) {  // the one kind that reads two inputs
        if (!st.Charge(m.price.At(Clip(in.text).size()), n.matcher, m.field)) return false;
        const auto a = Clip(in.text), b = Clip(inputs[m.other_field].text);
        v = m.ignore_case ? EqualsIgnoringCase(a, b) : a == b;
      } else {
        bool ruled_out = false;
        if (!st.Charge(test.Price(m, in, ruled_out), n.matcher, m.field)) return false;
        v = !ruled_out && test.Run(m, in);
      }
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
bool EvalInstance(const CompiledContent& c, std::uint32_t idx, Inputs inputs, EvalScratch& scratch,
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
bool ChargeScans(const CompiledContent& c, const TypeIndex& t, Inputs inputs, EvalOutcome& out) {
  WalkState st{&out, c.profile().budgets.max_cost_per_event, t.instances.front(), 0};
  if (!st.Charge(t.selection_cost, c.instances()[t.instances.front()].matcher_begin, 0)) return false;
  for (const auto& fa : t.automata) {
    if (fa.field >= inputs.size()) continue;  // the bounds check reports it
    if (!st.Charge(ScanCost(Clip(inputs[fa.field].text).size(), fa.automaton.pattern_count()),
                   c.instances()[t.instances.front()].matcher_begin, fa.field)) {
      return false;
    }
  }
  return true;
}

// Content that reads a field this build does not supply faults here, on
// every event, before anything is read: the sensor fails closed and
// deterministically, not only on events whose evaluation reaches the read.
std::optional<EvalOutcome> UpFrontBoundsCheck(const CompiledContent& c, const TypeIndex& t, Inputs inputs) {
  if (t.fields_read > inputs.size()) {
    for (std::uint32_t idx : t.instances) {  // name the first instance (file order) and matcher
      const auto& ci = c.instances()[idx];
      for (std::uint32_t m = ci.matcher_begin; m < ci.matcher_begin + ci.matcher_count; ++m) {
        if (const auto past = ReadPastSupplied(c.matchers()[m], inputs.size())) {
          return EvalOutcome{EvalStatus::InputOutOfBounds, 0, idx, m, *past};
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

bool MatcherHoldsReference(const CompiledContent& c, const CompiledMatcher& m, const Input& in) {
  return m.kind != MatcherKind::FieldEquals && TestReference(c, m, in);
}

EvalOutcome EvaluateReference(const CompiledContent& c, std::uint16_t template_type, Inputs inputs,
                              EvalScratch& scratch) {
  EvalAccess::Reset(scratch);
  EvalOutcome out;
  const TypeIndex* t = c.FindType(template_type);
  if (!t) return {EvalStatus::UnknownTemplateType};
  if (!ChargeScans(c, *t, inputs, out)) return out;
  const ReferenceTest test{c};
  for (std::uint32_t idx : t->instances) {
    if (!EvalInstance(c, idx, inputs, scratch, out, test)) return out;
  }
  return out;
}

EvalOutcome EvaluateInstance(const CompiledContent& c, std::uint32_t instance_index, Inputs inputs,
                             EvalScratch& scratch) {
  EvalAccess::Reset(scratch);
  EvalOutcome out;
  const ReferenceTest test{c};
  EvalInstance(c, instance_index, inputs, scratch, out, test);
  return out;
}

EvalOutcome Evaluate(const CompiledContent& c, std::uint16_t template_type, Inputs inputs, EvalScratch& scratch) {
  EvalAccess::Reset(scratch);
  EvalOutcome out;
  const TypeIndex* t = c.FindType(template_type);
  if (!t) return {EvalStatus::UnknownTemplateType};
  if (auto fault = UpFrontBoundsCheck(c, *t, inputs)) return *fault;
  if (!ChargeScans(c, *t, inputs, out)) return out;

  auto& hits = EvalAccess::Hits(scratch);
  auto& fold_fields = EvalAccess::FoldPartnerFields(scratch);
  fold_fields = {};
  std::fill(hits.begin(), hits.begin() + (t->pattern_count + 63) / 64, 0);
  for (const auto& fa : t->automata) {
    const std::string_view text = Clip(inputs[fa.field].text);
    fa.automaton.Scan(text, hits.data());
    if (fa.has_regex_atoms && HasNonAsciiFoldPartner(text)) fold_fields[fa.field >> 6] |= std::uint64_t{1} << (fa.field & 63);
  }

  auto& cand = EvalAccess::Candidates(scratch);
  const std::size_t words = (t->instances.size() + 63) / 64;
  std::fill(cand.begin(), cand.begin() + words, 0);
  for (std::uint32_t pos : t->unconditional) cand[pos >> 6] |= std::uint64_t{1} << (pos & 63);
  for (std::uint32_t w = 0; w < (t->pattern_count + 63) / 64; ++w) {
    for (std::uint64_t bits = hits[w]; bits; bits &= bits - 1) {
      const std::uint32_t p = w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
      for (std::uint32_t i = t->pattern_instance_begin[p]; i < t->pattern_instance_begin[p + 1]; ++i) {
        const std::uint32_t pos = t->pattern_instances[i];
        cand[pos >> 6] |= std::uint64_t{1} << (pos & 63);
      }
    }
  }
  // Regexes on a field holding a fold partner cannot be prefiltered: their
  // instances are candidates whatever the automaton saw.
  if (fold_fields[0] | fold_fields[1]) {
    for (std::uint32_t pos : t->regex_prefiltered) cand[pos >> 6] |= std::uint64_t{1} << (pos & 63);
  }

  const OptimizedTest test{c, hits, fold_fields};
  for (std::size_t w = 0; w < words; ++w) {
    for (std::uint64_t bits = cand[w]; bits; bits &= bits - 1) {
      const std::size_t pos = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if (!EvalInstance(c, t->instances[pos], inputs, scratch, out, test)) return out;
    }
  }
  return out;
}

}  // namespace chanval::interp
