// A rule's detection section → matchers and a condition over them, for one
// template type. Throws Skip when the rule cannot be expressed exactly.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

#include "chanval/interpreter/registry.h"
#include "chanval/sigma/channel_source.h"
#include "chanval/sigma/import.h"
#include "logsource.h"

namespace chanval::sigma {

struct Skip {
  SkipReason reason;
  std::string detail;
};

struct LoweredDetection {
  std::vector<SourceMatcher> matchers;
  SourceExpr condition;
};

LoweredDetection LowerDetection(const YAML::Node& detection, const interp::TemplateTypeDef& type,
                                const CategoryMapping& category);

}  // namespace chanval::sigma
