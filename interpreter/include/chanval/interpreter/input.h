// One event as the interpreter receives it: an array of inputs, one per field
// the sensor build supplies for the event's template type. The interpreter
// never reads past inputs.size().
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace chanval::interp {

struct Input {
  std::string_view text;    // the field's value as text (addresses too)
  std::int64_t number = 0;  // parsed value for integer fields
  bool has_number = false;  // false: integer matchers do not match
};

using Inputs = std::span<const Input>;

}  // namespace chanval::interp
