// Adversarial worst-case events for one template type of loaded content:
// every field the content reads at the maximal input length, built from the
// bytes the content looks for — chunks of every literal and regex sample on
// the field (so the prefilter passes every candidate and every literal is
// verified), and pseudo-random text over each regex's alphabets (the inputs
// that drive RE2's DFA out of its cache and into the NFA). The gate times
// them in the sensor's entry point and checks their cost against the
// loader's static bound. Covered by tests/test_check.cpp ("adversarial
// content ...") and tests/cli/adversarial.sh (regex-blowup-one: CV208).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "chanval/interpreter/content.h"
#include "synthesis.h"

namespace chanval {

// At most `max_events` events, each of `field_count` fields.
std::vector<Event> WorstCaseEvents(const interp::CompiledContent& content, const interp::TypeIndex& type,
                                   std::size_t field_count, std::size_t max_events);

// The byte sets a regex's matches are drawn from: its literal characters
// together, and each character class on its own. Never empty.
std::vector<std::string> RegexAlphabets(std::string_view pattern);

}  // namespace chanval
