// The per-event cost model, in the step units of limits.h. One definition
// serves three callers: both evaluators charge each matcher with it before
// running it (on the input's real, clipped length), and the loader sums it at
// kMaxInputLength into the static bound it checks against the build's
// budget. Every matcher's price is linear in the input length:
// fixed + per_byte × (length + 1), set once at load (CompiledMatcher).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "chanval/interpreter/limits.h"

namespace chanval::interp {

struct MatcherPrice {
  std::uint64_t fixed = 0;
  std::uint64_t per_byte = 0;
  std::uint64_t At(std::size_t length) const {
    return fixed + per_byte * (std::min(length, limits::kMaxInputLength) + 1);
  }
  std::uint64_t Worst() const { return At(limits::kMaxInputLength); }
};

// The prefilter's work on one field: the automaton pass, one transition per
// byte plus at most one failure step per byte (AhoCorasick::ScanWork), at
// most one visit per pattern (the dictionary-link walk stops at reported
// states), and the pass looking for RE2's non-ASCII fold partners (ascii.h).
inline std::uint64_t ScanCost(std::size_t length, std::size_t patterns) {
  return 3 * (std::min(length, limits::kMaxInputLength) + 1) + patterns;
}
inline std::uint64_t WorstScanCost(std::size_t patterns) { return ScanCost(limits::kMaxInputLength, patterns); }

// Saturating sum: a bound that overflowed must still compare as "too big".
inline std::uint64_t AddCost(std::uint64_t a, std::uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

}  // namespace chanval::interp
