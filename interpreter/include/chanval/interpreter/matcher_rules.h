// The rules a sensor build imposes on one matcher — the field is declared,
// the kind fits the field's type, the build's interpreter ABI has the kind,
// literals fit the length cap, the regex compiles within the build's RE2
// budgets, CIDR blocks and ranges are well formed — decided in one place.
// The loader refuses content at the first violation; the validator's
// semantic step reports every violation with its own code. Neither keeps a
// second copy of a rule. Covered by tests/test_interpreter.cpp ("loader
// rejects ...") and tests/test_check.cpp (CV103, CV105-CV108, CV114, CV116).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/profile.h"
#include "chanval/interpreter/regex_pool.h"

namespace chanval::interp {

struct MatcherViolation {
  LoadStatus status = LoadStatus::Ok;
  std::uint16_t field = 0;  // the field the rule is about
  std::string detail;
};

// Every rule `m` breaks for `type` in `profile`, in the loader's order. A
// field the type does not declare ends the list (the rules after it need
// the field's type). Regexes compile through `pool`.
std::vector<MatcherViolation> MatcherViolations(const fb::Matcher& m, const TypeSpec& type,
                                                const SensorProfile& profile, RegexPool& pool);

}  // namespace chanval::interp
