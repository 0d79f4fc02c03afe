// Where a prefilter scan records the patterns it finds (aho_corasick.h,
// sampled_scan.h): a bit per pattern id and, when `marks` is given, a bit per
// word of those that is not zero. A type's patterns fill hundreds of words
// (SigmaHQ's process_creation: 218) and an event sets bits in a few dozen,
// so the evaluator visits and clears the marked words only. The evaluator
// keeps its candidate instances the same way: 100,000 instances are 1,563
// words, and an event selects a few dozen.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>

namespace chanval::interp {

struct HitWords {
  std::uint64_t* bits = nullptr;
  std::uint64_t* marks = nullptr;  // bit w: bits[w] may be non-zero; none kept if null

  HitWords(std::uint64_t* b, std::uint64_t* m = nullptr) : bits(b), marks(m) {}  // NOLINT: a plain array converts

  // The words that hold `ids` bits, and the mark words for those words (a
  // mark word covers 64 words, 4,096 ids: Set's id >> 12).
  static constexpr std::size_t WordsFor(std::size_t ids) { return (ids + 63) / 64; }
  static constexpr std::size_t MarkWordsFor(std::size_t ids) { return (ids + 4095) / 4096; }
  // Bit `id` of a hit-word array (the evaluator also reads its scratch's).
  static bool Has(const std::uint64_t* words, std::uint32_t id) { return (words[id >> 6] >> (id & 63)) & 1u; }
  bool Has(std::uint32_t id) const { return Has(bits, id); }
  void Set(std::uint32_t id) const {
    bits[id >> 6] |= std::uint64_t{1} << (id & 63);
    if (marks) marks[id >> 12] |= std::uint64_t{1} << ((id >> 6) & 63);
  }
  // Calls on_word(w) for each marked word w in increasing order, over the
  // first `mark_words` words of marks.
  template <typename OnWord>
  void ForEachMarkedWord(std::size_t mark_words, OnWord&& on_word) const {
    for (std::size_t m = 0; m < mark_words; ++m) {
      for (std::uint64_t marked = marks[m]; marked; marked &= marked - 1) {
        on_word(m * 64 + static_cast<std::size_t>(std::countr_zero(marked)));
      }
    }
  }
  // Zeroes every marked word and the marks: all bits are then clear,
  // wherever the last user of the array stopped.
  void ClearMarked(std::size_t mark_words) const {
    ForEachMarkedWord(mark_words, [&](std::size_t w) { bits[w] = 0; });
    for (std::size_t m = 0; m < mark_words; ++m) marks[m] = 0;
  }
};

}  // namespace chanval::interp
