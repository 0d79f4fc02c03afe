// The diagnostic table, made from diagnostic_codes.def (diagnostic.h).
// Tests: tests/test_report.cpp, the coverage case in tests/test_check.cpp.
#include "chanval/validator/diagnostic.h"

#include <algorithm>

namespace chanval {
namespace {
constexpr CodeInfo kCodes[] = {
#define CHANVAL_CODE(name, number, slug, level, help) {Code::name, slug, help, Level::level},
#include "chanval/validator/diagnostic_codes.def"
#undef CHANVAL_CODE
};

// Each code's row in kCodes: its position in the same list.
enum class CodeRow : std::size_t {
#define CHANVAL_CODE(name, number, slug, level, help) name,
#include "chanval/validator/diagnostic_codes.def"
#undef CHANVAL_CODE
};
}  // namespace

const char* LevelName(Level l) {
  switch (l) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Note: return "note";
  }
  return "?";
}

// A switch over the list: a number used twice is a compile error (equal
// case labels), and every code has its row by construction.
const CodeInfo& InfoFor(Code c) {
  switch (c) {
#define CHANVAL_CODE(name, number, slug, level, help) \
  case Code::name:                                     \
    return kCodes[static_cast<std::size_t>(CodeRow::name)];
#include "chanval/validator/diagnostic_codes.def"
#undef CHANVAL_CODE
  }
  return kCodes[0];  // not a Code at all (a cast from a stray number)
}

std::span<const CodeInfo> AllCodes() { return kCodes; }

std::string CodeId(Code c) {
  const unsigned n = static_cast<unsigned>(c);
  std::string digits = std::to_string(n);
  return "CV" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

bool HasErrors(const Diagnostics& d) {
  return std::any_of(d.begin(), d.end(), [](const Diagnostic& x) { return x.level == Level::Error; });
}

}  // namespace chanval
