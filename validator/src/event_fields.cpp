// EventFields (events.h): an event's fields in one buffer with a keyed hash
// index. Tests: tests/test_events.cpp (lookup, repeated names, many fields,
// reuse after clear, names crafted to collide).
#include "chanval/validator/events.h"

#include "chanval/interpreter/keyed_hash.h"

namespace chanval {

// The process's one random key (keyed_hash.h) under SipHash, applied to a
// label: the seed differs per process as the key does, and reveals nothing
// of the key the loader's tables use. SipHash on every field name of every
// event read the SigmaHQ events 7% slower (bench_events, best of 8: 34.4–35.1
// ms against 31.4–32.7), so the index keeps seeded FNV-1a, and the field cap
// (kMaxEventFields) bounds its worst case.
std::uint32_t EventFields::ProcessSeed() {
  static const auto seed = static_cast<std::uint32_t>(interp::KeyedStringHash{}("chanval event field index seed"));
  return seed;
}

// FNV-1a from the seed, then MurmurHash3's finalizer so that every bit of
// the state reaches the low bits the index uses. Collisions are settled by
// comparing names.
std::uint32_t EventFields::HashWithSeed(std::string_view name, std::uint32_t seed) {
  std::uint32_t h = 2166136261u ^ seed;
  for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
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
