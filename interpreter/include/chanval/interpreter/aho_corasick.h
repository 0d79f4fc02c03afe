// Multi-literal search over ASCII-case-folded text: one pass over a field
// value finds every pattern it contains. The prefilter behind the optimized
// evaluator. Built once at load; matching allocates nothing.
//
// Representation: one array of 32-bit words holding a record per state, in
// breadth-first order, addressed by word offset, so a transition is one
// load into the record it reaches. The shallow states, where a scan spends
// many of its bytes, keep a full row over the byte classes: those at depth
// <= kMinDenseDepth, and deeper ones while all rows fit kDenseRowWords (a
// small automaton is then a plain DFA). Every other state keeps its failure
// link and its trie children as (class, target) pairs, so one visit reads
// one or two cache lines. A dense row for every state would be states x
// classes words: 50 MB for SigmaHQ's CommandLine patterns, rebuilt at every
// load; this way all 15 process_creation automata (124k states) take 3.8 MB,
// rows, records and report chains, built in time linear in the patterns'
// total length.
//
// Bounded by construction: Prepare() gives the exact size of the tables
// before anything is allocated (the loader checks it against the build's
// memory budget), outputs are reached through dictionary-suffix links instead
// of copied output lists, so memory is linear in the patterns' total length,
// and a scan takes per byte one transition plus, amortized, at most one
// failure step (each failure step makes the state shallower, each byte
// deepens it by at most one), each a search of at most one state's children
// (ScanWork; cost.h's ScanCost).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chanval/interpreter/hit_words.h"

namespace chanval::interp {

class AhoCorasick {
 public:
  // States at this depth or shallower always get a full transition row;
  // deeper depths do while the rows of every state down to them fit
  // kDenseRowWords (a quarter of a typical L2 cache).
  static constexpr std::size_t kMinDenseDepth = 2;
  static constexpr std::size_t kDenseRowWords = 32 * 1024;

  // Patterns are folded to lower case here; ids are the caller's, and each
  // id must be added once (the loader deduplicates patterns per field).
  void Add(std::string_view pattern, std::uint32_t id);

  struct Plan {
    std::size_t states = 0;        // trie nodes, root included
    std::size_t dense_depth = 0;   // states this deep or shallower have a full row
    std::size_t dense_states = 0;  // of which with a full row
    std::uint32_t classes = 0;     // byte classes (alphabet compression)
    std::size_t held_bytes = 0;    // what the built automaton keeps
    std::size_t build_bytes = 0;   // temporaries during Build(), freed after
  };
  // Sorts the pending patterns and sizes the automaton; allocates nothing
  // that grows with the table.
  Plan Prepare();
  // Returns false if the automaton would exceed `max_states`.
  bool Build(std::size_t max_states);
  std::size_t state_count() const { return state_count_; }
  std::size_t pattern_count() const { return pattern_count_; }
  std::size_t held_bytes() const;

  // What one scan did: report nodes visited (at most pattern_count(): a
  // node whose pattern is already set had the rest of its chain reported
  // then, so the walk stops there) and failure steps taken (at
  // most the text's length).
  struct ScanWork {
    std::size_t reported_states = 0;
    std::size_t failure_steps = 0;
  };

  // A scan in progress: Step takes the text's next byte. A byte's
  // transition waits on the load of the last one's, so a lone scan leaves
  // the core idle through each cache miss; the evaluator steps three
  // cursors (three fields' automata) in one loop so that their misses
  // overlap (ScanFields in evaluator.cpp). Each
  // cursor does exactly the work its own Scan would: pattern ids are
  // disjoint across automata, so neither's reports stop the other's chains.
  // The evaluator's cursors do not count that work (kCountsWork false):
  // three lanes' counters spilled a lane's state to the stack.
  template <bool kCountsWork = true>
  class Cursor {
   public:
    Cursor() = default;  // steps nothing until assigned one over an automaton
    explicit Cursor(const AhoCorasick& ac)
        : words_(ac.words_.data()), nodes_(ac.nodes_.data()), byte_class_(ac.byte_class_.data()),
          dense_end_(ac.dense_end_) {}

    void Step(unsigned char c, HitWords hits) {
      const std::uint32_t a = byte_class_[c];
      if (a == 0) {  // a byte in no pattern: every state goes back to the root
        at_ = 0;
        return;
      }
      std::uint32_t next;
      for (;;) {
        if (at_ < dense_end_) {
          next = words_[at_ + kRow + a];
          break;
        }
        next = Child(words_ + at_, a);
        if (next != kNone) break;
        at_ = words_[at_ + kFail];
        if constexpr (kCountsWork) ++work_.failure_steps;
      }
      at_ = next & ~kHasOutput;
      if (next & kHasOutput) {
        const std::size_t reported = Report(nodes_, words_[at_ + kReport], hits);
        if constexpr (kCountsWork) work_.reported_states += reported;
      }
    }
    const ScanWork& work() const { return work_; }

   private:
    const std::uint32_t* words_ = nullptr;
    const std::uint32_t* nodes_ = nullptr;
    const std::uint8_t* byte_class_ = nullptr;
    std::uint32_t dense_end_ = 0;
    std::uint32_t at_ = 0;  // the current state's record
    ScanWork work_;
  };

  // Sets bit `id` in `hits` for every pattern the text contains. The caller
  // clears `hits` per event.
  ScanWork Scan(std::string_view text, HitWords hits) const {
    Cursor<> cursor(*this);
    for (unsigned char c : text) cursor.Step(c, hits);
    return cursor.work();
  }

 private:
  // Record layout. Dense: [report node][target per class]. Sparse: [report
  // node][failure record][child count][(class, target) per child, by class].
  // Targets are record offsets, | kHasOutput when that state reports; the
  // report node is the first of its chain in nodes_.
  static constexpr std::uint32_t kReport = 0, kRow = 1, kFail = 1, kChildCount = 2, kChildren = 3;
  static constexpr std::uint32_t kHasOutput = 0x80000000u;
  static constexpr std::uint32_t kNone = 0xffffffffu;  // no child on this class
  static constexpr std::uint32_t kLinearChildren = 8;  // above this, binary search

  // The child of a sparse state on class `a` (its target word), or kNone.
  static std::uint32_t Child(const std::uint32_t* record, std::uint32_t a) {
    const std::uint32_t* pairs = record + kChildren;
    std::uint32_t lo = 0, hi = record[kChildCount];
    while (hi - lo > kLinearChildren) {
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (pairs[2 * mid] <= a) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    for (; lo < hi; ++lo) {
      if (pairs[2 * lo] == a) return pairs[2 * lo + 1];
    }
    return kNone;
  }
  void SortPending();
  // Sets the patterns of the chain from `node`; 1 in 4 bytes of a SigmaHQ
  // command line reports, so a visit reads one node, not three arrays.
  static std::size_t Report(const std::uint32_t* nodes, std::uint32_t node, HitWords hits) {
    std::size_t visited = 0;
    for (; node != 0; node = nodes[2 * node + 1]) {
      const std::uint32_t id = nodes[2 * node];
      if (hits.Has(id)) break;
      hits.Set(id);
      ++visited;
    }
    return visited;
  }

  std::vector<std::pair<std::string, std::uint32_t>> pending_;  // sorted by Prepare()
  Plan plan_;
  std::vector<std::uint32_t> depth_counts_;  // Prepare(): trie states per depth, for Build()
  std::size_t plan_words_ = 0;  // words_.size() once built
  bool prepared_ = false;
  std::array<std::uint8_t, 256> byte_class_{};  // classes numbered in folded byte order
  std::uint32_t class_count_ = 1;
  std::uint32_t state_count_ = 0;
  std::uint32_t dense_end_ = 0;          // records below this offset are dense
  std::vector<std::uint32_t> words_;     // the state records
  std::vector<std::uint32_t> nodes_;     // report chains: [pattern id][next node]; node 0 is none
  std::size_t pattern_count_ = 0;
};

}  // namespace chanval::interp
