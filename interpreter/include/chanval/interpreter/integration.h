// The integration step: an event's named fields → the input array a build
// supplies for its template type. Allocation-free: the caller provides the
// output span, sized to the build's supplied count.
#pragma once
#include <charconv>
#include <span>
#include <string_view>

#include "chanval/interpreter/input.h"
#include "chanval/interpreter/profile.h"

namespace chanval::interp {

// `lookup(name)` returns the event's value for a field (empty if absent).
template <typename Lookup>
void FillInputs(const TypeSpec& type, const Lookup& lookup, std::span<Input> out) {
  for (std::size_t i = 0; i < out.size() && i < type.supplied.size(); ++i) {
    const FieldSpec& f = type.supplied[i];
    Input in;
    in.text = lookup(std::string_view(f.name));
    if (f.type == FieldType::Integer && !in.text.empty()) {
      const char* b = in.text.data();
      const char* e = b + in.text.size();
      int base = 10;
      if (in.text.size() > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')) {
        b += 2;
        base = 16;
      }
      auto [p, ec] = std::from_chars(b, e, in.number, base);
      in.has_number = ec == std::errc{} && p == e;
    }
    out[i] = in;
  }
}

}  // namespace chanval::interp
