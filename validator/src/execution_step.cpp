// ExecutionStep (validator_seams.h): the gate's execution step, alone in this
// file as a seam (planted away by tests/planted/validator_2024.cpp).
#include <chrono>

#include "validator_seams.h"

namespace chanval {

void ExecutionStep(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds, const CheckOptions& options,
                   FileReport& r, interp::RegexPool& regexes) {
  const auto t0 = std::chrono::steady_clock::now();
  ExecutionStats stats;
  const Diagnostics semantic = r.diagnostics;  // the findings so far: parse and semantics
  CheckExecution(ch, builds, options.events, r.file, r.diagnostics,
                 options.collect_reach ? &r.reach : nullptr, regexes, &stats,
                 {.semantic = &semantic, .worst_case_events = options.worst_case_events});
  r.resources = std::move(stats.resources);
  if (!stats.events_error.empty()) r.io_error = stats.events_error;
  r.execution_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace chanval
