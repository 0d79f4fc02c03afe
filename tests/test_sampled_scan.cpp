// SampledScan (sampled_scan.h): the literal search for fields whose patterns
// are all long. It must find exactly what the automaton finds, never work
// past the automaton's price, and hold what its plan said.
#include <doctest/doctest.h>

#include <random>

#include "chanval/interpreter/aho_corasick.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/cost.h"
#include "chanval/interpreter/sampled_scan.h"
#include "compiled.h"

using namespace chanval;
using namespace chanval::test;
using interp::SampledScan;

namespace {

using Hits = std::vector<std::uint64_t>;

std::string RandomText(std::mt19937& rng, std::size_t n, std::string_view alphabet) {
  std::string s(n, ' ');
  for (auto& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

// `folded` with each ASCII letter upper-cased at random: what an event may hold.
std::string RandomCase(std::mt19937& rng, std::string folded) {
  for (auto& c : folded) {
    if (c >= 'a' && c <= 'z' && rng() % 2) c = static_cast<char>(c - 32);
  }
  return folded;
}

struct Both {
  interp::AhoCorasick automaton;
  SampledScan sampled;
  SampledScan::Plan plan;
  std::size_t patterns = 0;

  explicit Both(const std::vector<std::string>& folded) : patterns(folded.size()) {
    for (std::uint32_t i = 0; i < folded.size(); ++i) {
      automaton.Add(folded[i], i);
      sampled.Add(folded[i], i);
    }
    REQUIRE(automaton.Build(limits::kMaxAutomatonStates));
    plan = sampled.Prepare(SIZE_MAX);  // memory is not what these tests are about
    if (plan.fits) sampled.Build();
  }
  Hits Automaton(std::string_view text) const {
    Hits h(interp::HitWords::WordsFor(patterns), 0);
    automaton.Scan(text, h.data());
    return h;
  }
  Hits Sampled(std::string_view text, std::uint64_t* work = nullptr) const {
    Hits h(interp::HitWords::WordsFor(patterns), 0);
    const std::uint64_t w = sampled.Scan(text, h.data());
    if (work) *work = w;
    return h;
  }
};

}  // namespace

TEST_CASE("sampled scan: finds every pattern the automaton finds, at any offset, in any case") {
  // Few letters, so grams repeat and occurrences overlap; a non-ASCII byte
  // and the letters around 'A'..'Z' ('@', '[', '`', '{') test the fold.
  const std::string alphabet = "abAB0@[`{\xc3";
  std::mt19937 rng(12);
  int tested = 0, found = 0;
  for (int round = 0; round < 300; ++round) {
    const std::size_t m = 23 + rng() % 30;
    std::vector<std::string> folded;
    for (int i = 0, n = 1 + static_cast<int>(rng() % 40); i < n; ++i) {
      std::string p = interp::FoldedCopy(RandomText(rng, m + rng() % 25, alphabet));
      if (i > 0 && rng() % 4 == 0) p = folded[rng() % folded.size()].substr(0, m) + p;  // shared starts
      folded.push_back(p);
    }
    std::sort(folded.begin(), folded.end());
    folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
    Both both(folded);
    if (!both.plan.fits) continue;
    ++tested;
    for (int e = 0; e < 40; ++e) {
      // Noise with patterns planted at random places, the text's ends included.
      std::string text = RandomText(rng, rng() % 200, alphabet);
      for (int k = 0, n = static_cast<int>(rng() % 4); k < n; ++k) {
        const std::string p = RandomCase(rng, folded[rng() % folded.size()]);
        const std::size_t at = rng() % 3 == 0 ? (rng() % 2 ? 0 : text.size()) : rng() % (text.size() + 1);
        text.insert(at, p);
      }
      const Hits want = both.Automaton(text);
      CHECK(both.Sampled(text) == want);
      for (auto w : want) found += std::popcount(w);
    }
  }
  MESSAGE(tested, " pattern sets sampled, ", found, " patterns found");
  CHECK(tested > 150);
  CHECK(found > 5000);
}

TEST_CASE("sampled scan: Fits holds windows x window cost under the automaton's price at every length") {
  // Brute force over the text length: what the loader's choice rests on.
  int fitting = 0;
  for (std::size_t m = SampledScan::kGramBytes; m < 90; m += 3) {
    for (std::size_t step = 1; step <= m - SampledScan::kGramBytes + 1; step += 1 + step / 4) {
      for (std::uint64_t cost = 1; cost < 140; cost += 1 + cost / 16) {
        for (std::size_t patterns : {0, 1, 5, 40}) {
          if (!SampledScan::Fits(cost, m, step, patterns)) continue;
          ++fitting;
          bool holds = true;
          for (std::size_t n = 0; n <= 2 * m + 8 * step; ++n) {
            holds = holds && SampledScan::Windows(n, m, step) * cost <= 2 * (n + 1) + patterns;
          }
          CHECK_MESSAGE(holds, "m ", m, " step ", step, " cost ", cost, " patterns ", patterns);
        }
      }
    }
  }
  CHECK(fitting > 1000);
  // A step past m - q + 1 would skip occurrences: never fits.
  CHECK_FALSE(SampledScan::Fits(1, 40, 40 - SampledScan::kGramBytes + 2, 1000));
  // And every window that fits the text is read.
  for (std::size_t m : {23, 36, 71}) {
    const std::size_t step = m - SampledScan::kGramBytes + 1;
    for (std::size_t n = m; n < 300; ++n) {
      const std::size_t w = SampledScan::Windows(n, m, step);
      CHECK((w - 1) * step + SampledScan::kGramBytes <= n);  // the last window fits the text
      CHECK(w * step + SampledScan::kGramBytes > n);         // and the next would not: none is skipped
    }
  }
}

TEST_CASE("sampled scan: the work of a crafted text stays within the automaton's price") {
  // Patterns that share grams pairwise, and a text of near misses that
  // reaches each shared gram and fails each comparison at its last byte.
  std::mt19937 rng(7);
  std::vector<std::string> folded;
  for (int i = 0; i < 30; ++i) {
    const std::string base = interp::FoldedCopy(RandomText(rng, 24, "0123456789abcdef"));
    folded.push_back(base + "x");
    folded.push_back(base + "y");
  }
  Both both(folded);
  REQUIRE(both.plan.fits);
  std::string text;
  while (text.size() < limits::kMaxInputLength) text += folded[rng() % folded.size()].substr(0, 24) + "z";
  for (std::size_t n : {std::size_t{0}, std::size_t{24}, std::size_t{25}, std::size_t{26}, std::size_t{1000},
                        limits::kMaxInputLength}) {
    const std::string_view t(text.data(), n);
    std::uint64_t work = 0;
    CHECK(both.Sampled(t, &work) == both.Automaton(t));
    CHECK(work <= SampledScan::Windows(n, both.plan.min_length, both.plan.step) * both.plan.window_cost);
    CHECK(work + (n + 1) <= interp::ScanCost(n, both.patterns));  // the fold-partner pass keeps its unit a byte
  }
  // One gram shared by many patterns makes a window too dear: not taken.
  std::vector<std::string> crowded;
  for (int i = 0; i < 40; ++i) crowded.push_back(std::string(16, 'q') + interp::FoldedCopy(RandomText(rng, 10, "abc")));
  std::sort(crowded.begin(), crowded.end());
  crowded.erase(std::unique(crowded.begin(), crowded.end()), crowded.end());
  CHECK_FALSE(Both(crowded).plan.fits);
  // Nor one whose longest pattern alone costs a window more than the price
  // allows: refused before anything is sorted.
  std::vector<std::string> with_long = {std::string(23, 'a'), std::string(2000, 'b')};
  const Both too_long(with_long);
  CHECK_FALSE(too_long.plan.fits);
  CHECK(too_long.plan.pending_bytes == 0);
  // Nor are patterns too short for a useful step.
  CHECK_FALSE(Both({std::string(SampledScan::kGramBytes + SampledScan::kMinStep - 2, 'a')}).plan.fits);
}

TEST_CASE("sampled scan: holds what its plan says; a pending limit allocates nothing") {
  std::mt19937 rng(3);
  std::vector<std::string> folded;
  for (int i = 0; i < 500; ++i) folded.push_back("imphash=" + RandomText(rng, 32, "0123456789abcdef"));
  Both both(folded);
  REQUIRE(both.plan.fits);
  CHECK(both.plan.step == 40 - SampledScan::kGramBytes + 1);
  CHECK(both.sampled.held_bytes() == both.plan.held_bytes);
  CHECK(both.plan.pending_bytes == 500 * both.plan.step * 8);
  // The same patterns added in another order plan the same bytes (the
  // loader's come in a per-process hash order).
  SampledScan reversed;
  for (std::uint32_t i = static_cast<std::uint32_t>(folded.size()); i-- > 0;) reversed.Add(folded[i], i);
  const auto reversed_plan = reversed.Prepare(SIZE_MAX);
  CHECK(reversed_plan.held_bytes == both.plan.held_bytes);
  CHECK(reversed_plan.window_cost == both.plan.window_cost);
  reversed.Build();
  CHECK(reversed.held_bytes() == both.plan.held_bytes);
  // Tables no larger than the automaton's: a limit below them refuses the
  // plan, and keeps nothing.
  SampledScan limited;
  for (std::uint32_t i = 0; i < folded.size(); ++i) limited.Add(folded[i], i);
  const auto plan = limited.Prepare(both.plan.held_bytes - 1);
  CHECK_FALSE(plan.fits);
  CHECK(plan.pending_bytes == 0);
}

TEST_CASE("sampled scan: the loader takes it for a field of long hash literals, and both evaluators agree") {
  constexpr std::uint16_t kProc = 1, kHashes = 17, kImage = 4;
  constexpr std::size_t kProcFields = 23;
  std::mt19937 rng(2024);
  std::vector<std::string> hashes;
  for (int i = 0; i < 300; ++i) {
    const char* key = i % 3 == 0 ? "IMPHASH=" : i % 3 == 1 ? "MD5=" : "SHA256=";
    hashes.push_back(key + RandomText(rng, i % 3 == 2 ? 64 : 32, "0123456789ABCDEF"));
  }
  auto c = Channel();
  for (std::uint32_t i = 0; i < 30; ++i) {
    std::vector<std::string> some(hashes.begin() + 10 * i, hashes.begin() + 10 * i + 10);
    auto ms = Matchers(M(kHashes, MatcherKind::Contains, some, true));
    if (i % 2) ms.push_back(M(kImage, MatcherKind::Suffix, {"\\x.exe"}, true));
    c.instances.push_back(Instance(i + 1, kProc, std::move(ms)));
  }
  Compiled k(c);
  REQUIRE_MESSAGE(k.content, k.error.detail);
  const auto* t = k.content->FindType(kProc);
  REQUIRE(t);
  bool sampled = false;
  for (const auto& fa : t->automata) {
    if (fa.field == kHashes) sampled = fa.sampled.built() && fa.automaton.state_count() == 0;
  }
  CHECK(sampled);
  int matched = 0;
  for (int e = 0; e < 600; ++e) {
    std::string value = "SHA1=" + RandomText(rng, 40, "0123456789ABCDEF");
    for (int h = 0, n = static_cast<int>(rng() % 3); h < n; ++h) {
      value += "," + RandomCase(rng, interp::FoldedCopy(hashes[rng() % hashes.size()]));
    }
    const auto ids = MatchIds(*k.content, kProc,
                              TestEvent(kProcFields, {{kHashes, value}, {kImage, rng() % 2 ? "C:\\X.EXE" : "c:\\y.exe"}}));
    matched += static_cast<int>(ids.size());
  }
  MESSAGE(matched, " matches");
  CHECK(matched > 300);

  // One short literal on the field: the automaton, as before.
  c.instances.push_back(Instance(99, kProc, Matchers(M(kHashes, MatcherKind::Contains, {"md5="}, true))));
  Compiled with_short(c);
  REQUIRE(with_short.content);
  for (const auto& fa : with_short.content->FindType(kProc)->automata) {
    if (fa.field == kHashes) CHECK_FALSE(fa.sampled.built());
  }
}
