// The template-type registry compiled into the current sensor build, and the
// integration code's list of inputs it supplies per type.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "chanval/interpreter/profile.h"

namespace chanval::interp {

inline constexpr std::uint16_t kCurrentInterpreterAbi = 2;
inline constexpr SensorVersion kCurrentSensorVersion{7, 12};

// The current build's resource budgets (README: Resource bounds). The cost
// budget admits SigmaHQ's process_creation rules (about 0.46 G units, nearly
// all of it the RE2 worst case of 187 regexes on 32 KiB values) with room;
// RE2's NFA runs at about 10 ns a unit, so the bound alone promises seconds,
// not minutes: the measured time budget is the tight check;
// the memory budget covers their 56 MB of tables and the regexes' DFA
// reserve; the time budget is for the gate's measured worst-case event.
inline constexpr std::uint64_t kCurrentCostBudget = 1'000'000'000;
inline constexpr std::uint64_t kCurrentMemoryBudget = 1ull << 30;
inline constexpr std::uint32_t kCurrentEventTimeBudgetUs = 100'000;

struct FieldDef {
  std::string_view name;
  FieldType type;
};

struct TemplateTypeDef {
  std::uint16_t id;
  std::string_view name;
  std::span<const FieldDef> declared;
  std::span<const FieldDef> supplied;
  std::span<const std::uint16_t> event_ids;  // Sysmon EventIDs mapped to this type
};

std::span<const TemplateTypeDef> CurrentTemplateTypes();
const TemplateTypeDef* FindTemplateType(std::uint16_t id);  // nullptr: not in this build
const TemplateTypeDef* FindTemplateTypeByName(std::string_view name);
const TemplateTypeDef* FindTemplateTypeByEventId(std::uint16_t event_id);

// The current build as a profile, with its default budgets.
SensorProfile CurrentBuildProfile();

}  // namespace chanval::interp
