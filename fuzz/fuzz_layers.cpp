// Layer agreement: the semantic checks alone and the execution step alone
// must reach the same verdict on field safety, per build and instance. Then
// a defect in one layer is a finding even while the other layer would still
// reject the file (the whole-gate soundness oracle cannot see that).
//   execution says a read faulted (CV202/CV205)  =>  semantics says the field
//     is not supplied (CV104);
//   semantics says CV104 and the build loaded   =>  execution faulted there or
//     could not prove the read (CV204).
// Input: a channel file. The bundled fleet.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <tuple>

#include "chanval/validator/execution.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/semantic.h"
#include "common.h"

namespace {

using namespace chanval;
using Key = std::tuple<std::uint16_t, std::uint16_t, std::uint32_t>;  // sensor major, minor, instance id

std::set<Key> Keys(const Diagnostics& ds, std::initializer_list<Code> codes) {
  std::set<Key> out;
  for (const auto& d : ds) {
    if (!d.sensor || !d.instance_id) continue;
    for (Code c : codes) {
      if (d.code == c) out.insert({d.sensor->major, d.sensor->minor, *d.instance_id});
    }
  }
  return out;
}

[[noreturn]] void Disagree(const char* what, const Key& k) {
  std::fprintf(stderr, "LAYERS: %s: sensor %u.%u instance %u\n", what, std::get<0>(k), std::get<1>(k), std::get<2>(k));
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto parsed = ParseChannel({data, data + size}, "fuzz.chan");
  if (!parsed.channel) return 0;
  const auto& ch = *parsed.channel;
  Diagnostics resolve;
  const auto builds = ResolveBuilds(ch, fuzz::BundledFleet(), "fuzz.chan", resolve);
  interp::RegexPool pool;
  Diagnostics semantic, execution;
  CheckSemantics(ch, builds, "fuzz.chan", semantic, pool);
  ExecutionStats stats;
  // Alone: no semantic findings; field safety does not depend on timing.
  CheckExecution(ch, builds, {}, "fuzz.chan", execution, nullptr, pool, &stats, {.worst_case_events = false});

  std::set<std::pair<std::uint16_t, std::uint16_t>> loaded;
  for (const auto& r : stats.resources) {
    if (r.loaded) loaded.insert({r.sensor.major, r.sensor.minor});
  }
  const auto not_supplied = Keys(semantic, {Code::FieldNotSupplied});
  const auto faulted = Keys(execution, {Code::BoundsFault, Code::MemoryFault});
  const auto unproven = Keys(execution, {Code::MatcherUnreached});
  for (const auto& k : faulted) {
    if (!not_supplied.count(k)) Disagree("execution faulted on a read the semantic checks found supplied", k);
  }
  for (const auto& k : not_supplied) {
    if (!loaded.count({std::get<0>(k), std::get<1>(k)})) continue;  // the loader refused the build: no run
    if (!faulted.count(k) && !unproven.count(k)) Disagree("semantics found a field not supplied; execution ran it cleanly", k);
  }
  return 0;
}
