// Reading events: flat JSON lines ({"EventID": 1, "Image": ...}) and the
// Windows event log's JSON export ({"Event": {"System": {"EventID": N},
// "EventData": {...}}}, several objects possibly concatenated). Parsed with
// simdjson; the template type comes from the provider and the EventID: the
// template types are Sysmon's, so an event another provider names (Security
// 4688, or some provider's own event 1) maps to none. An event that names no
// provider (flat lines without Provider_Name) is taken as Sysmon's.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace chanval {

struct RecordedEvent {
  std::size_t line = 0;            // 1-based line (or object start line) in the file
  std::uint16_t event_id = 0;
  std::uint16_t template_type = 0; // 0: provider and EventID map to no template type
  std::string provider;            // as the event names it; empty if it does not
  std::map<std::string, std::string, std::less<>> fields;

  std::string_view Get(std::string_view name) const {
    auto it = fields.find(name);
    return it == fields.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct EventError {
  std::size_t line = 0;
  std::string message;
};

// Calls on_event / on_error in file order. Returns false if the text could
// not be read at all (then on_error was called once).
bool ReadEvents(const std::string& text, const std::function<void(RecordedEvent&&)>& on_event,
                const std::function<void(const EventError&)>& on_error);

}  // namespace chanval
