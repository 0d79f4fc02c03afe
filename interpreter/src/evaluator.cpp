// Evaluate (evaluator.h): the sensor's optimized evaluator, and the
// scratch it runs in. Tests: tests/test_interpreter.cpp, test_no_alloc.cpp,
// test_guard.cpp; fuzz_differential and fuzz_soundness against the
// reference evaluator (reference_evaluator.cpp).
#include "chanval/interpreter/evaluator.h"

#include <algorithm>
#include <array>

#include "evaluation.h"

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

namespace {

// The element counts of EvalScratch's arrays, in the order of its members.
// The pattern hits hold a type's hit words, then their marks, and the
// candidates their words, then theirs (hit_words.h).
struct ScratchCounts {
  std::size_t matches, pattern_hit_words, pattern_mark_words, candidate_words, candidate_mark_words, walk_list,
      reached;
};

ScratchCounts CountsFor(const CompiledContent& content) {
  const std::size_t patterns = content.max_patterns_per_type(), instances = content.max_instances_per_type();
  return {instances,
          HitWords::WordsFor(patterns),
          HitWords::MarkWordsFor(patterns),
          HitWords::WordsFor(instances),
          HitWords::MarkWordsFor(instances),
          instances,
          content.matchers().size()};
}

}  // namespace

EvalScratch::EvalScratch(const CompiledContent& content) {
  const ScratchCounts n = CountsFor(content);
  matches_.resize(n.matches);
  pattern_hits_.resize(n.pattern_hit_words + n.pattern_mark_words);
  candidates_.resize(n.candidate_words + n.candidate_mark_words);
  walk_list_.resize(n.walk_list);
  reached_.resize(n.reached);
}

std::uint64_t EvalScratch::BytesFor(const CompiledContent& content) {
  const ScratchCounts n = CountsFor(content);
  return n.matches * sizeof(decltype(matches_)::value_type) +
         (n.pattern_hit_words + n.pattern_mark_words) * sizeof(decltype(pattern_hits_)::value_type) +
         (n.candidate_words + n.candidate_mark_words) * sizeof(decltype(candidates_)::value_type) +
         n.walk_list * sizeof(decltype(walk_list_)::value_type) + n.reached * sizeof(decltype(reached_)::value_type);
}

void EvalScratch::EnableTrace(bool on) { trace_ = on; }
void EvalScratch::ClearTrace(std::uint32_t first, std::uint32_t count) {
  const std::size_t from = std::min<std::size_t>(first, reached_.size());
  std::fill(reached_.begin() + static_cast<std::ptrdiff_t>(from),
            reached_.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(from + count, reached_.size())), 0);
}

namespace {
using namespace evaluation;

// Bit s set for each subset s (of up to six atoms) lacking atom a.
constexpr std::array<std::uint64_t, RegexPool::kMaxTabledAtoms> kSubsetsWithout = [] {
  std::array<std::uint64_t, RegexPool::kMaxTabledAtoms> out{};
  for (std::size_t a = 0; a < out.size(); ++a) {
    for (std::uint32_t s = 0; s < 64; ++s) {
      if (!((s >> a) & 1u)) out[a] |= std::uint64_t{1} << s;
    }
  }
  return out;
}();

// The optimized evaluator: a literal whose pattern the prefilter did not see
// cannot match, so only seen literals are verified; folded contains is
// decided by the automaton alone; a regex whose atoms seen fail RE2's
// prefilter (for many atoms: none seen) is not run, and costs only its atom
// test — unless the value holds a rune RE2 folds to an ASCII letter, which
// the automaton cannot see.
struct OptimizedTest {
  const CompiledContent& c;
  const std::vector<std::uint64_t>& hits;
  const std::array<std::uint64_t, 2>& fold_partner_fields;

  bool RegexMayMatch(const CompiledMatcher& m) const {
    if (m.prefilter != PrefilterUse::RegexAtoms || m.atom_count == 0) return true;
    if ((fold_partner_fields[m.field >> 6] >> (m.field & 63)) & 1u) return true;
    if (m.atom_count <= RegexPool::kMaxTabledAtoms) {  // RE2's AND/OR tree, as a truth table
      std::uint32_t present = 0;
      for (std::uint32_t a = 0; a < m.atom_count; ++a) {
        present |= static_cast<std::uint32_t>(HitWords::Has(hits.data(), c.atom_patterns[m.atom_begin + a])) << a;
      }
      return (m.atom_table >> present) & 1u;
    }
    for (std::uint32_t a = m.atom_begin; a < m.atom_begin + m.atom_count; ++a) {
      if (HitWords::Has(hits.data(), c.atom_patterns[a])) return true;
    }
    return false;
  }
  // RegexValueSearch: the short atoms the value holds, through RE2's table;
  // an absent atom no passing subset lacks decides at once.
  bool ShortAtomsAllow(const CompiledMatcher& m, std::string_view text) const {
    std::uint32_t present = 0;
    for (std::uint32_t a = 0; a < m.atom_count; ++a) {
      if (SearchFolded(text, c.short_atoms[m.atom_begin + a])) {
        present |= 1u << a;
      } else if ((m.atom_table & kSubsetsWithout[a]) == 0) {
        return false;
      }
    }
    return (m.atom_table >> present) & 1u;
  }
  // RegexValueSearch: its short atoms, then its class run. Fold partners
  // need no test here: no short atom and no gate class holds s or k when
  // case is folded (regex_pool.cpp, class_gate.cpp).
  bool ValueAllows(const CompiledMatcher& m, std::string_view text) const {
    if (m.atom_count && !ShortAtomsAllow(m, text)) return false;
    return m.class_gate == CompiledMatcher::kNoClassGate || c.class_gates[m.class_gate]->MayMatch(text);
  }
  // The price of the prefilter's search of the value, charged first; the
  // rest of the regex's price only if it lets the regex run.
  static std::uint64_t ValueSearchPrice(const CompiledMatcher& m, std::size_t length) {
    return m.price.fixed + std::uint64_t{m.value_search_bytes} * (std::min(length, limits::kMaxInputLength) + 1);
  }
  std::uint64_t Price(const CompiledMatcher& m, const Input& in, bool& ruled_out) const {
    if (m.prefilter == PrefilterUse::RegexValueSearch) {
      ruled_out = false;
      return ValueSearchPrice(m, in.text.size());
    }
    ruled_out = !RegexMayMatch(m);
    return ruled_out ? m.price.fixed : m.price.At(in.text.size());
  }
  bool Run(const CompiledMatcher& m, const Input& in, const Input& other, WalkState& st, std::uint32_t matcher) const {
    if (m.prefilter == PrefilterUse::RegexValueSearch) {
      if (!ValueAllows(m, Clip(in.text))) return false;
      const std::uint64_t searched = ValueSearchPrice(m, in.text.size());
      return st.Charge(m.price.At(in.text.size()) - searched, matcher, m.field) && Matches(c, m, in, other);
    }
    if (m.prefilter == PrefilterUse::None || m.prefilter == PrefilterUse::RegexAtoms) return Matches(c, m, in, other);
    const bool set = m.prefilter == PrefilterUse::LiteralSet;
    const std::string_view text = Clip(in.text);
    bool any_seen = false;
    for (std::uint32_t l = 0; l < m.literal_count; ++l) {
      const std::uint32_t p = c.literal_patterns[m.literal_begin + l];
      if (p == CompiledContent::kNoPattern) {  // empty literal: test directly
        if (set) return InSortedSet(c, m, text);
        if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
        continue;
      }
      if (!HitWords::Has(hits.data(), p)) continue;
      any_seen = true;
      if (set) continue;
      if (m.prefilter == PrefilterUse::DecidedByHits) return true;
      if (TestLiteral(m.kind, text, c.literals[m.literal_begin + l], m.ignore_case)) return true;
    }
    return set && any_seen && InSortedSet(c, m, text);
  }
};

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

// Every pre-check clause of the candidate at `pos` has a pattern seen.
bool PassesPrecheck(const TypeIndex& t, std::uint32_t pos, const std::vector<std::uint64_t>& hits) {
  for (std::uint32_t i = t.precheck_begin[pos], end = t.precheck_begin[pos + 1]; i < end;) {
    const std::uint32_t n = t.precheck[i++];
    bool seen = false;
    for (std::uint32_t j = 0; j < n && !seen; ++j) seen = HitWords::Has(hits.data(), t.precheck[i + j]);
    if (!seen) return false;
    i += n;
  }
  return true;
}

// Whether a pattern seen makes the condition of the candidate at `pos`
// false (TypeIndex::blocking).
bool RuledOutByHit(const TypeIndex& t, std::uint32_t pos, const std::vector<std::uint64_t>& hits) {
  for (std::uint32_t i = t.blocking_begin[pos], end = t.blocking_begin[pos + 1]; i < end; ++i) {
    if (HitWords::Has(hits.data(), t.blocking[i])) return true;
  }
  return false;
}

// A hint only: the walk reads what it reads whether or not this ran. Its
// first reads, the root node and the first matcher; fetching more lines of
// each instance measured slower (bench/README, issue 12 sixth steps).
// An instance may have no matchers (and content no nodes): only elements
// that exist are named (fuzz_structured found `matchers()[begin]` taken on
// an empty vector).
void FetchAhead(const CompiledContent& c, const CompiledInstance& ci) {
  if (ci.root < c.nodes.size()) __builtin_prefetch(c.nodes.data() + ci.root);
  if (ci.matcher_count != 0) __builtin_prefetch(c.matchers().data() + ci.matcher_begin);
}

}  // namespace

// Every field's literal search, three automata at a time: each lane takes
// the next field when its last one ends, and the lanes are stepped byte for
// byte in one loop so that their cache misses overlap
// (AhoCorasick::Cursor). Each automaton does the same work as scanned
// alone, so ScanCost's charge stands. Sampled scans take their field whole:
// they read few of its bytes. Three lanes measured best on SigmaHQ's
// process_creation automata over real events (bench/README, issue 12
// eleventh steps): 15% less than one, 10% less than two, and four no better.
//
// The lanes are three named locals, not an array, and a lane out of fields
// drops the loop to two lanes and then one: an array kept each lane's state
// in memory (a store-to-load forward on its chain), and copying the lanes
// in and out of registers at each field's end cost more than the steps of
// a no-op automaton (bench/README, issue 12 twelfth steps).
void ScanFields(const TypeIndex& t, Inputs inputs, HitWords hits) {
  struct Lane {
    AhoCorasick::Cursor<false> cursor;
    const unsigned char* at = nullptr;
    const unsigned char* end = nullptr;
  };
  const TypeIndex::FieldAutomaton* next = t.automata.data();
  const TypeIndex::FieldAutomaton* const last = next + t.automata.size();
  const auto take_next = [&](Lane& lane) {  // false once every field is taken
    while (next != last) {
      const auto& fa = *next++;
      const std::string_view text = Clip(inputs[fa.field].text);
      if (fa.sampled.built()) {
        fa.sampled.Scan(text, hits);
        continue;
      }
      if (text.empty()) continue;
      lane.cursor = AhoCorasick::Cursor<false>(fa.automaton);
      lane.at = reinterpret_cast<const unsigned char*>(text.data());
      lane.end = lane.at + text.size();
      return true;
    }
    return false;
  };
  Lane a, b, c;
  if (!take_next(a)) return;
  if (take_next(b)) {
    if (take_next(c)) {
      for (;;) {
        const std::ptrdiff_t n = std::min({a.end - a.at, b.end - b.at, c.end - c.at});
        for (std::ptrdiff_t i = 0; i < n; ++i) {
          a.cursor.Step(a.at[i], hits);
          b.cursor.Step(b.at[i], hits);
          c.cursor.Step(c.at[i], hits);
        }
        a.at += n;
        b.at += n;
        c.at += n;
        // No field left: the lane that ended takes c's place, and the
        // others finish in two lanes.
        if (a.at == a.end && !take_next(a)) {
          a = c;
          break;
        }
        if (b.at == b.end && !take_next(b)) {
          b = c;
          break;
        }
        if (c.at == c.end && !take_next(c)) break;
      }
    }
    for (;;) {  // every field is taken; a lane may already be at its end
      const std::ptrdiff_t n = std::min(a.end - a.at, b.end - b.at);
      for (std::ptrdiff_t i = 0; i < n; ++i) {
        a.cursor.Step(a.at[i], hits);
        b.cursor.Step(b.at[i], hits);
      }
      a.at += n;
      b.at += n;
      if (a.at == a.end) {
        a = b;
        break;
      }
      if (b.at == b.end) break;
    }
  }
  for (; a.at != a.end; ++a.at) a.cursor.Step(*a.at, hits);
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
  // The last event's hits and candidates, whichever type it had and
  // wherever it stopped, are in the words their marks name: only those are
  // cleared, so an event's selection costs what it selects, not the type's
  // size (`check` runs the entry point once per synthesized event).
  const ScratchCounts counts = CountsFor(c);
  const HitWords found(hits.data(), hits.data() + counts.pattern_hit_words);
  found.ClearMarked(counts.pattern_mark_words);
  ScanFields(*t, inputs, found);
  for (const auto& fa : t->automata) {
    if (fa.has_regex_atoms && HasNonAsciiFoldPartner(Clip(inputs[fa.field].text))) {
      fold_fields[fa.field >> 6] |= std::uint64_t{1} << (fa.field & 63);
    }
  }

  auto& cand = EvalAccess::Candidates(scratch);
  const HitWords selected(cand.data(), cand.data() + counts.candidate_words);
  selected.ClearMarked(counts.candidate_mark_words);
  for (std::uint32_t pos : t->unconditional) selected.Set(pos);
  // Each hit pattern's instance list starts with a load from a table the
  // scan's automata have pushed out of the cache: fetching every hit's
  // entry first overlaps those misses (bench/README, issue 12 fourteenth steps).
  found.ForEachMarkedWord(HitWords::MarkWordsFor(t->pattern_count), [&](std::size_t w) {
    for (std::uint64_t bits = hits[w]; bits; bits &= bits - 1) {
      __builtin_prefetch(t->pattern_instance_begin.data() + w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
    }
  });
  found.ForEachMarkedWord(HitWords::MarkWordsFor(t->pattern_count), [&](std::size_t w) {
    for (std::uint64_t bits = hits[w]; bits; bits &= bits - 1) {
      const auto p = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
      for (std::uint32_t i = t->pattern_instance_begin[p]; i < t->pattern_instance_begin[p + 1]; ++i) {
        selected.Set(t->pattern_instances[i]);
      }
    }
  });
  // Regexes on a field holding a fold partner cannot be prefiltered: their
  // instances are candidates whatever the automaton saw, and the pre-check
  // (whose clauses hold regex atoms) is off.
  const bool fold_partner = (fold_fields[0] | fold_fields[1]) != 0;
  if (fold_partner) {
    for (std::uint32_t pos : t->regex_prefiltered) selected.Set(pos);
  }

  // The candidates to walk, listed first and their records fetched ahead:
  // each walk starts from an instance's nodes and matchers, scattered over
  // the content, and fetching them together overlaps their cache misses
  // instead of taking them one walk at a time.
  auto& list = EvalAccess::WalkList(scratch);
  std::size_t listed = 0;
  selected.ForEachMarkedWord(HitWords::MarkWordsFor(t->instances.size()), [&](std::size_t w) {
    for (std::uint64_t bits = cand[w]; bits; bits &= bits - 1) {
      const auto pos = static_cast<std::uint32_t>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
      if (!fold_partner && !PassesPrecheck(*t, pos, hits)) continue;  // paid for in selection_cost
      // Whatever the fold partners: a case-folded contains' hit decides it
      // in the walk too (OptimizedTest::Run).
      if (RuledOutByHit(*t, pos, hits)) continue;  // so is this
      list[listed++] = pos;
      FetchAhead(c, c.instances()[t->instances[pos]]);
    }
  });
  const OptimizedTest test{c, hits, fold_fields};
  for (std::size_t i = 0; i < listed; ++i) {
    if (!EvalInstance(c, t->instances[list[i]], inputs, scratch, out, test)) return out;
  }
  return out;
}

}  // namespace chanval::interp
