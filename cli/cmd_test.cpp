// `chanval test TESTS... [--junit PATH] [--fleet DIR]`: content tests
// (content_test.h). A test file, YAML or JSON:
//   content: ../content/pipe_created.json   channel file or JSON source, relative to the test file
//   sensors: ["7.10", "7.12"]               optional; default every fleet build in the file's range
//   events:                                 named events, as JSON lines or the event-log export hold them
//     cobalt: {EventID: 17, PipeName: '\MSSE-1-server'}
//   events_file: ../events/pipe.jsonl       optional; its events are named "line:N"
//   expect:
//     - instance: 7001
//       match: [cobalt, "line:1"]
//       no_match: [benign]
//       match_any: ["line:1", "line:9"]     at least one matches (a detection test on a recording)
#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <memory>

#include "chanval/validator/content_test.h"
#include "chanval/validator/io.h"
#include "chanval/validator/report.h"
#include "commands.h"
#include "common.h"

namespace chanval::cli {
namespace {

struct TestOptions {
  std::vector<std::string> files;
  std::string junit, fleet;
  bool no_current = false, quiet = false;
};

struct BadTest {
  std::string message;
};

std::string JsonString(const std::string& s) { return "\"" + JsonEscape(s) + "\""; }

// A YAML node as JSON text: maps and sequences as they are, every scalar a
// string (events' values are text; EventID reads from "17" as from 17).
std::string AsJson(const YAML::Node& n, int depth = 0) {
  if (depth > 16) throw BadTest{"an event nests deeper than 16"};
  if (n.IsMap()) {
    std::string s = "{";
    for (auto it = n.begin(); it != n.end(); ++it) {
      s += (s.size() > 1 ? ", " : "") + JsonString(it->first.as<std::string>()) + ": " + AsJson(it->second, depth + 1);
    }
    return s + "}";
  }
  if (n.IsSequence()) {
    std::string s = "[";
    for (std::size_t i = 0; i < n.size(); ++i) s += (i ? ", " : "") + AsJson(n[i], depth + 1);
    return s + "]";
  }
  if (n.IsNull()) return "null";
  return JsonString(n.as<std::string>());
}

RecordedEvent OneEvent(const std::string& json, const std::string& name) {
  std::vector<RecordedEvent> events;
  std::string error;
  ReadEvents(json, [&](RecordedEvent&& e) { events.push_back(std::move(e)); },
             [&](const EventError& e) { error = e.message; });
  if (!error.empty() || events.size() != 1) throw BadTest{"event '" + name + "': " + (error.empty() ? "not one event" : error)};
  return std::move(events.front());
}

std::vector<std::string> Names(const YAML::Node& n, const char* what) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n.IsSequence()) throw BadTest{std::string(what) + " must be a list of event names"};
  for (const auto& x : n) out.push_back(x.as<std::string>());
  return out;
}

void OnlyKeys(const YAML::Node& map, std::initializer_list<std::string_view> keys, const std::string& where) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    const auto k = it->first.as<std::string>();
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) throw BadTest{"unknown key '" + k + "' in " + where};
  }
}

struct LoadedTest {
  ContentTestSpec spec;
  std::string content_path;
};

LoadedTest ReadTestFile(const std::string& path) {
  std::string text;
  if (auto err = ReadTextFile(path, text, 4u << 20)) throw BadTest{*err};
  const YAML::Node doc = YAML::Load(text);
  if (!doc.IsMap()) throw BadTest{"a test file is a map (content, events, expect)"};
  OnlyKeys(doc, {"content", "sensors", "events", "events_file", "expect"}, "the test file");
  const auto here = std::filesystem::path(path).parent_path();
  LoadedTest t;
  t.spec.name = path;
  if (!doc["content"] || !doc["content"].IsScalar()) throw BadTest{"'content' (the channel file or source) is required"};
  t.content_path = (here / doc["content"].as<std::string>()).string();
  for (const auto& v : Names(doc["sensors"], "'sensors'")) {
    auto version = ParseVersion(v);
    if (!version) throw BadTest{"sensor '" + v + "' is not MAJOR.MINOR"};
    t.spec.sensors.push_back(*version);
  }
  if (const auto events = doc["events"]) {
    if (!events.IsMap()) throw BadTest{"'events' maps names to events"};
    for (auto it = events.begin(); it != events.end(); ++it) {
      const auto name = it->first.as<std::string>();
      if (!t.spec.events.emplace(name, OneEvent(AsJson(it->second), name)).second) throw BadTest{"event '" + name + "' twice"};
    }
  }
  if (const auto file = doc["events_file"]) {
    const auto events_path = (here / file.as<std::string>()).string();
    std::string error;
    const int fd = OpenRegularFile(events_path, error);
    if (fd < 0) throw BadTest{error};
    auto err = StreamEvents(
        fd, events_path, [&](RecordedEvent&& e) { t.spec.events.emplace("line:" + std::to_string(e.line), std::move(e)); },
        [](const EventError&) {});
    ::close(fd);
    if (err) throw BadTest{*err};
  }
  if (!doc["expect"] || !doc["expect"].IsSequence() || doc["expect"].size() == 0) {
    throw BadTest{"'expect' (a list of instance expectations) is required"};
  }
  for (const auto& e : doc["expect"]) {
    if (!e.IsMap() || !e["instance"]) throw BadTest{"each expectation names an 'instance'"};
    OnlyKeys(e, {"instance", "match", "no_match", "match_any"}, "an expectation");
    t.spec.expectations.push_back({e["instance"].as<std::uint32_t>(), Names(e["match"], "'match'"),
                                   Names(e["no_match"], "'no_match'"), Names(e["match_any"], "'match_any'")});
    const auto& x = t.spec.expectations.back();
    if (x.match.empty() && x.no_match.empty() && x.match_any.empty()) {
      throw BadTest{"the expectation for instance " + std::to_string(x.instance) + " names no events"};
    }
  }
  return t;
}

int Test(const TestOptions& o) {
  auto fleet = LoadFleetOrReport(o.fleet, !o.no_current);
  if (!fleet) return kExitUsage;
  std::vector<TestSuiteResult> suites;
  std::size_t total = 0, failed = 0;
  // Each content file is parsed once and loaded once per build, however
  // many test files name it (the SigmaHQ tests share a few large files).
  std::map<std::string, std::pair<std::unique_ptr<ParsedChannel>, std::unique_ptr<LoadedContent>>> contents;
  for (const auto& file : o.files) {
    LoadedTest t;
    try {
      t = ReadTestFile(file);
    } catch (const BadTest& e) {
      PrintError(file + ": " + e.message);
      return kExitUsage;
    } catch (const YAML::Exception& e) {
      PrintError(file + ": " + e.what());
      return kExitUsage;
    }
    std::error_code ec;
    const auto key = std::filesystem::weakly_canonical(t.content_path, ec).string();
    auto& slot = contents[key];
    if (!slot.first) {
      auto content = LoadChannelOrSource(t.content_path);
      if (!content) {
        PrintError(file + ": its content " + t.content_path + " does not load");
        return kExitUsage;
      }
      slot.first = std::make_unique<ParsedChannel>(std::move(*content));
      slot.second = std::make_unique<LoadedContent>(*slot.first);
    }
    TestSuiteResult suite{file, RunContentTest(t.spec, *slot.second, *fleet)};
    for (const auto& c : suite.cases) {
      ++total;
      failed += !c.passed;
      if (!c.passed) {
        fmt::print("FAIL {}: {}: {}\n", file, c.name, c.message);
      } else if (!o.quiet) {
        fmt::print("ok   {}: {}\n", file, c.name);
      }
    }
    suites.push_back(std::move(suite));
  }
  fmt::print("{} test cases in {} files: {} passed, {} failed\n", total, o.files.size(), total - failed, failed);
  if (!o.junit.empty()) {
    if (int rc = WriteOutput(o.junit, RenderJUnit(suites))) return rc;
  }
  return failed ? kExitRejected : kExitOk;
}

}  // namespace

void RegisterTest(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("test", "Run content tests: the events each instance must and must not match");
  auto o = std::make_shared<TestOptions>();
  cmd->add_option("tests", o->files, "test files (YAML or JSON)")->required();
  cmd->add_option("--junit", o->junit, "also write JUnit XML here (atomically)");
  AddFleetOptions(*cmd, o->fleet, o->no_current);
  cmd->add_flag("-q,--quiet", o->quiet, "print only failures and the summary");
  cmd->callback([&run, o] { run = [o] { return Test(*o); }; });
}

}  // namespace chanval::cli
