// A sensor build as the interpreter sees it: which template types it has,
// what each declares, what its integration code actually supplies per event,
// and its resource budgets. The current build's profile is compiled in
// (registry.h); older builds' profiles come from manifests (validator/).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace chanval::interp {

// Interpreter ABI versions: 1 has the original matcher kinds; 2 adds
// FieldEquals. A build's manifest says which it runs.
inline constexpr std::uint16_t kFieldEqualsAbi = 2;

enum class FieldType : std::uint8_t { String = 0, Integer, Address };
const char* FieldTypeName(FieldType t);

struct SensorVersion {
  std::uint16_t major = 0;
  std::uint16_t minor = 0;
  friend auto operator<=>(const SensorVersion&, const SensorVersion&) = default;
  std::string ToString() const;
};

struct FieldSpec {
  std::string name;
  FieldType type = FieldType::String;
};

struct TypeSpec {
  std::uint16_t id = 0;
  std::string name;
  std::vector<FieldSpec> declared;  // what content may reference
  std::vector<FieldSpec> supplied;  // what the integration passes, in order
};

struct Budgets {
  std::uint64_t max_cost_per_event = 0;     // cost units (cost.h): the static bound must fit
  std::uint64_t max_load_memory = 0;        // bytes the content may hold (ResourceFigures::memory_bound)
  std::uint32_t max_event_time_us = 0;      // measured slowest worst-case event (the gate's cross-check)
  std::uint32_t regex_max_mem = 0;          // bytes per compiled regex (RE2 max_mem)
  std::uint32_t regex_max_program_size = 0; // RE2 ProgramSize()
  std::uint32_t max_literal_length = 0;     // bytes per literal or pattern
};

struct SensorProfile {
  SensorVersion version;
  std::uint16_t interpreter_abi = 0;
  Budgets budgets;
  std::vector<TypeSpec> types;

  const TypeSpec* FindType(std::uint16_t id) const;
};

}  // namespace chanval::interp
