// Multi-literal search for a field whose patterns are all long (a Sysmon
// Hashes field: `imphash=` and 32 hex digits, and longer): the same answer as
// the automaton (aho_corasick.h), every pattern the ASCII-folded text
// contains, while reading the text only every `step` bytes.
//
// Why it is exact: with every pattern at least m bytes long, gram length q
// and a step s <= m - q + 1, any occurrence [t, t + L) holds the window
// [j, j + q) that starts at the first multiple j of s at or after t, at
// offset j - t < s of the pattern. The table holds each pattern's q-grams at
// offsets 0 to s - 1, so the window finds the pattern, which is then
// compared whole. The step is capped (kMaxStep) so that the table stays
// s entries a pattern however long the patterns are.
//
// Why it is never dearer than the automaton: the loader takes it for a field
// only when its worst case fits the automaton's price (cost.h, ScanCost) at
// every text length. Each window costs at most Plan::window_cost units: a
// filter bit, a bucket of gram fingerprints, then the patterns of the one
// fingerprint that equals the window's, each compared 8 bytes at a time.
// Fits() checks windows(n) x window_cost <= 2 (n + 1) + patterns, the
// automaton's transitions, failure steps and reports; the third unit a byte
// stays with the fold-partner pass. A file whose patterns share grams, crowd
// a bucket or are very long is scanned by the automaton as before. The hash
// is fixed, not keyed, so the choice and the bound are the same in every
// process (the gate's and the sensor's).
//
// Grams are kept as 32-bit fingerprints of their hashes: two grams with one
// fingerprint are one group, whose patterns a window with that fingerprint
// compares (the comparison is exact; the plan prices the group whole).
//
// Memory: Prepare() gives the exact size of the tables before any is
// allocated, whatever order the patterns were added in (the loader's come
// in hash order, and the choice of scan must be the same in every process),
// and takes the scan only if they are no larger than the automaton's. It
// sorts nothing for patterns that cannot win: tables as large as they could
// be (every gram distinct) over the automaton's, the longest pattern's
// comparison alone over the price, or a first gram shared by too many
// patterns. The fingerprints it sorts are kept until Build() (pending_bytes).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chanval/interpreter/hit_words.h"

namespace chanval::interp {

class SampledScan {
 public:
  static constexpr std::size_t kGramBytes = 16;
  // Below this step the windows save too little to be worth a second table.
  static constexpr std::size_t kMinStep = 8;
  // At most this many table entries a pattern, however long the patterns.
  static constexpr std::size_t kMaxStep = 64;

  // Whether patterns this short at the shortest leave a step of kMinStep.
  static constexpr bool LongEnough(std::size_t min_length) { return min_length + 1 >= kGramBytes + kMinStep; }

  // `folded` must be ASCII-folded already and not empty; each id once.
  void Add(std::string_view folded, std::uint32_t id);

  struct Plan {
    bool fits = false;                 // usable within the automaton's price and memory
    std::size_t min_length = 0;        // m
    std::size_t step = 0;              // s = min(m - kGramBytes + 1, kMaxStep)
    std::uint64_t window_cost = 0;     // the most one window can cost
    std::size_t held_bytes = 0;        // what the built tables keep
    std::size_t pending_bytes = 0;     // kept from Prepare() to Build(): the sorted fingerprints
  };
  // `max_held_bytes`: what the automaton would hold for the same patterns.
  Plan Prepare(std::size_t max_held_bytes);
  // Only after a Prepare() whose plan fits.
  void Build();
  const Plan& plan() const { return plan_; }
  bool built() const { return built_; }
  std::size_t held_bytes() const;

  // Windows of kGramBytes read at offsets 0, s, 2s... of a text n bytes long.
  static std::size_t Windows(std::size_t n, std::size_t min_length, std::size_t step);
  // windows(n) x window_cost <= 2 (n + 1) + patterns for every n: the
  // automaton's price without its fold-partner pass.
  static bool Fits(std::uint64_t window_cost, std::size_t min_length, std::size_t step, std::size_t patterns);

  // Sets bit `id` in `hits` for every pattern the text contains (the caller
  // clears `hits` per event). Returns the units of work done, at most
  // Windows(text.size(), ...) x window_cost.
  std::uint64_t Scan(std::string_view text, HitWords hits) const;

 private:
  struct Gram {
    std::uint64_t lo = 0, hi = 0;
  };
  struct Pattern {
    std::uint32_t id, text_at, length;
  };
  // An entry is a pattern index and the offset of the gram in it, packed:
  // index << kOffsetBits | offset.
  static constexpr std::uint32_t kOffsetBits = 6;
  static_assert(kMaxStep <= (std::size_t{1} << kOffsetBits), "an offset is below the step");
  static constexpr std::size_t kMaxPatterns = std::size_t{1} << (32 - kOffsetBits);
  struct PendingGram {
    std::uint32_t fingerprint, entry;
  };

  // A filter of 8 bits a bucket: one bit test turns away most windows.
  static constexpr std::uint32_t kFilterBitsPerBucket = 3;
  static Gram FoldedGram(const char* at);
  static std::uint64_t GramHash(const Gram& g);
  static std::uint32_t FingerprintOf(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
  // At most one fingerprint a bucket on average.
  static std::uint32_t BucketBitsFor(std::size_t fingerprints);
  std::uint32_t BucketOf(std::uint32_t fingerprint) const { return fingerprint >> (32 - bucket_bits_); }
  std::uint32_t FilterBitOf(std::uint64_t hash) const;
  static std::size_t FilterWords(std::uint32_t bucket_bits) {
    return std::max<std::size_t>(1, (std::size_t{1} << (bucket_bits + kFilterBitsPerBucket)) / 64);
  }
  // The built tables' bytes for `fingerprints` distinct ones and `entries`.
  std::size_t HeldBytesFor(std::size_t fingerprints, std::size_t entries) const;
  // By fingerprint, then entry: a fixed order, whatever the order of Add().
  static void SortPending(std::vector<PendingGram>& grams);
  // Over grams sorted by fingerprint: how many distinct fingerprints, and
  // what the dearest one's patterns cost to compare.
  struct Groups {
    std::size_t distinct = 0;
    std::uint64_t dearest = 0;
  };
  Groups GroupsOf(const std::vector<PendingGram>& sorted) const;
  // Units of comparing a pattern: one, and one per 8 bytes.
  static std::uint64_t CompareCost(std::uint32_t length) { return 1 + (length + 7) / 8; }
  bool EqualsAt(std::string_view text, std::size_t start, const Pattern& p) const;

  std::vector<Pattern> patterns_;
  std::vector<char> text_;              // the folded patterns, back to back (a vector: no small-string capacity to count)
  std::vector<PendingGram> pending_;    // Prepare() to Build(), sorted by fingerprint (so by bucket)
  Plan plan_;
  std::uint32_t bucket_bits_ = 0;
  std::size_t distinct_ = 0;            // distinct fingerprints
  bool built_ = false;

  std::vector<std::uint64_t> filter_;        // a bit per FilterBitOf value some gram has
  std::vector<std::uint32_t> bucket_begin_;  // bucket → its first fingerprint in fingerprints_
  std::vector<std::uint32_t> fingerprints_;  // distinct, in order (so by bucket: a bucket is the top bits)
  std::vector<std::uint32_t> entry_begin_;   // fingerprint → its first entry in entries_
  std::vector<std::uint32_t> entries_;       // packed (pattern, offset)
};

}  // namespace chanval::interp
