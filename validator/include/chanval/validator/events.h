// Reading events: flat JSON lines ({"EventID": 1, "Image": ...}) and the
// Windows event log's JSON export ({"Event": {"System": {"EventID": N},
// "EventData": {...}}}, several objects possibly concatenated). Parsed with
// simdjson; the template type comes from the provider and the EventID: the
// template types are Sysmon's, so an event another provider names (Security
// 4688, or some provider's own event 1) maps to none. An event that names no
// provider (flat lines without Provider_Name) is taken as Sysmon's.
//
// Reading streams: memory stays within a few times kMaxEventBytes whatever
// the input's size, and each byte is scanned a bounded number of times.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chanval {

// The largest event object read (a Windows event record is at most 64 KiB).
inline constexpr std::size_t kMaxEventBytes = 1u << 20;
// The most distinct fields an event may have (Sysmon's have about 25): more
// is a bad event. It bounds the work of an event whose field names were
// chosen to collide in the field index, whatever its hash.
inline constexpr std::size_t kMaxEventFields = 1024;

// An event's named fields, in one text buffer with a hash index: a map of
// strings was a dozen allocations per event and a third of `chanval run`'s
// reading. When a name occurs twice, the first value is the one kept.
// Offsets are 32-bit: an event is at most kMaxEventBytes. Field names come
// from the input, so the hash is keyed by a per-process random seed: names
// crafted to collide in an unkeyed index made a 300 KB event take 0.3 s
// (tests/test_events.cpp).
//
// The names and their index outlive clear(): a log's events mostly repeat
// the last one's names in the same order, so an Add whose name is the one
// the last event had at that position, or a Get whose name is the one the
// same call found last event, is a comparison with no hashing or probing
// (hashing was 5% of `chanval run`). A name off that course is hashed; the
// first one that is not a repeat of this event's drops the last event's
// names past this event's, so the index holds one event's names and an
// event costs at most one re-index of the names it has so far. Get keeps
// that memo although it is const: one thread at a time reads an
// EventFields (each reader, and each Replay, has its own event).
class EventFields {
 public:
  void Add(std::string_view name, std::string_view value);
  std::string_view Get(std::string_view name) const;  // empty if absent
  std::size_t size() const { return values_.size(); }
  void clear();  // keeps the names, the index and the capacity, for the next event
  std::uint64_t probes() const { return probes_; }  // index slots examined so far: for tests of the hash
  // The index's hash under `seed` (each EventFields uses the process's).
  static std::uint32_t HashWithSeed(std::string_view name, std::uint32_t seed);

 private:
  struct Key {
    std::uint32_t name_at, name_size, hash;
  };
  struct Value {
    std::uint32_t at, size;
  };
  // Gets answered from memo_ by call order, at most this many an event.
  static constexpr std::size_t kMemoGets = 64;

  std::string_view Name(const Key& k) const { return {names_.data() + k.name_at, k.name_size}; }
  // The value of key k in this event, empty if this event lacks it.
  std::string_view ValueOf(std::size_t k) const {
    if (k >= values_.size()) return {};
    return {text_.data() + values_[k].at, values_[k].size};
  }
  // The index in slots_ of the slot holding `name` (whose value is its
  // key index + 1), or of the empty slot where it would go.
  std::size_t SlotOf(std::string_view name, std::uint32_t hash) const;
  void AddKey(std::string_view name, std::uint32_t hash);
  void AddValue(std::string_view value);
  void Reindex(std::size_t slot_count);

  std::uint32_t Hash(std::string_view name) const { return HashWithSeed(name, seed_); }
  static std::uint32_t ProcessSeed();

  // keys_[i] names values_[i] for i < size(); keys past size() are the last
  // event's, still in the index. All keys are distinct names.
  std::string names_;
  std::vector<Key> keys_;
  std::string text_;                  // this event's values
  std::vector<Value> values_;         // in input order
  std::vector<std::uint32_t> slots_;  // open addressing over keys_, at most half full; 0 is empty
  mutable std::vector<std::uint32_t> memo_;  // per Get call of an event: the key it found + 1, 0 if none
  mutable std::size_t gets_ = 0;             // Get calls this event
  std::uint32_t seed_ = ProcessSeed();
  mutable std::uint64_t probes_ = 0;
};

struct RecordedEvent {
  std::size_t line = 0;            // 1-based line (or object start line) in the file
  std::uint16_t event_id = 0;
  std::uint16_t template_type = 0; // 0: provider and EventID map to no template type
  std::string provider;            // as the event names it; empty if it does not
  EventFields fields;

  std::string_view Get(std::string_view name) const { return fields.Get(name); }
};

struct EventError {
  std::size_t line = 0;
  std::string message;
};

using OnEvent = std::function<void(RecordedEvent&&)>;
using OnEventError = std::function<void(const EventError&)>;

// A push reader: Feed bytes as they arrive, then Finish. Calls on_event /
// on_error in input order, each as soon as its object is complete (so a
// pipe is served event by event).
//
// Top-level objects are found by bracket matching that knows strings; a
// raw newline ends a string (JSON has none inside strings), so an object's
// extent does not depend on where reading started. An object that does not
// close within kMaxEventBytes, or by the end, is an error at its first line
// and reading resumes on the next line: one bad line costs only itself, and
// no byte is scanned twice for brackets.
class EventReader {
 public:
  EventReader(OnEvent on_event, OnEventError on_error, std::size_t max_event_bytes = kMaxEventBytes);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  void Feed(std::string_view bytes);
  void Finish();
  std::size_t buffered() const;   // bytes held: for tests of the memory bound
  std::uint64_t scanned() const;  // bytes examined so far (tokenizer, walk, parser): for tests of linearity

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// The whole of `text`, through an EventReader.
void ReadEvents(std::string_view text, const OnEvent& on_event, const OnEventError& on_error);

// Reads `fd` to its end in chunks through an EventReader; after_chunk (if
// set) runs after each chunk's events, e.g. to flush output for a pipe.
// Returns an I/O error message, or nullopt.
std::optional<std::string> StreamEvents(int fd, const std::string& name, const OnEvent& on_event,
                                        const OnEventError& on_error, const std::function<void()>& after_chunk = {});

// An events file that can be read more than once, in constant memory: a
// regular file, or standard input ("-") copied once into an unnamed
// temporary file. Anything else (a FIFO, a device) is refused at Open.
class EventSource {
 public:
  EventSource() = default;
  ~EventSource();
  EventSource(const EventSource&) = delete;
  EventSource& operator=(const EventSource&) = delete;

  std::optional<std::string> Open(const std::string& path);
  // From the start, each call. Safe to call from several threads at once.
  std::optional<std::string> Replay(const OnEvent& on_event, const OnEventError& on_error) const;
  const std::string& name() const { return name_; }

 private:
  int fd_ = -1;
  std::string name_;
};

}  // namespace chanval
