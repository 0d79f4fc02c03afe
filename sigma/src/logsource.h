// Sigma logsource (product windows, category ...) → template type, and the
// constraint a category adds inside a shared template type: the registry
// categories share Sysmon's registry type and differ by EventType, as in
// pySigma's Sysmon pipeline (registry_set is EventID 13 = SetValue).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

namespace chanval::sigma {

struct CategoryMapping {
  std::string_view category;
  std::uint16_t template_type;
  std::string_view constraint_field;             // empty: none
  std::span<const std::string_view> constraint_values;  // field must equal one of these
};

const CategoryMapping* FindCategory(std::string_view product, std::string_view category);
std::span<const CategoryMapping> SupportedCategories();

}  // namespace chanval::sigma
