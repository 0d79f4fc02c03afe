// RenderText, RenderJson, RenderSarif and JsonEscape (report.h).
// Tests: tests/test_report.cpp, the cli.check_json/sarif tests.
#include "chanval/validator/report.h"

#include <fmt/format.h>

#include <map>

#include "chanval/validator/parser.h"

namespace chanval {
namespace {

const char* Colour(Level l) {
  switch (l) {
    case Level::Error: return "\x1b[1;31m";
    case Level::Warning: return "\x1b[1;33m";
    case Level::Note: return "\x1b[1;36m";
  }
  return "";
}

std::string Location(const Diagnostic& d) {
  std::string s = d.file;
  if (d.offset) s += fmt::format("@{}", *d.offset);
  return s;
}

std::string Context(const Diagnostic& d) {
  std::string s;
  if (d.sensor) s += fmt::format(" sensor={}", d.sensor->ToString());
  if (d.instance_id) s += fmt::format(" instance={}", *d.instance_id);
  if (!d.instance_name.empty()) s += fmt::format(" ({})", d.instance_name);
  if (d.field) s += fmt::format(" field={}", *d.field);
  if (!d.field_name.empty()) s += fmt::format(" ({})", d.field_name);
  return s;
}

struct Counts {
  std::size_t errors = 0, warnings = 0, notes = 0;
};
Counts Count(const Diagnostics& ds) {
  Counts c;
  for (const auto& d : ds) {
    (d.level == Level::Error ? c.errors : d.level == Level::Warning ? c.warnings : c.notes)++;
  }
  return c;
}

std::string OptNum(const auto& o) { return o ? fmt::format("{}", *o) : "null"; }

}  // namespace

std::string JsonEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = Utf8SequenceAt(s, i);
    if (n == 0) {
      // Not UTF-8 (a file name is any bytes): U+FFFD per byte keeps the
      // document valid JSON; the text report shows the name as it is.
      out += "\\ufffd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  return out;
}

namespace {
// The loader's figures and the measured worst event per build, as JSON (the
// same fields in --format json and in SARIF's run properties).
std::string ResourcesJson(const FileReport& r) {
  std::string out = "[";
  for (std::size_t k = 0; k < r.resources.size(); ++k) {
    const auto& x = r.resources[k];
    const auto& f = x.figures;
    out += fmt::format(
        "{}{{\"sensor\": \"{}\", \"loaded\": {}, \"cost_bound\": {}, \"cost_bound_type\": {}, \"cost_budget\": {}, "
        "\"memory_bound\": {}, \"load_bytes\": {}, \"build_bytes\": {}, \"regex_reserve_bytes\": {}, "
        "\"automaton_bytes\": {}, \"memory_budget\": {}, \"worst_events\": {}, \"slowest_event_us\": {:.1f}, "
        "\"slowest_event_cost\": {}, \"max_event_cost\": {}, \"time_budget_us\": {}}}",
        k ? ", " : "", x.sensor.ToString(), x.loaded, f.cost_bound, f.cost_bound_type, x.budgets.max_cost_per_event,
        f.memory_bound(), f.load_bytes, f.build_bytes, f.regex_reserve_bytes, f.automaton_bytes,
        x.budgets.max_load_memory, x.worst_events, x.slowest_event_us, x.slowest_event_cost, x.max_event_cost,
        x.budgets.max_event_time_us);
  }
  return out + "]";
}

std::string Mib(std::uint64_t bytes) { return fmt::format("{:.1f} MiB", bytes / 1048576.0); }

}  // namespace

std::string FormatDiagnostic(const Diagnostic& d, bool color) {
  const char* on = color ? Colour(d.level) : "";
  const char* off = color ? "\x1b[0m" : "";
  return fmt::format("{}{}{} {} [{}] {}:{} {}", on, LevelName(d.level), off, CodeId(d.code),
                     InfoFor(d.code).slug, Location(d), Context(d), d.message);
}

std::string RenderText(const std::vector<FileReport>& reports, bool color, bool verbose) {
  std::string out;
  std::size_t passed = 0, rejected = 0, io = 0;
  for (const auto& r : reports) {
    if (!r.io_error.empty()) {
      out += fmt::format("{}: cannot check: {}\n", r.file, r.io_error);
      ++io;
      continue;
    }
    for (const auto& d : r.diagnostics) out += FormatDiagnostic(d, color) + "\n";
    const Counts c = Count(r.diagnostics);
    const char* verdict = r.passed() ? (color ? "\x1b[1;32mPASS\x1b[0m" : "PASS") : (color ? "\x1b[1;31mREJECT\x1b[0m" : "REJECT");
    out += fmt::format("{} {}: {} instances, {} sensor build{}, {} errors, {} warnings\n", verdict, r.file,
                       r.instances, r.builds, r.builds == 1 ? "" : "s", c.errors, c.warnings);
    if (verbose) {
      out += fmt::format("  time: parse {:.2f} ms, semantics {:.2f} ms, execution {:.2f} ms\n", r.parse_ms,
                         r.semantic_ms, r.execution_ms);
      for (const auto& x : r.resources) {
        const auto& f = x.figures;
        out += fmt::format(
            "  resources: sensor {}: cost bound {} of {} units per event (type {}); memory {} of {} ({} held, "
            "{} while loading, {} regex DFA reserve){}\n",
            x.sensor.ToString(), f.cost_bound, x.budgets.max_cost_per_event, f.cost_bound_type, Mib(f.memory_bound()),
            Mib(x.budgets.max_load_memory), Mib(f.load_bytes), Mib(f.build_bytes), Mib(f.regex_reserve_bytes),
            x.loaded ? fmt::format("; slowest of {} worst-case events {:.0f} us of {} us ({} units)", x.worst_events,
                                   x.slowest_event_us, x.budgets.max_event_time_us, x.slowest_event_cost)
                     : "; not loaded");
      }
      for (const auto& x : r.reach) {
        out += fmt::format("  reach: sensor {} instance {} ({}): {}/{} matchers reached in {} events\n",
                           x.sensor.ToString(), x.instance_id, x.instance_name, x.reached, x.matchers, x.events);
      }
    }
    (r.passed() ? passed : rejected)++;
  }
  out += fmt::format("{} files: {} passed, {} rejected{}\n", reports.size(), passed, rejected,
                     io ? fmt::format(", {} unreadable", io) : "");
  return out;
}

std::string RenderJson(const std::vector<FileReport>& reports) {
  std::string out = "{\n  \"files\": [";
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const auto& r = reports[i];
    out += fmt::format("{}\n    {{\"file\": \"{}\", \"verdict\": \"{}\", \"instances\": {}, \"builds\": {}, ",
                       i ? "," : "", JsonEscape(r.file),
                       !r.io_error.empty() ? "unreadable" : r.passed() ? "pass" : "reject", r.instances, r.builds);
    if (!r.io_error.empty()) out += fmt::format("\"io_error\": \"{}\", ", JsonEscape(r.io_error));
    out += fmt::format("\"timing_ms\": {{\"parse\": {:.3f}, \"semantic\": {:.3f}, \"execution\": {:.3f}}}, ",
                       r.parse_ms, r.semantic_ms, r.execution_ms);
    out += "\"diagnostics\": [";
    for (std::size_t k = 0; k < r.diagnostics.size(); ++k) {
      const auto& d = r.diagnostics[k];
      out += fmt::format(
          "{}\n      {{\"level\": \"{}\", \"code\": \"{}\", \"name\": \"{}\", \"file\": \"{}\", \"offset\": {}, "
          "\"sensor\": {}, \"instance_id\": {}, \"instance_name\": \"{}\", \"field\": {}, \"field_name\": \"{}\", "
          "\"message\": \"{}\"}}",
          k ? "," : "", LevelName(d.level), CodeId(d.code), InfoFor(d.code).slug, JsonEscape(d.file),
          OptNum(d.offset), d.sensor ? fmt::format("\"{}\"", d.sensor->ToString()) : "null",
          OptNum(d.instance_id), JsonEscape(d.instance_name), OptNum(d.field), JsonEscape(d.field_name),
          JsonEscape(d.message));
    }
    out += r.diagnostics.empty() ? "]" : "\n    ]";
    out += ", \"resources\": " + ResourcesJson(r);
    if (!r.reach.empty()) {
      out += ", \"reach\": [";
      for (std::size_t k = 0; k < r.reach.size(); ++k) {
        const auto& x = r.reach[k];
        out += fmt::format("{}{{\"sensor\": \"{}\", \"instance_id\": {}, \"matchers\": {}, \"reached\": {}, "
                           "\"events\": {}}}",
                           k ? ", " : "", x.sensor.ToString(), x.instance_id, x.matchers, x.reached, x.events);
      }
      out += "]";
    }
    out += "}";
  }
  std::size_t passed = 0;
  for (const auto& r : reports) passed += r.passed();
  out += fmt::format("\n  ],\n  \"summary\": {{\"files\": {}, \"passed\": {}, \"rejected\": {}}}\n}}\n",
                     reports.size(), passed, reports.size() - passed);
  return out;
}

std::string RenderSarif(const std::vector<FileReport>& reports) {
  // Rules: every code that occurs, with its stable id and help text.
  std::map<unsigned, const CodeInfo*> used;
  for (const auto& r : reports) {
    for (const auto& d : r.diagnostics) used.emplace(static_cast<unsigned>(d.code), &InfoFor(d.code));
  }
  std::map<unsigned, std::size_t> rule_index;
  std::string rules;
  for (const auto& [n, info] : used) {
    rule_index[n] = rule_index.size();
    rules += fmt::format(
        "{}\n          {{\"id\": \"{}\", \"name\": \"{}\", \"shortDescription\": {{\"text\": \"{}\"}}, "
        "\"fullDescription\": {{\"text\": \"{}\"}}, \"help\": {{\"text\": \"{}\"}}, "
        "\"defaultConfiguration\": {{\"level\": \"{}\"}}}}",
        rules.empty() ? "" : ",", CodeId(info->code), info->slug, JsonEscape(info->slug), JsonEscape(info->help),
        JsonEscape(info->help), LevelName(info->level));
  }
  std::string results, resources;
  for (const auto& r : reports) {
    resources += fmt::format("{}{{\"file\": \"{}\", \"builds\": {}}}", resources.empty() ? "" : ", ",
                             JsonEscape(r.file), ResourcesJson(r));
    for (const auto& d : r.diagnostics) {
      std::string region = d.offset ? fmt::format(", \"region\": {{\"byteOffset\": {}, \"byteLength\": 1}}", *d.offset) : "";
      std::string logical;
      if (d.instance_id) {
        logical = fmt::format(", \"logicalLocations\": [{{\"name\": \"{}\", \"fullyQualifiedName\": \"instance/{}{}\", "
                              "\"kind\": \"object\"}}]",
                              JsonEscape(d.instance_name.empty() ? std::to_string(*d.instance_id) : d.instance_name),
                              *d.instance_id, d.field ? fmt::format("/field/{}", *d.field) : "");
      }
      std::string props = fmt::format("\"properties\": {{\"sensor\": {}, \"instanceId\": {}, \"field\": {}, "
                                      "\"fieldName\": \"{}\"}}",
                                      d.sensor ? fmt::format("\"{}\"", d.sensor->ToString()) : "null",
                                      OptNum(d.instance_id), OptNum(d.field), JsonEscape(d.field_name));
      results += fmt::format(
          "{}\n        {{\"ruleId\": \"{}\", \"ruleIndex\": {}, \"level\": \"{}\", \"message\": {{\"text\": \"{}\"}}, "
          "\"locations\": [{{\"physicalLocation\": {{\"artifactLocation\": {{\"uri\": \"{}\"}}{}}}{}}}], {}}}",
          results.empty() ? "" : ",", CodeId(d.code), rule_index[static_cast<unsigned>(d.code)],
          d.level == Level::Error ? "error" : d.level == Level::Warning ? "warning" : "note", JsonEscape(d.message),
          JsonEscape(d.file), region, logical, props);
    }
  }
  return fmt::format(
      "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n"
      "  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {{\"name\": \"chanval\", \"version\": \"0.1.0\", \"rules\": [{}\n      ]}}}},\n"
      "      \"results\": [{}\n      ],\n      \"properties\": {{\"chanvalResources\": [{}]}}\n    }}\n  ]\n}}\n",
      rules, results, resources);
}

}  // namespace chanval
