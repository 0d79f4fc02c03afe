// AhoCorasick: the prefilter automaton (aho_corasick.h). Covered by
// tests/test_interpreter.cpp ("automaton ..."), tests/test_resources.cpp and
// every evaluator test.
#include "chanval/interpreter/aho_corasick.h"

#include <algorithm>

#include "chanval/interpreter/ascii.h"

namespace chanval::interp {
namespace {

// Bytes `text` shares at its start with the pattern before it in sorted
// order (none for the first): the trie states the two share below the root.
std::size_t SharedPrefix(const std::string* previous, const std::string& text) {
  if (!previous) return 0;
  const std::size_t n = std::min(previous->size(), text.size());
  return static_cast<std::size_t>(std::mismatch(text.begin(), text.begin() + n, previous->begin()).first - text.begin());
}

}  // namespace

void AhoCorasick::Add(std::string_view pattern, std::uint32_t id) {
  pending_.emplace_back(FoldedCopy(pattern), id);
  prepared_ = false;
}

// Sorts by each pattern's first 8 bytes as one big-endian integer (zero
// padded), the whole text only on a tie: most patterns differ early, so most
// comparisons are one integer compare (sorting the strings themselves was a
// tenth of loading SigmaHQ's process_creation file). The order is the
// strings' own: a shorter pattern pads with zeros, below any byte but a zero
// one, and the tie-break settles that. Then the patterns are moved into place
// along the permutation's cycles. Temporaries: 16 bytes a pattern, less than
// Build()'s (Plan::build_bytes).
void AhoCorasick::SortPending() {
  struct Key {
    std::uint64_t prefix;
    std::uint32_t index;
  };
  const auto n = static_cast<std::uint32_t>(pending_.size());
  std::vector<Key> keys(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::string& text = pending_[i].first;
    std::uint64_t prefix = 0;
    for (std::size_t j = 0; j < 8; ++j) prefix = prefix << 8 | (j < text.size() ? static_cast<unsigned char>(text[j]) : 0u);
    keys[i] = {prefix, i};
  }
  std::sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : pending_[a.index] < pending_[b.index];
  });
  for (std::uint32_t i = 0; i < n; ++i) {  // position j takes the pattern at keys[j].index
    if (keys[i].index == i) continue;
    auto held = std::move(pending_[i]);
    for (std::uint32_t j = i;;) {
      const std::uint32_t from = keys[j].index;
      keys[j].index = j;
      if (from == i) {
        pending_[j] = std::move(held);
        break;
      }
      pending_[j] = std::move(pending_[from]);
      j = from;
    }
  }
}

AhoCorasick::Plan AhoCorasick::Prepare() {
  if (prepared_) return plan_;
  // Patterns come in any order (the loader's are in hash order).
  if (!std::is_sorted(pending_.begin(), pending_.end())) SortPending();
  // Alphabet compression: only bytes that occur in a pattern get a class of
  // their own, numbered in byte order so that siblings sorted by byte are
  // sorted by class; every other byte shares class 0.
  std::array<bool, 256> used{};
  // Sorted patterns: each adds the nodes past its common prefix with the
  // previous one, counted per depth (a histogram as long as the longest pattern).
  std::vector<std::uint32_t>& at_depth = depth_counts_;
  at_depth.assign(1, 1);  // the root
  const std::string* prev = nullptr;
  for (const auto& [p, id] : pending_) {
    for (unsigned char c : p) used[c] = true;
    const std::size_t common = SharedPrefix(prev, p);
    if (at_depth.size() <= p.size()) at_depth.resize(p.size() + 1, 0);
    for (std::size_t d = common + 1; d <= p.size(); ++d) ++at_depth[d];
    prev = &p;
  }
  std::array<std::uint8_t, 256> folded_class{};
  class_count_ = 1;
  for (int c = 0; c < 256; ++c) {
    if (used[c]) folded_class[c] = static_cast<std::uint8_t>(class_count_++);
  }
  for (int c = 0; c < 256; ++c) byte_class_[c] = folded_class[FoldAscii(static_cast<unsigned char>(c))];
  // Dense rows down to kMinDenseDepth, deeper while every row so far fits.
  std::size_t states = 0, dense_states = 0, depth = 0;
  bool deeper = true;  // the dense states stay a breadth-first prefix
  for (std::size_t d = 0; d < at_depth.size(); ++d) {
    states += at_depth[d];
    deeper = deeper && (d <= kMinDenseDepth ||
                        (dense_states + at_depth[d]) * (kRow + class_count_) <= kDenseRowWords);
    if (deeper) {
      dense_states += at_depth[d];
      depth = d;
    }
  }
  // Children of dense states need no pair: the states one level below them.
  const std::size_t dense_or_child = dense_states + (depth + 1 < at_depth.size() ? at_depth[depth + 1] : 0);
  const std::size_t sparse_states = states - dense_states, sparse_children = states - dense_or_child;
  plan_words_ = dense_states * (kRow + class_count_) + sparse_states * kChildren + 2 * sparse_children;
  constexpr std::size_t kWord = sizeof(std::uint32_t);
  plan_.states = states;
  plan_.dense_depth = depth;
  plan_.dense_states = dense_states;
  plan_.classes = class_count_;
  // records; report nodes: [pattern id][next node] per non-empty pattern,
  // and node 0 (none). Root patterns (empty) are never reported.
  const std::size_t empty = static_cast<std::size_t>(
      std::count_if(pending_.begin(), pending_.end(), [](const auto& p) { return p.first.empty(); }));
  const std::size_t nodes = 1 + pending_.size() - empty;
  plan_.held_bytes = (plan_words_ + 2 * nodes) * kWord;
  // per pattern: end state and output id; per depth: next state and the
  // previous pattern's path; per state: trie children, own-pattern bounds
  // and their fill cursors, label, depth-first position, failure and
  // dictionary states, record offset, first report node
  plan_.build_bytes = 2 * pending_.size() * kWord + 2 * at_depth.size() * kWord + (8 * states + 2) * kWord + states;
  prepared_ = true;
  return plan_;
}

bool AhoCorasick::Build(std::size_t max_states) {
  const Plan plan = Prepare();
  const std::uint32_t k = plan.classes;
  if (plan.states > max_states || plan_words_ >= kHasOutput) return false;
  const auto n = static_cast<std::uint32_t>(plan.states);

  // Trie, one pattern at a time in sorted order: a pattern's states past
  // its common prefix with the previous pattern are new, and sorted order
  // creates each depth's states in the order of their parents, then of
  // their classes, so numbering each depth's states in creation order after
  // the shallower depths' is breadth-first, with each state's children
  // contiguous and sorted by class. Each pattern's bytes are read once, in
  // order (a pass per depth over all patterns missed the cache per byte).
  std::vector<std::uint8_t> label(n, 0);                           // class of the edge into each state
  std::vector<std::uint32_t> first_child(static_cast<std::size_t>(n) + 1, 0);  // counts, then prefix sums
  std::vector<std::uint32_t> cursor(pending_.size(), 0);          // per pattern: its end state
  std::vector<std::uint32_t> next_at_depth(depth_counts_.size(), 0);  // the next new state's number, per depth
  std::vector<std::uint32_t> path(depth_counts_.size(), 0);          // the previous pattern's states, per depth
  std::vector<std::uint32_t> preorder;  // the states in creation order: depth first, children by class
  preorder.reserve(n);
  preorder.push_back(0);
  for (std::size_t d = 1, base = 1; d < depth_counts_.size(); ++d) {
    next_at_depth[d] = static_cast<std::uint32_t>(base);
    base += depth_counts_[d];
  }
  const std::string* prev = nullptr;
  for (std::uint32_t p = 0; p < pending_.size(); ++p) {
    const std::string& text = pending_[p].first;
    for (std::size_t d = SharedPrefix(prev, text) + 1; d <= text.size(); ++d) {
      const std::uint32_t child = next_at_depth[d]++;
      label[child] = byte_class_[static_cast<unsigned char>(text[d - 1])];
      ++first_child[path[d - 1] + 1];
      path[d] = child;
      preorder.push_back(child);
    }
    cursor[p] = path[text.size()];
    prev = &text;
  }
  state_count_ = n;  // Prepare() counted the states the pass above created
  first_child[0] = 1;
  for (std::uint32_t s = 0; s < n; ++s) first_child[s + 1] += first_child[s];
  const auto find_child = [&](std::uint32_t s, std::uint32_t a) {  // children are sorted by class
    const auto first = label.begin() + first_child[s], last = label.begin() + first_child[s + 1];
    const auto it = std::lower_bound(first, last, a);
    return it != last && *it == a ? static_cast<std::uint32_t>(it - label.begin()) : kNone;
  };

  // Own patterns per state (counting sort by end state).
  std::vector<std::uint32_t> out_begin(static_cast<std::size_t>(n) + 1, 0);  // state → its own patterns in out_ids
  for (std::uint32_t p = 0; p < pending_.size(); ++p) ++out_begin[cursor[p] + 1];
  for (std::uint32_t s = 0; s < n; ++s) out_begin[s + 1] += out_begin[s];
  std::vector<std::uint32_t> out_ids(pending_.size(), 0);
  {
    std::vector<std::uint32_t> fill(out_begin.begin(), out_begin.end() - 1);
    for (std::uint32_t p = 0; p < pending_.size(); ++p) out_ids[fill[cursor[p]]++] = pending_[p].second;
  }
  // Freed now (assigning {} would keep the buffers).
  std::vector<std::uint32_t>().swap(cursor);
  std::vector<std::uint32_t>().swap(next_at_depth);
  std::vector<std::uint32_t>().swap(path);
  const auto own = [&](std::uint32_t s) { return out_begin[s + 1] != out_begin[s]; };

  // Record offsets: the dense states first (the shallowest, breadth-first),
  // all one size; then the sparse states depth first, so that a chain of
  // states along one pattern, which a scan follows byte after byte, sits in
  // consecutive records and shares cache lines (breadth-first order put
  // each step of it in another layer of the table).
  const std::uint32_t dense_states = static_cast<std::uint32_t>(plan.dense_states);
  std::vector<std::uint32_t> offset(n);
  {
    std::uint32_t at = 0;
    for (std::uint32_t s = 0; s < dense_states; ++s, at += kRow + k) offset[s] = at;
    for (std::uint32_t s : preorder) {
      if (s < dense_states) continue;
      offset[s] = at;
      at += kChildren + 2 * (first_child[s + 1] - first_child[s]);
    }
  }
  std::vector<std::uint32_t>().swap(preorder);
  dense_end_ = dense_states * (kRow + k);
  words_.assign(plan_words_, 0);
  // Until the report chains are linked (last), the first word of a record
  // names its state, so that dense_step can map a target back to a state.
  for (std::uint32_t s = 0; s < n; ++s) words_[offset[s] + kReport] = s;
  std::vector<std::uint32_t> dict(n, 0);  // state → nearest proper suffix state with own patterns, 0 if none
  const auto target = [&](std::uint32_t s) { return offset[s] | ((own(s) || dict[s] != 0) ? kHasOutput : 0); };
  // The full transition of a dense state whose row is filled: the state the
  // scan goes to from `x` on class `a`, failure steps included.
  const auto dense_step = [&](std::uint32_t x, std::uint32_t a) {
    return words_[(words_[offset[x] + kRow + a] & ~kHasOutput) + kReport];
  };

  // Failure and dictionary links in state order: a state's failure state is
  // shallower, so its links are already set, and if it is dense its row is
  // filled — one lookup gives the failure state of its child (a chain of
  // binary searches per state was most of the build).
  std::vector<std::uint32_t> fail(n, 0);
  for (std::uint32_t r = 0; r < n; ++r) {
    for (std::uint32_t s = first_child[r]; s < first_child[r + 1]; ++s) {
      std::uint32_t f = 0;
      if (r != 0) {  // the longest proper suffix: follow r's failure chain until one has the child
        for (std::uint32_t x = fail[r];; x = fail[x]) {
          if (x < dense_states) {  // the root is dense: every chain ends here
            f = dense_step(x, label[s]);
            break;
          }
          const std::uint32_t child = find_child(x, label[s]);
          if (child != kNone) {
            f = child;
            break;
          }
        }
      }
      fail[s] = f;
      dict[s] = own(f) ? f : dict[f];
    }
    if (r < dense_states) {
      // A missing child takes the failure state's entry: shallower, so already filled.
      std::uint32_t* row = words_.data() + offset[r] + kRow;
      if (r != 0) std::copy_n(words_.data() + offset[fail[r]] + kRow, k, row);
      for (std::uint32_t c = first_child[r]; c < first_child[r + 1]; ++c) row[label[c]] = target(c);
    }
  }

  // Sparse records: failure record and (class, target) pairs.
  for (std::uint32_t s = dense_states; s < n; ++s) {
    std::uint32_t* record = words_.data() + offset[s];
    record[kFail] = offset[fail[s]];
    record[kChildCount] = first_child[s + 1] - first_child[s];
    std::uint32_t* pair = record + kChildren;
    for (std::uint32_t c = first_child[s]; c < first_child[s + 1]; ++c, pair += 2) {
      pair[0] = label[c];
      pair[1] = target(c);
    }
  }
  // Report chains: a state's own patterns are consecutive nodes, the last
  // linked to its dictionary state's first; a reporting state's record
  // holds the first node of its chain (Report reads nothing else).
  std::vector<std::uint32_t> head(n, 0);
  std::uint32_t nodes = 1;
  for (std::uint32_t s = 1; s < n; ++s) {
    if (!own(s)) continue;
    head[s] = nodes;
    nodes += out_begin[s + 1] - out_begin[s];
  }
  nodes_.assign(2 * static_cast<std::size_t>(nodes), 0);  // as Prepare() planned: node 0, one per non-empty pattern
  for (std::uint32_t s = 1; s < n; ++s) {
    for (std::uint32_t i = out_begin[s]; i < out_begin[s + 1]; ++i) {
      const std::uint32_t node = head[s] + (i - out_begin[s]);
      nodes_[2 * node] = out_ids[i];
      nodes_[2 * node + 1] = i + 1 < out_begin[s + 1] ? node + 1 : head[dict[s]];
    }
  }
  for (std::uint32_t s = 0; s < n; ++s) words_[offset[s] + kReport] = own(s) ? head[s] : head[dict[s]];
  pattern_count_ = pending_.size();
  pending_.clear();
  pending_.shrink_to_fit();
  std::vector<std::uint32_t>().swap(depth_counts_);
  return true;
}

std::size_t AhoCorasick::held_bytes() const {
  return (words_.capacity() + nodes_.capacity()) *
         sizeof(std::uint32_t);
}

}  // namespace chanval::interp
