// Reports: JSON and SARIF 2.1.0 parse, and SARIF carries the properties the
// SARIF 2.1.0 schema requires (and code-scanning services read).
#include <doctest/doctest.h>

#include <simdjson.h>

#include <filesystem>
#include <set>

#include "chanval/validator/check.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/report.h"
#include "support/channel_builder.h"

using namespace chanval;
using namespace chanval::test;

namespace {
std::vector<FileReport> SampleReports() {
  Diagnostics d;
  static const Fleet fleet = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, d);
  CheckOptions o;
  o.fleet = &fleet;
  o.collect_reach = true;
  auto bad = Channel(10, 12);
  bad.instances.push_back(Instance(1, 17, Matchers(M(7, fb::MatcherKind::Equals, {"quote \" and \\ and \x01"}))));
  auto ok = Channel();
  ok.instances.push_back(Instance(2, 1, Matchers(M(4, fb::MatcherKind::Suffix, {"\\cmd.exe"}))));
  std::vector<FileReport> r;
  r.push_back(CheckBytes(Bytes(bad), "dir/bad \"name\".chan", o));
  r.push_back(CheckBytes(Bytes(ok), "ok.chan", o));
  r.push_back(CheckBytes({1, 2, 3}, "short.chan", o));
  return r;
}
}  // namespace

TEST_CASE("SARIF output has every property the 2.1.0 schema requires") {
  const auto reports = SampleReports();
  REQUIRE_FALSE(reports[0].passed());
  const std::string text = RenderSarif(reports);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_MESSAGE(parser.parse(text).get(doc) == simdjson::SUCCESS, text);
  CHECK(std::string_view(doc["version"]) == "2.1.0");
  CHECK(std::string_view(doc["$schema"]).find("sarif") != std::string_view::npos);
  simdjson::dom::array runs = doc["runs"];
  REQUIRE(runs.size() == 1);
  for (simdjson::dom::element run : runs) {
    simdjson::dom::element driver = run["tool"]["driver"];
    CHECK(std::string_view(driver["name"]) == "chanval");
    std::vector<std::string> rule_ids;
    for (simdjson::dom::element rule : simdjson::dom::array(driver["rules"])) {
      rule_ids.emplace_back(std::string_view(rule["id"]));
      CHECK_FALSE(std::string_view(rule["shortDescription"]["text"]).empty());
      CHECK_FALSE(std::string_view(rule["help"]["text"]).empty());
    }
    CHECK(std::set<std::string>(rule_ids.begin(), rule_ids.end()).size() == rule_ids.size());
    std::size_t results = 0;
    for (simdjson::dom::element res : simdjson::dom::array(run["results"])) {
      ++results;
      CHECK_FALSE(std::string_view(res["message"]["text"]).empty());  // required
      const std::string_view rule_id = res["ruleId"];
      const std::uint64_t index = res["ruleIndex"];
      REQUIRE(index < rule_ids.size());
      CHECK(rule_ids[index] == rule_id);
      const std::string_view level = res["level"];
      CHECK((level == "error" || level == "warning" || level == "note" || level == "none"));
      for (simdjson::dom::element loc : simdjson::dom::array(res["locations"])) {
        CHECK_FALSE(std::string_view(loc["physicalLocation"]["artifactLocation"]["uri"]).empty());
      }
    }
    std::size_t expected = 0;
    for (const auto& r : reports) expected += r.diagnostics.size();
    CHECK(results == expected);
  }
}

TEST_CASE("JSON output parses and carries the same findings") {
  const auto reports = SampleReports();
  const std::string text = RenderJson(reports);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_MESSAGE(parser.parse(text).get(doc) == simdjson::SUCCESS, text);
  simdjson::dom::array files = doc["files"];
  REQUIRE(files.size() == 3);
  CHECK(std::string_view(files.at(0)["verdict"]) == "reject");
  CHECK(std::string_view(files.at(1)["verdict"]) == "pass");
  CHECK(std::string_view(files.at(0)["file"]) == "dir/bad \"name\".chan");
  bool found = false;
  for (simdjson::dom::element d : simdjson::dom::array(files.at(0)["diagnostics"])) {
    if (std::string_view(d["code"]) == "CV104") {
      found = true;
      CHECK(std::string_view(d["sensor"]) == "7.10");
      CHECK(std::uint64_t(d["field"]) == 7);
      CHECK(std::string_view(d["field_name"]) == "User");
    }
  }
  CHECK(found);
  CHECK(std::uint64_t(doc["summary"]["rejected"]) == 2);
}

TEST_CASE("text output: one line per finding, a summary line") {
  const auto text = RenderText(SampleReports(), false, true);
  CHECK(text.find("error CV104 [field-not-supplied]") != std::string::npos);
  CHECK(text.find("3 files: 1 passed, 2 rejected") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);  // no colour unless asked
  CHECK(RenderText(SampleReports(), true, false).find("\x1b[") != std::string::npos);
}

TEST_CASE("a file name that is not UTF-8 leaves JSON and SARIF valid: each stray byte becomes U+FFFD") {
  CHECK(JsonEscape("ok-\xc3\xa9") == "ok-\xc3\xa9");                   // é passes through
  CHECK(JsonEscape("bad\xff\xfe.chan") == "bad\\ufffd\\ufffd.chan");
  CHECK(JsonEscape("\xc0\xaf") == "\\ufffd\\ufffd");                   // overlong '/'
  CHECK(JsonEscape("\xed\xa0\x80") == "\\ufffd\\ufffd\\ufffd");        // a surrogate
  CHECK(JsonEscape("cut\xe2\x82") == "cut\\ufffd\\ufffd");             // truncated sequence
  CHECK(JsonEscape("\x7f\x01") == "\\u007f\\u0001");

  auto reports = SampleReports();
  reports.front().file = "dir/\xff\xfename.chan";
  for (auto& d : reports.front().diagnostics) d.file = reports.front().file;
  for (const std::string& text : {RenderJson(reports), RenderSarif(reports)}) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    CHECK_FALSE(parser.parse(text).get(doc));  // simdjson validates UTF-8
    CHECK(text.find("dir/\\ufffd\\ufffdname.chan") != std::string::npos);
  }
}
