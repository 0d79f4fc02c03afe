// Multi-literal search over ASCII-case-folded text: one pass over a field
// value finds every pattern it contains. The prefilter behind the optimized
// evaluator. Built once at load; matching allocates nothing.
//
// Bounded by construction: Plan() gives the exact size of the table before
// anything is allocated (the loader checks it against the build's memory
// budget), the table is built once in its final breadth-first order, and
// outputs are reached through dictionary-suffix links instead of copied
// output lists, so memory is linear in the patterns' total length and a
// scan costs at most text length + pattern count steps (Scan()).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace chanval::interp {

class AhoCorasick {
 public:
  // Patterns are folded to lower case here; ids are the caller's, and each
  // id must be added once (the loader deduplicates patterns per field).
  void Add(std::string_view pattern, std::uint32_t id);

  struct Plan {
    std::size_t states = 0;       // trie nodes, root included
    std::uint32_t classes = 0;    // byte classes (alphabet compression)
    std::size_t held_bytes = 0;   // what the built automaton keeps
    std::size_t build_bytes = 0;  // temporaries during Build(), freed after
  };
  // Sorts the pending patterns and sizes the automaton; allocates nothing
  // that grows with the table.
  Plan Prepare();
  // Returns false if the automaton would exceed `max_states`.
  bool Build(std::size_t max_states);
  std::size_t state_count() const { return state_count_; }
  std::size_t pattern_count() const { return out_ids_.size(); }
  std::size_t held_bytes() const;

  // Sets bit `id` in `hits` for every pattern the text contains. Returns the
  // number of output states visited (at most pattern_count()): a state whose
  // first pattern is already set had its whole suffix chain reported then,
  // so the walk stops there. The caller clears `hits` per event.
  std::size_t Scan(std::string_view text, std::uint64_t* hits) const {
    std::uint32_t row = 0;  // state × class_count_
    const std::uint32_t classes = class_count_;
    std::size_t visited = 0;
    for (unsigned char c : text) {
      const std::uint32_t next = delta_[row + byte_class_[c]];
      row = next & ~kHasOutput;
      if (next & kHasOutput) visited += Report(row / classes, hits);  // rare: one load per byte otherwise
    }
    return visited;
  }

 private:
  static constexpr std::uint32_t kHasOutput = 0x80000000u;  // target state has outputs
  static bool Hit(const std::uint64_t* hits, std::uint32_t id) { return (hits[id >> 6] >> (id & 63)) & 1u; }
  std::size_t Report(std::uint32_t state, std::uint64_t* hits) const {
    std::size_t visited = 0;
    std::uint32_t s = out_begin_[state + 1] != out_begin_[state] ? state : dict_[state];
    while (s != 0) {
      const std::uint32_t b = out_begin_[s], e = out_begin_[s + 1];
      if (Hit(hits, out_ids_[b])) break;
      for (std::uint32_t i = b; i < e; ++i) hits[out_ids_[i] >> 6] |= std::uint64_t{1} << (out_ids_[i] & 63);
      ++visited;
      s = dict_[s];
    }
    return visited;
  }

  std::vector<std::pair<std::string, std::uint32_t>> pending_;  // sorted by Prepare()
  Plan plan_;
  bool prepared_ = false;
  std::array<std::uint8_t, 256> byte_class_{};
  std::uint32_t class_count_ = 1;
  std::uint32_t state_count_ = 0;
  std::vector<std::uint32_t> delta_;      // row + class → next row (| kHasOutput), BFS-numbered
  std::vector<std::uint32_t> out_begin_;  // state → its own patterns in out_ids_ (size states + 1)
  std::vector<std::uint32_t> out_ids_;
  std::vector<std::uint32_t> dict_;       // state → nearest proper suffix state with own patterns, 0 if none
};

}  // namespace chanval::interp
