// AhoCorasick: the prefilter automaton (aho_corasick.h). Covered by
// tests/test_interpreter.cpp ("automaton ...") and every evaluator test.
#include "chanval/interpreter/aho_corasick.h"

#include <algorithm>

#include "chanval/interpreter/ascii.h"

namespace chanval::interp {

void AhoCorasick::Add(std::string_view pattern, std::uint32_t id) {
  pending_.emplace_back(FoldedCopy(pattern), id);
  prepared_ = false;
}

AhoCorasick::Plan AhoCorasick::Prepare() {
  if (prepared_) return plan_;
  std::sort(pending_.begin(), pending_.end());
  // Alphabet compression: only bytes that occur in a pattern get a class of
  // their own; every other byte shares class 0. Keeps the table small.
  std::array<std::uint32_t, 256> folded_class{};
  class_count_ = 1;
  std::size_t states = 1;
  const std::string* prev = nullptr;
  for (const auto& [p, id] : pending_) {
    for (unsigned char c : p) {
      if (folded_class[c] == 0) folded_class[c] = class_count_++;
    }
    // Sorted patterns: each adds the nodes past its common prefix with the previous one.
    std::size_t common = 0;
    if (prev) {
      while (common < p.size() && common < prev->size() && p[common] == (*prev)[common]) ++common;
    }
    states += p.size() - common;
    prev = &p;
  }
  for (int c = 0; c < 256; ++c) {
    byte_class_[c] = static_cast<std::uint8_t>(folded_class[FoldAscii(static_cast<unsigned char>(c))]);
  }
  constexpr std::size_t kWord = sizeof(std::uint32_t);
  plan_.states = states;
  plan_.classes = class_count_;
  plan_.held_bytes = (states * class_count_ + 2 * states + 1 + pending_.size()) * kWord;
  plan_.build_bytes = (states + 2 * pending_.size()) * kWord;  // failure links, cursors, counts
  prepared_ = true;
  return plan_;
}

bool AhoCorasick::Build(std::size_t max_states) {
  const Plan plan = Prepare();
  const std::uint32_t k = plan.classes;
  if (plan.states > max_states || static_cast<std::uint64_t>(plan.states) * k >= kHasOutput) return false;
  const auto n = static_cast<std::uint32_t>(plan.states);

  // Trie, one depth at a time: states created at depth d+1 all get higher
  // numbers than those at depth d, so the numbering is breadth-first and the
  // table is built once, in its final order.
  delta_.assign(static_cast<std::size_t>(n) * k, 0);
  std::vector<std::uint32_t> cursor(pending_.size(), 0);  // per pattern: the state reached so far
  std::vector<std::uint32_t> active(pending_.size());
  for (std::uint32_t p = 0; p < active.size(); ++p) active[p] = p;
  std::uint32_t next_state = 1;
  for (std::size_t depth = 0; !active.empty(); ++depth) {
    std::size_t kept = 0;
    for (std::uint32_t p : active) {
      const std::string& text = pending_[p].first;
      if (depth >= text.size()) continue;
      std::uint32_t& slot = delta_[cursor[p] * k + byte_class_[static_cast<unsigned char>(text[depth])]];
      if (slot == 0) slot = next_state++;
      cursor[p] = slot;
      if (depth + 1 < text.size()) active[kept++] = p;
    }
    active.resize(kept);
  }
  state_count_ = next_state;  // == n: Prepare() counted the same nodes

  // Own patterns per state (counting sort by end state).
  out_begin_.assign(static_cast<std::size_t>(n) + 1, 0);
  for (std::uint32_t p = 0; p < pending_.size(); ++p) ++out_begin_[cursor[p] + 1];
  for (std::uint32_t s = 0; s < n; ++s) out_begin_[s + 1] += out_begin_[s];
  out_ids_.assign(pending_.size(), 0);
  {
    std::vector<std::uint32_t> fill(out_begin_.begin(), out_begin_.end() - 1);
    for (std::uint32_t p = 0; p < pending_.size(); ++p) out_ids_[fill[cursor[p]]++] = pending_[p].second;
  }
  const auto own = [&](std::uint32_t s) { return out_begin_[s + 1] != out_begin_[s]; };

  // Failure links, dictionary links and the full transition function, in
  // state order: a state's failure state is shallower, so it is complete.
  std::vector<std::uint32_t> fail(n, 0);
  dict_.assign(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) {
    for (std::uint32_t a = 0; a < k; ++a) {
      std::uint32_t& s = delta_[r * k + a];
      const std::uint32_t via_fail = r == 0 ? 0 : delta_[fail[r] * k + a];
      if (s != 0) {  // a trie child: rows are filled only when their state is processed
        fail[s] = via_fail;
        dict_[s] = own(via_fail) ? via_fail : dict_[via_fail];
      } else {
        s = via_fail;
      }
    }
  }
  // Row offsets (state × k), so the scan needs no multiply, flagged when the
  // target state reports anything.
  for (auto& t : delta_) t = t * k | ((own(t) || dict_[t] != 0) ? kHasOutput : 0);
  pending_.clear();
  pending_.shrink_to_fit();
  return true;
}

std::size_t AhoCorasick::held_bytes() const {
  return (delta_.capacity() + out_begin_.capacity() + out_ids_.capacity() + dict_.capacity()) *
         sizeof(std::uint32_t);
}

}  // namespace chanval::interp
