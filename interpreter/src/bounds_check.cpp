// ReadPastSupplied (seams.h): the interpreter's bounds check, alone in this
// file as a seam. The planted replacement tests/planted/bounds_check_removed.cpp
// never reports a read past the inputs; tests/test_guard.cpp shows the
// gate's guard page catching the read that follows (CV205).
#include "chanval/interpreter/content.h"
#include "seams.h"

namespace chanval::interp {

std::optional<std::uint16_t> ReadPastSupplied(const CompiledMatcher& m, std::size_t supplied) {
  return FirstFieldPast(m, supplied);
}

}  // namespace chanval::interp
