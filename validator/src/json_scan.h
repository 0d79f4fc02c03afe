// The event reader's tokenizer skips: the distance to the next byte that can
// change its state, 16 bytes at a time with SSE2 (every x86-64 has it),
// a byte at a time elsewhere. Tests: tests/test_events.cpp ("the tokenizer's
// skips find every special byte at every offset").
#pragma once
#include <cstddef>

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

}  // namespace chanval
