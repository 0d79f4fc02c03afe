// Sigma import: each construct is imported and then evaluated by the
// interpreter on events, so the tests pin meaning, not the shape of the
// generated matchers. Rules that cannot be expressed exactly must be skipped
// with their reason.
#include <doctest/doctest.h>

#include <map>

#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/session.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/sigma/import.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"

using namespace chanval;
using Fields = std::map<std::string, std::string>;

namespace {

std::string Rule(const std::string& detection, const std::string& category = "process_creation") {
  return "title: Test rule\nid: 11111111-2222-3333-4444-555555555555\nlevel: high\nauthor: Tester\n"
         "references:\n  - https://example.org/a\nlogsource:\n  product: windows\n  category: " +
         category + "\ndetection:\n" + detection;
}

sigma::RuleImport Import(const std::string& yaml) { return sigma::ImportRuleText(yaml, "test.yml", 7); }

// Imports, builds with `chanval build`'s code, loads in the current build
// and evaluates one event with both evaluators (which must agree).
bool Matches(const std::string& yaml, const Fields& event) {
  const auto r = Import(yaml);
  REQUIRE_MESSAGE(r.instance, sigma::SkipReasonName(r.reason), ": ", r.detail);
  auto ch = sigma::NewChannel(1, 1, interp::kCurrentSensorVersion, interp::kCurrentSensorVersion);
  ch.instances.push_back(std::make_unique<fb::InstanceT>(*r.instance));
  const auto built = BuildFromObject(ch, "test");
  REQUIRE_MESSAGE(!built.file.empty(), built.diagnostics.front().message);
  const auto parsed = ParseChannel(built.file, "test");
  const auto profile = interp::CurrentBuildProfile();
  auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
  REQUIRE_MESSAGE(loaded.content, loaded.error.detail);
  const std::uint16_t type = r.instance->template_type;
  interp::Session session(*loaded.content);
  const auto inputs = session.Fill(type, [&](std::string_view n) {
    auto it = event.find(std::string(n));
    return it == event.end() ? std::string_view() : std::string_view(it->second);
  }).value();
  REQUIRE(interp::Evaluate(*loaded.content, type, inputs, session.scratch()).status == interp::EvalStatus::Ok);
  const bool optimized = session.matches().size() == 1;
  REQUIRE(interp::EvaluateReference(*loaded.content, type, inputs, session.scratch()).status == interp::EvalStatus::Ok);
  CHECK(optimized == (session.matches().size() == 1));
  return optimized;
}

sigma::SkipReason SkipOf(const std::string& yaml) {
  const auto r = Import(yaml);
  CHECK_FALSE(r.instance);
  return r.reason;
}

}  // namespace

TEST_CASE("plain values: exact, case-insensitive; lists are or, maps are and") {
  const auto rule = Rule("  sel:\n    Image: 'C:\\Windows\\cmd.exe'\n    User:\n      - alice\n      - bob\n  condition: sel\n");
  CHECK(Matches(rule, {{"Image", "c:\\windows\\CMD.EXE"}, {"User", "BOB"}}));
  CHECK_FALSE(Matches(rule, {{"Image", "c:\\windows\\cmd.exe "}, {"User", "bob"}}));
  CHECK_FALSE(Matches(rule, {{"Image", "C:\\Windows\\cmd.exe"}, {"User", "carol"}}));
}

TEST_CASE("wildcards and the specification's escapes") {
  const auto glob = Rule("  sel:\n    CommandLine: 'a*b?c'\n  condition: sel\n");
  CHECK(Matches(glob, {{"CommandLine", "aXXbYc"}}));
  CHECK(Matches(glob, {{"CommandLine", "ab\nbZc"}}));  // * spans newlines
  CHECK_FALSE(Matches(glob, {{"CommandLine", "aXXbc"}}));
  // \* is a literal star; \\* a backslash then a wildcard; a lone \ is literal.
  const auto star = Rule("  sel:\n    CommandLine: 'x\\*y'\n  condition: sel\n");
  CHECK(Matches(star, {{"CommandLine", "x*y"}}));
  CHECK_FALSE(Matches(star, {{"CommandLine", "xZy"}}));
  const auto backslash = Rule("  sel:\n    CommandLine: 'C:\\\\*'\n  condition: sel\n");
  CHECK(Matches(backslash, {{"CommandLine", "C:\\anything"}}));
  const auto plain = Rule("  sel:\n    Image|endswith: '\\cmd.exe'\n  condition: sel\n");
  CHECK(Matches(plain, {{"Image", "C:\\x\\CMD.exe"}}));
  CHECK_FALSE(Matches(plain, {{"Image", "C:\\x\\xcmd.exe"}}));
}

TEST_CASE("contains, startswith, endswith, all") {
  const auto rule = Rule("  sel:\n    CommandLine|contains|all:\n      - ' -nop '\n      - ' -enc '\n"
                         "    ParentImage|startswith: 'C:\\Program Files\\'\n  condition: sel\n");
  CHECK(Matches(rule, {{"CommandLine", "powershell -NOP -ENC abc"}, {"ParentImage", "c:\\program files\\x.exe"}}));
  CHECK_FALSE(Matches(rule, {{"CommandLine", "powershell -nop abc"}, {"ParentImage", "C:\\Program Files\\x.exe"}}));
  CHECK_FALSE(Matches(rule, {{"CommandLine", "powershell -nop -enc "}, {"ParentImage", "D:\\Program Files\\x"}}));
}

TEST_CASE("windash: - and / and the Unicode dashes, at flag positions only") {
  const auto rule = Rule("  sel:\n    CommandLine|contains|windash: ' -exec bypass'\n  condition: sel\n");
  CHECK(Matches(rule, {{"CommandLine", "x -exec bypass"}}));
  CHECK(Matches(rule, {{"CommandLine", "x /exec bypass"}}));
  CHECK(Matches(rule, {{"CommandLine", "x \xE2\x80\x93" "exec bypass"}}));  // en dash
  CHECK(Matches(rule, {{"CommandLine", "x \xE2\x80\x95" "exec bypass"}}));  // horizontal bar
  CHECK_FALSE(Matches(rule, {{"CommandLine", "x +exec bypass"}}));
}

TEST_CASE("base64, base64offset and utf16 encodings") {
  CHECK(sigma::ImportRuleText(Rule("  sel:\n    CommandLine|base64: 'abc'\n  condition: sel\n"), "t", 1).instance);
  const auto b64 = Rule("  sel:\n    CommandLine|base64|contains: 'http://'\n  condition: sel\n");
  CHECK(Matches(b64, {{"CommandLine", "x aHR0cDovLw== y"}}));
  // "Invoke-" at each of the three offsets inside a longer base64 text.
  const auto offset = Rule("  sel:\n    CommandLine|base64offset|contains: 'Invoke-'\n  condition: sel\n");
  CHECK(Matches(offset, {{"CommandLine", "-e SW52b2tlLUV4cHJlc3Npb24="}}));    // "Invoke-Expression"
  CHECK(Matches(offset, {{"CommandLine", "-e IEludm9rZS1FeHByZXNzaW9u"}}));    // " Invoke-Expression"
  CHECK(Matches(offset, {{"CommandLine", "-e ICBJbnZva2UtRXhwcmVzc2lvbg=="}}));  // "  Invoke-Expression"
  CHECK_FALSE(Matches(offset, {{"CommandLine", "-e SW52b2tl"}}));
  const auto wide = Rule("  sel:\n    CommandLine|wide|base64offset|contains: 'iex'\n  condition: sel\n");
  CHECK(Matches(wide, {{"CommandLine", "-enc aQBlAHgA"}}));  // UTF-16LE "iex"
  CHECK(SkipOf(Rule("  sel:\n    CommandLine|wide|contains: 'iex'\n  condition: sel\n")) ==
        sigma::SkipReason::UnsupportedModifier);
  CHECK(SkipOf(Rule("  sel:\n    CommandLine|base64: 'a*b'\n  condition: sel\n")) ==
        sigma::SkipReason::ValueNotRepresentable);
}

TEST_CASE("re: case-sensitive unless i; m and s flags; RE2 limits are skips") {
  const auto rule = Rule("  sel:\n    CommandLine|re: '\\-[Ee]nc\\s'\n  condition: sel\n");
  CHECK(Matches(rule, {{"CommandLine", "x -Enc abc"}}));
  const auto cased = Rule("  sel:\n    CommandLine|re: 'ABC'\n  condition: sel\n");
  CHECK_FALSE(Matches(cased, {{"CommandLine", "abc"}}));
  const auto insensitive = Rule("  sel:\n    CommandLine|re|i: 'ABC'\n  condition: sel\n");
  CHECK(Matches(insensitive, {{"CommandLine", "abc"}}));
  const auto multiline = Rule("  sel:\n    CommandLine|re|m: '^second$'\n  condition: sel\n");
  CHECK(Matches(multiline, {{"CommandLine", "first\nsecond\nthird"}}));
  CHECK(SkipOf(Rule("  sel:\n    CommandLine|re: '(?<=a)b'\n  condition: sel\n")) ==
        sigma::SkipReason::RegexNotSupported);
  CHECK(SkipOf(Rule("  sel:\n    CommandLine|re: '.{1000,}'\n  condition: sel\n")) == sigma::SkipReason::ExceedsLimits);
}

TEST_CASE("cidr, numeric comparisons, integers") {
  const auto net = Rule("  sel:\n    DestinationIp|cidr:\n      - '10.0.0.0/8'\n      - 'fd00::/8'\n"
                        "    DestinationPort|gte: 1024\n  condition: sel\n",
                        "network_connection");
  CHECK(Matches(net, {{"DestinationIp", "10.1.2.3"}, {"DestinationPort", "4444"}}));
  CHECK(Matches(net, {{"DestinationIp", "fd12::1"}, {"DestinationPort", "1024"}}));
  CHECK_FALSE(Matches(net, {{"DestinationIp", "11.1.2.3"}, {"DestinationPort", "4444"}}));
  CHECK_FALSE(Matches(net, {{"DestinationIp", "10.1.2.3"}, {"DestinationPort", "80"}}));
  const auto port = Rule("  sel:\n    DestinationPort:\n      - 80\n      - '443'\n  condition: sel\n", "network_connection");
  CHECK(Matches(port, {{"DestinationPort", "443"}}));
  CHECK_FALSE(Matches(port, {{"DestinationPort", "8080"}}));
  CHECK(SkipOf(Rule("  sel:\n    DestinationPort|contains: '44'\n  condition: sel\n", "network_connection")) ==
        sigma::SkipReason::ValueNotRepresentable);
  CHECK(SkipOf(Rule("  sel:\n    Image|cidr: '10.0.0.0/8'\n  condition: sel\n")) ==
        sigma::SkipReason::ValueNotRepresentable);
}

TEST_CASE("null, empty and exists: an absent field is supplied as empty text") {
  const auto rule = Rule("  sel:\n    Image|endswith: '.exe'\n  filter_null:\n    ParentImage: null\n"
                         "  condition: sel and not filter_null\n");
  CHECK(Matches(rule, {{"Image", "a.exe"}, {"ParentImage", "p.exe"}}));
  CHECK_FALSE(Matches(rule, {{"Image", "a.exe"}}));
  const auto exists = Rule("  sel:\n    Image|endswith: '.exe'\n    User|exists: true\n  condition: sel\n");
  CHECK(Matches(exists, {{"Image", "a.exe"}, {"User", "x"}}));
  CHECK_FALSE(Matches(exists, {{"Image", "a.exe"}}));
  const auto empty = Rule("  sel:\n    Description: ''\n  condition: sel\n");
  CHECK(Matches(empty, {{"Image", "a.exe"}}));
}

TEST_CASE("cased and fieldref") {
  const auto cased = Rule("  sel:\n    CommandLine|cased|contains: 'Secret'\n  condition: sel\n");
  CHECK(Matches(cased, {{"CommandLine", "a Secret b"}}));
  CHECK_FALSE(Matches(cased, {{"CommandLine", "a secret b"}}));
  const auto ref = Rule("  sel:\n    User|fieldref: ParentUser\n  condition: not sel\n");
  CHECK(Matches(ref, {{"User", "a\\alice"}, {"ParentUser", "a\\bob"}}));
  CHECK_FALSE(Matches(ref, {{"User", "A\\ALICE"}, {"ParentUser", "a\\alice"}}));
  const auto r = Import(ref);
  REQUIRE(r.instance);
  CHECK(r.instance->matchers.front()->kind == fb::MatcherKind::FieldEquals);
}

TEST_CASE("conditions: precedence, parentheses, x of patterns, them") {
  const std::string ids = "  sel_a:\n    Image|endswith: '\\a.exe'\n  sel_b:\n    Image|endswith: '\\b.exe'\n"
                          "  filter_x:\n    CommandLine|contains: ' x'\n  _aux:\n    User: 'svc'\n";
  // not binds tighter than and, and tighter than or.
  const auto prec = Rule(ids + "  condition: sel_a or sel_b and not filter_x\n");
  CHECK(Matches(prec, {{"Image", "\\a.exe"}, {"CommandLine", "run x"}}));
  CHECK_FALSE(Matches(prec, {{"Image", "\\b.exe"}, {"CommandLine", "run x"}}));
  const auto parens = Rule(ids + "  condition: (sel_a or sel_b) and not filter_x\n");
  CHECK_FALSE(Matches(parens, {{"Image", "\\a.exe"}, {"CommandLine", "run x"}}));
  const auto one_of = Rule(ids + "  condition: 1 of sel_* and not 1 of filter_*\n");
  CHECK(Matches(one_of, {{"Image", "\\b.exe"}}));
  const auto all_of = Rule(ids + "  condition: all of sel_*\n");
  CHECK_FALSE(Matches(all_of, {{"Image", "\\b.exe"}}));
  // `them` leaves out identifiers starting with an underscore.
  const auto one_of_them = Rule(ids + "  condition: 1 of them\n");
  CHECK_FALSE(Matches(one_of_them, {{"User", "svc"}}));
  CHECK(Matches(one_of_them, {{"CommandLine", "a x"}}));
  // A list of conditions is their or.
  const auto listed = Rule(ids + "  condition:\n    - sel_a\n    - sel_b\n");
  CHECK(Matches(listed, {{"Image", "\\b.exe"}}));
}

TEST_CASE("registry categories add the EventType of their Sysmon event") {
  const auto set = Rule("  sel:\n    TargetObject|endswith: '\\Run\\x'\n  condition: sel\n", "registry_set");
  CHECK(Matches(set, {{"EventType", "SetValue"}, {"TargetObject", "HKLM\\Run\\x"}}));
  CHECK_FALSE(Matches(set, {{"EventType", "DeleteValue"}, {"TargetObject", "HKLM\\Run\\x"}}));
  const auto del = Rule("  sel:\n    TargetObject|endswith: '\\Run\\x'\n  condition: sel\n", "registry_delete");
  CHECK(Matches(del, {{"EventType", "DeleteKey"}, {"TargetObject", "HKLM\\Run\\x"}}));
  const auto any = Rule("  sel:\n    TargetObject|endswith: '\\Run\\x'\n  condition: sel\n", "registry_event");
  CHECK(Matches(any, {{"EventType", "RenameKey"}, {"TargetObject", "HKLM\\Run\\x"}}));
}

TEST_CASE("metadata: id, title, level, author, references") {
  const auto r = Import(Rule("  sel:\n    Image: x\n  condition: sel\n"));
  REQUIRE(r.instance);
  CHECK(r.instance->id == 7u);
  CHECK(r.instance->name == "Test rule");
  CHECK(r.instance->severity == fb::Severity::High);
  CHECK(r.instance->meta->rule_id == "11111111-2222-3333-4444-555555555555");
  CHECK(r.instance->meta->author == "Tester");
  CHECK(r.instance->meta->references == std::vector<std::string>{"https://example.org/a"});
}

TEST_CASE("what cannot be expressed exactly is skipped with its reason") {
  using R = sigma::SkipReason;
  CHECK(SkipOf(Rule("  sel:\n    Image: x\n  condition: sel\n", "ps_script")) == R::UnmappedLogsource);
  CHECK(SkipOf(Rule("  sel:\n    GrandParentImage: x\n  condition: sel\n")) == R::UnknownField);
  CHECK(SkipOf(Rule("  keywords:\n    - mimikatz\n  condition: keywords\n")) == R::KeywordSearch);
  CHECK(SkipOf(Rule("  sel:\n    Image|expand: '%Servers%'\n  condition: sel\n")) == R::Placeholder);
  CHECK(SkipOf(Rule("  sel:\n    Image|frobnicate: x\n  condition: sel\n")) == R::UnsupportedModifier);
  CHECK(SkipOf(Rule("  sel:\n    Image: x\n  condition: sel | count() > 5\n")) == R::Aggregation);
  CHECK(SkipOf(Rule("  sel:\n    Image: x\n  condition: sel and missing\n")) == R::BadCondition);
  CHECK(SkipOf(Rule("  sel:\n    Image: x\n  condition: 1 of filter_*\n")) == R::BadCondition);
  CHECK(SkipOf(Rule("  sel:\n    Image: x\n  condition: (sel\n")) == R::BadCondition);
  CHECK(SkipOf("title: t\nlogsource: {product: windows, category: process_creation}\ndetection: [") == R::InvalidYaml);
  CHECK(SkipOf("title: t\n") == R::NotARule);
  CHECK(SkipOf(",") == R::InvalidYaml);  // yaml-cpp 0.7's LoadAll never returns on this
  CHECK(SkipOf("title: a\n---\ntitle: b\n") == R::NotARule);  // a rule collection
  CHECK(SkipOf(std::string(40, '[') + "x" + std::string(40, ']')) == R::InvalidYaml);  // nesting bound
  std::string many = "  sel:\n    CommandLine|contains|all:\n";
  for (std::size_t i = 0; i <= limits::kMaxMatchersPerInstance; ++i) many += "      - 'v" + std::to_string(i) + "'\n";
  CHECK(SkipOf(Rule(many + "  condition: sel\n")) == R::ExceedsLimits);
}
