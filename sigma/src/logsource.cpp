#include "logsource.h"

#include <array>


namespace chanval::sigma {
namespace {

constexpr std::string_view kSetValue[] = {"SetValue"};
constexpr std::string_view kCreateKey[] = {"CreateKey"};
constexpr std::string_view kDelete[] = {"DeleteKey", "DeleteValue"};

constexpr std::array kCategories = std::to_array<CategoryMapping>({
    {"process_creation", 1, {}, {}},
    {"network_connection", 3, {}, {}},
    {"image_load", 7, {}, {}},
    {"process_access", 10, {}, {}},
    {"file_event", 11, {}, {}},
    {"registry_event", 13, {}, {}},
    {"registry_set", 13, "EventType", kSetValue},
    {"registry_add", 13, "EventType", kCreateKey},
    {"registry_delete", 13, "EventType", kDelete},
    {"pipe_created", 17, {}, {}},
});

}  // namespace

const CategoryMapping* FindCategory(std::string_view product, std::string_view category) {
  if (product != "windows") return nullptr;
  for (const auto& c : kCategories) {
    if (c.category == category) return &c;
  }
  return nullptr;
}

std::span<const CategoryMapping> SupportedCategories() { return kCategories; }

}  // namespace chanval::sigma
