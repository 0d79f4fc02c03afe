// A rule's detection section → matchers and a condition over them, for one
// template type. Throws Skip when the rule cannot be expressed exactly.
#pragma once
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "chanval/interpreter/registry.h"
#include "chanval/sigma/channel_source.h"
#include "chanval/sigma/import.h"
#include "logsource.h"

namespace chanval::sigma {

struct Skip {
  SkipReason reason;
  std::string detail;
};

// The lowering's condition tree: values, so a search identifier can be used
// twice and And/Or flatten as they combine; ToExprT makes the channel's form.
struct SourceExpr {
  fb::ExprOp op = fb::ExprOp::Matcher;
  std::uint16_t matcher = 0;
  std::vector<SourceExpr> args;

  static SourceExpr Leaf(std::uint16_t m) { return {fb::ExprOp::Matcher, m, {}}; }
  std::size_t Depth() const;
  std::size_t NodeCount() const;
  std::unique_ptr<fb::ExprT> ToExprT() const;
};

struct LoweredDetection {
  std::vector<fb::MatcherT> matchers;
  SourceExpr condition;
};

LoweredDetection LowerDetection(const YAML::Node& detection, const interp::TemplateTypeDef& type,
                                const CategoryMapping& category);

}  // namespace chanval::sigma
