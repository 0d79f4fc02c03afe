// The content interpreter: every matcher kind, case folding, empty strings,
// integer boundaries, IPv4/IPv6 CIDR, boolean combinations, bounds faults,
// budgets — each evaluated by both evaluators, which must agree.
#include <doctest/doctest.h>

#include <functional>
#include <limits>
#include <random>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/limits.h"
#include "support/compiled.h"

using namespace chanval;
using namespace chanval::test;
using fb::CompareOp;
using fb::MatcherKind;
using Ids = std::vector<std::uint32_t>;

namespace {
constexpr std::uint16_t kProc = 1, kNet = 3, kPipe = 17;
constexpr std::size_t kProcFields = 23, kNetFields = 18;
constexpr std::uint16_t kImage = 4, kCommandLine = 10, kPid = 3, kDestIp = 14, kDestPort = 16;

Ids Run1(std::unique_ptr<fb::MatcherT> m, const std::string& value, std::uint16_t type = kProc,
         std::size_t fields = kProcFields) {
  const auto field = m->field;
  auto c = Channel();
  c.instances.push_back(Instance(1, type, Matchers(std::move(m))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  return MatchIds(*k.content, type, TestEvent(fields, {{field, value}}));
}
const Ids kHit{1}, kMiss{};

// 1 to `max_instances` instances of kProc, each of 1 to `max_matchers`
// matchers from `matcher()` under `condition(matcher count)` (null: the
// implicit and), drawn in that order from `rng`.
template <typename MakeMatcher, typename MakeCondition>
fb::ChannelFileT RandomChannel(std::mt19937& rng, int max_instances, int max_matchers, const MakeMatcher& matcher,
                               const MakeCondition& condition) {
  auto c = Channel();
  const int ninst = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_instances));
  for (int i = 0; i < ninst; ++i) {
    std::vector<std::unique_ptr<fb::MatcherT>> ms;
    const int nm = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_matchers));
    for (int m = 0; m < nm; ++m) ms.push_back(matcher());
    c.instances.push_back(Instance(static_cast<std::uint32_t>(i + 1), kProc, std::move(ms), condition(nm)));
  }
  return c;
}
}  // namespace

TEST_CASE("equals: exact, case folding, empty") {
  CHECK(Run1(M(kImage, MatcherKind::Equals, {"C:\\a.exe"}), "C:\\a.exe") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::Equals, {"C:\\a.exe"}), "c:\\A.EXE") == kMiss);
  CHECK(Run1(M(kImage, MatcherKind::Equals, {"C:\\a.exe"}, true), "c:\\A.EXE") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::Equals, {"C:\\a.exe"}, true), "c:\\A.EXE ") == kMiss);
  CHECK(Run1(M(kImage, MatcherKind::Equals, {""}), "") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::Equals, {""}), "x") == kMiss);
  // Non-ASCII bytes compare exactly even when folding.
  CHECK(Run1(M(kImage, MatcherKind::Equals, {"\xc3\xa9"}, true), "\xc3\x89") == kMiss);
}

TEST_CASE("prefix, suffix, contains with several values") {
  CHECK(Run1(M(kImage, MatcherKind::Prefix, {"C:\\Windows\\", "D:\\"}, true), "d:\\x") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::Prefix, {"C:\\Windows\\"}), "C:\\Windows") == kMiss);
  CHECK(Run1(M(kImage, MatcherKind::Suffix, {"\\cmd.exe", "\\pwsh.exe"}, true), "C:\\X\\PWSH.EXE") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::Suffix, {"\\cmd.exe"}), "\\cmd.exe.bak") == kMiss);
  CHECK(Run1(M(kCommandLine, MatcherKind::Contains, {" -enc "}, true), "powershell -ENC abc") == kHit);
  CHECK(Run1(M(kCommandLine, MatcherKind::Contains, {" -enc "}), "powershell -ENC abc") == kMiss);
  CHECK(Run1(M(kCommandLine, MatcherKind::Contains, {"abc"}), "") == kMiss);
  // A value longer than the input.
  CHECK(Run1(M(kCommandLine, MatcherKind::Contains, {"abcdef"}, true), "abc") == kMiss);
  // Overlapping and repeated occurrences.
  CHECK(Run1(M(kCommandLine, MatcherKind::Contains, {"aab"}, true), "aaaab") == kHit);
}

TEST_CASE("regex: unanchored search, case folding option, anchors") {
  CHECK(Run1(M(kCommandLine, MatcherKind::Regex, {"-w(indowstyle)?\\s+h"}), "x -windowstyle   hidden") == kHit);
  CHECK(Run1(M(kCommandLine, MatcherKind::Regex, {"^cmd"}), "xcmd") == kMiss);
  CHECK(Run1(M(kCommandLine, MatcherKind::Regex, {"CMD"}, true), "run cmd now") == kHit);
  CHECK(Run1(M(kCommandLine, MatcherKind::Regex, {"CMD"}), "run cmd now") == kMiss);
}

TEST_CASE("regex prefilter: RE2's AND of atoms, not 'any atom seen', decides whether the regex runs") {
  // `abcd.*wxyz` needs both atoms. An event holding only one of them must
  // not run the regex (it pays the atom test alone); one holding both runs
  // it, here without a match. Same length, so only running differs in cost.
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"abcd.*wxyz"}))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  const auto& m = k.content->matchers().front();
  REQUIRE(m.atom_count == 2);
  CHECK(m.atom_table == 0b1000);  // only the subset {abcd, wxyz}
  interp::EvalScratch s(*k.content);
  const TestEvent one(kProcFields, {{kCommandLine, "abcd ---- ----"}});
  const TestEvent both_wrong_order(kProcFields, {{kCommandLine, "wxyz ---- abcd"}});
  const TestEvent matching(kProcFields, {{kCommandLine, "abcd ---- wxyz"}});
  const auto skipped = interp::Evaluate(*k.content, kProc, one.inputs, s);
  const auto ran = interp::Evaluate(*k.content, kProc, both_wrong_order.inputs, s);
  CHECK(s.matches().empty());
  CHECK(skipped.cost < ran.cost);
  CHECK(MatchIds(*k.content, kProc, one).empty());
  CHECK(MatchIds(*k.content, kProc, both_wrong_order).empty());
  CHECK(MatchIds(*k.content, kProc, matching) == kHit);
  // An alternation is an OR: either branch's atom lets the regex run.
  CHECK(Run1(M(kCommandLine, MatcherKind::Regex, {"(qwer|tyui)zz"}), "x tyuizz") == kHit);
}

namespace {
// The compiled form of a one-regex instance, with the costs of two events.
struct OneRegex {
  explicit OneRegex(const std::string& pattern, interp::SensorProfile profile = interp::CurrentBuildProfile())
      : k([&] {
          auto c = Channel();
          c.instances.push_back(Instance(1, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {pattern}))));
          return c;
        }(), profile, {.enforce_budgets = false}) {
    REQUIRE_MESSAGE(k.content, k.error.detail);
  }
  const interp::CompiledMatcher& matcher() const { return k.content->matchers().front(); }
  std::vector<std::string> atoms() const {
    const auto& m = matcher();
    return {k.content->short_atoms.begin() + m.atom_begin, k.content->short_atoms.begin() + m.atom_begin + m.atom_count};
  }
  interp::EvalOutcome Optimized(const std::string& value) const {
    interp::EvalScratch s(*k.content);
    return interp::Evaluate(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, value}}).inputs, s);
  }
  Ids Matches(const std::string& value) const {
    return MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, value}}));
  }
  Compiled k;
};
}  // namespace

TEST_CASE("regex prefilter: a regex without 3-byte atoms runs only if its shorter atoms are in the value") {
  // SigmaHQ's `\w+`(?:\w+|-|.)`` has no atom the automaton keeps, so it
  // ran on every command line; its backquote, searched for, rules most out.
  const OneRegex tick("\\w+`(?:\\w+|-|.)`");
  CHECK(tick.matcher().prefilter == interp::PrefilterUse::RegexValueSearch);
  CHECK(tick.atoms() == std::vector<std::string>{"`"});
  CHECK(tick.Matches("iex a`b`c") == kHit);
  CHECK(tick.Matches("iex a'b'c") == kMiss);
  CHECK(tick.Matches("iex a`b'c") == kMiss);
  // Same length: the value without the atom pays the search alone.
  CHECK(tick.Optimized("iex a'b'c").cost < tick.Optimized("iex a`b'c").cost);
  CHECK(tick.Optimized("iex a`b'c").cost == tick.Optimized("iex a`b`c").cost);

  // RE2 lower-cases atoms whatever the regex's case: the search folds the value.
  const OneRegex upper("Q`");
  CHECK(upper.matcher().prefilter == interp::PrefilterUse::RegexValueSearch);
  CHECK(upper.atoms() == std::vector<std::string>{"q`"});
  CHECK(upper.Matches("xQ`y") == kHit);
  CHECK(upper.Matches("xq`y") == kMiss);

  // Many atoms that must all be present: the likely rarest few are searched.
  const OneRegex env("(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}");
  CHECK(env.matcher().prefilter == interp::PrefilterUse::RegexValueSearch);
  REQUIRE(env.atoms().size() == 3);
  CHECK(env.atoms().front() == "${");
  CHECK(env.Matches("x ${env:path} y") == kHit);
  CHECK(env.Matches("x ${`E`n`V:`p`A`t`H} y") == kHit);
  CHECK(env.Matches("x $ {env:path} y") == kMiss);
  CHECK(env.Matches("x ${env;path} y") == kMiss);

  // An atom holding s or k is taken as present: RE2 folds U+017F and U+212A
  // to them, which an ASCII search cannot see (ascii.h). Both evaluators
  // must match these values (MatchIds compares them).
  const OneRegex kelvin("(?i)#[0-9]+k");
  CHECK(kelvin.matcher().prefilter == interp::PrefilterUse::RegexValueSearch);
  CHECK(kelvin.atoms() == std::vector<std::string>{"#"});
  CHECK(kelvin.Matches("#12" + std::string(interp::kKelvinSign)) == kHit);
  CHECK(kelvin.Matches("12" + std::string(interp::kKelvinSign)) == kMiss);
  const OneRegex long_s("(?i)=s[0-9]");
  CHECK(long_s.matcher().prefilter == interp::PrefilterUse::RegexAtoms);  // its one atom "=s": no gate
  CHECK(long_s.Matches("=" + std::string(interp::kLongS) + "1") == kHit);
}

TEST_CASE("regex prefilter: the short-atom search is charged before it runs, the regex before it runs") {
  // A budget that covers the search but not the regex: the value without
  // the atom completes, the one with it stops before RE2 runs.
  const OneRegex probe("\\w+`(?:\\w+|-|.)`");
  const auto searched_only = probe.Optimized("iex a'b'c");
  REQUIRE(searched_only.status == interp::EvalStatus::Ok);
  auto profile = interp::CurrentBuildProfile();
  profile.budgets.max_cost_per_event = searched_only.cost;
  const OneRegex tight("\\w+`(?:\\w+|-|.)`", profile);
  CHECK(tight.Optimized("iex a'b'c").status == interp::EvalStatus::Ok);
  const auto stopped = tight.Optimized("iex a`b`c");
  CHECK(stopped.status == interp::EvalStatus::BudgetExceeded);
  CHECK(stopped.cost == probe.Optimized("iex a`b`c").cost);  // the charge that would have gone over
}

TEST_CASE("regex prefilter: a regex without atoms runs only if the value holds its run of byte classes") {
  // SigmaHQ's SNAKE rule: RE2's prefilter has only its whitespace bytes,
  // in nearly every command line; the run of 63 hex digits is in almost none.
  const OneRegex snake("\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}");
  const auto& m = snake.matcher();
  CHECK(m.prefilter == interp::PrefilterUse::RegexValueSearch);
  REQUIRE(m.class_gate != interp::CompiledMatcher::kNoClassGate);
  CHECK(m.value_search_bytes == m.atom_count + 1);  // whitespace atoms, then the run
  const std::string sha = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
  const std::string hit = "jpsetup.exe " + sha + " 0123456789abcdef";
  const std::string broken = "jpsetup.exe " + sha.substr(0, 32) + "G" + sha.substr(33) + " 0123456789abcdef";
  const std::string long_enough = "jpsetup.exe " + sha + " 0123456789abcdex";  // the run, not the match
  CHECK(snake.Matches(hit) == kHit);
  CHECK(snake.Matches(broken) == kMiss);
  CHECK(snake.Matches(long_enough) == kMiss);
  // Same length: the value the gate rules out pays for the search alone.
  CHECK(snake.Optimized(broken).cost < snake.Optimized(long_enough).cost);
  CHECK(snake.Optimized(long_enough).cost == snake.Optimized(hit).cost);
  // The search is charged first; the regex's price less the search's only when it runs.
  const std::uint64_t searched = m.price.fixed + m.value_search_bytes * (hit.size() + 1);
  CHECK(snake.Optimized(hit).cost - snake.Optimized(broken).cost == m.price.At(hit.size()) - searched);

  // A budget that covers the search but not the regex: the ruled-out value
  // completes, the one holding the run stops before RE2 runs.
  auto profile = interp::CurrentBuildProfile();
  profile.budgets.max_cost_per_event = snake.Optimized(broken).cost;
  const OneRegex tight("\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}", profile);
  CHECK(tight.Optimized(broken).status == interp::EvalStatus::Ok);
  CHECK(tight.Optimized(hit).status == interp::EvalStatus::BudgetExceeded);

  // Folded, [k-s] matches U+212A and U+017F: no gate of byte classes holds it.
  const OneRegex folded("(?i)\\s[k-s]{30}");
  CHECK(folded.matcher().class_gate == interp::CompiledMatcher::kNoClassGate);
  std::string runes = " ";
  for (int i = 0; i < 15; ++i) runes += std::string(interp::kKelvinSign) + std::string(interp::kLongS);
  CHECK(folded.Matches(runes) == kHit);
}

TEST_CASE("SearchFolded finds what ContainsFolded finds") {
  std::mt19937 rng(7);
  const std::string alphabet = "aAbB`$:{ .\\";
  const auto text = [&](std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int i = 0; i < 20000; ++i) {
    const std::string hay = text(rng() % 12), needle = interp::FoldedCopy(text(rng() % 4));
    CAPTURE(hay);
    CAPTURE(needle);
    CHECK(interp::SearchFolded(hay, needle) == interp::ContainsFolded(hay, needle));
  }
}

TEST_CASE("fold partners are found at every offset") {
  // The search takes 16 bytes at a time, then a byte at a time: each rune at
  // every offset of values up to 40 bytes, around lead bytes that begin
  // neither rune (0xc5 0xbe, 0xe2 0x84 0xab, 0xff), and cut off at the end.
  const std::string fillers[] = {"a", "\xc5\xbe", "\xe2\x84\xab", "\xff", "\xc5", "\xe2\x84"};
  std::mt19937 rng(5);
  for (const std::string_view rune : {interp::kLongS, interp::kKelvinSign}) {
    for (std::size_t length = 0; length <= 40; ++length) {
      std::string text;
      while (text.size() < length) text += fillers[rng() % 4];
      text.resize(length);
      CAPTURE(text);
      const bool has = text.find(interp::kLongS) != std::string::npos || text.find(interp::kKelvinSign) != std::string::npos;
      CHECK(interp::HasNonAsciiFoldPartner(text) == has);
      for (std::size_t at = 0; at + rune.size() <= length; ++at) {
        std::string with = text;
        with.replace(at, rune.size(), rune);
        CAPTURE(at);
        CHECK(interp::HasNonAsciiFoldPartner(with));
        CHECK_FALSE(interp::HasNonAsciiFoldPartner(with.substr(0, at + rune.size() - 1) + "a"));
      }
      CHECK_FALSE(interp::HasNonAsciiFoldPartner(std::string(length, 'a') + fillers[4 + rng() % 2]));
    }
  }
}

TEST_CASE("candidate pre-check: an instance one of whose AND-ed clauses saw no pattern is not walked") {
  // Selected by its Image suffix; the CommandLine clause was not seen, so it
  // cannot match and costs what a non-candidate costs (same-length events).
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kImage, MatcherKind::Suffix, {"\\x.exe"}, true),
                                                    M(kCommandLine, MatcherKind::Contains, {"zzz"}, true))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  interp::EvalScratch s(*k.content);
  const TestEvent selected(kProcFields, {{kImage, "c:\\x.exe"}, {kCommandLine, "aaa"}});
  const TestEvent not_selected(kProcFields, {{kImage, "c:\\y.exe"}, {kCommandLine, "aaa"}});
  const TestEvent both(kProcFields, {{kImage, "c:\\x.exe"}, {kCommandLine, "zzz"}});
  CHECK(interp::Evaluate(*k.content, kProc, selected.inputs, s).cost ==
        interp::Evaluate(*k.content, kProc, not_selected.inputs, s).cost);
  CHECK(MatchIds(*k.content, kProc, selected).empty());
  CHECK(MatchIds(*k.content, kProc, both) == kHit);
}

TEST_CASE("candidates: an event walks what it selected, never a candidate of the last event, across a large type") {
  // 9,000 instances, each selected by its own Image suffix: the candidate
  // words span three mark words, and an event's selection visits only the
  // words it marked. Each selected event is followed by one that selects
  // nothing: it must reach no matcher and cost what it costs in a fresh
  // scratch (a candidate bit left from the last event would be walked).
  constexpr std::uint32_t kInstances = 9000;
  auto c = Channel();
  for (std::uint32_t i = 0; i < kInstances; ++i) {
    c.instances.push_back(
        Instance(i + 1, kProc, Matchers(M(kImage, MatcherKind::Suffix, {"\\p" + std::to_string(i) + ".exe"}, true))));
  }
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  interp::EvalScratch s(*k.content);
  s.EnableTrace(true);
  const auto reached_count = [&] {
    std::uint32_t n = 0;
    for (std::uint32_t m = 0; m < k.content->matchers().size(); ++m) n += s.reached(m) ? 1u : 0u;
    return n;
  };
  const TestEvent none(kProcFields, {{kImage, "c:\\none.exe"}});
  interp::EvalScratch fresh(*k.content);
  const auto fresh_cost = interp::Evaluate(*k.content, kProc, none.inputs, fresh).cost;
  for (std::uint32_t pos : {0u, 63u, 64u, 4095u, 4096u, 5000u, 8191u, 8192u, 8999u}) {
    CAPTURE(pos);
    const TestEvent one(kProcFields, {{kImage, "c:\\p" + std::to_string(pos) + ".exe"}});
    s.ClearTrace(0, kInstances);
    const auto out = interp::Evaluate(*k.content, kProc, one.inputs, s);
    REQUIRE(out.status == interp::EvalStatus::Ok);
    REQUIRE(s.matches().size() == 1u);
    CHECK(s.matches()[0].instance_id == pos + 1);
    CHECK(reached_count() == 1u);
    s.ClearTrace(0, kInstances);
    const auto after = interp::Evaluate(*k.content, kProc, none.inputs, s);
    CHECK(s.matches().empty());
    CHECK(reached_count() == 0u);
    CHECK(after.cost == fresh_cost);
  }
}

TEST_CASE("candidate selection: an instance is listed under its least common clause, the others pre-checked") {
  // Instance 1 needs Image ending in \\cmd.exe (a pattern six instances
  // name) and either of two rare switches; instances 2-6 need only the
  // suffix. Instance 1 is listed under the switches, not under the one
  // pattern every cmd.exe event sets, and the suffix is its pre-check.
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kImage, MatcherKind::Suffix, {"\\cmd.exe"}, true),
                                                    M(kCommandLine, MatcherKind::Contains, {"-rareflag", "/rareflag"}, true))));
  for (std::uint32_t id = 2; id <= 6; ++id) {
    c.instances.push_back(Instance(id, kProc, Matchers(M(kImage, MatcherKind::Suffix, {"\\cmd.exe"}, true))));
  }
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  const auto* t = k.content->FindType(kProc);
  REQUIRE(t);
  const auto& first = k.content->instances()[t->instances[0]];
  REQUIRE(first.id == 1u);
  const auto pattern_of = [&](std::uint32_t matcher) {
    return k.content->literal_patterns[k.content->matchers()[first.matcher_begin + matcher].literal_begin];
  };
  const auto listed_under = [&](std::uint32_t p) {
    return std::vector<std::uint32_t>(t->pattern_instances.begin() + t->pattern_instance_begin[p],
                                      t->pattern_instances.begin() + t->pattern_instance_begin[p + 1]);
  };
  CHECK(listed_under(pattern_of(0)) == std::vector<std::uint32_t>{1, 2, 3, 4, 5});
  CHECK(listed_under(pattern_of(1)) == std::vector<std::uint32_t>{0});
  CHECK(std::vector<std::uint32_t>(t->precheck.begin() + t->precheck_begin[0],
                                   t->precheck.begin() + t->precheck_begin[1]) ==
        std::vector<std::uint32_t>{1, pattern_of(0)});
  // And the matches are those of the condition.
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "c:\\cmd.exe"}, {kCommandLine, "x"}})) ==
        Ids{2, 3, 4, 5, 6});
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "c:\\cmd.exe"}, {kCommandLine, "/rareflag"}})) ==
        Ids{1, 2, 3, 4, 5, 6});
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "c:\\x.exe"}, {kCommandLine, "-rareflag"}})).empty());
}

TEST_CASE("blocking patterns: a seen pattern of a case-folded contains under not rules an instance out, only that") {
  // 1: not Image contains '\' (folded): no necessary clause, so walked on
  //    every event unless ruled out.
  // 2: the same, case-sensitive 'x': a folded hit of 'x' does not decide it.
  // 3: (not Image contains '\') or CommandLine contains 'go': an or rules
  //    nothing out.
  // 4: not (Image contains 'tmp' or CommandLine contains 'zz'): either rules it out.
  // 5: CommandLine contains 'run' and not CommandLine contains 'safe'.
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kImage, MatcherKind::Contains, {"\\"}, true)), Not(Ref(0))));
  c.instances.push_back(Instance(2, kProc, Matchers(M(kImage, MatcherKind::Contains, {"x"})), Not(Ref(0))));
  c.instances.push_back(Instance(3, kProc,
                                 Matchers(M(kImage, MatcherKind::Contains, {"\\"}, true),
                                          M(kCommandLine, MatcherKind::Contains, {"go"}, true)),
                                 Or(Args(Not(Ref(0)), Ref(1)))));
  c.instances.push_back(Instance(4, kProc,
                                 Matchers(M(kImage, MatcherKind::Contains, {"tmp"}, true),
                                          M(kCommandLine, MatcherKind::Contains, {"zz"}, true)),
                                 Not(Or(Args(Ref(0), Ref(1))))));
  c.instances.push_back(Instance(5, kProc,
                                 Matchers(M(kCommandLine, MatcherKind::Contains, {"run"}, true),
                                          M(kCommandLine, MatcherKind::Contains, {"safe"}, true)),
                                 And(Args(Ref(0), Not(Ref(1))))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  const auto* t = k.content->FindType(kProc);
  REQUIRE(t);
  const auto blocking_of = [&](std::uint32_t pos) {
    return std::vector<std::uint32_t>(t->blocking.begin() + t->blocking_begin[pos],
                                      t->blocking.begin() + t->blocking_begin[pos + 1]);
  };
  const auto pattern_of = [&](std::uint32_t pos, std::uint32_t matcher) {
    const auto& ci = k.content->instances()[t->instances[pos]];
    return k.content->literal_patterns[k.content->matchers()[ci.matcher_begin + matcher].literal_begin];
  };
  CHECK(blocking_of(0) == std::vector<std::uint32_t>{pattern_of(0, 0)});
  CHECK(blocking_of(1).empty());
  CHECK(blocking_of(2).empty());
  CHECK(blocking_of(3).size() == 2u);
  CHECK(blocking_of(4) == std::vector<std::uint32_t>{pattern_of(4, 1)});

  interp::EvalScratch s(*k.content);
  s.EnableTrace(true);
  const auto reached = [&](std::uint32_t pos) {
    const auto& ci = k.content->instances()[t->instances[pos]];
    bool any = false;
    for (std::uint32_t m = ci.matcher_begin; m < ci.matcher_begin + ci.matcher_count; ++m) any = any || s.reached(m);
    return any;
  };
  const auto matches = [&](const TestEvent& ev) {
    s.ClearTrace(0, static_cast<std::uint32_t>(k.content->matchers().size()));
    REQUIRE(interp::Evaluate(*k.content, kProc, ev.inputs, s).status == interp::EvalStatus::Ok);
    Ids ids;
    for (const auto& m : s.matches()) ids.push_back(m.instance_id);
    return ids;
  };
  // Image holds '\' and a capital X, CommandLine 'go', 'run' and 'safe'.
  const TestEvent first(kProcFields, {{kImage, "C:\\X.EXE"}, {kCommandLine, "go run safe"}});
  CHECK(matches(first) == Ids{2, 3, 4});
  CHECK_FALSE(reached(0));
  CHECK(reached(1));
  CHECK_FALSE(reached(4));
  CHECK(MatchIds(*k.content, kProc, first) == Ids{2, 3, 4});
  // No '\', but 'tmp'; 'run' without 'safe'.
  const TestEvent second(kProcFields, {{kImage, "tmpfile"}, {kCommandLine, "run"}});
  CHECK(matches(second) == Ids{1, 2, 3, 5});
  CHECK_FALSE(reached(3));
  CHECK(MatchIds(*k.content, kProc, second) == Ids{1, 2, 3, 5});
}

TEST_CASE("candidate pre-check: an or is expanded into its product, so or(and(A, B), C) needs B or C too") {
  // Selected by {A, C} (the union of each branch's smallest clause); before
  // the product, an event with A alone was walked. Now the clause {B, C}
  // has no pattern seen, so it costs what an event without A costs.
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc,
                                 Matchers(M(kCommandLine, MatcherKind::Contains, {"alpha"}, true),
                                          M(kCommandLine, MatcherKind::Contains, {"bravo"}, true),
                                          M(kImage, MatcherKind::Suffix, {"\\charlie.exe"}, true)),
                                 Or(Args(And(Args(Ref(0), Ref(1))), Ref(2)))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  interp::EvalScratch s(*k.content);
  const TestEvent a_only(kProcFields, {{kImage, "c:\\x.exe"}, {kCommandLine, "alpha zzzzz"}});
  const TestEvent none(kProcFields, {{kImage, "c:\\x.exe"}, {kCommandLine, "zzzzz zzzzz"}});
  const auto cost_a = interp::Evaluate(*k.content, kProc, a_only.inputs, s).cost;
  CHECK(cost_a == interp::Evaluate(*k.content, kProc, none.inputs, s).cost);
  CHECK(MatchIds(*k.content, kProc, a_only).empty());
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, "alpha bravo"}})) == kHit);
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "c:\\charlie.exe"}})) == kHit);
}

TEST_CASE("candidate pre-check: a regex whose atoms RE2 ANDs needs each of them, not any one") {
  // RE2's prefilter for alpha.*omega is AND(alpha, omega): an event holding
  // only one of them cannot run the regex, and now is not walked either
  // (before, "any atom seen" made it a candidate).
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"alpha.*omega"}))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  interp::EvalScratch s(*k.content);
  const TestEvent none(kProcFields, {{kCommandLine, "zzzzz zzzzz"}});
  const auto cost_none = interp::Evaluate(*k.content, kProc, none.inputs, s).cost;
  for (const char* one : {"alpha zzzzz", "zzzzz omega"}) {
    CAPTURE(one);
    const TestEvent ev(kProcFields, {{kCommandLine, one}});
    CHECK(interp::Evaluate(*k.content, kProc, ev.inputs, s).cost == cost_none);
    CHECK(MatchIds(*k.content, kProc, ev).empty());
  }
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, "alpha to omega"}})) == kHit);
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, "omega to alpha"}})) == kMiss);
}

TEST_CASE("integer compare and range at the boundaries") {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Eq, 0), "0") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Eq, 0), "") == kMiss);  // no number
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Eq, 0), "zero") == kMiss);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Ne, 5), "6") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Lt, 5), "4") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Lt, 5), "5") == kMiss);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Le, 5), "5") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Gt, kMax - 1), std::to_string(kMax)) == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntCompare, CompareOp::Ge, kMin), std::to_string(kMin)) == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntRange, CompareOp::Eq, 10, 20), "10") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntRange, CompareOp::Eq, 10, 20), "20") == kHit);
  CHECK(Run1(IntM(kPid, MatcherKind::IntRange, CompareOp::Eq, 10, 20), "21") == kMiss);
  CHECK(Run1(IntM(kPid, MatcherKind::IntRange, CompareOp::Eq, kMin, kMax), std::to_string(kMin)) == kHit);
}

TEST_CASE("one-of sets of strings and integers") {
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"b", "a", "c"}), "a") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"b", "a", "c"}), "A") == kMiss);
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"b", "A", "c"}, true), "a") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"", "x"}), "") == kHit);
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"abc"}, true), "ab") == kMiss);
  CHECK(Run1(M(kImage, MatcherKind::OneOf, {"abc"}, true), "xabc") == kMiss);
  CHECK(Run1(IntSet(kDestPort, {443, 80, 4444}), "4444", kNet, kNetFields) == kHit);
  CHECK(Run1(IntSet(kDestPort, {443, 80, 4444}), "8080", kNet, kNetFields) == kMiss);
}

TEST_CASE("CIDR over IPv4 and IPv6") {
  auto cidr = [](std::vector<std::string> v) { return M(kDestIp, MatcherKind::Cidr, std::move(v)); };
  CHECK(Run1(cidr({"10.0.0.0/8"}), "10.255.1.2", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"10.0.0.0/8"}), "11.0.0.1", kNet, kNetFields) == kMiss);
  CHECK(Run1(cidr({"192.168.1.0/31"}), "192.168.1.1", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"192.168.1.0/31"}), "192.168.1.2", kNet, kNetFields) == kMiss);
  CHECK(Run1(cidr({"0.0.0.0/0"}), "8.8.8.8", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"1.2.3.4/32"}), "1.2.3.4", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"2001:db8::/32"}), "2001:db8:ffff::1", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"2001:db8::/32"}), "2001:db9::1", kNet, kNetFields) == kMiss);
  CHECK(Run1(cidr({"fe80::/10"}), "febf::1", kNet, kNetFields) == kHit);
  CHECK(Run1(cidr({"fe80::/10"}), "fec0::1", kNet, kNetFields) == kMiss);
  // Families do not mix; garbage is no address.
  CHECK(Run1(cidr({"0.0.0.0/0"}), "::1", kNet, kNetFields) == kMiss);
  CHECK(Run1(cidr({"10.0.0.0/8"}), "10.0.0.x", kNet, kNetFields) == kMiss);
  CHECK(Run1(cidr({"10.0.0.0/8"}), "", kNet, kNetFields) == kMiss);
}

TEST_CASE("boolean combinations with short circuit") {
  auto c = Channel();
  // 1: a and not b; 2: a or b; 3: not (a or b); 4: (a and b) or c (nested)
  auto a = [] { return M(kImage, MatcherKind::Suffix, {"\\a.exe"}, true); };
  auto b = [] { return M(kCommandLine, MatcherKind::Contains, {"bee"}, true); };
  auto cc = [] { return M(kCommandLine, MatcherKind::Regex, {"^see$"}); };
  c.instances.push_back(Instance(1, kProc, Matchers(a(), b()), And(Args(Ref(0), Not(Ref(1))))));
  c.instances.push_back(Instance(2, kProc, Matchers(a(), b()), Or(Args(Ref(0), Ref(1)))));
  c.instances.push_back(Instance(3, kProc, Matchers(a(), b()), Not(Or(Args(Ref(0), Ref(1))))));
  c.instances.push_back(Instance(4, kProc, Matchers(a(), b(), cc()), Or(Args(And(Args(Ref(0), Ref(1))), Ref(2)))));
  c.instances.push_back(Instance(5, kProc, Matchers(a(), b())));  // implicit and
  Compiled k(c);
  REQUIRE(k.content);
  auto ev = [](std::string image, std::string cmd) { return TestEvent(kProcFields, {{kImage, image}, {kCommandLine, cmd}}); };
  CHECK(MatchIds(*k.content, kProc, ev("x\\A.exe", "nothing")) == Ids{1, 2});
  CHECK(MatchIds(*k.content, kProc, ev("x\\A.exe", "a bee")) == Ids{2, 4, 5});
  CHECK(MatchIds(*k.content, kProc, ev("x\\b.exe", "a bee")) == Ids{2});
  CHECK(MatchIds(*k.content, kProc, ev("x\\b.exe", "see")) == Ids{3, 4});
  CHECK(MatchIds(*k.content, kProc, ev("", "")) == Ids{3});
}

TEST_CASE("the trace records the matchers a walk reached, and a ranged clear forgets only its range") {
  auto c = Channel();
  // Instance 1: a or b, so b is reached only when a is false; instance 2: c.
  c.instances.push_back(Instance(1, kProc, Matchers(M(kImage, MatcherKind::Suffix, {"\\a.exe"}, true),
                                                    M(kCommandLine, MatcherKind::Contains, {"bee"}, true)),
                                 Or(Args(Ref(0), Ref(1)))));
  c.instances.push_back(Instance(2, kProc, Matchers(M(kImage, MatcherKind::Wildcard))));
  Compiled k(c);
  REQUIRE(k.content);
  const auto& ci = k.content->instances();
  REQUIRE(ci.size() == 2u);
  const std::uint32_t a = ci[0].matcher_begin, b = a + 1, w = ci[1].matcher_begin;
  interp::EvalScratch s(*k.content);
  const TestEvent short_circuit(kProcFields, {{kImage, "x\\a.exe"}, {kCommandLine, "bee"}});
  REQUIRE(interp::Evaluate(*k.content, kProc, short_circuit.inputs, s).status == interp::EvalStatus::Ok);
  CHECK_FALSE(s.reached(a));  // off until enabled
  s.EnableTrace(true);
  REQUIRE(interp::Evaluate(*k.content, kProc, short_circuit.inputs, s).status == interp::EvalStatus::Ok);
  CHECK(s.reached(a));
  CHECK_FALSE(s.reached(b));  // the or stopped at a
  CHECK(s.reached(w));
  const TestEvent both(kProcFields, {{kImage, "x\\b.exe"}, {kCommandLine, "bee"}});
  REQUIRE(interp::Evaluate(*k.content, kProc, both.inputs, s).status == interp::EvalStatus::Ok);
  CHECK(s.reached(b));
  s.ClearTrace(w, ci[1].matcher_count);  // instance 2 only
  CHECK(s.reached(a));
  CHECK(s.reached(b));
  CHECK_FALSE(s.reached(w));
  REQUIRE(interp::Evaluate(*k.content, kProc, both.inputs, s).status == interp::EvalStatus::Ok);
  s.ClearTrace(a, ci[0].matcher_count);  // instance 1 only
  CHECK_FALSE(s.reached(a));
  CHECK_FALSE(s.reached(b));
  CHECK(s.reached(w));
  s.ClearTrace(w, 1000);  // past the end: clipped, not a fault
  CHECK_FALSE(s.reached(w));
  s.ClearTrace(~std::uint32_t{0}, ~std::uint32_t{0});  // wholly past the end: nothing
  REQUIRE(interp::Evaluate(*k.content, kProc, both.inputs, s).status == interp::EvalStatus::Ok);
  CHECK(s.reached(a));
  CHECK(s.reached(b));
}

TEST_CASE("wildcards never read their field; other matchers fault past the supplied inputs") {
  auto c = Channel();
  c.instances.push_back(Instance(1, kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\x"}), M(7, MatcherKind::Wildcard))));
  c.instances.push_back(Instance(2, kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\y"}), M(7, MatcherKind::Equals, {"SYSTEM"}))));
  Compiled k(c);
  REQUIRE(k.content);
  // 7 inputs supplied where the type declares 8: the channel-file-291 shape.
  TestEvent seven(7, {{5, "\\y_pipe"}});
  interp::EvalScratch s(*k.content);
  const auto opt = interp::Evaluate(*k.content, kPipe, seven.inputs, s);
  CHECK(opt.status == interp::EvalStatus::InputOutOfBounds);
  CHECK(opt.fault_field == 7);
  CHECK(k.content->instances()[opt.fault_instance_index].id == 2u);
  const auto ref = interp::EvaluateReference(*k.content, kPipe, seven.inputs, s);
  CHECK(ref.status == interp::EvalStatus::InputOutOfBounds);
  CHECK(ref.fault_field == 7);
  // Instance 1 alone reads only field 5: evaluating it is safe.
  const auto one = interp::EvaluateInstance(*k.content, 0, seven.inputs, s);
  CHECK(one.status == interp::EvalStatus::Ok);
  // With all 8 inputs both evaluators run normally.
  TestEvent eight(8, {{5, "\\y_pipe"}, {7, "SYSTEM"}});
  CHECK(MatchIds(*k.content, kPipe, eight) == Ids{2});
  // Zero inputs: every non-wildcard read faults, nothing is read.
  const auto none = interp::Evaluate(*k.content, kPipe, {}, s);
  CHECK(none.status == interp::EvalStatus::InputOutOfBounds);
  // The sensor's entry point faults on every event, before reading anything,
  // even when no evaluation would reach the unsupplied field: here the first
  // matcher fails, and the unsupplied field carries no literal (no prefilter
  // automaton reads it): it is the second field of a FieldEquals.
  auto lazy = Channel();
  lazy.instances.push_back(Instance(3, kPipe, Matchers(M(5, MatcherKind::Prefix, {"\\never"}), FieldEq(6, 7))));
  Compiled kl(lazy);
  REQUIRE(kl.content);
  interp::EvalScratch sl(*kl.content);
  const auto eager = interp::Evaluate(*kl.content, kPipe, seven.inputs, sl);
  CHECK(eager.status == interp::EvalStatus::InputOutOfBounds);
  CHECK(eager.fault_field == 7);
  CHECK(interp::EvaluateInstance(*kl.content, 0, seven.inputs, sl).status == interp::EvalStatus::Ok);
}

TEST_CASE("field equals field: case folding, both reads bounds-checked, ABI 2 only") {
  constexpr std::uint16_t kUser = 12, kParentUser = 22;
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(FieldEq(kUser, kParentUser))));
  c.instances.push_back(Instance(2, kProc, Matchers(FieldEq(kImage, kCommandLine, false))));
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  // Empty fields are equal too: instance 2 matches unless Image and CommandLine differ.
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kUser, "CORP\\alice"}, {kParentUser, "corp\\ALICE"}})) ==
        Ids{1, 2});
  CHECK(MatchIds(*k.content, kProc,
                 TestEvent(kProcFields, {{kUser, "CORP\\alice"}, {kParentUser, "CORP\\bob"}, {kImage, "a"}})) == kMiss);
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "A"}, {kCommandLine, "a"}})) == Ids{1});  // both users empty
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, "a"}, {kCommandLine, "a"}, {kUser, "x"}})) ==
        Ids{2});
  // The second field is past the supplied inputs: a bounds fault naming it.
  interp::EvalScratch s(*k.content);
  TestEvent short_event(kParentUser, {{kUser, "x"}});
  const auto out = interp::EvaluateInstance(*k.content, 0, short_event.inputs, s);
  CHECK(out.status == interp::EvalStatus::InputOutOfBounds);
  CHECK(out.fault_field == kParentUser);
  // A build whose interpreter predates FieldEquals refuses the content.
  auto old = interp::CurrentBuildProfile();
  old.interpreter_abi = 1;
  Compiled refused(c, old);
  CHECK_FALSE(refused.content);
  CHECK(refused.error.status == interp::LoadStatus::KindNeedsNewerInterpreter);
}

TEST_CASE("per-event budget stops evaluation with a status") {
  auto c = Channel();
  for (std::uint32_t i = 1; i <= 20; ++i) {
    c.instances.push_back(Instance(i, kProc, Matchers(M(kCommandLine, MatcherKind::Regex, {"x" + std::to_string(i)}))));
  }
  auto profile = interp::CurrentBuildProfile();
  Compiled fits(c, profile);
  REQUIRE(fits.content);
  const std::uint64_t bound = fits.content->figures().cost_bound;
  // The sensor refuses content whose static bound is over the budget...
  profile.budgets.max_cost_per_event = bound - 1;
  Compiled refused(c, profile);
  CHECK(refused.error.status == interp::LoadStatus::CostOverBudget);
  CHECK(refused.error.figures.cost_bound == bound);
  // ...and, loaded anyway (a tool's option, never the sensor's), stops
  // inside the budget: charged before running, in both evaluators.
  profile.budgets.max_cost_per_event = bound / 4;
  Compiled k(c, profile, {.enforce_budgets = false});
  REQUIRE(k.content);
  interp::EvalScratch s(*k.content);
  std::string longest = "x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 ";
  longest.resize(limits::kMaxInputLength, 'y');  // charged by length: the maximal value costs the bound
  TestEvent ev(kProcFields, {{kCommandLine, longest}});
  const auto ref = interp::EvaluateReference(*k.content, kProc, ev.inputs, s);
  const auto opt = interp::Evaluate(*k.content, kProc, ev.inputs, s);
  CHECK(ref.status == interp::EvalStatus::BudgetExceeded);
  CHECK(opt.status == interp::EvalStatus::BudgetExceeded);
  CHECK(ref.cost > profile.budgets.max_cost_per_event);  // the charge that would have gone over; not run
}

TEST_CASE("loader rejects what it cannot compile, with a status") {
  auto load = [](std::unique_ptr<fb::MatcherT> m, std::uint16_t type = kProc) {
    auto c = Channel();
    c.instances.push_back(Instance(1, type, Matchers(std::move(m))));
    return Compiled(c).error.status;
  };
  using S = interp::LoadStatus;
  CHECK(load(M(kImage, MatcherKind::Regex, {"(?<=a)b"})) == S::BadRegex);
  CHECK(load(M(kImage, MatcherKind::Regex, {"((a{100}){100}){100}"})) != S::Ok);
  // Compiles within RE2's memory budget, but its program (about 8,000
  // instructions) is over the build's 4,000: the loader's own check.
  CHECK(load(M(kImage, MatcherKind::Regex, {".{1000}"})) == S::RegexTooBig);
  CHECK(load(M(kDestIp, MatcherKind::Cidr, {"10.0.0.1/8"}), kNet) == S::BadCidr);
  CHECK(load(M(kDestIp, MatcherKind::Cidr, {"10.0.0.0/33"}), kNet) == S::BadCidr);
  CHECK(load(M(kImage, MatcherKind::Equals, {"x"}), 99) == S::UnknownTemplateType);
  CHECK(load(M(60, MatcherKind::Equals, {"x"})) == S::FieldNotDeclared);
  CHECK(load(M(kPid, MatcherKind::Contains, {"x"})) == S::KindDoesNotFitField);
  CHECK(load(M(kImage, MatcherKind::Equals, {std::string(2000, 'a')})) == S::LiteralTooLong);
  CHECK(load(M(kImage, MatcherKind::Equals, {"a"})) == S::Ok);
}

TEST_CASE("inputs longer than the evaluator's cap are cut, identically in both evaluators") {
  auto c = Channel();
  c.instances.push_back(Instance(1, kProc, Matchers(M(kCommandLine, MatcherKind::Suffix, {"END"}))));
  c.instances.push_back(Instance(2, kProc, Matchers(M(kCommandLine, MatcherKind::Prefix, {"AAA"}))));
  Compiled k(c);
  REQUIRE(k.content);
  std::string big(limits::kMaxInputLength + 100, 'A');
  big += "END";
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, big}})) == Ids{2});
}

TEST_CASE("optimized and reference evaluators agree on random content and events") {
  std::mt19937 rng(12345);
  const std::vector<std::string> words = {"cmd", "CMD.exe", "\\", "power", "shell", "-enc", "a", "ab", "aab", "x y", ""};
  auto word = [&] { return words[rng() % words.size()]; };
  auto text = [&] {
    std::string s;
    for (int i = 0, n = static_cast<int>(rng() % 5); i < n; ++i) s += word();
    return s;
  };
  const auto matcher = [&]() {
    const std::uint16_t field = rng() % 2 ? kImage : kCommandLine;
    const bool fold = rng() % 2;
    switch (rng() % 6) {
      case 0: return M(field, MatcherKind::Equals, {word()}, fold);
      case 1: return M(field, MatcherKind::Prefix, {text() + "p"}, fold);
      case 2: return M(field, MatcherKind::Suffix, {"s" + text(), word() + "e"}, fold);
      case 3: return M(field, MatcherKind::Contains, {word() + "c", text() + "d"}, fold);
      case 4: return M(field, MatcherKind::OneOf, {word(), word(), text()}, fold);
      default: return M(field, MatcherKind::Regex, {"c.?d"}, fold);
    }
  };
  // Under a not, a folded contains' patterns rule the instance out
  // (blocking patterns): through and, and through or under the not.
  const auto condition = [&](int nm) -> std::unique_ptr<fb::ExprT> {
    if (nm < 2) return nullptr;
    switch (rng() % 4) {
      case 0: return Or(Args(Ref(0), Not(Ref(1))));
      case 1: return And(Args(Ref(0), Not(Ref(1))));
      case 2: return Not(Or(Args(Ref(0), Ref(1))));
      default: return nullptr;
    }
  };
  for (int round = 0; round < 200; ++round) {
    Compiled k(RandomChannel(rng, 12, 4, matcher, condition));
    REQUIRE_MESSAGE(k.content, k.error.detail);
    for (int e = 0; e < 30; ++e) {
      MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, text() + "pcd"}, {kCommandLine, "s" + text()}}));
    }
  }
}

TEST_CASE("every field's literal search reads every byte, however many fields and of whatever lengths") {
  // The evaluator steps several fields' automata in one loop, each lane
  // taking the next field when its own ends (ScanFields). A needle at each
  // field's first and last byte, fields empty or of any length, and more
  // fields than lanes: a lane that skips, repeats or swaps a field misses
  // one of them. The reference evaluator reads each field on its own.
  std::mt19937 rng(2026);
  const std::vector<std::uint16_t> fields = {4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 21};
  auto c = Channel();
  std::vector<std::string> needles;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    needles.push_back("nd" + std::to_string(100 + i) + "le");
    c.instances.push_back(
        Instance(static_cast<std::uint32_t>(i + 1), kProc, Matchers(M(fields[i], MatcherKind::Contains, {needles[i]}))));
  }
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  REQUIRE(k.content->FindType(kProc)->automata.size() == fields.size());
  for (int e = 0; e < 2000; ++e) {
    std::map<std::uint16_t, std::string> values;
    Ids expected;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::size_t length = rng() % 4 == 0 ? 0 : rng() % 50;
      std::string v(length, 'x');
      switch (rng() % 4) {
        case 0: v = needles[i] + v; break;  // the field's first bytes
        case 1: v += needles[i]; break;     // its last bytes
        case 2: v += needles[(i + 1) % fields.size()]; break;  // another field's needle: no match here
        default: break;
      }
      if (v.find(needles[i]) != std::string::npos) expected.push_back(static_cast<std::uint32_t>(i + 1));
      values[fields[i]] = v;
    }
    REQUIRE(MatchIds(*k.content, kProc, TestEvent(kProcFields, values)) == expected);
  }
}

TEST_CASE("optimized and reference evaluators agree on nested conditions and regexes with AND-ed atoms") {
  // The pre-check's clauses come from the product of or-nodes and from
  // RE2's AND/OR tables over atoms (necessary_clauses.cpp): a clause that
  // is not necessary drops a match here. Words are drawn from few enough
  // that matches are common: 10,947 over the 6,000 events.
  std::mt19937 rng(2026);
  const std::vector<std::string> words = {"alpha", "bravo", "charlie", "delta", "echo", "-enc", "\\x"};
  const std::vector<std::string> regexes = {"alpha.*bravo", "(alpha|charlie)delta", "bravo[0-9]*echo",
                                            "(alpha.*bravo)|(charlie.*delta)", "echo\\s+-enc", "x"};
  auto word = [&] { return words[rng() % words.size()]; };
  std::function<std::unique_ptr<fb::ExprT>(int, int)> cond = [&](int depth, int nm) -> std::unique_ptr<fb::ExprT> {
    if (depth == 0 || rng() % 3 == 0) return Ref(static_cast<std::uint16_t>(rng() % nm));
    if (rng() % 6 == 0) return Not(cond(depth - 1, nm));
    std::vector<std::unique_ptr<fb::ExprT>> args;
    for (int i = 0, n = 2 + static_cast<int>(rng() % 3); i < n; ++i) args.push_back(cond(depth - 1, nm));
    return rng() % 2 ? Or(std::move(args)) : And(std::move(args));
  };
  const auto matcher = [&]() {
    const std::uint16_t field = rng() % 3 ? kCommandLine : kImage;
    const bool fold = rng() % 2;
    switch (rng() % 3) {
      case 0: return M(field, MatcherKind::Contains, {word(), word()}, fold);
      case 1: return M(field, MatcherKind::Suffix, {word()}, fold);
      default: return M(field, MatcherKind::Regex, {regexes[rng() % regexes.size()]}, fold);
    }
  };
  std::size_t matched = 0, evaluated = 0;
  for (int round = 0; round < 150; ++round) {
    Compiled k(RandomChannel(rng, 10, 6, matcher, [&](int nm) { return cond(4, nm); }));
    REQUIRE_MESSAGE(k.content, k.error.detail);
    for (int e = 0; e < 40; ++e) {
      std::string cmd, image;
      for (int w = 0, n = static_cast<int>(rng() % 5); w < n; ++w) cmd += word() + (rng() % 2 ? " " : "7");
      for (int w = 0, n = static_cast<int>(rng() % 3); w < n; ++w) image += word();
      matched += MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kImage, image}, {kCommandLine, cmd}})).size();
      ++evaluated;
    }
  }
  CHECK(matched > evaluated / 2);  // the comparison is only as good as the matches it sees (10,947 here)
}

TEST_CASE("the current build supplies exactly what it declares (also a static_assert)") {
  for (const auto& t : interp::CurrentTemplateTypes()) {
    CAPTURE(t.name);
    REQUIRE(t.declared.size() == t.supplied.size());
    for (std::size_t i = 0; i < t.declared.size(); ++i) CHECK(t.declared[i].name == t.supplied[i].name);
  }
}

TEST_CASE("an instance without matchers, in content without any, evaluates (the walk's fetch-ahead names no element)") {
  // fuzz_structured found FetchAhead taking matchers()[begin] of an empty
  // vector (undefined behaviour; UBSan reports it in the asan preset).
  auto c = Channel();
  c.instances.push_back(Instance(1, 1, Matchers()));
  c.instances[0]->matches_everything_intended = true;
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, interp::LoadStatusName(k.error.status), " ", k.error.detail);
  REQUIRE(k.content->matchers().empty());
  const TestEvent ev(23, {{4, "C:\\x.exe"}});
  interp::EvalScratch s(*k.content);
  const auto out = interp::Evaluate(*k.content, 1, ev.inputs, s);
  CHECK(out.status == interp::EvalStatus::Ok);
  const auto ref = interp::EvaluateReference(*k.content, 1, ev.inputs, s);
  CHECK(ref.status == interp::EvalStatus::Ok);
}
