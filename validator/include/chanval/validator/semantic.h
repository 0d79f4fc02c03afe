// Fleet semantic checks: what a strictly-parsed channel file means for every
// sensor build it will reach.
#pragma once
#include <string>
#include <vector>

#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/diagnostic.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"

namespace chanval {

// The builds the file reaches. A range endpoint that is not a build in the
// fleet is a RangeNotInFleet error (the file would reach a build nobody checked).
std::vector<const FleetMember*> ResolveBuilds(const ParsedChannel& ch, const Fleet& fleet, const std::string& file,
                                              Diagnostics& out);

// `pool` shares compiled regexes with the execution step.
void CheckSemantics(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds, const std::string& file,
                    Diagnostics& out, interp::RegexPool& pool);

}  // namespace chanval
