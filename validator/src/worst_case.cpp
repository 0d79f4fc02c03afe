// WorstCaseEvents and RegexAlphabets (worst_case.h). Covered by
// tests/test_check.cpp ("adversarial content ...") and tests/cli/adversarial.sh.
#include "worst_case.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/regex_sample.h"
#include "chanval/validator/execution.h"

namespace chanval {
namespace {


constexpr std::string_view kMeta = "[](){}|*+?^$\\.";
constexpr std::size_t kMaxClassMembers = 96;
constexpr std::size_t kMaxAlphabetsPerRegex = 4;
constexpr std::size_t kMaxRegexesPerField = 8;  // the largest programs: RE2's cost grows with them

void AddEscape(char e, std::string& out) {
  switch (e) {
    case 'd': out += "0123456789"; break;
    case 'w': out += "aZ_0"; break;
    case 's': out += " \t"; break;
    case 'D': case 'W': case 'S': out += "a-_ "; break;
    default:
      if (std::isalpha(static_cast<unsigned char>(e)) == 0) out += e;  // \\ \. \( ...: the character itself
  }
}

// Deterministic filler text, a byte a step (SplitMix64, and a multiply for
// the range): mt19937 and a division per byte were a tenth of a `check`.
class TextRandom {
 public:
  explicit TextRandom(std::uint64_t seed) : state_(seed) {}
  std::size_t Below(std::size_t n) {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<std::size_t>(((z >> 32) * n) >> 32);  // n (an alphabet's size) < 2^32
  }

 private:
  std::uint64_t state_;
};

std::string Dedup(std::string s) {
  std::sort(s.begin(), s.end());
  s.erase(std::unique(s.begin(), s.end()), s.end());
  return s;
}

}  // namespace

std::vector<std::string> RegexAlphabets(std::string_view p) {
  std::vector<std::string> classes;
  std::string literal;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      AddEscape(p[++i], literal);
    } else if (c == '{') {  // a count: not part of the alphabet
      while (i < p.size() && p[i] != '}') ++i;
    } else if (c == '[') {
      std::string members;
      std::size_t k = i + 1;
      const bool negated = k < p.size() && p[k] == '^';
      if (negated) ++k;
      for (bool first = true; k < p.size() && (first || p[k] != ']'); ++k, first = false) {
        if (p[k] == '\\' && k + 1 < p.size()) {
          AddEscape(p[++k], members);
        } else if (k + 2 < p.size() && p[k + 1] == '-' && p[k + 2] != ']') {
          for (int x = static_cast<unsigned char>(p[k]); x <= static_cast<unsigned char>(p[k + 2]) &&
                                                          members.size() < kMaxClassMembers;
               ++x) {
            members += static_cast<char>(x);
          }
          k += 2;
        } else {
          members += p[k];
        }
      }
      i = k;
      if (negated) {  // printable ASCII outside the class
        std::string rest;
        for (char x = ' '; x < '~'; ++x) {
          if (members.find(x) == std::string::npos) rest += x;
        }
        members = rest;
      }
      if (!members.empty()) classes.push_back(Dedup(members));
    } else if (kMeta.find(c) == std::string_view::npos) {
      literal += c;
    } else if (c == '.') {
      literal += "a0 ";
    }
  }
  std::vector<std::string> out;
  if (!literal.empty()) out.push_back(Dedup(literal));
  for (auto& c : classes) {
    if (out.size() >= kMaxAlphabetsPerRegex) break;
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
  }
  if (out.empty()) out.push_back("a");
  return out;
}

std::vector<Event> WorstCaseEvents(const interp::CompiledContent& c, const interp::TypeIndex& t,
                                   std::size_t field_count, std::size_t max_events) {
  constexpr std::size_t kLength = limits::kMaxInputLength;
  // Per field: the bytes the content seeks there, and its regexes by program size.
  std::map<std::uint16_t, std::string> sought;
  std::map<std::uint16_t, std::vector<std::pair<int, const RE2*>>> regexes;
  std::set<std::uint16_t> read;
  for (std::uint32_t idx : t.instances) {
    const auto& inst = c.instances()[idx];
    for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
      const auto& cm = c.matchers()[m];
      interp::ForEachFieldRead(cm, [&](std::uint16_t f) { read.insert(f); });
      for (std::uint32_t l = cm.literal_begin; l < cm.literal_begin + cm.literal_count; ++l) {
        sought[cm.field] += c.literals[l];
      }
      if (interp::KindRow(cm.kind).syntax == interp::ValueSyntax::Regex) {
        const RE2* re = c.regexes[cm.regex].get();
        sought[cm.field] += SampleRegexMatch(re->pattern());
        regexes[cm.field].emplace_back(re->ProgramSize(), re);
      }
    }
  }
  // Variants per field: chunks of what it seeks, then random text over each
  // alphabet of its largest regexes, each ending with the regexes' samples.
  std::map<std::uint16_t, std::vector<std::string>> variants;
  for (std::uint16_t f : read) {
    auto& v = variants[f];
    const std::string& all = sought[f];
    for (std::size_t at = 0; at < all.size() && v.size() < std::max<std::size_t>(1, max_events / 2); at += kLength) {
      std::string piece = all.substr(at, kLength);  // repeated to the maximal length: every byte is sought
      while (piece.size() < kLength) piece += piece.substr(0, kLength - piece.size());
      v.push_back(std::move(piece));
    }
    auto& rs = regexes[f];
    std::sort(rs.begin(), rs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    rs.erase(std::unique(rs.begin(), rs.end()), rs.end());
    if (rs.size() > kMaxRegexesPerField) rs.resize(kMaxRegexesPerField);
    std::string samples;
    for (const auto& [size, re] : rs) samples += SampleRegexMatch(re->pattern());
    samples = samples.substr(0, kLength / 4);
    TextRandom rng(f);
    // Event e takes variant e % v.size(), e < max_events: later ones would
    // never be used (generating them was a tenth of a check).
    for (std::size_t r = 0; r < rs.size() && v.size() < max_events; ++r) {
      for (const auto& alphabet : RegexAlphabets(rs[r].second->pattern())) {
        if (v.size() >= max_events) break;
        // Random text first, the samples (which the prefilter needs) last:
        // a search that finds its match early would stop early.
        std::string text(kLength > samples.size() ? kLength - samples.size() : 0, '\0');
        for (char& ch : text) ch = alphabet[rng.Below(alphabet.size())];
        text += samples;
        v.push_back(std::move(text));
      }
    }
    if (v.empty()) v.emplace_back(kLength, 'A');  // integer, address and FieldEquals fields: the longest value
  }
  std::size_t count = 0;
  for (const auto& [f, v] : variants) count = std::max(count, v.size());
  count = std::min(count, max_events);
  std::vector<Event> events(count, Event(field_count));
  for (std::size_t e = 0; e < count; ++e) {
    for (const auto& [f, v] : variants) {
      if (f < field_count) events[e][f] = FieldValue{v[e % v.size()]};
    }
  }
  return events;
}

}  // namespace chanval
