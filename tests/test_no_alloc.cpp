// The interpreter's per-event path allocates nothing: a counting global
// operator new watches Evaluate and EvaluateReference after a warm-up pass
// (RE2 builds its DFA states lazily, inside its memory budget, on first use).
// The same counter holds the scratch to the bytes the load figure counts.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <string>
#include <cstdlib>
#include <new>

#include "chanval/interpreter/session.h"
#include "support/compiled.h"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<std::size_t> g_allocations{0};
std::atomic<std::size_t> g_bytes{0};
}  // namespace

// GCC cannot see that these replace the global pair, and warns that free()
// releases what operator new returned; they do match.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    g_bytes.fetch_add(n, std::memory_order_relaxed);
  }
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace chanval;
using namespace chanval::test;
using fb::MatcherKind;

TEST_CASE("Evaluate and EvaluateReference allocate nothing per event") {
  auto c = Channel();
  c.instances.push_back(Instance(1, 1, Matchers(M(4, MatcherKind::Suffix, {"\\cmd.exe", "\\pwsh.exe"}, true),
                                                M(10, MatcherKind::Contains, {"whoami"}, true))));
  c.instances.push_back(Instance(2, 1, Matchers(M(10, MatcherKind::Regex, {"(?i)-enc(odedcommand)?\\s+[a-z0-9+/=]{8,}"}))));
  c.instances.push_back(Instance(3, 1, Matchers(M(9, MatcherKind::OneOf, {"wmic.exe", "net.exe"}, true),
                                                IntM(3, MatcherKind::IntRange, fb::CompareOp::Eq, 1, 1 << 20))));
  Compiled k(c);
  REQUIRE(k.content);
  const std::vector<TestEvent> events = {
      TestEvent(23, {{4, "C:\\Windows\\System32\\cmd.exe"}, {10, "cmd /c whoami /all"}, {3, "812"}}),
      TestEvent(23, {{4, "C:\\x\\powershell.exe"}, {10, "powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATw"}}),
      TestEvent(23, {{9, "WMIC.exe"}, {3, "4000"}, {10, "wmic process call create calc"}}),
      TestEvent(23, {{4, ""}, {10, std::string(5000, 'z')}}),
  };
  interp::EvalScratch scratch(*k.content);
  for (const auto& ev : events) {  // warm-up: RE2's lazy DFA states
    interp::Evaluate(*k.content, 1, ev.inputs, scratch);
    interp::EvaluateReference(*k.content, 1, ev.inputs, scratch);
  }
  std::size_t matches = 0;
  g_allocations = 0;
  g_counting = true;
  for (int round = 0; round < 200; ++round) {
    for (const auto& ev : events) {
      interp::Evaluate(*k.content, 1, ev.inputs, scratch);
      matches += scratch.matches().size();
      interp::EvaluateReference(*k.content, 1, ev.inputs, scratch);
    }
  }
  g_counting = false;
  CHECK(g_allocations.load() == 0);
  CHECK(matches == 200u * 3u);
}

TEST_CASE("a Session fills inputs from named fields and evaluates without allocating") {
  auto c = Channel();
  c.instances.push_back(Instance(1, 1, Matchers(M(4, MatcherKind::Suffix, {"\\cmd.exe"}, true),
                                                M(10, MatcherKind::Contains, {"whoami"}, true))));
  Compiled k(c);
  REQUIRE(k.content);
  interp::Session session(*k.content);
  const std::map<std::string, std::string, std::less<>> event = {
      {"Image", "C:\\Windows\\System32\\cmd.exe"}, {"CommandLine", "cmd /c whoami"}, {"ProcessId", "812"}};
  const auto lookup = [&](std::string_view name) {
    const auto it = event.find(name);
    return it == event.end() ? std::string_view() : std::string_view(it->second);
  };
  session.Evaluate(1, lookup);  // warm-up
  g_allocations = 0;
  g_counting = true;
  std::size_t matches = 0;
  for (int round = 0; round < 200; ++round) {
    session.Evaluate(1, lookup);
    matches += session.matches().size();
  }
  g_counting = false;
  CHECK(g_allocations.load() == 0);
  CHECK(matches == 200u);
  CHECK_FALSE(session.Fill(999, lookup).has_value());  // a type the build does not have
}

TEST_CASE("EvalScratch allocates exactly the bytes the loader's memory figure counts for it") {
  // 64 instances of one type fill exactly one word of candidate bits: a
  // figure rounded up a word too many, or missing an array, fails here.
  for (const int instances : {1, 64, 65, 200}) {
    CAPTURE(instances);
    auto c = Channel();
    for (int i = 0; i < instances; ++i) {
      c.instances.push_back(Instance(static_cast<std::uint32_t>(i + 1), 1,
                                     Matchers(M(10, MatcherKind::Contains, {"needle" + std::to_string(i)}, true),
                                              M(4, MatcherKind::Suffix, {"\\x" + std::to_string(i) + ".exe"}, true))));
    }
    Compiled k(c);
    REQUIRE(k.content);
    g_bytes = 0;
    g_counting = true;
    const interp::EvalScratch scratch(*k.content);
    g_counting = false;
    CHECK(g_bytes.load() == interp::EvalScratch::BytesFor(*k.content));
  }
}
