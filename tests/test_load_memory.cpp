// The loader's memory figure against the real thing: resident memory grown by
// loading, measured from /proc/self/statm. Own binary, never under
// sanitizers (their allocators and shadow memory are not the sensor's).
#include <doctest/doctest.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "support/adversarial.h"
#include "support/compiled.h"

using namespace chanval;
using namespace chanval::test;

namespace {
std::uint64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
}

void CheckFigureAgainstResident(const fb::ChannelFileT& content, std::uint64_t at_least) {
  const auto payload = CanonicalPayload(content);
  malloc_trim(0);
  const std::uint64_t before = ResidentBytes();
  // Cost is not what this test is about (case-sensitive literals are priced high).
  auto loaded = interp::CompiledContent::Load(*fb::GetChannelFile(payload.data()), interp::CurrentBuildProfile(),
                                              nullptr, {.enforce_budgets = false});
  REQUIRE_MESSAGE(loaded.content, interp::LoadStatusName(loaded.error.status), " ", loaded.error.detail);
  malloc_trim(0);  // build temporaries are freed: what stays is what the content holds
  const double grown = static_cast<double>(ResidentBytes() - before);
  const double figure = static_cast<double>(loaded.content->figures().load_bytes);
  MESSAGE("load_bytes ", figure, " resident growth ", grown);
  CHECK(figure >= at_least);
  CHECK(figure >= 0.9 * grown);
  CHECK(figure <= 1.1 * grown);
}
}  // namespace

TEST_CASE("memory at load: the loader's figure is within 10% of resident growth") {
  // A fixed threshold keeps large blocks mmapped, so freed ones leave RSS.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  SUBCASE("one large automaton (2,040 × 1,024-byte random literals: 2 Mi states)") {
    CheckFigureAgainstResident(adversarial::RandomLiterals(), 32u << 20);
  }
  SUBCASE("one large sampled scan (12 × 4,096 hex literals of 40 bytes on Hashes)") {
    std::mt19937 rng(40);
    auto c = Channel();
    std::vector<std::unique_ptr<fb::MatcherT>> ms;
    for (int m = 0; m < 12; ++m) {
      std::vector<std::string> literals;
      for (int v = 0; v < 4096; ++v) {
        std::string s;
        for (int i = 0; i < 40; ++i) s += "0123456789abcdef"[rng() % 16];
        literals.push_back(s);
      }
      ms.push_back(M(17, MatcherKind::Contains, std::move(literals), true));
    }
    c.instances.push_back(Instance(1, 1, std::move(ms)));
    const Compiled k(c, interp::CurrentBuildProfile(), {.enforce_budgets = false});
    REQUIRE(k.content);
    REQUIRE(k.content->types().front().automata.front().sampled.built());
    CheckFigureAgainstResident(c, 16u << 20);
  }
  SUBCASE("nested output lists (a^1..a^1024 and 500 × ·a^1021)") {
    CheckFigureAgainstResident(adversarial::NestedOutputs(), 4u << 20);
  }
  SUBCASE("many regexes (1,100 distinct, each compiled with its prefilter)") {
    CheckFigureAgainstResident(adversarial::ManyRegexes(), 1u << 20);
  }
}
