#include "chanval/validator/events.h"

#include <simdjson.h>

#include <algorithm>
#include <string>

#include "chanval/interpreter/registry.h"

namespace chanval {
namespace {

std::string ScalarText(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::STRING: return std::string(std::string_view(v.get_string()));
    case simdjson::dom::element_type::INT64: return std::to_string(int64_t(v.get_int64()));
    case simdjson::dom::element_type::UINT64: return std::to_string(uint64_t(v.get_uint64()));
    case simdjson::dom::element_type::DOUBLE: return simdjson::to_string(v);
    case simdjson::dom::element_type::BOOL: return bool(v.get_bool()) ? "true" : "false";
    case simdjson::dom::element_type::NULL_VALUE: return "";
    default: return simdjson::minify(v);
  }
}

bool ToEventId(simdjson::dom::element v, std::uint16_t& out) {
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.get_int64();
  } else if (v.is_uint64()) {
    n = static_cast<std::int64_t>(std::min<std::uint64_t>(v.get_uint64(), 1u << 20));
  } else if (v.is_string()) {
    const std::string s(std::string_view(v.get_string()));
    try {
      n = std::stoll(s);
    } catch (...) {
      return false;
    }
  } else if (v.is_object()) {
    // Some exports write {"EventID": {"#text": "1"}} or {"Value": 1}.
    for (auto [k, inner] : v.get_object()) {
      if (ToEventId(inner, out)) return true;
    }
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
      for (auto [k, v] : fields) ev.fields.emplace(std::string(k), ScalarText(v));
    }
  } else {
    simdjson::dom::element id;
    if (obj["EventID"].get(id) || !ToEventId(id, ev.event_id)) return "EventID missing or not a number";
    for (auto [k, v] : obj) ev.fields.emplace(std::string(k), ScalarText(v));
    ev.provider = std::string(ev.Get("Provider_Name"));
  }
  const auto* type = interp::FindTemplateTypeByEventId(ev.event_id);
  ev.template_type = type && (ev.provider.empty() || ev.provider == kSysmonProvider) ? type->id : 0;
  return {};
}

}  // namespace

bool ReadEvents(const std::string& text, const std::function<void(RecordedEvent&&)>& on_event,
                const std::function<void(const EventError&)>& on_error) {
  // Top-level objects are delimited by a brace scanner that knows strings,
  // so pretty-printed exports, several objects in one file and JSON lines all
  // work. A chunk that fails to parse is reported at its first line and
  // scanning resumes on the next line, so one bad line costs only itself.
  simdjson::dom::parser parser;
  std::size_t pos = 0, line = 1;
  auto advance_to = [&](std::size_t target) {
    line += static_cast<std::size_t>(std::count(text.begin() + pos, text.begin() + target, '\n'));
    pos = target;
  };
  auto next_line = [&](std::size_t from) {
    const auto nl = text.find('\n', from);
    return nl == std::string::npos ? text.size() : nl + 1;
  };
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance_to(pos + 1);
      continue;
    }
    if (c != '{') {
      on_error({line, "expected a JSON object"});
      advance_to(next_line(pos));
      continue;
    }
    std::size_t depth = 0, end = pos;
    bool in_string = false, escaped = false;
    for (; end < text.size(); ++end) {
      const char ch = text[end];
      if (in_string) {
        if (escaped) escaped = false;
        else if (ch == '\\') escaped = true;
        else if (ch == '"') in_string = false;
      } else if (ch == '"') {
        in_string = true;
      } else if (ch == '{' || ch == '[') {
        ++depth;
      } else if (ch == '}' || ch == ']') {
        if (--depth == 0) break;
      }
    }
    simdjson::dom::element doc;
    const bool complete = end < text.size();
    const auto chunk = std::string_view(text).substr(pos, complete ? end + 1 - pos : text.size() - pos);
    if (!complete || parser.parse(chunk.data(), chunk.size()).get(doc)) {
      on_error({line, complete ? "malformed JSON object" : "incomplete JSON object"});
      advance_to(next_line(pos));
      continue;
    }
    RecordedEvent ev;
    ev.line = line;
    if (auto msg = Convert(doc, ev); !msg.empty()) {
      on_error({line, msg});
    } else {
      on_event(std::move(ev));
    }
    advance_to(end + 1);
  }
  return true;
}

}  // namespace chanval
