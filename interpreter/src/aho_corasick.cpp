#include "chanval/interpreter/aho_corasick.h"

#include <string>

#include "chanval/interpreter/ascii.h"

namespace chanval::interp {

void AhoCorasick::Add(std::string_view pattern, std::uint32_t id) {
  pending_.emplace_back(FoldedCopy(pattern), id);
}

bool AhoCorasick::Build(std::size_t max_states) {
  // Alphabet compression: only bytes that occur in a pattern get a class of
  // their own; every other byte shares class 0. Keeps the table small.
  std::array<std::uint32_t, 256> folded_class{};
  class_count_ = 1;
  std::size_t total = 1;
  for (const auto& [p, id] : pending_) {
    total += p.size();
    for (unsigned char c : p) {
      if (folded_class[c] == 0) folded_class[c] = class_count_++;
    }
  }
  if (total > max_states) return false;
  for (int c = 0; c < 256; ++c) {
    byte_class_[c] = static_cast<std::uint8_t>(folded_class[FoldAscii(static_cast<unsigned char>(c))]);
  }
  if (class_count_ > 256) return false;  // cannot happen: at most 256 bytes + other

  const std::uint32_t k = class_count_;
  if (static_cast<std::uint64_t>(total) * k >= kHasOutput) return false;  // row offsets must fit in 31 bits
  delta_.assign(total * k, 0);
  std::vector<std::vector<std::uint32_t>> own(total);
  state_count_ = 1;
  for (const auto& [p, id] : pending_) {
    std::uint32_t s = 0;
    for (unsigned char c : p) {
      auto& next = delta_[s * k + folded_class[c]];
      if (next == 0) next = state_count_++;
      s = next;
    }
    own[s].push_back(id);
  }
  delta_.resize(static_cast<std::size_t>(state_count_) * k);

  // Breadth-first: failure links, then the full transition function.
  std::vector<std::uint32_t> fail(state_count_, 0), order;
  order.reserve(state_count_);
  for (std::uint32_t a = 0; a < k; ++a) {
    if (std::uint32_t s = delta_[a]; s != 0) order.push_back(s);
  }
  for (std::size_t qi = 0; qi < order.size(); ++qi) {
    const std::uint32_t r = order[qi];
    for (std::uint32_t a = 0; a < k; ++a) {
      std::uint32_t& s = delta_[r * k + a];
      if (s != 0) {
        fail[s] = delta_[fail[r] * k + a];
        order.push_back(s);
      } else {
        s = delta_[fail[r] * k + a];
      }
    }
  }
  // Outputs: a state's own patterns plus those of its failure chain. BFS
  // order guarantees the failure state is complete before its dependants.
  std::vector<std::vector<std::uint32_t>> out(state_count_);
  out[0] = own[0];
  for (std::uint32_t s : order) {
    out[s] = own[s];
    out[s].insert(out[s].end(), out[fail[s]].begin(), out[fail[s]].end());
  }
  // Renumber states breadth-first, so the shallow states most text stays in
  // share cache lines, and store transitions as row offsets (state × k), so
  // the scan needs no multiply.
  std::vector<std::uint32_t> rank(state_count_, 0);
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<std::uint32_t>(i + 1);
  std::vector<std::uint32_t> by_rank(state_count_, 0);
  for (std::uint32_t st = 0; st < state_count_; ++st) by_rank[rank[st]] = st;
  out_begin_.assign(state_count_ + 1, 0);
  out_ids_.clear();
  for (std::uint32_t r = 0; r < state_count_; ++r) {
    out_begin_[r] = static_cast<std::uint32_t>(out_ids_.size());
    out_ids_.insert(out_ids_.end(), out[by_rank[r]].begin(), out[by_rank[r]].end());
  }
  out_begin_[state_count_] = static_cast<std::uint32_t>(out_ids_.size());
  std::vector<std::uint32_t> rows(delta_.size());
  for (std::uint32_t r = 0; r < state_count_; ++r) {
    for (std::uint32_t a = 0; a < k; ++a) {
      const std::uint32_t target = rank[delta_[by_rank[r] * k + a]];
      std::uint32_t next = target * k;
      if (out_begin_[target + 1] != out_begin_[target]) next |= kHasOutput;
      rows[r * k + a] = next;
    }
  }
  delta_ = std::move(rows);
  pending_.clear();
  pending_.shrink_to_fit();
  return true;
}

}  // namespace chanval::interp
