// Validator functions that each carry one defence and live alone in their
// own source file, so a test or fuzz build can link a planted replacement
// (tests/planted/validator_2024.cpp: the validator of July 2024, without the
// supplied-count check and without the execution step) and show what finds
// the defect. No #ifdef in the validator: the library is the same either way.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chanval/interpreter/profile.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/check.h"

namespace chanval {

// supplied_check.cpp: whether the build's integration code passes `field`
// of `type` at all (the channel-file-291 check; CV104 when it does not).
bool FieldSupplied(const interp::TypeSpec& type, std::uint16_t field);

// execution_step.cpp: the gate's execution step for one parsed file, into `r`.
void ExecutionStep(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds, const CheckOptions& options,
                   FileReport& r, interp::RegexPool& regexes);

}  // namespace chanval
