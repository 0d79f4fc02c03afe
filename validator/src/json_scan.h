// The event reader's tokenizer scans: 64-byte blocks whose strings are found
// all at once (ClassifyBlock, FindStrings), and, for blocks that cannot be
// and for the tail, the distance to the next byte that can change its state,
// 16 bytes at a time with SSE2 (every x86-64 has it), a byte at a time
// elsewhere. Tests: tests/test_events.cpp ("the tokenizer's skips find every
// special byte at every offset", "a 64-byte block's strings ...").
#pragma once
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chanval {

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Inside a string: '"', '\\' or a raw newline. Returns n if none.
inline std::size_t NextStringSpecial(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmpeq_epi8(v, newline));
    if (const int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    if (p[i] == '"' || p[i] == '\\' || p[i] == '\n') return i;
  }
  return n;
}

// Outside strings: '"', a bracket or a raw newline. Returns n if none.
inline std::size_t NextStructural(const char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // '[' | 0x20 is '{' and ']' | 0x20 is '}'; no other byte maps to either.
  const __m128i quote = _mm_set1_epi8('"'), newline = _mm_set1_epi8('\n'), lower = _mm_set1_epi8(0x20),
                open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i folded = _mm_or_si128(v, lower);
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, newline)),
                                     _mm_or_si128(_mm_cmpeq_epi8(folded, open), _mm_cmpeq_epi8(folded, close)));
    if (const int mask = _mm_movemask_epi8(hit)) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < n; ++i) {
    const char c = p[i];
    if (c == '"' || c == '\n' || c == '{' || c == '}' || c == '[' || c == ']') return i;
  }
  return n;
}

// 64 bytes at once: where the tokenizer's special bytes are, one bit per
// byte (bit i is byte i).
struct BlockMasks {
  std::uint64_t quote = 0, backslash = 0, newline = 0, open = 0, close = 0;
};

inline BlockMasks ClassifyBlock(const char* p) {
  BlockMasks m;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n'),
                lower = _mm_set1_epi8(0x20), open = _mm_set1_epi8('{'), close = _mm_set1_epi8('}');
  const auto bits = [](__m128i hit, int shift) {
    return static_cast<std::uint64_t>(static_cast<std::uint16_t>(_mm_movemask_epi8(hit))) << shift;
  };
  for (int k = 0; k < 64; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k));
    const __m128i folded = _mm_or_si128(v, lower);  // '[' and ']' fold onto '{' and '}'
    m.quote |= bits(_mm_cmpeq_epi8(v, quote), k);
    m.backslash |= bits(_mm_cmpeq_epi8(v, backslash), k);
    m.newline |= bits(_mm_cmpeq_epi8(v, newline), k);
    m.open |= bits(_mm_cmpeq_epi8(folded, open), k);
    m.close |= bits(_mm_cmpeq_epi8(folded, close), k);
  }
#else
  for (int k = 0; k < 64; ++k) {
    const std::uint64_t bit = std::uint64_t{1} << k;
    switch (p[k]) {
      case '"': m.quote |= bit; break;
      case '\\': m.backslash |= bit; break;
      case '\n': m.newline |= bit; break;
      case '{': case '[': m.open |= bit; break;
      case '}': case ']': m.close |= bit; break;
      default: break;
    }
  }
#endif
  return m;
}

// Bit i set when an odd number of bits at or below i are set.
inline std::uint64_t PrefixXor(std::uint64_t x) {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

// A block's strings, computed for all 64 bytes at once as if a backslash
// escaped the next byte wherever it stands and a newline did not end a
// string. That model and the tokenizer's byte-by-byte rules (a backslash
// escapes only inside a string; a raw newline ends one) decide every byte
// alike until the first byte where they differ, which is a backslash
// outside a string or a newline inside one. So when the block has neither
// (`exact`), the model's strings are the tokenizer's; otherwise the caller
// takes the block byte by byte.
struct BlockStrings {
  std::uint64_t inside = 0;  // an opening quote and the string's bytes (not its closing quote)
  bool exact = false;
  bool ends_in_string = false, ends_escaped = false;  // the state after the block's last byte
};

inline BlockStrings FindStrings(const BlockMasks& m, bool in_string, bool escaped) {
  constexpr std::uint64_t kEven = 0x5555555555555555ull, kOdd = ~kEven;
  const std::uint64_t carried = escaped ? 1 : 0;  // byte 0 is escaped by the last block's backslash
  // Backslashes that escape: in a run of them, every other one from the
  // run's first (byte 0 of the run is already escaped when carried).
  const std::uint64_t escapes_run = m.backslash & ~carried;
  const std::uint64_t starts = escapes_run & ~(escapes_run << 1);
  // Adding a run's first bit to the run clears it and sets the byte past
  // it: the xor is the run plus that byte. A run starting on an even byte
  // escapes the odd bytes of that span, one starting on an odd byte the
  // even ones.
  const std::uint64_t even_spans = escapes_run ^ (escapes_run + (starts & kEven));
  const std::uint64_t odd_spans = escapes_run ^ (escapes_run + (starts & kOdd));
  const std::uint64_t escaped_bytes = (even_spans & kOdd) | (odd_spans & kEven) | carried;
  BlockStrings s;
  s.inside = PrefixXor(m.quote & ~escaped_bytes) ^ (in_string ? ~std::uint64_t{0} : 0);
  s.exact = (m.backslash & ~s.inside) == 0 && (m.newline & s.inside) == 0;
  s.ends_in_string = (s.inside >> 63) != 0;
  s.ends_escaped = ((escapes_run & ~escaped_bytes) >> 63) != 0;
  return s;
}

}  // namespace chanval
