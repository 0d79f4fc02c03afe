// NecessaryClauses (necessary_clauses.h): the clauses the loader selects and
// pre-checks instances by. Tests: tests/test_interpreter.cpp, test_resources.cpp.
#include "necessary_clauses.h"

#include <algorithm>
#include <iterator>

#include "chanval/interpreter/regex_pool.h"

namespace chanval::interp {
namespace {

using Clause = NecessaryClauses::Clause;

Clause SortedUnique(Clause ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

// The minimal atom sets that every row of RE2's truth table passing the
// regex holds an atom of (bit i of a row: atom i seen). None when a row
// without any atom passes. Atom counts are at most kMaxTabledAtoms: 63
// candidate sets against 64 rows.
std::vector<std::uint32_t> MinimalHittingSets(std::uint64_t table, std::uint32_t atoms) {
  const std::uint32_t rows = 1u << atoms;
  if (table & 1u) return {};
  std::vector<std::uint32_t> necessary;
  for (std::uint32_t set = 1; set < rows; ++set) {
    bool hits_every_row = true;
    for (std::uint32_t row = 0; row < rows && hits_every_row; ++row) {
      if (((table >> row) & 1u) && (row & set) == 0) hits_every_row = false;
    }
    if (hits_every_row) necessary.push_back(set);
  }
  std::vector<std::uint32_t> minimal;
  for (std::uint32_t set : necessary) {
    const bool has_smaller = std::any_of(necessary.begin(), necessary.end(), [&](std::uint32_t other) {
      return other != set && (other & set) == other;
    });
    if (!has_smaller) minimal.push_back(set);
  }
  return minimal;
}

}  // namespace

std::uint32_t NecessaryClauses::ShortestPattern(const Clause& c) const {
  std::uint32_t shortest = ~std::uint32_t{0};
  for (std::uint32_t p : c) shortest = std::min(shortest, p < pattern_length_.size() ? pattern_length_[p] : 0u);
  return shortest;
}

// Best first: fewer patterns, then the longer shortest pattern, then the
// ids (a total order, so equal clauses end up side by side). The keys are
// taken once per clause: a clause may hold thousands of patterns.
void NecessaryClauses::KeepBest(std::vector<Clause>& clauses, std::size_t count) {
  if (clauses.size() <= 1) return;  // most nodes: one matcher's one clause
  keys_.resize(clauses.size());
  for (std::uint32_t i = 0; i < clauses.size(); ++i) keys_[i] = {clauses[i].size(), ShortestPattern(clauses[i]), i};
  std::sort(keys_.begin(), keys_.end(), [&](const Key& a, const Key& b) {
    if (a.size != b.size) return a.size < b.size;
    if (a.shortest != b.shortest) return a.shortest > b.shortest;
    return clauses[a.index] < clauses[b.index];
  });
  kept_.clear();
  for (const Key& k : keys_) {
    if (kept_.size() == count) break;
    if (!kept_.empty() && kept_.back() == clauses[k.index]) continue;
    kept_.push_back(std::move(clauses[k.index]));
  }
  clauses.swap(kept_);  // kept_ keeps the other buffer for the next call
}

std::vector<Clause> NecessaryClauses::OfMatcher(const CompiledMatcher& m) const {
  if (m.prefilter == PrefilterUse::RegexAtoms && m.atom_count) {
    const auto first = c_.atom_patterns.begin() + m.atom_begin;
    if (m.atom_count > RegexPool::kMaxTabledAtoms) return {SortedUnique(Clause(first, first + m.atom_count))};
    std::vector<Clause> out;
    for (std::uint32_t set : MinimalHittingSets(m.atom_table, m.atom_count)) {
      Clause clause;
      for (std::uint32_t a = 0; a < m.atom_count; ++a) {
        if ((set >> a) & 1u) clause.push_back(first[a]);
      }
      out.push_back(SortedUnique(std::move(clause)));
    }
    return out;
  }
  if (m.literal_count == 0) return {};
  Clause ids;
  for (std::uint32_t l = 0; l < m.literal_count; ++l) {
    const std::uint32_t p = c_.literal_patterns[m.literal_begin + l];
    if (p == CompiledContent::kNoPattern) return {};  // an empty literal: found without a pattern
    ids.push_back(p);
  }
  return {SortedUnique(std::move(ids))};
}

// The unions of one clause from each side, the best inputs of each first,
// while the instance's work budget lasts.
std::vector<Clause> NecessaryClauses::Product(const std::vector<Clause>& left, const std::vector<Clause>& right) {
  std::vector<Clause> out;
  bool spent = false;  // the instance's budget: no more unions for it, here or later
  for (std::size_t i = 0; !spent && i < std::min(left.size(), kMaxProductInputs); ++i) {
    for (std::size_t j = 0; !spent && j < std::min(right.size(), kMaxProductInputs); ++j) {
      if (std::max(left[i].size(), right[j].size()) > kMaxProductClauseSize) continue;  // so is the union
      const std::size_t work = left[i].size() + right[j].size();
      if (work > work_left_) {
        work_left_ = 0;
        spent = true;
        continue;
      }
      work_left_ -= work;
      union_.clear();
      std::set_union(left[i].begin(), left[i].end(), right[j].begin(), right[j].end(), std::back_inserter(union_));
      if (union_.size() <= kMaxProductClauseSize) out.push_back(union_);
    }
  }
  KeepBest(out, kMaxProductInputs);
  return out;
}

std::vector<Clause> NecessaryClauses::Expand(std::uint32_t node) {
  const CompiledNode& n = c_.nodes[node];
  std::vector<Clause> out;
  switch (n.op) {
    case ExprOp::Matcher:
      out = OfMatcher(c_.matchers()[n.matcher]);
      break;
    case ExprOp::Not:
      return out;
    case ExprOp::And:
      for (std::uint32_t i = 0; i < n.child_count; ++i) {
        for (auto& clause : Expand(c_.node_children[n.child_begin + i])) out.push_back(std::move(clause));
        // Trimmed as it grows: a child's clause may hold a matcher's 4,096
        // literals, and an and may have 255 children.
        if (out.size() > 2 * kMaxClausesPerNode) KeepBest(out, kMaxClausesPerNode);
      }
      break;
    case ExprOp::Or: {
      Clause any_child;  // the union of each child's best clause
      for (std::uint32_t i = 0; i < n.child_count; ++i) {
        auto child = Expand(c_.node_children[n.child_begin + i]);
        if (child.empty()) return {};  // a child that holds without a pattern
        any_child.insert(any_child.end(), child.front().begin(), child.front().end());
        if (child.size() > kMaxProductInputs) child.resize(kMaxProductInputs);
        if (i == 0) {
          out = std::move(child);
        } else if (!out.empty()) {
          out = Product(out, child);
        }
      }
      out.push_back(SortedUnique(std::move(any_child)));
      break;
    }
  }
  KeepBest(out, kMaxClausesPerNode);
  return out;
}

void NecessaryClauses::ChooseSelecting(Found& found, std::span<const std::uint32_t> uses) const {
  if (!found.selecting || found.others.empty()) return;
  const auto commonness = [&](const Clause& clause) {
    double sum = 0;
    for (std::uint32_t p : clause) {
      const double length = p < pattern_length_.size() ? pattern_length_[p] : 0;
      sum += (p < uses.size() ? uses[p] : 0) / (1 + length);
    }
    return sum;
  };
  double best = commonness(*found.selecting);
  std::size_t best_other = found.others.size();  // none: the selecting clause stays
  for (std::size_t i = 0; i < found.others.size(); ++i) {
    const double score = commonness(found.others[i]);
    if (score < best) {
      best = score;
      best_other = i;
    }
  }
  if (best_other != found.others.size()) std::swap(*found.selecting, found.others[best_other]);
}

void NecessaryClauses::CollectBlocking(std::uint32_t node, bool negated, Clause& out) const {
  const CompiledNode& n = c_.nodes[node];
  switch (n.op) {
    case ExprOp::Matcher: {
      const CompiledMatcher& m = c_.matchers()[n.matcher];
      if (!negated || m.prefilter != PrefilterUse::DecidedByHits) return;
      for (std::uint32_t l = 0; l < m.literal_count; ++l) {
        const std::uint32_t p = c_.literal_patterns[m.literal_begin + l];
        if (p != CompiledContent::kNoPattern) out.push_back(p);  // an empty literal is found without one
      }
      return;
    }
    case ExprOp::Not:
      if (n.child_count != 0) CollectBlocking(c_.node_children[n.child_begin], !negated, out);
      return;
    case ExprOp::And:  // false when any child is false
    case ExprOp::Or:   // true when any child is true
      if ((n.op == ExprOp::And) == negated) return;
      for (std::uint32_t i = 0; i < n.child_count; ++i) CollectBlocking(c_.node_children[n.child_begin + i], negated, out);
      return;
  }
}

NecessaryClauses::Clause NecessaryClauses::Blocking(std::uint32_t root) const {
  Clause out;
  CollectBlocking(root, false, out);
  return SortedUnique(std::move(out));
}

NecessaryClauses::Found NecessaryClauses::ForInstance(std::uint32_t root, std::size_t nodes) {
  work_left_ = kProductWorkPerNode * nodes;
  auto clauses = Expand(root);
  Found found;
  if (clauses.empty()) return found;
  found.selecting = std::move(clauses.front());
  for (std::size_t i = 1; i < clauses.size(); ++i) found.others.push_back(std::move(clauses[i]));
  return found;
}

}  // namespace chanval::interp
