// Execution in the exact interpreter: the validator loads the file with the
// interpreter library the sensor links and runs it, for every build in
// range, on input arrays shaped exactly as that build supplies them and
// placed flush against a guard page.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/diagnostic.h"
#include "chanval/validator/events.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"

namespace chanval {

struct ReachReport {
  interp::SensorVersion sensor;
  std::uint32_t instance_id = 0;
  std::string instance_name;
  std::uint32_t matchers = 0;
  std::uint32_t reached = 0;
  std::uint32_t events = 0;  // synthesized events evaluated for the instance
};

// One build's resource figures: the loader's (never re-derived here) and the
// gate's measurement of the slowest adversarial worst-case event.
struct BuildResources {
  interp::SensorVersion sensor;
  interp::Budgets budgets;
  interp::ResourceFigures figures;  // from the loader, also when it refused the content
  bool loaded = false;
  std::uint32_t worst_events = 0;        // adversarial events timed in the sensor's entry point
  double slowest_event_us = 0;           // best of repeated runs of the slowest one
  std::uint64_t slowest_event_cost = 0;  // cost units it charged
  std::uint64_t max_event_cost = 0;      // the most any timed event charged (<= figures.cost_bound)
};

struct ExecutionStats {
  std::uint64_t evaluations = 0;  // interpreter calls made
  std::vector<BuildResources> resources;  // one per build, in fleet order
  std::string events_error;  // the recorded events could not be read again
};

struct ExecutionOptions {
  // The semantic step's findings for the file, if any: a matcher no
  // synthesized event reaches is then only a warning (CV206) when the
  // semantic checks proved every field it reads (no CV102/CV103/CV104/CV115
  // for that instance and field in any build). Without them the execution
  // step judges alone: such a matcher is CV204.
  const Diagnostics* semantic = nullptr;
  // Time adversarial worst-case events per build and type (CV208, and their
  // cost against the bound, CV209). Fuzz harnesses turn it off: under ASan it
  // measures nothing, and their oracles check cost on every fuzz event.
  bool worst_case_events = true;
};

void CheckExecution(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds,
                    const EventSource* recorded, const std::string& file, Diagnostics& out,
                    std::vector<ReachReport>* reach, interp::RegexPool& pool, ExecutionStats* stats = nullptr,
                    const ExecutionOptions& options = {});


}  // namespace chanval
