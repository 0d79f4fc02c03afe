// Necessary clauses of a condition: sets of pattern ids of which at least
// one must be seen by the type's automata for the condition to hold. The
// loader selects each instance by one clause (the instance is listed under
// each of its patterns; the clause is the least common, ChooseSelecting) and
// the evaluator pre-checks the others over the hit bits before it walks a
// candidate (evaluator.cpp, PassesPrecheck).
//
// Where they come from:
// - a literal matcher: its patterns (a literal without one, none);
// - a regex whose RE2 prefilter is kept as a truth table over its atoms: the
//   minimal sets of atoms every passing row holds one of (AND(a, b) gives
//   {a} and {b}, not only "a or b"); above kMaxTabledAtoms atoms, one
//   clause of them all;
// - and: every child's; or: the unions of one clause per child (the product),
//   besides the union of each child's best clause; not: none.
// Dropping a clause is always sound (an instance is only walked more), so
// the product is bounded: kMaxProductInputs clauses per child, unions of at
// most kMaxProductClauseSize patterns, kMaxClausesPerNode per node, and a
// work budget per instance in proportion to its nodes, so the load stays
// linear in the file. Tests: tests/test_interpreter.cpp ("candidate
// pre-check ...", "... nested conditions and regexes with AND-ed atoms"),
// tests/test_resources.cpp ("the or-product's bounds ..."); fuzz_differential
// and fuzz_soundness hold the optimized evaluator to the reference one.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "chanval/interpreter/content.h"

namespace chanval::interp {

class NecessaryClauses {
 public:
  using Clause = std::vector<std::uint32_t>;  // sorted, distinct pattern ids

  static constexpr std::size_t kMaxProductInputs = 4;
  static constexpr std::size_t kMaxProductClauseSize = 32;
  static constexpr std::size_t kMaxClausesPerNode = 64;
  static constexpr std::size_t kProductWorkPerNode = 32;  // pattern ids merged, per node of the instance

  // `pattern_length`: the text length of each of the type's pattern ids;
  // between clauses of one size, the one whose shortest pattern is longer
  // is taken first (a short pattern is seen more often).
  NecessaryClauses(const CompiledContent& content, std::span<const std::uint32_t> pattern_length)
      : c_(content), pattern_length_(pattern_length) {}

  struct Found {
    std::optional<Clause> selecting;  // none: the instance is walked on every event
    std::vector<Clause> others;       // for the pre-check, best first, the selecting one excluded
  };
  // `nodes`: the instance's node count (its work budget).
  Found ForInstance(std::uint32_t root, std::size_t nodes);

  // Makes the selecting clause the one of `found`'s clauses whose patterns
  // are likely seen least often: the least sum, over its patterns, of the
  // type's clauses naming the pattern (`uses`: a pattern many rules name
  // is a common binary or switch) over one plus its length (a short
  // pattern occurs in more text). Any necessary clause may select, so this
  // only moves work between selection and the pre-check; on SigmaHQ's
  // process_creation over 10,000 recorded events it cut the conditional
  // candidates from 19.75 to 12.65 an event (bench/README, issue 12
  // thirteenth steps). Ties keep the earlier clause.
  void ChooseSelecting(Found& found, std::span<const std::uint32_t> uses) const;

  // Patterns any one of which, seen, makes the condition false: the
  // patterns of a case-folded `contains` (whose hit alone decides it,
  // PrefilterUse::DecidedByHits) under a not, reached through and (any
  // child false) and, under the not, or (any child true). Sigma's
  // `selection and not filter` gives the filter's; SigmaHQ's "Execution Of
  // Non-Existing File" (`not Image contains '\'`), walked on every event
  // for want of a necessary clause, is ruled out by its one pattern. Each
  // node is read once. Sorted, distinct; empty when none is known.
  Clause Blocking(std::uint32_t root) const;

 private:
  // The patterns whose hit makes `node` false (`negated` false) or true.
  void CollectBlocking(std::uint32_t node, bool negated, Clause& out) const;
  // A node's clauses, best first (the first is the one it is selected by),
  // at most kMaxClausesPerNode; empty when the node can hold without any
  // pattern seen.
  std::vector<Clause> Expand(std::uint32_t node);
  std::vector<Clause> OfMatcher(const CompiledMatcher& m) const;
  std::vector<Clause> Product(const std::vector<Clause>& left, const std::vector<Clause>& right);
  std::uint32_t ShortestPattern(const Clause& c) const;
  void KeepBest(std::vector<Clause>& clauses, std::size_t count);

  const CompiledContent& c_;
  std::span<const std::uint32_t> pattern_length_;
  std::size_t work_left_ = 0;
  // Scratch reused across nodes: the load allocated per union and per sort.
  struct Key {
    std::size_t size;
    std::uint32_t shortest;
    std::uint32_t index;
  };
  std::vector<Key> keys_;
  std::vector<Clause> kept_;
  Clause union_;
};

}  // namespace chanval::interp
