// PLANTED DEFECT, test builds only (tests/test_planted_fold.cpp): the
// prefilter trusts regex atoms whatever the text holds, as before issue 10's
// finding 4, in place of interpreter/src/fold_partners.cpp.
#include "chanval/interpreter/ascii.h"

namespace chanval::interp {

bool HasNonAsciiFoldPartner(std::string_view) { return false; }

}  // namespace chanval::interp
