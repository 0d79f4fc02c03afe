// FieldSupplied (validator_seams.h): the channel-file-291 check, alone in
// this file as a seam (planted away by tests/planted/validator_2024.cpp).
#include "validator_seams.h"

namespace chanval {

bool FieldSupplied(const interp::TypeSpec& type, std::uint16_t field) { return field < type.supplied.size(); }

}  // namespace chanval
