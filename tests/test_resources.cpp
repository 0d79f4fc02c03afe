// The interpreter's resource promises (issue 10): one matching semantics for
// both engines under RE2's Unicode folding, the cost model's units and its
// bound, the memo behind repeated references, and the automaton's linear
// size and scan. Each case fails when the defence it names is removed.
#include <doctest/doctest.h>

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <unordered_map>

#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/aho_corasick.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/cost.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/keyed_hash.h"
#include "necessary_clauses.h"
#include "support/adversarial.h"
#include "support/compiled.h"

using namespace chanval;
using namespace chanval::test;
using fb::MatcherKind;

namespace {
constexpr std::uint16_t kProc = 1, kCommandLine = 10;
constexpr std::size_t kProcFields = 23;

std::string Utf8(char32_t r) {
  std::string s;
  if (r < 0x80) {
    s += static_cast<char>(r);
  } else if (r < 0x800) {
    s += static_cast<char>(0xc0 | (r >> 6));
    s += static_cast<char>(0x80 | (r & 0x3f));
  } else if (r < 0x10000) {
    s += static_cast<char>(0xe0 | (r >> 12));
    s += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (r & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | (r >> 18));
    s += static_cast<char>(0x80 | ((r >> 12) & 0x3f));
    s += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
    s += static_cast<char>(0x80 | (r & 0x3f));
  }
  return s;
}
}  // namespace

TEST_CASE("RE2 relates exactly two non-ASCII runes to ASCII letters, the two the prefilter guards") {
  // Case folding, as (?i) and ignore_case apply it: every scalar value.
  RE2::Options folded;
  folded.set_case_sensitive(false);
  const RE2 letter("[a-z]", folded);
  std::vector<char32_t> fold;
  for (char32_t r = 0x80; r < 0x110000; ++r) {
    if (r >= 0xd800 && r < 0xe000) continue;
    if (RE2::FullMatch(Utf8(r), letter)) fold.push_back(r);
  }
  CHECK(fold == std::vector<char32_t>{0x17f, 0x212a});
  // Lowering in FilteredRE2's atoms (case-sensitive and folded patterns):
  // the Basic Multilingual Plane, where Unicode's case mappings live.
  std::vector<char32_t> lowered;
  for (char32_t r = 0x80; r < 0x10000; ++r) {
    if (r >= 0xd800 && r < 0xe000) continue;
    const std::string pattern = "\\x{" + fmt::format("{:X}", static_cast<unsigned>(r)) + "}";
    for (bool ignore_case : {false, true}) {
      RE2::Options o;
      o.set_case_sensitive(!ignore_case);
      re2::FilteredRE2 filter(3);
      int id = 0;
      if (filter.Add(pattern + pattern + pattern, o, &id) != RE2::NoError) continue;
      std::vector<std::string> atoms;
      filter.Compile(&atoms);
      for (const auto& a : atoms) {
        if (!a.empty() && static_cast<unsigned char>(a[0]) < 0x80) lowered.push_back(r);
      }
    }
  }
  std::sort(lowered.begin(), lowered.end());
  lowered.erase(std::unique(lowered.begin(), lowered.end()), lowered.end());
  CHECK(lowered == std::vector<char32_t>{0x17f, 0x212a});
  CHECK(Utf8(0x17f) == interp::kLongS);
  CHECK(Utf8(0x212a) == interp::kKelvinSign);
}

TEST_CASE("both evaluators match RE2's fold partners the same way (no prefilter bypass)") {
  Compiled k(adversarial::FoldPartners());
  REQUIRE(k.content);
  const std::string long_s = std::string(interp::kLongS), kelvin = std::string(interp::kKelvinSign);
  // sekurlsa::logonpasswords, folded, spelled with U+017F; K-sign erberoast, exact.
  const std::string mimikatz = "x " + long_s + "ekurl" + long_s + "a::logonpa" + long_s + long_s + "words y";
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, mimikatz}})) == std::vector<std::uint32_t>{6000});
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, kelvin + "erberoast"}})) ==
        std::vector<std::uint32_t>{6001});
  CHECK(MatchIds(*k.content, kProc, TestEvent(kProcFields, {{kCommandLine, "Kerberoast"}})).empty());
}

TEST_CASE("a matcher named many times runs and is charged once per instance; every node is charged") {
  auto once = adversarial::RepeatedReferences(1, 1), many = adversarial::RepeatedReferences(1, 127);
  Compiled a(once), b(many);
  REQUIRE(a.content);
  REQUIRE(b.content);
  const TestEvent ev(kProcFields, {{kCommandLine, adversarial::RepeatedReferencesEvent(1)}});
  interp::EvalScratch sa(*a.content), sb(*b.content);
  const auto ca = interp::Evaluate(*a.content, kProc, ev.inputs, sa).cost;
  const auto cb = interp::Evaluate(*b.content, kProc, ev.inputs, sb).cost;
  // or(not m0 ×127) with m0 true visits 1 + 127 × 2 nodes; m0 runs once.
  CHECK(cb - ca == 126 * 2 * limits::kCostNode);
  CHECK(b.content->figures().cost_bound - a.content->figures().cost_bound == 126 * 2 * limits::kCostNode);
}

TEST_CASE("measured cost never exceeds the static bound, up to the maximal input length") {
  for (const auto& shape : {adversarial::RepeatedReferences(20, 127), adversarial::FoldPartners(),
                            adversarial::EndAnchorAfterPrefix(), adversarial::NestedOutputs()}) {
    Compiled k(shape);
    REQUIRE(k.content);
    const auto* t = k.content->FindType(kProc);
    REQUIRE(t);
    interp::EvalScratch s(*k.content);
    std::string text = adversarial::RepeatedReferencesEvent(20) + "cmd sekurlsa::logonpasswords .bat";
    for (std::size_t len : {std::size_t{0}, std::size_t{100}, limits::kMaxInputLength, limits::kMaxInputLength * 2}) {
      std::string v = text;
      while (v.size() < len) v += text + std::string(1024, 'a');
      v.resize(len);
      const TestEvent ev(kProcFields, {{kCommandLine, v}, {4, v}, {20, v}});
      CHECK(interp::Evaluate(*k.content, kProc, ev.inputs, s).cost <= t->cost_bound);
      CHECK(interp::EvaluateReference(*k.content, kProc, ev.inputs, s).cost <= t->cost_bound);
    }
  }
}

TEST_CASE("the or-product's bounds: union size, and merges per node of the instance") {
  using interp::NecessaryClauses;
  // Every branch: and(w, x, y, z) over four 16-literal matchers, the same
  // four in every branch, so every union of two stays at 32 patterns.
  const auto literals = [](char tag) {
    std::vector<std::string> v;
    for (int i = 0; i < 16; ++i) v.push_back(std::string(1, tag) + "lit" + static_cast<char>('a' + i));
    return v;
  };
  const auto instance = [&](int branches) {
    auto file = Channel();
    std::vector<std::unique_ptr<fb::ExprT>> ors;
    for (int b = 0; b < branches; ++b) ors.push_back(And(Args(Ref(0), Ref(1), Ref(2), Ref(3))));
    file.instances.push_back(Instance(1, kProc,
                                      Matchers(M(kCommandLine, MatcherKind::Contains, literals('w'), true),
                                               M(kCommandLine, MatcherKind::Contains, literals('x'), true),
                                               M(kCommandLine, MatcherKind::Contains, literals('y'), true),
                                               M(kCommandLine, MatcherKind::Contains, literals('z'), true)),
                                      Or(std::move(ors))));
    return file;
  };
  const auto clauses_of = [](const interp::CompiledContent& c) {
    const auto& ci = c.instances().front();
    return NecessaryClauses(c, {}).ForInstance(ci.root, ci.node_count);
  };
  const auto largest = [](const NecessaryClauses::Found& f) {
    std::size_t n = f.selecting ? f.selecting->size() : 0;
    for (const auto& c : f.others) n = std::max(n, c.size());
    return n;
  };
  {
    // Two branches: 16 unions of 32 merged ids each, 512 in all, within the
    // budget of 11 nodes; the product's clauses are the branches' own.
    Compiled k(instance(2));
    REQUIRE_MESSAGE(k.content, k.error.detail);
    const auto found = clauses_of(*k.content);
    REQUIRE(found.selecting);
    CHECK(found.selecting->size() == 16u);  // or(A, A) needs what A needs: one matcher's 16 literals
    CHECK(found.others.size() == 3u);
  }
  {
    // Fifty branches: each step merges 16 pairs (512 ids) against a budget
    // of 32 a node, 5 nodes a branch (160): the product stops, and what
    // stays is the union of each branch's best clause (16 patterns).
    Compiled k(instance(50));
    REQUIRE_MESSAGE(k.content, k.error.detail);
    const auto found = clauses_of(*k.content);
    REQUIRE(found.selecting);
    CHECK(found.others.empty());
    CHECK(largest(found) == 16u);
    CHECK(k.content->instances().front().node_count * NecessaryClauses::kProductWorkPerNode < 50u * 512u);
  }
  {
    // Unions over kMaxProductClauseSize (32) are not kept:
    // or(and(wide, a.exe), other), with 32 literals in each of wide and other.
    auto file = Channel();
    std::vector<std::string> wide = literals('w');
    for (auto& l : literals('v')) wide.push_back(l);  // 32 literals in one matcher
    std::vector<std::string> other = literals('x');
    for (auto& l : literals('u')) other.push_back(l);
    file.instances.push_back(Instance(2, kProc,
                                      Matchers(M(kCommandLine, MatcherKind::Contains, wide, true),
                                               M(kCommandLine, MatcherKind::Contains, other, true),
                                               M(4, MatcherKind::Suffix, {"\\a.exe"}, true)),  // Image
                                      Or(Args(And(Args(Ref(0), Ref(2))), Ref(1)))));
    Compiled k(file);
    REQUIRE_MESSAGE(k.content, k.error.detail);
    const auto found = clauses_of(*k.content);
    REQUIRE(found.selecting);
    // (a.exe ∪ other) has 33 patterns, (wide ∪ other) 64: no product
    // clause fits, so the or keeps the union of each branch's best alone.
    CHECK(found.others.empty());
    CHECK(found.selecting->size() == 33u);
    CHECK(largest(found) <= 33u);
  }
}

TEST_CASE("the candidate pre-check's work is inside the event's charge and the static bound") {
  // The pre-check reads, for every candidate, its other necessary clauses
  // until one has no pattern seen. Worst case for it: 1,000 candidates whose
  // 19 pre-check clauses of 8 literals each are all read to their last entry
  // (the event holds each clause's last literal, and none of the last
  // clause's), so every instance is rejected there and none is walked. The
  // work is then 171 words a candidate; everything else the event costs is
  // a few thousand units, so leaving the pre-check out of the selection cost
  // (charged up front, and part of the bound) fails here.
  constexpr std::uint32_t kInstances = 1000, kClauses = 20, kPerClause = 8;
  // All literals one length, so the pre-check's order (fewer patterns, then
  // longer ones, then pattern ids: necessary_clauses.cpp) is the clauses'
  // and the one never seen is read last.
  const auto literal = [](std::uint32_t clause, std::uint32_t j) {
    return std::string(clause < 10 ? "k0" : "k") + std::to_string(clause) + "v" + static_cast<char>('a' + j);
  };
  auto file = Channel(10, 12);
  for (std::uint32_t i = 0; i < kInstances; ++i) {
    std::vector<std::unique_ptr<fb::MatcherT>> ms;
    std::vector<std::unique_ptr<fb::ExprT>> all;
    ms.push_back(M(kCommandLine, MatcherKind::Contains, {"selector"}, true));  // the smallest clause selects
    for (std::uint32_t k = 1; k < kClauses; ++k) {
      std::vector<std::string> values;
      for (std::uint32_t j = 0; j < kPerClause; ++j) values.push_back(literal(k, j));
      ms.push_back(M(kCommandLine, MatcherKind::Contains, values, true));
    }
    for (std::uint16_t m = 0; m < kClauses; ++m) all.push_back(Ref(m));
    file.instances.push_back(Instance(40000 + i, kProc, std::move(ms), And(std::move(all))));
  }
  std::string text = "selector";
  for (std::uint32_t k = 1; k + 1 < kClauses; ++k) text += " " + literal(k, kPerClause - 1);
  const TestEvent ev(kProcFields, {{kCommandLine, text}});

  Compiled k(file);
  REQUIRE(k.content);
  const auto* t = k.content->FindType(kProc);
  REQUIRE(t);
  // The pre-check's reads, replayed over the type's own tables and the hits
  // its automata give for the event.
  std::vector<std::uint64_t> hits(interp::HitWords::WordsFor(t->pattern_count), 0);
  interp::ScanFields(*t, ev.inputs, hits.data());
  const auto seen = [&](std::uint32_t p) { return interp::HitWords::Has(hits.data(), p); };
  std::set<std::uint32_t> candidates(t->unconditional.begin(), t->unconditional.end());
  for (std::uint32_t p = 0; p < t->pattern_count; ++p) {
    if (!seen(p)) continue;
    for (std::uint32_t i = t->pattern_instance_begin[p]; i < t->pattern_instance_begin[p + 1]; ++i) {
      candidates.insert(t->pattern_instances[i]);
    }
  }
  REQUIRE(candidates.size() == kInstances);
  std::uint64_t words_read = 0, rejected = 0;
  for (std::uint32_t pos : candidates) {
    for (std::uint32_t i = t->precheck_begin[pos]; i < t->precheck_begin[pos + 1];) {
      const std::uint32_t n = t->precheck[i++];
      ++words_read;
      std::uint32_t j = 0;
      while (j < n && !seen(t->precheck[i + j])) ++j;
      words_read += std::min(j + 1, n);
      if (j == n) {
        ++rejected;
        break;
      }
      i += n;
    }
  }
  CHECK(rejected == kInstances);
  CHECK(words_read == std::uint64_t{kInstances} * (kClauses - 1) * (kPerClause + 1));

  interp::EvalScratch s(*k.content);
  const auto out = interp::Evaluate(*k.content, kProc, ev.inputs, s);
  REQUIRE(out.status == interp::EvalStatus::Ok);
  CHECK(s.matches().empty());
  CHECK(out.cost >= words_read);
  CHECK(out.cost <= t->cost_bound);
  CHECK(t->selection_cost >= words_read);
}

TEST_CASE("automaton: size planned before building, outputs linear, scan work bounded by length + patterns") {
  // a^1 … a^1024: copied output lists would hold 1024·1025/2 ids.
  interp::AhoCorasick ac;
  for (std::uint32_t k = 1; k <= 1024; ++k) ac.Add(std::string(k, 'a'), k - 1);
  const auto plan = ac.Prepare();
  CHECK(plan.states == 1025);
  CHECK(plan.classes == 2);
  REQUIRE(ac.Build(limits::kMaxAutomatonStates));
  CHECK(ac.held_bytes() <= plan.held_bytes);
  CHECK(ac.pattern_count() == 1024);
  std::vector<std::uint64_t> hits(16, 0);
  const std::string text(limits::kMaxInputLength, 'a');
  const std::size_t visited = ac.Scan(text, hits.data()).reported_states;
  CHECK(visited == 1024);  // each output state once: the walk stops at reported states
  for (std::uint32_t id = 0; id < 1024; ++id) CHECK(((hits[id >> 6] >> (id & 63)) & 1u) == 1u);
  // And it finds what a naive search finds, case folded.
  interp::AhoCorasick words;
  const std::vector<std::string> pats = {"he", "she", "his", "hers", "SHE"};
  for (std::uint32_t i = 0; i < pats.size(); ++i) words.Add(pats[i], i);
  REQUIRE(words.Build(100));
  std::vector<std::uint64_t> h(1, 0);
  words.Scan("uSHErs", h.data());
  CHECK(h[0] == 0b11011);  // he, she, hers, SHE; not his
}

TEST_CASE("the loader refuses content over the memory budget before building its tables") {
  auto profile = interp::CurrentBuildProfile();
  Compiled fits(adversarial::NestedOutputs(), profile);
  REQUIRE(fits.content);
  const auto& f = fits.content->figures();
  CHECK(f.automaton_bytes > 0);
  CHECK(f.load_bytes >= f.automaton_bytes);
  profile.budgets.max_load_memory = f.memory_bound() - 1;
  Compiled refused(adversarial::NestedOutputs(), profile);
  CHECK(refused.error.status == interp::LoadStatus::MemoryOverBudget);
  CHECK(refused.error.figures.memory_bound() == f.memory_bound());
  // 1,100 distinct regexes: over a gigabyte of DFA reserve, refused from the plan alone.
  Compiled many(adversarial::ManyRegexes());
  CHECK(many.error.status == interp::LoadStatus::MemoryOverBudget);
  CHECK(many.error.figures.memory_bound() > interp::CurrentBuildProfile().budgets.max_load_memory);
}

TEST_CASE("automaton tables are linear in the patterns: 2 Mi states of random literals in tens of MB") {
  // 2,040 random 1,024-byte literals over ~190 byte classes: a dense row per
  // state would be 1.5 GB; sparse records below the dense depth are ~28 bytes a state.
  interp::AhoCorasick ac;
  const auto content = adversarial::RandomLiterals();
  const auto& literals = content.instances.front()->matchers.front()->values;
  std::size_t bytes = 0;
  for (std::uint32_t i = 0; i < literals.size(); ++i) {
    ac.Add(literals[i], i);
    bytes += literals[i].size();
  }
  const auto plan = ac.Prepare();
  CHECK(plan.states > 2'000'000);
  CHECK(plan.classes > 150);
  MESSAGE("held bytes ", plan.held_bytes, " for ", bytes, " pattern bytes, ", plan.states, " states");
  CHECK(plan.held_bytes < 32 * bytes);
  REQUIRE(ac.Build(limits::kMaxAutomatonStates));
  CHECK(ac.held_bytes() == plan.held_bytes);
}

TEST_CASE("automaton: the failure-step worst case stays within one step per byte") {
  // a^1024 b, scanned over a^32768: past depth 1024 every byte misses 'a',
  // fails to a^1023 and takes 'a' again: the most failure steps a byte can
  // force, since each byte deepens the state by at most one.
  // A second pattern over every printable byte makes rows wide, so the
  // chain's deep states are sparse (small automata are all dense).
  interp::AhoCorasick ac;
  ac.Add(std::string(1024, 'a') + "b", 0);
  std::string printable;
  for (char ch = ' '; ch <= '~'; ++ch) printable += ch;
  ac.Add(printable, 1);
  const auto plan = ac.Prepare();
  CHECK(plan.dense_depth >= interp::AhoCorasick::kMinDenseDepth);
  CHECK(plan.dense_depth < 512);
  REQUIRE(ac.Build(limits::kMaxAutomatonStates));
  std::vector<std::uint64_t> hits(1, 0);
  const std::string text(limits::kMaxInputLength, 'a');
  const auto work = ac.Scan(text, hits.data());
  CHECK(work.failure_steps <= text.size());
  CHECK(work.failure_steps >= text.size() - 1024);
  CHECK(hits[0] == 0);
  CHECK(interp::ScanCost(text.size(), 2) >= text.size() + work.failure_steps + work.reported_states);
}

TEST_CASE("automaton: dense and sparse states find what a naive folded search finds") {
  // A small alphabet makes deep shared prefixes and long failure chains;
  // patterns of 1..12 bytes put states on both sides of the dense depth. In
  // odd rounds one pattern over every printable byte widens the rows and 400
  // patterns fill them, so the deeper states are sparse; in even rounds the
  // automaton is small enough to be all dense.
  std::mt19937 rng(12);
  for (int round = 0; round < 40; ++round) {
    const bool wide = round % 2 == 1;
    const std::string alphabet = round % 4 < 2 ? "abAB" : "abcXYZ\\.";
    const auto random_text = [&](std::size_t n) {
      std::string s;
      for (std::size_t i = 0; i < n; ++i) s += alphabet[rng() % alphabet.size()];
      return s;
    };
    std::set<std::string> folded;
    std::vector<std::string> patterns;
    if (wide) {
      std::string printable;
      for (char ch = ' '; ch <= '~'; ++ch) printable += ch;
      patterns.push_back(printable);
    }
    while (patterns.size() < (wide ? 400u : 128u)) {
      std::string p = random_text(1 + rng() % 12);
      if (folded.insert(interp::FoldedCopy(p)).second) patterns.push_back(p);
    }
    interp::AhoCorasick ac;
    for (std::uint32_t i = 0; i < patterns.size(); ++i) ac.Add(patterns[i], i);
    const auto plan = ac.Prepare();
    if (wide) CHECK(plan.dense_depth <= 8);  // random patterns reach depth 12: their deep states are sparse
    if (!wide) CHECK(plan.dense_states == plan.states);
    REQUIRE(ac.Build(limits::kMaxAutomatonStates));
    for (int t = 0; t < 20; ++t) {
      const std::string text = random_text(rng() % 200) + "\x01" + random_text(rng() % 50);
      std::vector<std::uint64_t> hits(7, 0);
      const auto work = ac.Scan(text, hits.data());
      CHECK(work.failure_steps <= text.size());
      for (std::uint32_t i = 0; i < patterns.size(); ++i) {
        CAPTURE(patterns[i]);
        CAPTURE(text);
        CHECK(((hits[i >> 6] >> (i & 63)) & 1u) ==
              (interp::ContainsFolded(text, interp::FoldedCopy(patterns[i])) ? 1u : 0u));
      }
    }
  }
}

TEST_CASE("automaton: sparse states with many children find each one") {
  // A sparse state's child is found by a linear search up to
  // AhoCorasick::kLinearChildren children and by binary search above:
  // prefixes past the dense depth, each followed by 1, 4, 8, 9, 15, 16, 17,
  // 40 or 62 different bytes, and texts that take and miss every one of
  // those children.
  std::mt19937 rng(31);
  const std::string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-_\\/:;,!#$%&()*+<=>?@[]^`{|}~";
  REQUIRE(alphabet.size() >= 62);
  std::vector<std::string> patterns;
  std::string printable;
  for (char ch = ' '; ch <= '~'; ++ch) printable += ch;
  patterns.push_back(printable);  // wide rows: the dense depth stays shallow
  while (patterns.size() < 400) {  // fill the shallow rows
    std::string p;
    for (std::size_t i = 0, n = 3 + rng() % 4; i < n; ++i) p += alphabet[rng() % alphabet.size()];
    patterns.push_back(p);
  }
  std::vector<std::string> prefixes;
  for (std::size_t fan : {1, 4, 8, 9, 15, 16, 17, 40, 62}) {
    const std::string prefix = "q" + std::to_string(fan) + "zzzzzzzzzzzz";
    prefixes.push_back(prefix);
    for (std::size_t c = 0; c < fan; ++c) patterns.push_back(prefix + alphabet[(c * 7) % alphabet.size()] + "!");
  }
  std::set<std::string> seen;
  std::vector<std::string> unique;
  for (const auto& p : patterns) {
    if (seen.insert(interp::FoldedCopy(p)).second) unique.push_back(p);
  }
  interp::AhoCorasick ac;
  for (std::uint32_t i = 0; i < unique.size(); ++i) ac.Add(unique[i], i);
  const auto plan = ac.Prepare();
  REQUIRE(plan.dense_depth < 8);  // every prefix's fan-out state is sparse
  REQUIRE(ac.Build(limits::kMaxAutomatonStates));
  CHECK(ac.held_bytes() == plan.held_bytes);
  for (const auto& prefix : prefixes) {
    for (char next : alphabet + "Q") {  // every child, and bytes that are none
      const std::string text = "x" + prefix + next + "!" + alphabet[rng() % alphabet.size()];
      std::vector<std::uint64_t> hits(interp::HitWords::WordsFor(unique.size()), 0);
      ac.Scan(text, hits.data());
      for (std::uint32_t i = 0; i < unique.size(); ++i) {
        CAPTURE(unique[i]);
        CAPTURE(text);
        CHECK(((hits[i >> 6] >> (i & 63)) & 1u) ==
              (interp::ContainsFolded(text, interp::FoldedCopy(unique[i])) ? 1u : 0u));
      }
    }
  }
}

TEST_CASE("automaton: patterns added in any order give the same tables, zero and high bytes included") {
  // SortPending compares 8-byte big-endian prefixes, zero padded, before
  // whole strings: "ab" and "ab\0" tie on the prefix, and so do patterns
  // sharing their first 8 bytes; bytes over 0x7f must sort above the rest.
  using namespace std::string_literals;
  std::vector<std::string> patterns = {"ab"s,          "ab\0"s,         "ab\0\0\0\0\0\0x"s, "ab\0\0\0\0\0\0"s,
                                       "\xff"s,        "\xff\x01"s,     "\x80zz"s,          "commandline"s,
                                       "commandlinf"s, "commandlin"s,   "command"s,         "\0"s,
                                       "\0\0\0\0\0\0\0\0\0"s, "zzzzzzzzzzzz"s, "zzzzzzzzzzzy"s, "a"s};
  std::mt19937 rng(5);
  for (int i = 0; i < 300; ++i) {
    std::string p;
    for (std::size_t n = 1 + rng() % 14; n > 0; --n) p += "ab\0\xff"s[rng() % 4];
    if (std::find(patterns.begin(), patterns.end(), p) == patterns.end()) patterns.push_back(p);
  }
  std::vector<std::string> sorted = patterns;
  std::sort(sorted.begin(), sorted.end());
  interp::AhoCorasick in_order, shuffled;
  for (std::uint32_t i = 0; i < sorted.size(); ++i) {
    in_order.Add(sorted[i], static_cast<std::uint32_t>(std::find(patterns.begin(), patterns.end(), sorted[i]) - patterns.begin()));
  }
  for (std::uint32_t i = 0; i < patterns.size(); ++i) shuffled.Add(patterns[i], i);
  const auto a = in_order.Prepare(), b = shuffled.Prepare();
  CHECK(a.states == b.states);
  CHECK(a.held_bytes == b.held_bytes);
  REQUIRE(in_order.Build(limits::kMaxAutomatonStates));
  REQUIRE(shuffled.Build(limits::kMaxAutomatonStates));
  for (int t = 0; t < 50; ++t) {
    std::string text;
    for (std::size_t n = rng() % 300; n > 0; --n) text += "ab\0\xff\x80zcommandline"s[rng() % 17];
    std::vector<std::uint64_t> x(interp::HitWords::WordsFor(patterns.size()), 0), y(x.size(), 0);
    in_order.Scan(text, x.data());
    shuffled.Scan(text, y.data());
    CHECK(x == y);
    for (std::uint32_t i = 0; i < patterns.size(); ++i) {
      CAPTURE(i);
      CHECK(((y[i >> 6] >> (i & 63)) & 1u) == (interp::ContainsFolded(text, patterns[i]) ? 1u : 0u));
    }
  }
}

TEST_CASE("the loader's literal index: literals crafted to share a std::hash bucket are spread by the keyed hash") {
  // An attacker's literals: 2,000 texts that std::hash (whose seed is
  // public) sends to one bucket of a table sized for 2,000. In the loader's
  // pattern index (content.cpp: FieldPatterns) each insert then passed every
  // earlier one: 20,000 of them took 0.62 s to load against 0.011 s.
  constexpr std::size_t kTexts = 2000;
  std::unordered_map<std::string, std::uint32_t> sizing;
  for (std::size_t i = 0; i < kTexts; ++i) sizing.try_emplace(std::to_string(i), 0);
  const std::size_t buckets = sizing.bucket_count();
  std::vector<std::string> crafted;
  const std::hash<std::string> public_hash;
  for (std::uint64_t k = 0; crafted.size() < kTexts; ++k) {
    std::string s = "c" + std::to_string(k);
    if (public_hash(s) % buckets == 0) crafted.push_back(std::move(s));
  }
  const auto largest_bucket = [&](auto& index) {
    for (std::uint32_t i = 0; i < kTexts; ++i) index.try_emplace(crafted[i], i);
    std::size_t largest = 0;
    for (std::size_t b = 0; b < index.bucket_count(); ++b) largest = std::max(largest, index.bucket_size(b));
    return largest;
  };
  std::unordered_map<std::string, std::uint32_t> unkeyed;
  CHECK(largest_bucket(unkeyed) == kTexts);  // the attack works on std::hash
  std::unordered_map<std::string, std::uint32_t, interp::KeyedStringHash> keyed;
  CHECK(largest_bucket(keyed) < 16);
}
