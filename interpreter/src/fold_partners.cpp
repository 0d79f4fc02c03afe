// HasNonAsciiFoldPartner (ascii.h). Alone in this file as a seam: the planted
// replacement tests/planted/fold_partners_ignored.cpp returns false, and
// tests/test_planted_fold.cpp shows the gate catching the resulting
// evaluator disagreement (CV207).
#include "chanval/interpreter/ascii.h"

namespace chanval::interp {

bool HasNonAsciiFoldPartner(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (static_cast<unsigned char>(text[i]) < 0xc5) continue;  // both lead bytes are >= 0xc5
    if (text.substr(i, kLongS.size()) == kLongS || text.substr(i, kKelvinSign.size()) == kKelvinSign) return true;
  }
  return false;
}

}  // namespace chanval::interp
