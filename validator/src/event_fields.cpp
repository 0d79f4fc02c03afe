// EventFields (events.h): an event's fields in one buffer with a keyed hash
// index. Tests: tests/test_events.cpp (lookup, repeated names, many fields,
// reuse after clear, names crafted to collide).
#include "chanval/validator/events.h"

#include <cstring>

#include "chanval/interpreter/keyed_hash.h"

namespace chanval {

// The process's one random key (keyed_hash.h) under SipHash, applied to a
// label: the seed differs per process as the key does, and reveals nothing
// of the key the loader's tables use. SipHash on every field name of every
// event read the SigmaHQ events 7% slower (bench_events, best of 8: 34.4–35.1
// ms against 31.4–32.7), so the index keeps a seeded multiplicative hash, and the field cap
// (kMaxEventFields) bounds its worst case.
std::uint32_t EventFields::ProcessSeed() {
  static const auto seed = static_cast<std::uint32_t>(interp::KeyedStringHash{}("chanval event field index seed"));
  return seed;
}

// Eight bytes a step, each folded in by a multiply and a shift (each step
// invertible in the state, so which names collide depends on the seed), then
// MurmurHash3's finalizer so that every bit reaches the low bits the index
// uses. Byte-at-a-time FNV-1a cost a dependent multiply per byte: 48 names
// an event (25 added, 23 looked up) made the hashing about 5% of `chanval
// run` (bench/README, issue 12 eleventh steps). Collisions are settled by
// comparing names.
std::uint32_t EventFields::HashWithSeed(std::string_view name, std::uint32_t seed) {
  constexpr std::uint64_t kMix = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = (seed | std::uint64_t{name.size()} << 32) * kMix;
  const char* p = name.data();
  std::size_t n = name.size();
  const auto fold = [&h](std::uint64_t word) {
    h = (h ^ word) * kMix;
    h ^= h >> 29;
  };
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    fold(word);
  }
  if (n != 0) {
    // The last n bytes: one load of the name's last eight when it has
    // them, else byte by byte (a name under eight bytes).
    std::uint64_t word = 0;
    if (name.size() >= 8) {
      std::memcpy(&word, p + n - 8, 8);
      word >>= 8 * (8 - n);
    } else {
      for (std::size_t i = 0; i < n; ++i) word |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    fold(word);
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<std::uint32_t>(h);
}

std::size_t EventFields::SlotOf(std::string_view name, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    ++probes_;
    const std::uint32_t slot = slots_[at];
    if (slot == 0) return at;
    const Entry& e = entries_[slot - 1];
    if (e.hash == hash && Name(e) == name) return at;
  }
}

void EventFields::Grow() {
  slots_.assign(slots_.empty() ? 64 : 2 * slots_.size(), 0);
  for (std::uint32_t i = 0; i < entries_.size(); ++i) slots_[SlotOf(Name(entries_[i]), entries_[i].hash)] = i + 1;
}

void EventFields::Add(std::string_view name, std::string_view value) {
  if (2 * (entries_.size() + 1) > slots_.size()) Grow();
  const std::uint32_t hash = Hash(name);
  std::uint32_t& slot = slots_[SlotOf(name, hash)];
  if (slot != 0) return;  // a repeated name: the first value stands
  Entry e;
  e.hash = hash;
  e.name_at = static_cast<std::uint32_t>(text_.size());
  e.name_size = static_cast<std::uint32_t>(name.size());
  text_.append(name);
  e.value_at = static_cast<std::uint32_t>(text_.size());
  e.value_size = static_cast<std::uint32_t>(value.size());
  text_.append(value);
  entries_.push_back(e);
  slot = static_cast<std::uint32_t>(entries_.size());
}

std::string_view EventFields::Get(std::string_view name) const {
  if (slots_.empty()) return {};
  const std::uint32_t slot = slots_[SlotOf(name, Hash(name))];
  if (slot == 0) return {};
  const Entry& e = entries_[slot - 1];
  return {text_.data() + e.value_at, e.value_size};
}

void EventFields::clear() {
  text_.clear();
  entries_.clear();
  std::fill(slots_.begin(), slots_.end(), 0);
}

}  // namespace chanval
