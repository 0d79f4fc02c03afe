// Where a prefilter scan records the patterns it finds (aho_corasick.h,
// sampled_scan.h): a bit per pattern id and, when `marks` is given, a bit per
// word of those that is not zero. A type's patterns fill hundreds of words
// (SigmaHQ's process_creation: 218) and an event sets bits in a few dozen,
// so the evaluator visits and clears the marked words only.
#pragma once
#include <cstdint>

namespace chanval::interp {

struct HitWords {
  std::uint64_t* bits = nullptr;
  std::uint64_t* marks = nullptr;  // bit w: bits[w] may be non-zero; none kept if null

  HitWords(std::uint64_t* b, std::uint64_t* m = nullptr) : bits(b), marks(m) {}  // NOLINT: a plain array converts

  // Bit `id` of a hit-word array (the evaluator also reads its scratch's).
  static bool Has(const std::uint64_t* words, std::uint32_t id) { return (words[id >> 6] >> (id & 63)) & 1u; }
  bool Has(std::uint32_t id) const { return Has(bits, id); }
  void Set(std::uint32_t id) const {
    bits[id >> 6] |= std::uint64_t{1} << (id & 63);
    if (marks) marks[id >> 12] |= std::uint64_t{1} << ((id >> 6) & 63);
  }
};

}  // namespace chanval::interp
