// The diagnostics model: every finding has a stable code, a severity and as
// much location as applies (file offset, instance, field, sensor version).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chanval/interpreter/profile.h"

namespace chanval {

enum class Level : std::uint8_t { Error, Warning, Note };
const char* LevelName(Level l);

// Stable codes, from diagnostic_codes.def. Never renumber: pipelines and
// SARIF consumers key on them.
enum class Code : std::uint16_t {
#define CHANVAL_CODE(name, number, slug, level, help) name = number,
#include "chanval/validator/diagnostic_codes.def"
#undef CHANVAL_CODE
};

struct CodeInfo {
  Code code;
  const char* slug;
  const char* help;
  Level level = Level::Error;  // the level the code is reported at
};
const CodeInfo& InfoFor(Code c);
std::span<const CodeInfo> AllCodes();
std::string CodeId(Code c);  // "CV104"

struct Diagnostic {
  Level level = Level::Error;
  Code code = Code::EmptyFile;
  std::string file;
  std::optional<std::uint64_t> offset;
  std::optional<std::uint32_t> instance_id;
  std::string instance_name;
  std::optional<std::uint16_t> field;
  std::string field_name;
  std::optional<interp::SensorVersion> sensor;
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;
bool HasErrors(const Diagnostics& d);

}  // namespace chanval
