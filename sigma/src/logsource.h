// Sigma logsource (product windows, category ...) → template type, and the
// constraint a category adds inside a shared template type: the registry
// categories share Sysmon's registry type and differ by EventType, as in
// pySigma's Sysmon pipeline (registry_set is EventID 13 = SetValue).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "chanval/interpreter/registry.h"

namespace chanval::sigma {

struct CategoryMapping {
  std::string_view category;
  std::string_view type_name;                    // the template type, by its registry name
  std::string_view constraint_field;             // empty: none
  std::span<const std::string_view> constraint_values;  // field must equal one of these
};

// nullptr: no such category, or its template type is not in this build.
const CategoryMapping* FindCategory(std::string_view product, std::string_view category);
// The category's template type in the current build's registry.
const interp::TemplateTypeDef& TypeOf(const CategoryMapping& c);
std::span<const CategoryMapping> SupportedCategories();

}  // namespace chanval::sigma
