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

namespace {

// Field names are short (Sysmon's: 4 to 20 bytes): compared eight bytes a
// step here, the tail in one overlapping load, rather than through a
// library call per name (about 50 an event).
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  const std::size_t n = a.size();
  const auto same = [&]<typename Word>(std::size_t at, Word) {
    Word x, y;
    std::memcpy(&x, p + at, sizeof x);
    std::memcpy(&y, q + at, sizeof y);
    return x == y;
  };
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (!same(i, std::uint64_t{})) return false;
    }
    return same(n - 8, std::uint64_t{});
  }
  if (n >= 4) return same(0, std::uint32_t{}) && same(n - 4, std::uint32_t{});
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != q[i]) return false;
  }
  return true;
}

}  // namespace

std::size_t EventFields::SlotOf(std::string_view name, std::uint32_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
    ++probes_;
    const std::uint32_t slot = slots_[at];
    if (slot == 0) return at;
    const Key& k = keys_[slot - 1];
    if (k.hash == hash && SameName(Name(k), name)) return at;
  }
}

void EventFields::Reindex(std::size_t slot_count) {
  slots_.assign(slot_count, 0);
  for (std::uint32_t i = 0; i < keys_.size(); ++i) slots_[SlotOf(Name(keys_[i]), keys_[i].hash)] = i + 1;
}

// A name new to this event, as key size(): keys past it were the last
// event's and are dropped first.
void EventFields::AddKey(std::string_view name, std::uint32_t hash) {
  if (keys_.size() > values_.size()) {
    keys_.resize(values_.size());
    names_.resize(keys_.empty() ? 0 : keys_.back().name_at + keys_.back().name_size);
    Reindex(slots_.size());
  }
  if (2 * (keys_.size() + 1) > slots_.size()) Reindex(slots_.empty() ? 64 : 2 * slots_.size());
  const std::size_t at = SlotOf(name, hash);
  keys_.push_back({static_cast<std::uint32_t>(names_.size()), static_cast<std::uint32_t>(name.size()), hash});
  names_.append(name);
  slots_[at] = static_cast<std::uint32_t>(keys_.size());
}

void EventFields::AddValue(std::string_view value) {
  values_.push_back({static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(value.size())});
  text_.append(value);
}

void EventFields::Add(std::string_view name, std::string_view value) {
  const std::size_t n = values_.size();
  if (n < keys_.size() && SameName(Name(keys_[n]), name)) {  // the last event's name at this position
    AddValue(value);
    return;
  }
  const std::uint32_t hash = Hash(name);
  if (!slots_.empty()) {
    const std::uint32_t slot = slots_[SlotOf(name, hash)];
    if (slot != 0 && slot - 1 < n) return;  // a repeated name: the first value stands
  }
  AddKey(name, hash);
  AddValue(value);
}

std::string_view EventFields::Get(std::string_view name) const {
  const std::size_t call = gets_++;
  if (call < memo_.size()) {  // what this call found last event, if it is the name asked
    const std::uint32_t k = memo_[call];
    if (k != 0 && k - 1 < keys_.size() && SameName(Name(keys_[k - 1]), name)) return ValueOf(k - 1);
  }
  if (slots_.empty()) return {};
  const std::uint32_t slot = slots_[SlotOf(name, Hash(name))];
  if (call < kMemoGets) {
    if (memo_.size() <= call) memo_.resize(call + 1, 0);
    memo_[call] = slot;
  }
  return slot == 0 ? std::string_view{} : ValueOf(slot - 1);
}

void EventFields::clear() {
  text_.clear();
  values_.clear();
  gets_ = 0;
}

}  // namespace chanval
