// Sigma conditions: `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`,
// `1 of them`, `all of them`. Precedence, least to most binding, per the
// specification: or, and, not, `x of`, parentheses.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace chanval::sigma {

struct Condition {
  enum class Kind { Identifier, And, Or, Not, OneOf, AllOf };
  Kind kind = Kind::Identifier;
  std::string name;            // Identifier; OneOf/AllOf: the pattern ("them" for all)
  std::vector<Condition> args; // And/Or (two or more), Not (one)
};

struct ConditionParse {
  Condition condition;
  std::string error;  // empty on success
};

ConditionParse ParseCondition(std::string_view text);

// `*` matches any run of characters; the rest literally.
bool IdentifierMatches(std::string_view pattern, std::string_view name);

}  // namespace chanval::sigma
