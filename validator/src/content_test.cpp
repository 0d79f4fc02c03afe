// RunContentTest, RenderJUnit (content_test.h).
// Tests: tests/cli/content_tests.sh (with corpus/tests/), tests/cli/import_sigma.sh.
#include "chanval/validator/content_test.h"

#include <fmt/format.h>

#include <algorithm>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/session.h"

namespace chanval {
namespace {

const fb::Instance* FindInstance(const fb::ChannelFile& root, std::uint32_t id) {
  for (const auto* i : *root.instances()) {
    if (i->id() == id) return i;
  }
  return nullptr;
}

// A field the instance reads that the build does not supply, if any.
std::optional<std::uint16_t> UnsuppliedRead(const fb::Instance& inst, const interp::TypeSpec& type) {
  std::optional<std::uint16_t> out;
  for (const auto* m : *inst.matchers()) {
    interp::ForEachFieldRead(*m, [&](std::uint16_t f) {
      if (!out && f >= type.supplied.size()) out = f;
    });
  }
  return out;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default:
        // XML 1.0 has no other control characters than tab, newline, return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

}  // namespace

const interp::CompiledContent::Result& LoadedContent::For(const FleetMember& build) {
  auto it = loaded_.find(build.profile.version);
  if (it == loaded_.end()) {
    it = loaded_.emplace(build.profile.version, interp::CompiledContent::Load(content_.root(), build.profile)).first;
  }
  return it->second;
}

std::vector<TestCaseResult> RunContentTest(const ContentTestSpec& spec, LoadedContent& loaded_content,
                                           const Fleet& fleet) {
  const ParsedChannel& content = loaded_content.file();
  std::vector<TestCaseResult> out;
  const auto& env = content.envelope;
  std::vector<const FleetMember*> builds;
  if (spec.sensors.empty()) {
    builds = fleet.InRange(env.min_sensor, env.max_sensor);
  } else {
    for (const auto& v : spec.sensors) {
      const auto* m = fleet.Find(v);
      if (!m || v < env.min_sensor || env.max_sensor < v) {
        out.push_back({"sensor " + v.ToString(), false,
                       !m ? "no manifest for sensor " + v.ToString() + " in the fleet"
                          : "sensor " + v.ToString() + " is outside the file's range " + env.min_sensor.ToString() +
                                ".." + env.max_sensor.ToString()});
        continue;
      }
      builds.push_back(m);
    }
  }
  if (builds.empty() && out.empty()) out.push_back({"sensor builds", false, "no fleet build in the file's range"});

  for (const FleetMember* build : builds) {
    const auto& profile = build->profile;
    const std::string sensor = "sensor " + profile.version.ToString();
    const auto& loaded = loaded_content.For(*build);
    if (!loaded.content) {
      out.push_back({sensor + ": load", false,
                     fmt::format("{} cannot load the file: {} ({})", sensor, interp::LoadStatusName(loaded.error.status),
                                 loaded.error.detail)});
      continue;
    }
    interp::Session session(*loaded.content);
    // Evaluates one named event for instance `id`: an error message, or
    // whether it matched (in `matched`).
    auto evaluate = [&](const fb::Instance* inst, std::uint32_t id, const std::string& event_name, bool want,
                        bool& matched) -> std::string {
      const auto ev = spec.events.find(event_name);
      const interp::TypeSpec* type = inst ? profile.FindType(inst->template_type()) : nullptr;
      if (!inst) return fmt::format("the file has no instance {}", id);
      if (ev == spec.events.end()) return "no event named '" + event_name + "'";
      if (!type) return fmt::format("{} has no template type {}", sensor, inst->template_type());
      if (ev->second.template_type != inst->template_type()) {
        return fmt::format("event '{}' maps to template type {}, instance {} is of type {}", event_name,
                           ev->second.template_type, id, inst->template_type());
      }
      const auto outcome =
          session.Evaluate(inst->template_type(), [&](std::string_view n) { return ev->second.Get(n); });
      matched = std::any_of(session.matches().begin(), session.matches().end(),
                            [&](const interp::Match& m) { return m.instance_id == id; });
      const auto unsupplied = UnsuppliedRead(*inst, *type);
      if (outcome.status != interp::EvalStatus::Ok) {
        std::string msg = fmt::format("evaluation faulted: {} at field {}", interp::EvalStatusName(outcome.status),
                                      outcome.fault_field);
        if (unsupplied) {
          msg += fmt::format(" ({} supplies {} inputs to {}; the instance reads field {})", sensor,
                             type->supplied.size(), type->name, *unsupplied);
        }
        return msg;
      }
      if (want && !matched && unsupplied) {
        return fmt::format("no match: {} cannot supply field {} of {}, which the instance reads", sensor, *unsupplied,
                           type->name);
      }
      return {};
    };
    for (const auto& e : spec.expectations) {
      const fb::Instance* inst = FindInstance(content.root(), e.instance);
      if (!e.match_any.empty()) {
        TestCaseResult r;
        std::string names;
        for (const auto& n : e.match_any) names += (names.empty() ? "" : ", ") + n;
        r.name = fmt::format("{}: instance {} matches one of [{}]", sensor, e.instance, names);
        std::string first_error;
        for (const auto& n : e.match_any) {
          bool matched = false;
          const auto err = evaluate(inst, e.instance, n, true, matched);
          if (matched && err.empty()) r.passed = true;
          if (!err.empty() && first_error.empty()) first_error = n + ": " + err;
        }
        if (!r.passed) r.message = first_error.empty() ? "none matched" : first_error;
        out.push_back(std::move(r));
      }
      for (const auto* list : {&e.match, &e.no_match}) {
        const bool want = list == &e.match;
        for (const auto& event_name : *list) {
          TestCaseResult r;
          r.name = fmt::format("{}: instance {} {} {}", sensor, e.instance, want ? "matches" : "does not match",
                               event_name);
          bool matched = false;
          r.message = evaluate(inst, e.instance, event_name, want, matched);
          if (r.message.empty()) {
            r.passed = matched == want;
            if (!r.passed) r.message = want ? "no match" : "matched";
          }
          out.push_back(std::move(r));
        }
      }
    }
  }
  return out;
}

std::string RenderJUnit(const std::vector<TestSuiteResult>& suites) {
  std::size_t total = 0, failed = 0;
  for (const auto& s : suites) {
    total += s.cases.size();
    for (const auto& c : s.cases) failed += !c.passed;
  }
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"chanval test\" "
                                "tests=\"{}\" failures=\"{}\">\n",
                                total, failed);
  for (const auto& s : suites) {
    std::size_t f = 0;
    for (const auto& c : s.cases) f += !c.passed;
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", XmlEscape(s.name), s.cases.size(), f);
    for (const auto& c : s.cases) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", XmlEscape(s.name), XmlEscape(c.name));
      if (c.passed) {
        out += "/>\n";
      } else {
        out += fmt::format(">\n      <failure message=\"{}\"/>\n    </testcase>\n", XmlEscape(c.message));
      }
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace chanval
