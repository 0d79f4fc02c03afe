// PLANTED DEFECTS, test and fuzz builds only (fuzz/planted_291.sh): the
// validator of July 2024 — no supplied-count check (in place of
// validator/src/supplied_check.cpp) and no execution step (in place of
// validator/src/execution_step.cpp). Channel file 291 passes it.
#include "validator_seams.h"

namespace chanval {

bool FieldSupplied(const interp::TypeSpec&, std::uint16_t) { return true; }

void ExecutionStep(const ParsedChannel&, const std::vector<const FleetMember*>&, const CheckOptions&, FileReport&,
                   interp::RegexPool&) {}

}  // namespace chanval
