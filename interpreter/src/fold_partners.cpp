// HasNonAsciiFoldPartner (ascii.h). Alone in this file as a seam: the planted
// replacement tests/planted/fold_partners_ignored.cpp returns false, and
// tests/test_planted_fold.cpp shows the gate catching the resulting
// evaluator disagreement (CV207). Tests: tests/test_interpreter.cpp ("fold
// partners are found at every offset").
#include "chanval/interpreter/ascii.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chanval::interp {
namespace {

// Both runes' lead bytes are >= 0xc5; most values hold no such byte at all.
constexpr unsigned char kLowestLead = 0xc5;

bool RuneAt(std::string_view text, std::size_t i) {
  return text.substr(i, kLongS.size()) == kLongS || text.substr(i, kKelvinSign.size()) == kKelvinSign;
}

}  // namespace

bool HasNonAsciiFoldPartner(std::string_view text) {
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes at a time: a byte is >= 0xc5 exactly when max(byte, 0xc5) is itself.
  const __m128i lowest = _mm_set1_epi8(static_cast<char>(kLowestLead));
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    auto leads = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, lowest), v)));
    for (; leads; leads &= leads - 1) {
      if (RuneAt(text, i + static_cast<std::size_t>(__builtin_ctz(leads)))) return true;
    }
  }
#endif
  for (; i < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) >= kLowestLead && RuneAt(text, i)) return true;
  }
  return false;
}

}  // namespace chanval::interp
