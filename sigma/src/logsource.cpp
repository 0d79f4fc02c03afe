// FindCategory and TypeOf (logsource.h): Sigma logsource → template type, by name.
// Tests: tests/test_sigma.cpp, tests/cli/import_sigma.sh.
#include "logsource.h"

#include <array>


namespace chanval::sigma {
namespace {

constexpr std::string_view kSetValue[] = {"SetValue"};
constexpr std::string_view kCreateKey[] = {"CreateKey"};
constexpr std::string_view kDelete[] = {"DeleteKey", "DeleteValue"};

constexpr std::array kCategories = std::to_array<CategoryMapping>({
    {"process_creation", "process_creation", {}, {}},
    {"network_connection", "network_connection", {}, {}},
    {"image_load", "image_load", {}, {}},
    {"process_access", "process_access", {}, {}},
    {"file_event", "file_event", {}, {}},
    {"registry_event", "registry_event", {}, {}},
    {"registry_set", "registry_event", "EventType", kSetValue},
    {"registry_add", "registry_event", "EventType", kCreateKey},
    {"registry_delete", "registry_event", "EventType", kDelete},
    {"pipe_created", "pipe_created", {}, {}},
});

}  // namespace

const CategoryMapping* FindCategory(std::string_view product, std::string_view category) {
  if (product != "windows") return nullptr;
  for (const auto& c : kCategories) {
    if (c.category == category) return interp::FindTemplateTypeByName(c.type_name) ? &c : nullptr;
  }
  return nullptr;
}

const interp::TemplateTypeDef& TypeOf(const CategoryMapping& c) { return *interp::FindTemplateTypeByName(c.type_name); }

std::span<const CategoryMapping> SupportedCategories() { return kCategories; }

}  // namespace chanval::sigma
