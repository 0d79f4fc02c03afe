// SampledScan: the literal search for fields whose patterns are all long
// (sampled_scan.h). Covered by tests/test_sampled_scan.cpp (agreement with
// the automaton, the work bound, the plan's sizes) and by every evaluator
// test whose content has such a field.
#include "chanval/interpreter/sampled_scan.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <tuple>

#include "chanval/interpreter/ascii.h"

namespace chanval::interp {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;

// FoldAscii on eight bytes at once: a byte gets 0x20 when it is 'A'..'Z'.
// Each sum stays below 0x100 per byte (the high bit is masked off first),
// so no carry crosses into the next byte.
std::uint64_t FoldWord(std::uint64_t x) {
  const std::uint64_t low7 = x & (0x7f * kOnes);
  const std::uint64_t at_least_a = low7 + (0x80 - 'A') * kOnes;
  const std::uint64_t past_z = low7 + (0x80 - 'Z' - 1) * kOnes;
  const std::uint64_t upper = at_least_a & ~past_z & ~x & (0x80 * kOnes);
  return x | (upper >> 2);
}

std::uint64_t LoadWord(const char* at) {
  std::uint64_t w;
  std::memcpy(&w, at, sizeof w);
  return w;
}

}  // namespace

void SampledScan::Add(std::string_view folded, std::uint32_t id) {
  patterns_.push_back({id, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(folded.size())});
  text_.insert(text_.end(), folded.begin(), folded.end());
  built_ = false;
}

SampledScan::Gram SampledScan::FoldedGram(const char* at) {
  return {FoldWord(LoadWord(at)), FoldWord(LoadWord(at + 8))};
}

std::uint32_t SampledScan::BucketOf(const Gram& g) const {
  // Fixed odd multipliers: the same buckets in every process (sampled_scan.h).
  const std::uint64_t h = g.lo * 0x9e3779b97f4a7c15ull ^ (g.hi + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full;
  return static_cast<std::uint32_t>((h ^ (h >> 29)) >> (64 - bucket_bits_));
}

std::size_t SampledScan::Windows(std::size_t n, std::size_t min_length, std::size_t step) {
  if (n < min_length || step == 0) return 0;
  return (n - kGramBytes) / step + 1;
}

// windows(n) is 1 at n = m and k + 1 from n = q + k s on, so the tightest n
// are q + k s (k >= 1): (k + 1) c <= 2 (q + k s + 1) + p. With c <= 2s the
// slack grows with k, so k = 1 (n = m + 1) decides, and it implies n = m.
// tests/test_sampled_scan.cpp checks every n by brute force.
bool SampledScan::Fits(std::uint64_t window_cost, std::size_t min_length, std::size_t step, std::size_t patterns) {
  if (step == 0 || min_length < kGramBytes) return false;
  const std::uint64_t m = min_length, p = patterns;
  return window_cost <= 2 * std::uint64_t{step} && 2 * window_cost <= 2 * (m + 2) + p;
}

SampledScan::Plan SampledScan::Prepare(std::size_t max_pending_bytes) {
  plan_ = {};
  pending_.clear();
  if (patterns_.empty()) return plan_;
  std::size_t m = SIZE_MAX;
  for (const Pattern& p : patterns_) m = std::min<std::size_t>(m, p.length);
  plan_.min_length = m;
  if (!LongEnough(m)) return plan_;
  const std::size_t s = m - kGramBytes + 1;
  plan_.step = s;
  if (patterns_.size() * s > max_pending_bytes / sizeof(PendingGram)) return plan_;

  pending_.reserve(patterns_.size() * s);
  for (std::uint32_t i = 0; i < patterns_.size(); ++i) {
    for (std::uint32_t o = 0; o < s; ++o) pending_.push_back({FoldedGram(text_.data() + patterns_[i].text_at + o), {i, o}});
  }
  // Distinct grams, and the dearest one: its patterns, each compared whole.
  const auto by_gram = [](const PendingGram& a, const PendingGram& b) {
    return std::tie(a.gram.lo, a.gram.hi, a.entry.pattern, a.entry.offset) <
           std::tie(b.gram.lo, b.gram.hi, b.entry.pattern, b.entry.offset);
  };
  std::sort(pending_.begin(), pending_.end(), by_gram);
  std::uint64_t dearest_gram = 0;
  distinct_grams_ = 0;
  for (std::size_t i = 0; i < pending_.size();) {
    std::uint64_t cost = 0;
    std::size_t j = i;
    for (; j < pending_.size() && pending_[j].gram == pending_[i].gram; ++j) {
      cost += CompareCost(patterns_[pending_[j].entry.pattern].length);
    }
    dearest_gram = std::max(dearest_gram, cost);
    ++distinct_grams_;
    i = j;
  }
  // Buckets at most half full; the fullest bucket is what a window's probe costs.
  bucket_bits_ = std::max<std::uint32_t>(4, static_cast<std::uint32_t>(std::bit_width(distinct_grams_)) + 1);
  const std::size_t buckets = std::size_t{1} << bucket_bits_;
  std::uint32_t fullest = 0;
  {
    std::vector<std::uint32_t> per_bucket(buckets, 0);
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      if (i == 0 || !(pending_[i].gram == pending_[i - 1].gram)) {
        fullest = std::max(fullest, ++per_bucket[BucketOf(pending_[i].gram)]);
      }
    }
  }
  plan_.window_cost = 1 + fullest + dearest_gram;
  plan_.fits = Fits(plan_.window_cost, m, s, patterns_.size());
  // Ordered as Build() lays the table out: by bucket, then by gram.
  std::sort(pending_.begin(), pending_.end(), [&](const PendingGram& a, const PendingGram& b) {
    const std::uint32_t ba = BucketOf(a.gram), bb = BucketOf(b.gram);
    return ba != bb ? ba < bb : by_gram(a, b);
  });
  constexpr std::size_t kWord = sizeof(std::uint32_t);
  const std::size_t pattern_bytes = patterns_.capacity() * sizeof(Pattern) + text_.capacity();
  plan_.held_bytes = pattern_bytes + (buckets + 1) * kWord + distinct_grams_ * sizeof(Gram) +
                     (distinct_grams_ + 1) * kWord + pending_.size() * sizeof(Entry);
  plan_.pending_bytes = pending_.capacity() * sizeof(PendingGram);
  plan_.build_bytes = buckets * kWord;
  if (!plan_.fits) pending_ = {};
  return plan_;
}

void SampledScan::Build() {
  const std::size_t buckets = std::size_t{1} << bucket_bits_;
  bucket_begin_.assign(buckets + 1, 0);
  grams_.clear();
  grams_.reserve(distinct_grams_);
  entry_begin_.clear();
  entry_begin_.reserve(distinct_grams_ + 1);
  entries_.clear();
  entries_.reserve(pending_.size());
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || !(pending_[i].gram == pending_[i - 1].gram)) {
      ++bucket_begin_[BucketOf(pending_[i].gram) + 1];
      grams_.push_back(pending_[i].gram);
      entry_begin_.push_back(static_cast<std::uint32_t>(entries_.size()));
    }
    entries_.push_back(pending_[i].entry);
  }
  entry_begin_.push_back(static_cast<std::uint32_t>(entries_.size()));
  for (std::size_t b = 0; b < buckets; ++b) bucket_begin_[b + 1] += bucket_begin_[b];
  pending_ = {};
  built_ = true;
}

std::size_t SampledScan::held_bytes() const {
  return patterns_.capacity() * sizeof(Pattern) + text_.capacity() + bucket_begin_.capacity() * sizeof(std::uint32_t) +
         grams_.capacity() * sizeof(Gram) + entry_begin_.capacity() * sizeof(std::uint32_t) +
         entries_.capacity() * sizeof(Entry);
}

// The folded text at `start` equals the pattern; the caller has checked
// that the pattern's length fits before the text's end.
bool SampledScan::EqualsAt(std::string_view text, std::size_t start, const Pattern& p) const {
  const char* t = text.data() + start;
  const char* want = text_.data() + p.text_at;
  std::size_t i = 0;
  for (; i + 8 <= p.length; i += 8) {
    if (FoldWord(LoadWord(t + i)) != LoadWord(want + i)) return false;
  }
  for (; i < p.length; ++i) {
    if (FoldAscii(static_cast<unsigned char>(t[i])) != static_cast<unsigned char>(want[i])) return false;
  }
  return true;
}

std::uint64_t SampledScan::Scan(std::string_view text, std::uint64_t* hits) const {
  const std::size_t n = text.size();
  if (n < plan_.min_length) return 0;
  std::uint64_t work = 0;
  for (std::size_t j = 0; j + kGramBytes <= n; j += plan_.step) {
    const Gram g = FoldedGram(text.data() + j);
    const std::uint32_t b = BucketOf(g);
    ++work;
    for (std::uint32_t k = bucket_begin_[b]; k < bucket_begin_[b + 1]; ++k) {
      ++work;
      if (!(grams_[k] == g)) continue;
      for (std::uint32_t e = entry_begin_[k]; e < entry_begin_[k + 1]; ++e) {
        const Pattern& p = patterns_[entries_[e].pattern];
        work += CompareCost(p.length);
        const std::uint64_t bit = std::uint64_t{1} << (p.id & 63);
        if (hits[p.id >> 6] & bit) continue;  // seen already: nothing to learn
        if (j < entries_[e].offset || j - entries_[e].offset + p.length > n) continue;
        if (EqualsAt(text, j - entries_[e].offset, p)) hits[p.id >> 6] |= bit;
      }
      break;  // grams are distinct: no other can equal it
    }
  }
  return work;
}

}  // namespace chanval::interp
