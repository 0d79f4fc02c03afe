// ConvertEvent (event_convert.h): one parsed JSON object → RecordedEvent.
// Tests: tests/test_events.cpp, tests/cli/run_events.sh.
#include "event_convert.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>

#include "chanval/interpreter/registry.h"

namespace chanval {
namespace {

// A field's value as the interpreter sees it: strings as they are, numbers
// and literals as written, anything else minified.
void AddScalar(EventFields& fields, std::string_view name, simdjson::dom::element v) {
  char number[24];
  const auto add_number = [&](auto n) {
    const auto r = std::to_chars(number, number + sizeof number, n);
    fields.Add(name, std::string_view(number, static_cast<std::size_t>(r.ptr - number)));
  };
  switch (v.type()) {
    case simdjson::dom::element_type::STRING: fields.Add(name, std::string_view(v.get_string())); return;
    case simdjson::dom::element_type::INT64: add_number(std::int64_t(v.get_int64())); return;
    case simdjson::dom::element_type::UINT64: add_number(std::uint64_t(v.get_uint64())); return;
    case simdjson::dom::element_type::DOUBLE: fields.Add(name, simdjson::to_string(v)); return;
    case simdjson::dom::element_type::BOOL: fields.Add(name, bool(v.get_bool()) ? "true" : "false"); return;
    case simdjson::dom::element_type::NULL_VALUE: fields.Add(name, ""); return;
    default: fields.Add(name, simdjson::minify(v)); return;
  }
}

// Every key of `obj` as a field. Returns an error message, or empty.
std::string AddFields(simdjson::dom::object obj, EventFields& fields) {
  for (auto [k, v] : obj) {
    AddScalar(fields, k, v);
    if (fields.size() > kMaxEventFields) {
      return "event has more than " + std::to_string(kMaxEventFields) + " fields (kMaxEventFields)";
    }
  }
  return {};
}

// Decimal digits only, at most 5 of them: "17abc", " 17", "+17" are not ids.
bool ParseEventIdText(std::string_view s, std::int64_t& n) {
  if (s.empty() || s.size() > 5) return false;
  n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return true;
}

bool ToEventId(simdjson::dom::element v, std::uint16_t& out, bool nested = false) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    return false;  // beyond int64: no 16-bit id
  } else if (v.is_string()) {
    if (!ParseEventIdText(std::string_view(v.get_string()), n)) return false;
  } else if (v.is_object() && !nested) {
    // Exports write {"EventID": {"#text": "1"}} (with "#attributes"
    // beside it) or {"Value": 1}; the id is there and nowhere deeper.
    simdjson::dom::element inner;
    if (!v["#text"].get(inner) || !v["Value"].get(inner)) return ToEventId(inner, out, true);
    return false;
  } else {
    return false;
  }
  if (n < 0 || n > 0xffff) return false;
  out = static_cast<std::uint16_t>(n);
  return true;
}

constexpr std::string_view kSysmonProvider = "Microsoft-Windows-Sysmon";

// System.Provider as exports write it: {"#attributes": {"Name": ...}},
// {"Name": ...} or a plain string.
std::string ProviderName(simdjson::dom::element provider) {
  std::string_view name;
  if (provider.is_string()) return std::string(std::string_view(provider.get_string()));
  simdjson::dom::element attrs;
  if (!provider["#attributes"].get(attrs) && !attrs["Name"].get(name)) return std::string(name);
  if (!provider["Name"].get(name)) return std::string(name);
  return {};
}

// One JSON object → event. Returns an error message, or empty on success.
std::string Convert(simdjson::dom::element doc, RecordedEvent& ev) {
  simdjson::dom::object obj;
  if (doc.get_object().get(obj)) return "not a JSON object";
  simdjson::dom::element event;
  if (!obj["Event"].get(event)) {
    simdjson::dom::element sys, data, id;
    if (event["System"].get(sys) || sys["EventID"].get(id) || !ToEventId(id, ev.event_id)) {
      return "Event.System.EventID missing or not a number";
    }
    simdjson::dom::element provider;
    if (!sys["Provider"].get(provider)) ev.provider = ProviderName(provider);
    if (!event["EventData"].get(data)) {
      simdjson::dom::object fields;
      if (data.get_object().get(fields)) return "Event.EventData is not an object";
      if (auto msg = AddFields(fields, ev.fields); !msg.empty()) return msg;
    }
  } else {
    simdjson::dom::element id;
    if (obj["EventID"].get(id) || !ToEventId(id, ev.event_id)) return "EventID missing or not a number";
    if (auto msg = AddFields(obj, ev.fields); !msg.empty()) return msg;
    ev.provider = std::string(ev.Get("Provider_Name"));
  }
  const auto* type = interp::FindTemplateTypeByEventId(ev.event_id);
  ev.template_type = type && (ev.provider.empty() || ev.provider == kSysmonProvider) ? type->id : 0;
  return {};
}

}  // namespace

std::string ConvertEvent(simdjson::dom::element doc, RecordedEvent& ev) { return Convert(doc, ev); }

}  // namespace chanval
