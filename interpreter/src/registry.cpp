// The current build's registry (registry.h): template types, lookups, CurrentBuildProfile.
// Tests: tests/test_interpreter.cpp, tests/test_check.cpp (the 7.12 manifest).
#include "chanval/interpreter/registry.h"

#include <algorithm>

#include "chanval/interpreter/limits.h"
#include "integration_inputs.h"
#include "template_types.h"

namespace chanval::interp {
namespace {

template <std::size_t D, std::size_t S>
constexpr bool SuppliedMatchesDeclared(const std::array<FieldDef, D>& d,
                                       const std::array<FieldDef, S>& s) {
  if (D != S) return false;
  for (std::size_t i = 0; i < D; ++i) {
    if (d[i].name != s[i].name || d[i].type != s[i].type) return false;
  }
  return true;
}

// The channel-file-291 defect cannot be compiled into this build: a type whose
// integration supplies fewer (or other) inputs than it declares fails here.
#define CHANVAL_ASSERT_SUPPLIED(T)                                              \
  static_assert(SuppliedMatchesDeclared(declared::T, supplied::T),             \
                "template type " #T ": supplied inputs differ from declared fields"); \
  static_assert(declared::T.size() <= limits::kMaxFieldsPerType)

CHANVAL_ASSERT_SUPPLIED(kProcessCreation);
CHANVAL_ASSERT_SUPPLIED(kNetworkConnection);
CHANVAL_ASSERT_SUPPLIED(kImageLoad);
CHANVAL_ASSERT_SUPPLIED(kProcessAccess);
CHANVAL_ASSERT_SUPPLIED(kFileCreate);
CHANVAL_ASSERT_SUPPLIED(kRegistryEvent);
CHANVAL_ASSERT_SUPPLIED(kPipeEvent);
#undef CHANVAL_ASSERT_SUPPLIED

constexpr std::uint16_t kProcessCreationEvents[] = {1};
constexpr std::uint16_t kNetworkEvents[] = {3};
constexpr std::uint16_t kImageLoadEvents[] = {7};
constexpr std::uint16_t kProcessAccessEvents[] = {10};
constexpr std::uint16_t kFileCreateEvents[] = {11};
constexpr std::uint16_t kRegistryEvents[] = {12, 13, 14};
constexpr std::uint16_t kPipeEvents[] = {17, 18};

constexpr TemplateTypeDef kTypes[] = {
    {1, "process_creation", declared::kProcessCreation, supplied::kProcessCreation, kProcessCreationEvents},
    {3, "network_connection", declared::kNetworkConnection, supplied::kNetworkConnection, kNetworkEvents},
    {7, "image_load", declared::kImageLoad, supplied::kImageLoad, kImageLoadEvents},
    {10, "process_access", declared::kProcessAccess, supplied::kProcessAccess, kProcessAccessEvents},
    {11, "file_event", declared::kFileCreate, supplied::kFileCreate, kFileCreateEvents},
    {13, "registry_event", declared::kRegistryEvent, supplied::kRegistryEvent, kRegistryEvents},
    {17, "pipe_created", declared::kPipeEvent, supplied::kPipeEvent, kPipeEvents},
};

std::vector<FieldSpec> ToSpecs(std::span<const FieldDef> defs) {
  std::vector<FieldSpec> out;
  out.reserve(defs.size());
  for (const auto& d : defs) out.push_back({std::string(d.name), d.type});
  return out;
}

}  // namespace

std::span<const TemplateTypeDef> CurrentTemplateTypes() { return kTypes; }

const TemplateTypeDef* FindTemplateType(std::uint16_t id) {
  for (const auto& t : kTypes) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const TemplateTypeDef* FindTemplateTypeByName(std::string_view name) {
  for (const auto& t : kTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const TemplateTypeDef* FindTemplateTypeByEventId(std::uint16_t event_id) {
  for (const auto& t : kTypes) {
    // std::find, not std::ranges::find: libc++ 14 (OSS-Fuzz-style builds) lacks the latter.
    if (std::find(t.event_ids.begin(), t.event_ids.end(), event_id) != t.event_ids.end()) return &t;
  }
  return nullptr;
}

SensorProfile CurrentBuildProfile() {
  SensorProfile p;
  p.version = kCurrentSensorVersion;
  p.interpreter_abi = kCurrentInterpreterAbi;
  p.budgets = Budgets{
      .max_cost_per_event = kCurrentCostBudget,
      .max_load_memory = kCurrentMemoryBudget,
      .max_event_time_us = kCurrentEventTimeBudgetUs,
      .regex_max_mem = 1u << 20,
      .regex_max_program_size = 4000,
      .max_literal_length = 1024,
  };
  for (const auto& t : kTypes) {
    p.types.push_back({t.id, std::string(t.name), ToSpecs(t.declared), ToSpecs(t.supplied)});
  }
  return p;
}

const TypeSpec* SensorProfile::FindType(std::uint16_t id) const {
  for (const auto& t : types) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::String: return "string";
    case FieldType::Integer: return "integer";
    case FieldType::Address: return "address";
  }
  return "?";
}

std::string SensorVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace chanval::interp
