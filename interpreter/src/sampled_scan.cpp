// SampledScan: the literal search for fields whose patterns are all long
// (sampled_scan.h). Covered by tests/test_sampled_scan.cpp (agreement with
// the automaton, the work bound, the plan's sizes) and by every evaluator
// test whose content has such a field.
#include "chanval/interpreter/sampled_scan.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <vector>

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

// Fixed odd multipliers: the same buckets in every process (sampled_scan.h).
std::uint64_t SampledScan::GramHash(const Gram& g) {
  const std::uint64_t h = g.lo * 0x9e3779b97f4a7c15ull ^ (g.hi + 0x632be59bd9b4e019ull) * 0xc2b2ae3d27d4eb4full;
  return h ^ (h >> 29);
}

std::uint32_t SampledScan::BucketBitsFor(std::size_t fingerprints) {
  return std::max<std::uint32_t>(4, static_cast<std::uint32_t>(std::bit_width(fingerprints)));
}

// Low bits, which the fingerprint (the high ones) does not use.
std::uint32_t SampledScan::FilterBitOf(std::uint64_t hash) const {
  return static_cast<std::uint32_t>(hash) & ((std::uint32_t{1} << (bucket_bits_ + kFilterBitsPerBucket)) - 1);
}

std::size_t SampledScan::HeldBytesFor(std::size_t fingerprints, std::size_t entries) const {
  constexpr std::size_t kWord = sizeof(std::uint32_t);
  const std::uint32_t bits = BucketBitsFor(fingerprints);
  return patterns_.capacity() * sizeof(Pattern) + text_.capacity() + FilterWords(bits) * sizeof(std::uint64_t) +
         ((std::size_t{1} << bits) + 1) * kWord + fingerprints * kWord + (fingerprints + 1) * kWord + entries * kWord;
}

std::size_t SampledScan::Windows(std::size_t n, std::size_t min_length, std::size_t step) {
  if (n < min_length || step == 0) return 0;
  return (n - kGramBytes) / step + 1;
}

// From n = m on, windows(n) = k + 1 on [q + k s, q + (k + 1) s), and the
// slack 2 (n + 1) + p - c windows(n) grows within each such run, so the
// tightest n are m and the runs' starts; with c <= 2s the slack at q + k s
// grows with k, so of those the first after m decides. tests/
// test_sampled_scan.cpp checks every n by brute force.
bool SampledScan::Fits(std::uint64_t window_cost, std::size_t min_length, std::size_t step, std::size_t patterns) {
  if (step == 0 || min_length < kGramBytes || step > min_length - kGramBytes + 1) return false;
  const std::uint64_t c = window_cost, m = min_length, p = patterns, q = kGramBytes;
  const std::uint64_t at_m = Windows(min_length, min_length, step);  // the first run after m starts at q + at_m s
  return c <= 2 * std::uint64_t{step} && c * at_m <= 2 * (m + 1) + p && c * (at_m + 1) <= 2 * (q + at_m * step + 1) + p;
}

void SampledScan::SortPending(std::vector<PendingGram>& grams) {
  std::sort(grams.begin(), grams.end(), [](const PendingGram& a, const PendingGram& b) {
    return a.fingerprint != b.fingerprint ? a.fingerprint < b.fingerprint : a.entry < b.entry;
  });
}

SampledScan::Groups SampledScan::GroupsOf(const std::vector<PendingGram>& sorted) const {
  Groups g;
  std::uint64_t in_group = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i == 0 || sorted[i].fingerprint != sorted[i - 1].fingerprint) {
      ++g.distinct;
      in_group = 0;
    }
    in_group += CompareCost(patterns_[sorted[i].entry >> kOffsetBits].length);
    g.dearest = std::max(g.dearest, in_group);
  }
  return g;
}

SampledScan::Plan SampledScan::Prepare(std::size_t max_held_bytes) {
  plan_ = {};
  pending_.clear();
  if (patterns_.empty() || patterns_.size() >= kMaxPatterns) return plan_;
  // Exact capacities: the plan's bytes must not depend on the order of Add().
  std::vector<Pattern>(patterns_.begin(), patterns_.end()).swap(patterns_);
  std::vector<char>(text_.begin(), text_.end()).swap(text_);
  std::size_t m = SIZE_MAX, longest = 0;
  for (const Pattern& p : patterns_) {
    m = std::min<std::size_t>(m, p.length);
    longest = std::max<std::size_t>(longest, p.length);
  }
  plan_.min_length = m;
  if (!LongEnough(m)) return plan_;
  const std::size_t s = std::min(m - kGramBytes + 1, kMaxStep);
  plan_.step = s;
  // Nothing is sorted for patterns that cannot win: the cheapest window
  // they could have (a probe, one fingerprint, the longest pattern
  // compared) over the price, or tables as large as they could be (every
  // gram distinct) over the automaton's.
  const std::size_t entries = patterns_.size() * s;
  if (!Fits(2 + CompareCost(static_cast<std::uint32_t>(longest)), m, s, patterns_.size()) ||
      HeldBytesFor(entries, entries) > max_held_bytes) {
    return plan_;
  }

  // Patterns that share their first gram (a common start: `imphash=` and a
  // shared prefix) are one group in every window that holds it: priced from
  // the first grams alone, a twentieth or less of all, before sorting all.
  {
    std::vector<PendingGram> first(patterns_.size());
    for (std::uint32_t i = 0; i < patterns_.size(); ++i) {
      first[i] = {FingerprintOf(GramHash(FoldedGram(text_.data() + patterns_[i].text_at))), i << kOffsetBits};
    }
    SortPending(first);
    if (!Fits(2 + GroupsOf(first).dearest, m, s, patterns_.size())) return plan_;
  }

  pending_.reserve(entries);
  for (std::uint32_t i = 0; i < patterns_.size(); ++i) {
    for (std::uint32_t o = 0; o < s; ++o) {
      const std::uint64_t hash = GramHash(FoldedGram(text_.data() + patterns_[i].text_at + o));
      pending_.push_back({FingerprintOf(hash), i << kOffsetBits | o});
    }
  }
  SortPending(pending_);
  const Groups groups = GroupsOf(pending_);
  distinct_ = groups.distinct;
  bucket_bits_ = BucketBitsFor(groups.distinct);
  // The dearest window: the fullest bucket's fingerprints, then the dearest
  // fingerprint's patterns.
  std::uint64_t fullest = 0, in_bucket = 0;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || BucketOf(pending_[i].fingerprint) != BucketOf(pending_[i - 1].fingerprint)) in_bucket = 0;
    in_bucket += i == 0 || pending_[i].fingerprint != pending_[i - 1].fingerprint;
    fullest = std::max(fullest, in_bucket);
  }
  plan_.window_cost = 1 + fullest + groups.dearest;
  plan_.held_bytes = HeldBytesFor(groups.distinct, entries);
  plan_.fits = Fits(plan_.window_cost, m, s, patterns_.size()) && plan_.held_bytes <= max_held_bytes;
  plan_.pending_bytes = pending_.capacity() * sizeof(PendingGram);
  if (!plan_.fits) {
    std::vector<PendingGram>().swap(pending_);  // freed: assigning {} would keep the buffer
    plan_.pending_bytes = 0;
  }
  return plan_;
}

void SampledScan::Build() {
  const std::size_t buckets = std::size_t{1} << bucket_bits_;
  filter_.assign(FilterWords(bucket_bits_), 0);
  bucket_begin_.assign(buckets + 1, 0);
  fingerprints_.clear();
  fingerprints_.reserve(distinct_);
  entry_begin_.clear();
  entry_begin_.reserve(distinct_ + 1);
  entries_.clear();
  entries_.reserve(pending_.size());
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const std::uint32_t fingerprint = pending_[i].fingerprint;
    if (i == 0 || fingerprint != pending_[i - 1].fingerprint) {
      ++bucket_begin_[BucketOf(fingerprint) + 1];
      fingerprints_.push_back(fingerprint);
      entry_begin_.push_back(static_cast<std::uint32_t>(entries_.size()));
    }
    entries_.push_back(pending_[i].entry);
  }
  entry_begin_.push_back(static_cast<std::uint32_t>(entries_.size()));
  for (std::size_t b = 0; b < buckets; ++b) bucket_begin_[b + 1] += bucket_begin_[b];
  // The filter has the grams' own low hash bits: recomputed, not kept.
  for (const Pattern& p : patterns_) {
    for (std::size_t o = 0; o < plan_.step; ++o) {
      const std::uint32_t bit = FilterBitOf(GramHash(FoldedGram(text_.data() + p.text_at + o)));
      filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
  }
  std::vector<PendingGram>().swap(pending_);  // freed: assigning {} would keep the buffer (unit.load_memory)
  built_ = true;
}

std::size_t SampledScan::held_bytes() const {
  return patterns_.capacity() * sizeof(Pattern) + text_.capacity() + filter_.capacity() * sizeof(std::uint64_t) +
         (bucket_begin_.capacity() + fingerprints_.capacity() + entry_begin_.capacity() + entries_.capacity()) *
             sizeof(std::uint32_t);
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

std::uint64_t SampledScan::Scan(std::string_view text, HitWords hits) const {
  const std::size_t n = text.size();
  if (n < plan_.min_length) return 0;
  std::uint64_t work = 0;
  for (std::size_t j = 0; j + kGramBytes <= n; j += plan_.step) {
    const std::uint64_t hash = GramHash(FoldedGram(text.data() + j));
    ++work;
    // Most windows hold no pattern's gram: one bit in a small table says so
    // before the buckets, which do not stay in cache beside the other
    // fields' automata, are read.
    const std::uint32_t bit = FilterBitOf(hash);
    if (!((filter_[bit >> 6] >> (bit & 63)) & 1u)) continue;
    const std::uint32_t fingerprint = FingerprintOf(hash);
    const std::uint32_t b = BucketOf(fingerprint);
    for (std::uint32_t k = bucket_begin_[b]; k < bucket_begin_[b + 1]; ++k) {
      ++work;
      if (fingerprints_[k] != fingerprint) continue;
      for (std::uint32_t e = entry_begin_[k]; e < entry_begin_[k + 1]; ++e) {
        const Pattern& p = patterns_[entries_[e] >> kOffsetBits];
        const std::uint32_t offset = entries_[e] & ((1u << kOffsetBits) - 1);
        work += CompareCost(p.length);
        if (hits.Has(p.id)) continue;  // reported already: nothing to learn
        if (j < offset || j - offset + p.length > n) continue;
        if (EqualsAt(text, j - offset, p)) hits.Set(p.id);
      }
      break;  // fingerprints are distinct: no other can equal it
    }
  }
  return work;
}

}  // namespace chanval::interp
