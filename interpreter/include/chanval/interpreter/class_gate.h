// A prefilter for a regex without literal atoms, such as SigmaHQ's SNAKE
// rule `\s[a-fA-F0-9]{64}\s[a-fA-F0-9]{16}`: RE2's prefilter finds nothing
// to gate it on, so it ran on nearly every command line (about 175 ns each,
// 9% of the interpreter's time on real events). Every match of that regex
// holds a whitespace byte followed by 63 hex digits, and a value without
// such a run cannot match. The gate is that run: a sequence of up to 64
// single-byte character classes, searched for in the value before RE2 is.
//
// Why it is sound: For() reads the pattern's top-level concatenation only,
// and only the subset of RE2's syntax it knows exactly (class_gate.cpp);
// anything else (a top-level `|`, `\p`, `\x`, `\Q`, POSIX classes, a brace
// that is not a repetition, a non-ASCII byte) gives no gate. A position is a
// class of ASCII bytes only when every rune it can match is one of those
// bytes: `.`, negated classes, `\D` `\S` `\W` and, when case is folded, any
// class holding k or s (RE2 folds U+212A KELVIN SIGN and U+017F LONG S to
// them) are of unknown width and end a run. So each byte of the run stands
// for exactly one rune of the match. Tests: tests/test_class_gate.cpp
// (random patterns from a grammar, their matches from the grammar, RE2 as
// the judge); fuzz_class_gate (any bytes as a pattern, RE2 the judge: it
// found RE2's literal `{09}`); fuzz_differential and fuzz_soundness against
// the reference evaluator, which has no gate.
//
// The search is BNDM (backward nondeterministic DAWG matching, Navarro and
// Raffinot): the window of the run's length is read from its end while the
// bytes read are a factor of the run, then shifted past the last prefix seen.
// On command lines it reads about one byte per window (5 ns against RE2's
// 175 ns). Its worst case is quadratic, so it stops after as many reads as
// the value has bytes and lets RE2 decide: the evaluator charges it one unit
// a byte (cost.h), within the regex's price.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace chanval::interp {

class ClassGate {
 public:
  // The run's length at most: one machine word of positions.
  static constexpr std::size_t kMaxLength = 64;
  // A run that rules out less than this (bits: the sum over its positions
  // of log2(256 / the class's size)) is not worth a search: one literal
  // byte is 8, a whitespace class 5.7, a hex digit 3.5.
  static constexpr double kMinSelectivityBits = 16;

  // The gate for `pattern` as the sensor compiles it (SensorRegexOptions:
  // UTF-8, case folded when `ignore_case`), or none (see above).
  static std::optional<ClassGate> For(std::string_view pattern, bool ignore_case);

  struct Search {
    bool may_match = false;
    std::size_t reads = 0;  // bytes of the value read, at most its size
  };
  // may_match false only when `text` holds no run of the gate's classes (so
  // the regex cannot match it); true also when the reads ran out.
  Search Find(std::string_view text) const;
  bool MayMatch(std::string_view text) const { return Find(text).may_match; }

  std::size_t length() const { return length_; }
  // Whether byte `b` is in the class of the run's position `i`.
  bool Holds(std::size_t i, unsigned char b) const { return (masks_[b] >> (length_ - 1 - i)) & 1u; }

 private:
  // Bit length - 1 - i of masks_[b]: byte b is in position i's class
  // (BNDM reads the window backwards).
  std::array<std::uint64_t, 256> masks_{};
  std::uint8_t length_ = 0;
};

}  // namespace chanval::interp
