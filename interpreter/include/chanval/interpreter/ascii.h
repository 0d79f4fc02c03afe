// ASCII case folding, the interpreter's one definition of "ignore case".
// Non-ASCII bytes compare exactly (documented in README: Format).
#pragma once
#include <cstddef>
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

}  // namespace chanval::interp
