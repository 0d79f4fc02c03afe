// The gate: fleet semantics and execution in the interpreter. Each
// diagnostic code is triggered by a file built for it.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "chanval/interpreter/registry.h"
#include "chanval/validator/regex_sample.h"
#include "chanval/validator/check.h"
#include "chanval/validator/events.h"
#include "chanval/validator/execution.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/report.h"
#include "chanval/validator/semantic.h"
#include "support/adversarial.h"
#include "support/channel_builder.h"
#include "support/gate.h"

#include <re2/re2.h>

using namespace chanval;
using namespace chanval::test;
using fb::MatcherKind;

namespace {
constexpr std::uint16_t kProc = 1, kNet = 3, kAccess = 10, kPipe = 17;

// The gate (support/gate.h).
FileReport CheckWith(const fb::ChannelFileT& c, const Fleet& fleet = BundledFleet()) { return Gate(c, fleet); }

const Diagnostic* Find(const FileReport& r, Code code) { return FindCode(r, code); }
std::string All(const FileReport& r) { return AllFindings(r); }

fb::ChannelFileT One(std::uint16_t type, std::vector<std::unique_ptr<fb::MatcherT>> ms,
                     std::unique_ptr<fb::ExprT> cond = nullptr, std::uint16_t lo = 9, std::uint16_t hi = 12) {
  auto c = Channel(lo, hi);
  c.instances.push_back(Instance(42, type, std::move(ms), std::move(cond)));
  return c;
}

// Content that triggers each semantic and execution code. The CVnnn cases
// below start from it and check the details; the last case runs each on its
// own, so no case depends on another having run.
fb::ChannelFileT RangeBeyondFleet() { return One(kProc, Matchers(M(4, MatcherKind::Equals, {"x"})), nullptr, 9, 13); }
fb::ChannelFileT TypeOlderBuildsLack() { return One(kAccess, Matchers(M(8, MatcherKind::Suffix, {"\\lsass.exe"}, true))); }
fb::ChannelFileT FieldOlderBuildsLack() { return One(kPipe, Matchers(M(7, MatcherKind::Equals, {"SYSTEM"}))); }
fb::ChannelFileT Channel291() {
  auto c = Channel(10, 12);
  c.instances.push_back(Instance(1, kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\a"}), M(7, MatcherKind::Wildcard))));
  c.instances.push_back(Instance(2, kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\b"}), M(7, MatcherKind::Equals, {"SYSTEM"}))));
  return c;
}
fb::ChannelFileT StringKindOnIntegerField() { return One(kProc, Matchers(M(3, MatcherKind::Contains, {"12"}))); }
fb::ChannelFileT LookbehindRegex() { return One(kProc, Matchers(M(10, MatcherKind::Regex, {"(?<=cmd)\\.exe"}))); }
fb::ChannelFileT HugeRegex() { return One(kProc, Matchers(M(10, MatcherKind::Regex, {"(?:abcd|efgh|ijkl){1000}"}))); }
fb::ChannelFileT CidrWithHostBits() { return One(kNet, Matchers(M(14, MatcherKind::Cidr, {"10.0.0.1/8"}))); }
fb::ChannelFileT WildcardAndDotStar() {
  return One(kProc, Matchers(M(4, MatcherKind::Wildcard), M(10, MatcherKind::Regex, {".*"})));
}
fb::ChannelFileT TwoEqualsOnOneField() {
  return One(kProc, Matchers(M(4, MatcherKind::Equals, {"a.exe"}), M(4, MatcherKind::Equals, {"b.exe"})));
}
fb::ChannelFileT TenRegexes() {
  auto c = Channel(12, 12);
  for (std::uint32_t i = 1; i <= 10; ++i) {
    c.instances.push_back(Instance(i, kProc, Matchers(M(10, MatcherKind::Regex, {"a" + std::to_string(i) + "|b"}))));
  }
  return c;
}
Fleet TightCostFleet() { return CurrentOnly([](interp::SensorProfile& p) { p.budgets.max_cost_per_event = 400'000; }); }
fb::ChannelFileT LongLiteral() { return One(kProc, Matchers(M(10, MatcherKind::Contains, {std::string(2000, 'z')}))); }
fb::ChannelFileT ImageSuffixOnCurrent() { return One(kProc, Matchers(M(4, MatcherKind::Suffix, {"\\cmd.exe"})), nullptr, 12, 12); }
Fleet ImageCommandLineSwapped() {
  return CurrentOnly([](interp::SensorProfile& p) {
    for (auto& t : p.types) {
      if (t.id == kProc) std::swap(t.supplied[4], t.supplied[10]);  // Image <-> CommandLine
    }
  });
}
// pipe_created: Image (6) compared with User (7), which 7.10 does not supply.
fb::ChannelFileT FieldEqualsOnPipe() { return One(kPipe, Matchers(FieldEq(6, 7)), nullptr, 10, 12); }
fb::ChannelFileT SecondMatcherUnused() {
  return One(kProc, Matchers(M(4, MatcherKind::Suffix, {"\\a.exe"}), M(10, MatcherKind::Contains, {"b"})), Ref(0));
}
// or(contains "sys", and(contains "system", suffix ".exe")): reaching the
// suffix needs "sys" absent and "system" present, which cannot be.
fb::ChannelFileT SuffixBehindContradiction() {
  return One(kProc,
             Matchers(M(10, MatcherKind::Contains, {"sys"}), M(10, MatcherKind::Contains, {"system"}),
                      M(10, MatcherKind::Suffix, {".exe"})),
             Or(Args(Ref(0), And(Args(Ref(1), Ref(2))))));
}

// The execution step alone, without the semantic step's findings.
Diagnostics ExecutionOnly(const fb::ChannelFileT& c, const Fleet& fleet = BundledFleet()) {
  auto parsed = ParseChannel(Bytes(c), "test.chan");
  REQUIRE(parsed.channel);
  Diagnostics out;
  const auto builds = ResolveBuilds(*parsed.channel, fleet, "test.chan", out);
  interp::RegexPool pool;
  CheckExecution(*parsed.channel, builds, {}, "test.chan", out, nullptr, pool);
  return out;
}

// A fleet folder holding one manifest with no types and one that is not JSON.
Diagnostics LoadBadFleet() {
  const auto dir = std::filesystem::temp_directory_path() / "chanval-test-fleet";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.json") << "{\"version\": {\"major\": 7, \"minor\": 1}, \"budgets\": {}, \"types\": []}";
  std::ofstream(dir / "b.json") << "{ not json";
  Diagnostics d;
  LoadFleet(dir, false, d);
  std::filesystem::remove_all(dir);
  return d;
}

}  // namespace

TEST_CASE("a sane file passes every build with every matcher reached") {
  auto r = CheckWith(One(kProc, Matchers(M(4, MatcherKind::Suffix, {"\\cmd.exe"}, true),
                                         M(10, MatcherKind::Regex, {"/c\\s+whoami"}))));
  CHECK_MESSAGE(r.passed(), All(r));
  CHECK(r.builds == 4);
  REQUIRE(r.reach.size() == 4);
  for (const auto& x : r.reach) CHECK(x.reached == x.matchers);
}

TEST_CASE("CV101 a range that reaches a version with no manifest") {
  auto r = CheckWith(RangeBeyondFleet());
  const auto* d = Find(r, Code::RangeNotInFleet);
  REQUIRE(d);
  CHECK(d->sensor->ToString() == "7.13");
}

TEST_CASE("CV102 + CV201 a template type an older build lacks") {
  auto r = CheckWith(TypeOlderBuildsLack());
  const auto* d = Find(r, Code::UnknownTemplateType);
  REQUIRE(d);
  CHECK(d->sensor->ToString() == "7.9");
  CHECK(Find(r, Code::LoadFailed));
  CHECK_FALSE(r.passed());
  // From 7.10 on, the type exists.
  CHECK(CheckWith(One(kAccess, Matchers(M(8, MatcherKind::Suffix, {"\\lsass.exe"}, true)), nullptr, 10)).passed());
}

TEST_CASE("CV103 a field an older build does not declare") {
  auto r = CheckWith(FieldOlderBuildsLack());
  const auto* d = Find(r, Code::FieldNotDeclared);
  REQUIRE(d);
  CHECK(d->sensor->ToString() == "7.9");
  CHECK(d->field == 7);
}

TEST_CASE("CV104 + CV202 the channel-file-291 defect: a field declared but not supplied") {
  auto r = CheckWith(Channel291());
  const auto* d = Find(r, Code::FieldNotSupplied);
  REQUIRE(d);
  CHECK(d->sensor->ToString() == "7.10");
  CHECK(d->instance_id == 2u);
  CHECK(d->field == 7);
  CHECK(d->field_name == "User");
  CHECK(d->message.find("supplies only 7") != std::string::npos);
  const auto* x = Find(r, Code::BoundsFault);
  REQUIRE(x);
  CHECK(x->sensor->ToString() == "7.10");
  CHECK(x->instance_id == 2u);
  CHECK(x->field == 7);
  // No finding for the builds that supply the field.
  for (const auto& diag : r.diagnostics) CHECK(diag.sensor->ToString() == "7.10");
}

TEST_CASE("CV105 a matcher kind that does not fit the field type") {
  auto r = CheckWith(StringKindOnIntegerField());
  const auto* d = Find(r, Code::KindFieldMismatch);
  REQUIRE(d);
  CHECK(d->field_name == "ProcessId");
}

TEST_CASE("CV106 unsupported regex syntax is named") {
  auto r = CheckWith(LookbehindRegex());
  const auto* d = Find(r, Code::BadRegex);
  REQUIRE(d);
  CHECK(d->message.find("lookaround") != std::string::npos);
}

TEST_CASE("CV107 a regex over the build's program-size budget") {
  auto r = CheckWith(HugeRegex());
  const auto* d = Find(r, Code::RegexTooBig);
  REQUIRE_MESSAGE(d, All(r));
  CHECK(d->message.find("program size") != std::string::npos);
}

TEST_CASE("CV108 a malformed CIDR block") {
  auto r = CheckWith(CidrWithHostBits());
  REQUIRE(Find(r, Code::BadCidr));
}

TEST_CASE("CV110 an instance that matches everything, unless marked") {
  auto c = WildcardAndDotStar();
  auto r = CheckWith(c);
  REQUIRE(Find(r, Code::MatchesEverything));
  c.instances[0]->matches_everything_intended = true;
  auto r2 = CheckWith(c);
  CHECK_MESSAGE(r2.passed(), All(r2));
}

TEST_CASE("CV111 contradictory conditions are a warning") {
  auto r = CheckWith(TwoEqualsOnOneField());
  const auto* d = Find(r, Code::NeverMatches);
  REQUIRE(d);
  CHECK(d->level == Level::Warning);
  CHECK(r.passed());
  auto ints = CheckWith(One(kProc, Matchers(IntM(3, MatcherKind::IntCompare, fb::CompareOp::Gt, 10),
                                            IntM(3, MatcherKind::IntCompare, fb::CompareOp::Lt, 5))));
  CHECK(Find(ints, Code::NeverMatches));
}

TEST_CASE("CV112 worst-case cost over the build's budget: the loader refuses, the gate says why") {
  auto r = CheckWith(TenRegexes(), TightCostFleet());
  REQUIRE_MESSAGE(Find(r, Code::CostOverBudget), All(r));
  CHECK_FALSE(Find(r, Code::LoadFailed));
  REQUIRE(r.resources.size() == 1);
  CHECK_FALSE(r.resources[0].loaded);
  CHECK(r.resources[0].figures.cost_bound > 400'000);
}

TEST_CASE("CV114 a literal over the build's length cap") {
  auto r = CheckWith(LongLiteral());
  REQUIRE(Find(r, Code::LiteralTooLong));
}

TEST_CASE("CV115 a build that supplies another input at the field's position") {
  auto r = CheckWith(ImageSuffixOnCurrent(), ImageCommandLineSwapped());
  const auto* d = Find(r, Code::SuppliedOrderMismatch);
  REQUIRE(d);
  CHECK(d->message.find("CommandLine") != std::string::npos);
}

TEST_CASE("CV116 FieldEquals for builds whose interpreter predates it; both of its fields are 291-checked") {
  auto r = CheckWith(FieldEqualsOnPipe());
  const auto* too_old = Find(r, Code::InterpreterTooOld);
  REQUIRE(too_old);
  CHECK(too_old->sensor->ToString() != "7.12");
  // With every build on ABI 2, the unsupplied second field is still caught,
  // by the semantic check and by execution.
  const Fleet short_pipe = CurrentOnly([](interp::SensorProfile& p) {
    for (auto& t : p.types) {
      if (t.id == kPipe) t.supplied.pop_back();
    }
  });
  auto s = CheckWith(One(kPipe, Matchers(FieldEq(6, 7)), nullptr, 12, 12), short_pipe);
  const auto* not_supplied = Find(s, Code::FieldNotSupplied);
  REQUIRE(not_supplied);
  CHECK(not_supplied->field == 7);
  const auto* fault = Find(s, Code::BoundsFault);
  REQUIRE(fault);
  CHECK(fault->field == 7);
  // And on the current build it passes, both fields reached.
  auto ok = CheckWith(One(kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\x"}), FieldEq(6, 7)), nullptr, 12, 12));
  CHECK_MESSAGE(ok.passed(), All(ok));
}

const Diagnostic* Find(const Diagnostics& ds, Code code) {
  for (const auto& d : ds) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

TEST_CASE("CV204 a matcher no event reaches: an error for the execution step alone, a warning once proven") {
  const auto content = SecondMatcherUnused();
  const auto alone = ExecutionOnly(content);
  const auto* d = Find(alone, Code::MatcherUnreached);
  REQUIRE(d);
  CHECK(d->field == 10);
  // The whole gate: CV104/CV115 found nothing against field 10 in any build,
  // so its bounds are proven and the unreached matcher is dead content.
  auto r = CheckWith(content);
  CHECK_FALSE(Find(r, Code::MatcherUnreached));
  const auto* dead = Find(r, Code::MatcherDead);
  REQUIRE(dead);
  CHECK(dead->message.find("semantic checks") != std::string::npos);
  CHECK_MESSAGE(r.passed(), All(r));
}

TEST_CASE("aimed events reach a matcher behind several matchers on one field") {
  // and(contains A, contains B, Details-like field equals X): the all-satisfied
  // event of one-value-per-field fails at B, so only an aimed event, whose
  // field value holds both A and B, gets evaluation to field 20.
  auto r = CheckWith(One(kProc,
                         Matchers(M(10, MatcherKind::Contains, {"\\Control\\Print"}, true),
                                  M(10, MatcherKind::Contains, {"\\Manufacturer"}, true),
                                  M(20, MatcherKind::Equals, {"(Empty)"}, true)),
                         And(Args(Ref(0), Ref(1), Ref(2)))));
  CHECK_MESSAGE(r.passed(), All(r));
  for (const auto& x : r.reach) CHECK(x.reached == 3u);
}

TEST_CASE("CV206 a matcher the condition itself makes unreachable, on a field read elsewhere") {
  auto r = CheckWith(SuffixBehindContradiction());
  const auto* d = Find(r, Code::MatcherDead);
  REQUIRE(d);
  CHECK(d->level == Level::Warning);
  CHECK(d->field == 10);
  CHECK_FALSE(Find(r, Code::MatcherUnreached));
  CHECK_MESSAGE(r.passed(), All(r));  // a warning: the field's bounds are proven by the other matchers
}

TEST_CASE("aimed events descend into not: a field read only under a negation is reached") {
  // and(contains A, not(and(contains B, equals X on field 20))): field 20 is
  // read only when A and B are both in field 10, which no one-value-per-field
  // event gives; the aimed event must go through the not.
  const auto content = One(kProc,
                           Matchers(M(10, MatcherKind::Contains, {"alpha"}), M(10, MatcherKind::Contains, {"beta"}),
                                    M(20, MatcherKind::Equals, {"X"})),
                           And(Args(Ref(0), Not(And(Args(Ref(1), Ref(2)))))));
  const auto alone = ExecutionOnly(content);
  CHECK_FALSE(Find(alone, Code::MatcherUnreached));
  CHECK_FALSE(Find(alone, Code::MatcherDead));
  auto r = CheckWith(content);
  CHECK_MESSAGE(r.passed(), All(r));
  for (const auto& x : r.reach) CHECK(x.reached == 3u);
}

TEST_CASE("CV204, not CV206, when a dead matcher would also read a field nothing else reads") {
  // As above, but the dead matcher is a FieldEquals whose second field (12)
  // no reached matcher reads: for the execution step alone, that read's
  // bounds are unproven.
  const auto content = One(kProc,
                           Matchers(M(10, MatcherKind::Contains, {"sys"}), M(10, MatcherKind::Contains, {"system"}),
                                    FieldEq(10, 12)),
                           Or(Args(Ref(0), And(Args(Ref(1), Ref(2))))), 12, 12);
  const auto alone = ExecutionOnly(content);
  const auto* d = Find(alone, Code::MatcherUnreached);
  REQUIRE(d);
  CHECK(d->field == 12);
  CHECK_FALSE(Find(alone, Code::MatcherDead));
  // Unless the semantic step proves field 12 in every build: on a build that
  // does not supply it, the gate still says so (CV104), and CV204 stays.
  const Fleet short_proc = CurrentOnly([](interp::SensorProfile& p) {
    for (auto& t : p.types) {
      if (t.id == kProc) t.supplied.resize(12);
    }
  });
  auto r = CheckWith(content, short_proc);
  CHECK(Find(r, Code::FieldNotSupplied));
  CHECK(Find(r, Code::MatcherUnreached));
}

TEST_CASE("short-circuit cannot hide a later field: or-branches and negations are driven") {
  // b is read only when a is false; c only when a and b... every path must be taken.
  auto r = CheckWith(One(kProc,
                         Matchers(M(4, MatcherKind::Suffix, {"\\a.exe"}, true), M(10, MatcherKind::Regex, {"^x+y$"}),
                                  M(20, MatcherKind::Prefix, {"C:\\"})),
                         Or(Args(Ref(0), And(Args(Not(Ref(1)), Ref(2)))))));
  CHECK_MESSAGE(r.passed(), All(r));
  for (const auto& x : r.reach) CHECK(x.reached == 3u);
}

TEST_CASE("event-log export and JSON lines: provider and EventID select the template type") {
  const std::string text =
      "{\"Event\": {\"System\": {\"Provider\": {\"#attributes\": {\"Name\": \"Microsoft-Windows-Sysmon\"}},\n"
      "  \"EventID\": 1}, \"EventData\": {\"Image\": \"C:\\\\a.exe\", \"ProcessId\": 42}}}\n"
      "{\"Event\": {\"System\": {\"Provider\": {\"#attributes\": {\"Name\": \"Some-Other-Provider\"}},\n"
      "  \"EventID\": 1}, \"EventData\": {\"Image\": \"x\"}}}\n"
      "{\"EventID\": 13, \"TargetObject\": \"HKLM\\\\x\"}\n"
      "{\"EventID\": 1, \"Provider_Name\": \"Microsoft-Windows-Security-Auditing\"}\n"
      "{\"EventID\": 4688}\n";
  std::vector<RecordedEvent> events;
  ReadEvents(text, [&](RecordedEvent&& e) { events.push_back(std::move(e)); }, [](const EventError& e) {
    FAIL("unexpected error at line ", e.line, ": ", e.message);
  });
  REQUIRE(events.size() == 5u);
  CHECK(events[0].template_type == 1);
  CHECK(events[0].provider == "Microsoft-Windows-Sysmon");
  CHECK(events[0].Get("Image") == "C:\\a.exe");
  CHECK(events[0].Get("ProcessId") == "42");
  CHECK(events[1].line == 3u);
  CHECK(events[1].template_type == 0);  // another provider's event 1 is not a process creation
  CHECK(events[2].template_type == 13);  // no provider named: Sysmon
  CHECK(events[3].template_type == 0);
  CHECK(events[4].template_type == 0);  // no template type for 4688
}

TEST_CASE("CV301 a bad manifest is reported, not guessed at") {
  const Diagnostics d = LoadBadFleet();
  REQUIRE(d.size() == 2);
  for (const auto& x : d) CHECK(x.code == Code::BadManifest);
}

namespace {
std::string ReadWhole(const std::filesystem::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("CV301 a manifest that supplies more inputs than it declares, or declares no types, is refused") {
  auto manifest = ReadWhole(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/fleet/sensor-7.10.json");
  Diagnostics ok;
  const auto good = ParseManifestJson(manifest, "7.10", ok);
  REQUIRE(good.has_value());
  REQUIRE(ok.empty());

  // One more supplied input than declared fields, on the first type.
  const auto supplied = manifest.find("\"supplied\"");
  const auto open = manifest.find('[', supplied);
  std::string more_supplied = manifest;
  for (std::size_t i = 0; i <= good->types.front().declared.size(); ++i) {
    more_supplied.insert(open + 1, "{\"name\": \"Extra" + std::to_string(i) + "\", \"type\": \"String\"}, ");
  }
  Diagnostics d;
  CHECK_FALSE(ParseManifestJson(more_supplied, "more-supplied", d).has_value());
  REQUIRE(d.size() == 1u);
  CHECK(d[0].code == Code::BadManifest);
  CHECK(d[0].message.find("supplies") != std::string::npos);
  CHECK(d[0].message.find("declares only") != std::string::npos);

  const auto types = manifest.find("\"types\"");
  const auto types_open = manifest.find('[', types);
  std::string no_types = manifest.substr(0, types_open) + "[]}";
  Diagnostics e;
  CHECK_FALSE(ParseManifestJson(no_types, "no-types", e).has_value());
  REQUIRE(e.size() == 1u);
  CHECK(e[0].message.find("no template types") != std::string::npos);
}

TEST_CASE("a fleet's manifests read through one reused schema give the same profiles as alone") {
  Diagnostics d;
  const auto fleet = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/fleet", false, d);
  REQUIRE(d.empty());
  REQUIRE(fleet.members.size() >= 3u);
  for (const auto& m : fleet.members) {
    Diagnostics alone;
    const auto p = ParseManifestJson(ReadWhole(m.source), m.source, alone);
    REQUIRE(p.has_value());
    CHECK(ManifestJson(*p) == ManifestJson(m.profile));
  }
  // A bad manifest between good ones does not spoil the reader for the next.
  const auto dir = std::filesystem::temp_directory_path() / "chanval-test-fleet-reuse";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/fleet/sensor-7.10.json", dir / "a.json");
  std::ofstream(dir / "b.json") << "{\"version\": {\"major\": 7, \"minor\": 3}, \"budgets\": { oops";
  std::filesystem::copy(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/fleet/sensor-7.11.json", dir / "c.json");
  Diagnostics e;
  const auto mixed = LoadFleet(dir, false, e);
  std::filesystem::remove_all(dir);
  CHECK(e.size() == 1u);
  CHECK(mixed.members.size() == 2u);
}

TEST_CASE("regex samples satisfy the regexes they are drawn from") {
  for (const std::string p : {"^\\\\PSEXESVC(-.*)?$", "(?i)\\s-w(in(dow(style)?)?)?\\s+h(idden)?\\b",
                              "\\.(vbs|js|bat)$", "[0-9a-f]{8}-[0-9a-f]{4}", "a+b*c?d{3}", "(?:x|y)z\\d\\w"}) {
    CAPTURE(p);
    CHECK(RE2::PartialMatch(SampleRegexMatch(p), RE2(p)));
  }
}

TEST_CASE("adversarial content: each shape gets the verdict the resource model promises") {
  for (const auto& c : adversarial::Cases()) {
    CAPTURE(c.name);
    const auto r = CheckWith(c.make());
    CHECK_MESSAGE(r.passed() == (c.exit_code == 0), All(r));
    if (!c.code.empty()) {
      bool found = false;
      for (const auto& d : r.diagnostics) found |= CodeId(d.code) == c.code;
      CHECK_MESSAGE(found, c.code, "\n", All(r));
    }
    // Passing content: every build's measured worst events stay within the static bound.
    for (const auto& x : r.resources) {
      if (x.loaded) CHECK(x.max_event_cost <= x.figures.cost_bound);
    }
  }
}

TEST_CASE("every semantic and execution code has a trigger here that produces it") {
  const auto gate = [](fb::ChannelFileT (*content)(), Fleet (*fleet)() = nullptr) {
    return [=] { return CheckWith(content(), fleet ? fleet() : BundledFleet()).diagnostics; };
  };
  // Codes only a broken interpreter can produce have a planted defect's
  // test instead: MemoryFault in test_guard.cpp, BudgetOverrun and
  // CostOverBound in test_planted_cost.cpp, EvaluatorDisagreement in
  // test_planted_fold.cpp. Parse codes: test_parser.cpp.
  const std::set<Code> planted = {Code::MemoryFault, Code::BudgetOverrun, Code::CostOverBound,
                                  Code::EvaluatorDisagreement};
  std::map<Code, std::function<Diagnostics()>> triggers = {
      {Code::RangeNotInFleet, gate(RangeBeyondFleet)},
      {Code::UnknownTemplateType, gate(TypeOlderBuildsLack)},
      {Code::LoadFailed, gate(TypeOlderBuildsLack)},
      {Code::FieldNotDeclared, gate(FieldOlderBuildsLack)},
      {Code::FieldNotSupplied, gate(Channel291)},
      {Code::BoundsFault, gate(Channel291)},
      {Code::KindFieldMismatch, gate(StringKindOnIntegerField)},
      {Code::BadRegex, gate(LookbehindRegex)},
      {Code::RegexTooBig, gate(HugeRegex)},
      {Code::BadCidr, gate(CidrWithHostBits)},
      {Code::MatchesEverything, gate(WildcardAndDotStar)},
      {Code::NeverMatches, gate(TwoEqualsOnOneField)},
      {Code::CostOverBudget, gate(TenRegexes, TightCostFleet)},
      {Code::LiteralTooLong, gate(LongLiteral)},
      {Code::SuppliedOrderMismatch, gate(ImageSuffixOnCurrent, ImageCommandLineSwapped)},
      {Code::InterpreterTooOld, gate(FieldEqualsOnPipe)},
      {Code::MatcherUnreached, [] { return ExecutionOnly(SecondMatcherUnused()); }},
      {Code::MatcherDead, gate(SuffixBehindContradiction)},
      {Code::BadManifest, LoadBadFleet},
  };
  for (const auto& c : adversarial::Cases()) {  // resource codes: the adversarial shapes
    for (const auto& info : AllCodes()) {
      if (CodeId(info.code) == c.code && !triggers.count(info.code)) {
        triggers[info.code] = [make = c.make] { return CheckWith(make()).diagnostics; };
      }
    }
  }
  for (const auto& info : AllCodes()) {
    if (static_cast<unsigned>(info.code) < 100 || planted.count(info.code)) continue;
    CAPTURE(CodeId(info.code));
    const auto it = triggers.find(info.code);
    REQUIRE_MESSAGE(it != triggers.end(), "no trigger for ", CodeId(info.code));
    bool produced = false;
    for (const auto& d : it->second()) produced |= d.code == info.code;
    CHECK_MESSAGE(produced, CodeId(info.code), " was not produced by its trigger");
  }
}
