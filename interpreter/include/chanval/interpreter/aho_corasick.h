// Multi-literal search over ASCII-case-folded text: one pass over a field
// value finds every pattern it contains. The prefilter behind the optimized
// evaluator. Built once at load; matching allocates nothing.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace chanval::interp {

class AhoCorasick {
 public:
  // Patterns are folded to lower case here; ids are the caller's.
  void Add(std::string_view pattern, std::uint32_t id);
  // Returns false if the automaton would exceed `max_states`.
  bool Build(std::size_t max_states);
  std::size_t state_count() const { return state_count_; }

  // Calls on_hit(id) for every occurrence's pattern id (possibly repeatedly).
  template <typename OnHit>
  void Scan(std::string_view text, OnHit&& on_hit) const {
    std::uint32_t row = 0;  // state × class_count_
    const std::uint32_t classes = class_count_;
    for (unsigned char c : text) {
      const std::uint32_t next = delta_[row + byte_class_[c]];
      row = next & ~kHasOutput;
      if (next & kHasOutput) {  // rare: keeps the common path to one load per byte
        const std::uint32_t s = row / classes;
        const std::uint32_t b = out_begin_[s], e = out_begin_[s + 1];
        for (std::uint32_t i = b; i < e; ++i) on_hit(out_ids_[i]);
      }
    }
  }

 private:
  // Set in a transition whose target state has outputs.
  static constexpr std::uint32_t kHasOutput = 0x80000000u;
  std::vector<std::pair<std::string, std::uint32_t>> pending_;
  std::array<std::uint8_t, 256> byte_class_{};
  std::uint32_t class_count_ = 1;
  std::uint32_t state_count_ = 0;
  std::vector<std::uint32_t> delta_;      // row + class → next row (| kHasOutput), BFS-numbered
  std::vector<std::uint32_t> out_begin_;  // state → range into out_ids_
  std::vector<std::uint32_t> out_ids_;
};

}  // namespace chanval::interp
