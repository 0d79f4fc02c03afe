// ASCII case folding, the interpreter's one definition of "ignore case".
// Non-ASCII bytes compare exactly (documented in README: Format).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace chanval::interp {

constexpr unsigned char FoldAscii(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

inline std::string FoldedCopy(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(FoldAscii(static_cast<unsigned char>(c)));
  return out;
}

inline bool EqualsFolded(std::string_view text, std::string_view folded) {
  if (text.size() != folded.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (FoldAscii(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(folded[i])) return false;
  }
  return true;
}

// fold(a) == fold(b): both sides come from the event (FieldEquals).
inline bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (FoldAscii(static_cast<unsigned char>(a[i])) != FoldAscii(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Naive search: the reference evaluator's contains, O(n·m), obviously right.
inline bool ContainsFolded(std::string_view text, std::string_view folded) {
  if (folded.size() > text.size()) return false;
  for (std::size_t i = 0; i + folded.size() <= text.size(); ++i) {
    if (EqualsFolded(text.substr(i, folded.size()), folded)) return true;
  }
  return false;
}

// ContainsFolded's answer, faster: candidates for the first byte found by
// memchr (a letter's two cases by one masked compare a byte), the rest
// compared folded. The optimized evaluator's search for short regex atoms;
// tests/test_interpreter.cpp checks it against ContainsFolded.
inline bool SearchFolded(std::string_view text, std::string_view folded) {
  if (folded.empty()) return true;
  if (folded.size() > text.size()) return false;
  const auto first = static_cast<unsigned char>(folded[0]);
  const std::string_view rest = folded.substr(1);
  const char* at = text.data();
  const char* const last = text.data() + (text.size() - folded.size());  // the last candidate start
  const bool letter = first >= 'a' && first <= 'z';  // fold(b) == first iff (b | 0x20) == first
  for (; at <= last; ++at) {
    if (letter) {
      if ((static_cast<unsigned char>(*at) | 0x20u) != first) continue;
    } else {
      at = static_cast<const char*>(std::memchr(at, first, static_cast<std::size_t>(last - at) + 1));
      if (!at) return false;
    }
    if (EqualsFolded(std::string_view(at + 1, rest.size()), rest)) return true;
  }
  return false;
}

// Three-way compare of fold(text) with an already-folded string.
inline int CompareFolded(std::string_view text, std::string_view folded) {
  const std::size_t n = text.size() < folded.size() ? text.size() : folded.size();
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char a = FoldAscii(static_cast<unsigned char>(text[i]));
    const unsigned char b = static_cast<unsigned char>(folded[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  return text.size() == folded.size() ? 0 : (text.size() < folded.size() ? -1 : 1);
}

// RE2's case folding (regex ignore_case, or (?i) inside any pattern) is
// Unicode's, and exactly two non-ASCII runes fold to ASCII letters:
// U+017F LONG S ↔ s and U+212A KELVIN SIGN ↔ k (tests/test_interpreter.cpp
// enumerates every rune through RE2 to keep this list honest). FilteredRE2's
// atoms are lower-cased the same way, so an ASCII-folding prefilter cannot
// see them in these spellings: a value holding either rune must not be
// filtered by regex atoms.
inline constexpr std::string_view kLongS = "\xc5\xbf";       // U+017F
inline constexpr std::string_view kKelvinSign = "\xe2\x84\xaa";  // U+212A

// True when the text holds either rune (interpreter/src/fold_partners.cpp).
bool HasNonAsciiFoldPartner(std::string_view text);

// The text with every s/S and k/K spelled as the rune RE2 folds to it: the
// values on which the prefilter and RE2 could part ways (the gate's and the
// fuzzers' agreement checks).
inline std::string SpellFoldPartners(std::string_view text) {
  std::string out;
  for (char c : text) {
    const unsigned char lower = FoldAscii(static_cast<unsigned char>(c));
    out += lower == 's' ? kLongS : lower == 'k' ? kKelvinSign : std::string_view(&c, 1);
  }
  return out;
}

}  // namespace chanval::interp
