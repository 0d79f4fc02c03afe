// PLANTED DEFECT, test builds only (tests/test_guard.cpp): no bounds check,
// in place of interpreter/src/bounds_check.cpp. Reads past the inputs go
// ahead — into the guard page the gate puts behind them.
#include "chanval/interpreter/content.h"
#include "seams.h"

namespace chanval::interp {

std::optional<std::uint16_t> ReadPastSupplied(const CompiledMatcher&, std::size_t) { return std::nullopt; }

}  // namespace chanval::interp
