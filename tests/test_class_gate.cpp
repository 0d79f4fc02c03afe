// ClassGate (class_gate.h): a regex's necessary run of byte classes. It must
// never rule out a value RE2 matches, whatever the pattern's syntax, case
// folding and the value's runes; its search must find exactly the runs
// there are while its reads last, and never read more than the value.
#include <doctest/doctest.h>

#include <random>
#include <re2/re2.h>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/class_gate.h"
#include "chanval/interpreter/profile.h"
#include "chanval/interpreter/regex_pool.h"

using namespace chanval;
using interp::ClassGate;

namespace {

constexpr std::string_view kSnake = "\\s[a-fA-F0-9]{64}\\s[a-fA-F0-9]{16}";
const std::string kK(interp::kKelvinSign), kS(interp::kLongS);

bool Re2Matches(std::string_view pattern, bool fold, std::string_view text) {
  static const interp::Budgets budgets;
  const RE2 re(re2::StringPiece(pattern.data(), pattern.size()), interp::SensorRegexOptions(budgets, fold));
  REQUIRE_MESSAGE(re.ok(), pattern);
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

// Whether `text` holds the gate's run, position by position.
bool HoldsRun(const ClassGate& gate, std::string_view text) {
  const std::size_t m = gate.length();
  for (std::size_t at = 0; at + m <= text.size(); ++at) {
    std::size_t i = 0;
    while (i < m && gate.Holds(i, static_cast<unsigned char>(text[at + i]))) ++i;
    if (i == m) return true;
  }
  return false;
}

// Runes a value may hold where a pattern's item is: ASCII of every kind, the
// two runes RE2 folds to k and s, and other multi-byte runes.
const std::vector<std::string> kRunes = [] {
  std::vector<std::string> r;
  for (char c : std::string_view("aAbBfFkKsSxXzZ059_ -./:\\\t\n]`{}$")) r.emplace_back(1, c);
  for (auto s : {interp::kKelvinSign, interp::kLongS, std::string_view("\xc3\xa9"), std::string_view("\xe2\x82\xac")}) {
    r.emplace_back(s);
  }
  return r;
}();

// A random pattern from a grammar of the syntax the gate reads and some it
// refuses, with a generator of values that may match it (RE2 decides).
class PatternGrammar {
 public:
  explicit PatternGrammar(std::uint32_t seed) : rng_(seed) {}

  struct Piece {
    std::string text;                        // pattern syntax
    std::vector<std::vector<std::string>> alternatives;  // a match: one alternative's runes, each from its candidates
  };

  // The pattern, and a sampler of values built from it.
  std::string Pattern() {
    parts_.clear();
    std::string p;
    if (Pick(6) == 0) p += Pick(2) ? "(?i)" : "(?-i)";
    const std::size_t items = 1 + Pick(8);
    for (std::size_t i = 0; i < items; ++i) p += Item(0);
    if (Pick(12) == 0) {  // a top-level alternative
      p += "|";
      p += Item(0);
    }
    return p;
  }
  // A value: random runes around runes drawn for each item in order.
  std::string Value() {
    std::string v = Noise();
    for (const auto& candidates : parts_) v += Draw(candidates);
    return v + Noise();
  }

 private:
  std::size_t Pick(std::size_t n) { return rng_() % n; }
  std::string Noise() {
    std::string v;
    for (std::size_t n = Pick(6); n > 0; --n) v += kRunes[Pick(kRunes.size())];
    return v;
  }
  std::string Draw(const std::vector<std::string>& candidates) {
    // Mostly the item's own runes; sometimes any rune (RE2 judges).
    if (candidates.empty() || Pick(32) == 0) return kRunes[Pick(kRunes.size())];
    return candidates[Pick(candidates.size())];
  }

  // One item with a repetition; its runes are appended to parts_ (for a
  // group at depth 0, its contents' items are drawn as one part each).
  std::string Item(int depth) {
    std::vector<std::string> runes;
    std::string t;
    switch (Pick(depth < 2 ? 7 : 6)) {
      case 0: {  // a literal, escaped where it must be
        static const std::vector<std::string> lits = {"a", "A", "b", "f", "k", "K", "s", "S", "x", "0", "9", " ", "-", ":", "/", "_", "\\.", "\\\\", "\\-", "\\{", "\\}", "\\$", "\\]", "\\(", "\\n", "\\t"};
        t = lits[Pick(lits.size())];
        const char c = t.size() == 1 ? t[0] : t[1] == 'n' ? '\n' : t[1] == 't' ? '\t' : t[1];
        runes = {std::string(1, c)};
        if (c >= 'a' && c <= 'z') runes.emplace_back(1, static_cast<char>(c - 32));
        if (c >= 'A' && c <= 'Z') runes.emplace_back(1, static_cast<char>(c + 32));
        if (c == 'k' || c == 'K') runes.emplace_back(interp::kKelvinSign);
        if (c == 's' || c == 'S') runes.emplace_back(interp::kLongS);
        break;
      }
      case 1: {  // a Perl class: its runes, and those folding brings
        static const std::vector<std::pair<const char*, std::vector<std::string>>> perl = {
            {"\\d", {"0", "7"}}, {"\\s", {" ", "\t", "\n"}}, {"\\w", {"a", "K", "s", "_", "9", kK, kS}},
            {"\\D", {"a", "-", kK, "\xc3\xa9"}}, {"\\S", {"a", "-", kS}}, {"\\W", {" ", "-", kK, kS}}};
        const auto& [text, members] = perl[Pick(perl.size())];
        t = text;
        runes = members;
        break;
      }
      case 2:
      case 3: {  // a bracketed class: its runes, and those folding brings
        static const std::vector<std::pair<const char*, std::vector<std::string>>> classes = {
            {"[a-f0-9]", {"a", "F", "0", "9"}}, {"[A-Fa-f0-9]", {"A", "f", "5"}}, {"[^a]", {"b", "-", kK, "\xc3\xa9"}},
            {"[ks]", {"k", "S", kK, kS}}, {"[]x]", {"]", "x", "X"}}, {"[^]x]", {"a", kS}}, {"[a-]", {"a", "-", "A"}},
            {"[-a]", {"-", "a"}}, {"[\\]a]", {"]", "a"}}, {"[\\d_]", {"0", "_"}}, {"[\\s,]", {" ", ",", "\t"}},
            {"[A-Z]", {"A", "Z", "k", kK}}, {"[k-s]", {"k", "s", "M", kK, kS}}, {"[0-7]", {"0", "7"}},
            {"[\\-.]", {"-", "."}}, {"[x\\w]", {"x", "_", "9", kS}}, {"[[:alpha:]]", {"a", "Q"}}, {"[\\x41b]", {"A", "b"}},
            {"[\\pL]", {"a", "\xc3\xa9"}}, {"[\\n\\t]", {"\n", "\t"}}, {"[$^]", {"$", "^"}}};
        const auto& [text, members] = classes[Pick(classes.size())];
        t = text;
        runes = members;
        break;
      }
      case 4:  // any rune, or an assertion
        t = std::vector<std::string>{".", "^", "$", "\\b", "\\B", "\\A", "\\z", "\\pN", "\\x{41}"}[Pick(9)];
        if (t == ".") runes = kRunes;
        if (t == "\\pN") runes = {"1"};
        if (t == "\\x{41}") runes = {"A"};
        if (runes.empty()) return t;  // zero-width: no repetition
        break;
      case 5:  // a flag setting (in a group: its own flags, below)
        if (depth == 0) return std::vector<std::string>{"(?i)", "(?-i)", "(?s)", "(?im)", "(?U)"}[Pick(5)];
        t = "z";
        runes = {"z", "Z"};
        break;
      default: {  // a group of one or two alternatives
        static const char* const opens[] = {"(", "(?:", "(?i:", "(?-i:", "(?P<n>", "(?s:"};
        t = opens[Pick(std::size(opens))];
        const std::size_t saved = parts_.size();
        for (std::size_t n = 1 + Pick(3); n > 0; --n) t += Item(depth + 1);
        if (Pick(3) == 0) {
          t += "|";
          t += Item(depth + 1);
        }
        t += ")";
        // Its contents' parts stand in for the group (the first alternative).
        std::vector<std::vector<std::string>> inner(parts_.begin() + static_cast<std::ptrdiff_t>(saved), parts_.end());
        parts_.resize(saved);
        const auto [lo, hi] = Repeat(t);
        for (std::size_t k = lo + Pick(hi - lo + 1); k > 0; --k) parts_.insert(parts_.end(), inner.begin(), inner.end());
        return t;
      }
    }
    const auto [lo, hi] = Repeat(t);
    for (std::size_t k = lo + Pick(hi - lo + 1); k > 0; --k) parts_.push_back(runes);
    return t;
  }

  // Appends a repetition to `t`; the counts a value draws between.
  std::pair<std::size_t, std::size_t> Repeat(std::string& t) {
    static const std::vector<std::tuple<const char*, std::size_t, std::size_t>> reps = {
        {"", 1, 1}, {"", 1, 1}, {"", 1, 1}, {"*", 0, 3}, {"+", 1, 3}, {"?", 0, 1}, {"{2}", 2, 2},
        {"{0,3}", 0, 3}, {"{2,}", 2, 4}, {"{1,4}", 1, 4}, {"{3}?", 3, 3}, {"+?", 1, 2}, {"{5}", 5, 5}};
    const auto& [text, lo, hi] = reps[Pick(reps.size())];
    t += text;
    return {lo, hi};
  }

  std::mt19937 rng_;
  std::vector<std::vector<std::string>> parts_;
};

}  // namespace

TEST_CASE("class gate: SNAKE's regex is gated on whitespace and 63 hex digits") {
  const auto gate = ClassGate::For(kSnake, false);
  REQUIRE(gate);
  CHECK(gate->length() == ClassGate::kMaxLength);
  const std::string sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  const std::string hit = "jpsetup.exe " + sha + " 0123456789abcdef";
  CHECK(Re2Matches(kSnake, false, hit));
  CHECK(gate->MayMatch(hit));
  CHECK(gate->MayMatch(" " + sha));  // the run, not the whole match: RE2 decides the rest
  CHECK_FALSE(gate->MayMatch("\"C:\\Windows\\system32\\svchost.exe\" -k netsvcs -p -s Schedule"));
  CHECK_FALSE(gate->MayMatch(" " + sha.substr(0, 62) + "g"));
  CHECK_FALSE(gate->MayMatch("x" + sha + " 0123456789abcdef"));
  // Read from its end, a window of command line costs about one byte.
  const std::string line = "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\" /recycle /n";
  const auto search = gate->Find(line);
  CHECK_FALSE(search.may_match);
  CHECK(search.reads <= 8);
}

TEST_CASE("class gate: patterns outside the syntax it reads, or without a selective run, have none") {
  for (const char* p : {"a|bcdefgh", "[[:xdigit:]]{20}", "\\pN{20}", "\\x41{20}", "\\Qabc\\E[0-9]{9}", "(\\Q)\\E)[0-9]{9}",
                        "x{,5}[0-9]{9}", "[0-9]{9}{2}", "[k\\[-s]{09}", "[0-9]{1,09}", "\xc3\xa9[0-9]{9}", ".*", "\\d\\d", "[a-z]+", "\\w{20}?|x"}) {
    CAPTURE(p);
    CHECK_FALSE(ClassGate::For(p, false));
  }
  // A group is skipped whole, whatever it holds; the run is around it.
  CHECK(ClassGate::For("(a|[)]|\\))\\s-O\\s", false));
  // Folded, k and s match U+212A and U+017F: a class holding them is no byte class.
  CHECK_FALSE(ClassGate::For("(?i)[k-s]{20}", false));
  CHECK_FALSE(ClassGate::For("[k-s]{20}", true));
  CHECK(ClassGate::For("[k-s]{20}", false));
  CHECK(ClassGate::For("(?i)(?-i)[k-s]{20}", false));
  CHECK_FALSE(ClassGate::For("(?i)\\s\\w{20}", false));
  CHECK(Re2Matches("(?i)\\s\\w{20}", false, " " + std::string(interp::kKelvinSign) + std::string(19, 'a')));
  // RE2 takes a count with a leading zero as literal text (fuzz_class_gate's
  // first finding: the gate had read `{09}` as nine repetitions).
  CHECK(Re2Matches("[k\\[-s]{09}", false, "]{09}"));
}

TEST_CASE("class gate: the search finds exactly the runs there are while its reads last") {
  std::mt19937 rng(7);
  const char* const patterns[] = {"[ab]{5}c", "a{20}b", "[ab][bc][ca]x", "\\s[a-f0-9]{40}", "x[ab]{63}", "-[0-9]{3}-",
                                  "[a-c]{64}", "ab[ab]{2}ab"};
  std::size_t exhausted = 0, found = 0;
  for (const char* p : patterns) {
    CAPTURE(p);
    const auto gate = ClassGate::For(p, false);
    REQUIRE(gate);
    for (int t = 0; t < 3000; ++t) {
      std::string text(rng() % 200, ' ');
      const std::string alphabet = t % 3 ? "abc" : t % 2 ? "abcx -0123456789f" : "aab";
      for (auto& c : text) c = alphabet[rng() % alphabet.size()];
      const auto search = gate->Find(text);
      CHECK(search.reads <= text.size());
      if (search.reads < text.size() || !search.may_match) {
        CHECK(search.may_match == HoldsRun(*gate, text));
      } else {
        ++exhausted;
      }
      found += search.may_match;
    }
  }
  CHECK(found > 1000);
  // BNDM is quadratic at worst: "a{20}b" over a's recognises a prefix at every step.
  const auto quadratic = ClassGate::For("a{20}b", false);
  const auto worst = quadratic->Find(std::string(1000, 'a'));
  CHECK(worst.reads == 1000);
  CHECK(worst.may_match);  // reads spent: RE2 decides
  CHECK(exhausted > 0);
}

TEST_CASE("class gate: never rules out a value RE2 matches (random patterns, runes and folding)") {
  std::size_t gated = 0, compiled = 0, matched = 0, ruled_out = 0;
  for (std::uint32_t seed = 0; seed < 3000; ++seed) {
    PatternGrammar grammar(seed);
    const std::string pattern = grammar.Pattern();
    for (const bool fold : {false, true}) {
      static const interp::Budgets budgets;
      const RE2 re(pattern, interp::SensorRegexOptions(budgets, fold));
      if (!re.ok()) continue;
      ++compiled;
      const auto gate = ClassGate::For(pattern, fold);
      if (!gate) continue;
      ++gated;
      for (int v = 0; v < 40; ++v) {
        const std::string value = grammar.Value();
        const bool matches = RE2::PartialMatch(value, re);
        const bool may = gate->MayMatch(value);
        matched += matches;
        ruled_out += !may;
        if (matches && !may) FAIL_CHECK("ruled out a match: /" << pattern << "/ fold " << fold << " value \"" << value << "\"");
      }
    }
  }
  MESSAGE("compiled " << compiled << ", gated " << gated << ", matched " << matched << ", ruled out " << ruled_out);
  CHECK(gated > 500);
  CHECK(matched > 5000);
  CHECK(ruled_out > 5000);
}

TEST_CASE("class gate: the regex pool keeps a gate only for regexes with no 3-byte atom") {
  interp::RegexPool pool;
  const interp::Budgets budgets;
  CHECK(pool.Get(kSnake, false, budgets).class_gate);
  CHECK(pool.Get(" [0-7]{7,13}", false, budgets).class_gate);
  CHECK_FALSE(pool.Get("cmd\\.exe [0-9]{9}", false, budgets).class_gate);  // its atom gates it
  CHECK_FALSE(pool.Get("^(?s:.*)$", false, budgets).class_gate);
}
