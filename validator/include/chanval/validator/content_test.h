// Content tests: "this instance must match this event, and not that one",
// run on every sensor build in the file's range through the sensor's entry
// point. The file format (YAML or JSON) is read by the CLI (cmd_test.cpp);
// this is the part that runs.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/validator/events.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"

namespace chanval {

struct Expectation {
  std::uint32_t instance = 0;
  std::vector<std::string> match, no_match;  // event names: each must / must not match
  std::vector<std::string> match_any;        // at least one of them must match (a detection test on a recording)
};

struct ContentTestSpec {
  std::string name;                            // the test file, for reports
  std::vector<interp::SensorVersion> sensors;  // empty: every fleet build in the file's range
  std::map<std::string, RecordedEvent> events;
  std::vector<Expectation> expectations;
};

struct TestCaseResult {
  std::string name;     // "sensor 7.10: instance 7001 matches cobalt"
  bool passed = false;
  std::string message;  // why it failed
};

// The content loaded once per build, shared by every test of one file.
class LoadedContent {
 public:
  explicit LoadedContent(const ParsedChannel& content) : content_(content) {}
  const ParsedChannel& file() const { return content_; }
  const interp::CompiledContent::Result& For(const FleetMember& build);

 private:
  const ParsedChannel& content_;
  std::map<interp::SensorVersion, interp::CompiledContent::Result> loaded_;
};

std::vector<TestCaseResult> RunContentTest(const ContentTestSpec& spec, LoadedContent& content, const Fleet& fleet);

// JUnit XML (one testsuite per test file) for CI systems.
struct TestSuiteResult {
  std::string name;
  std::vector<TestCaseResult> cases;
};
std::string RenderJUnit(const std::vector<TestSuiteResult>& suites);

}  // namespace chanval
