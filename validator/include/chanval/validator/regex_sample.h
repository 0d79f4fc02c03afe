// Regex samples for the execution step's synthesized events (defined in
// validator/src/synthesis.cpp; the structured fuzzer uses them too).
#pragma once
#include <string>
#include <string_view>

namespace chanval {

// A sample string the regex (probably) matches: literals kept, classes and
// escapes replaced by a member, quantifiers at their minimum, first
// alternative taken. Callers confirm with the regex itself.
std::string SampleRegexMatch(std::string_view pattern);

}  // namespace chanval
