// Strict-parse throughput (MB/s) on a 10,000-instance file, and `check` time
// for a 1,000-instance file across the 4-build bundled fleet, broken down
// into parse, semantics and execution.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/class_gate.h"
#include "chanval/interpreter/registry.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/interpreter/limits.h"
#include "chanval/validator/check.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"
#include "workload.h"

namespace {
using namespace chanval;

std::vector<std::uint8_t> FileOf(std::size_t instances) {
  const auto payload = CanonicalPayload(bench::ProcessCreationContent(instances));
  return AssembleChannelFile(payload, *fb::GetChannelFile(payload.data()));
}

void BM_StrictParse(benchmark::State& state) {
  const auto file = FileOf(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    // The copy stands for reading the file: ParseChannel owns its bytes.
    state.PauseTiming();
    auto bytes = file;
    state.ResumeTiming();
    auto r = ParseChannel(std::move(bytes), "bench.chan");
    if (!r.channel) state.SkipWithError("rejected");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file.size()));
  state.counters["file_bytes"] = static_cast<double>(file.size());
}
BENCHMARK(BM_StrictParse)->Arg(10000)->Unit(benchmark::kMillisecond);

// The strict parse's stages alone, on its file's payload, each in a loop:
// where the parse's time goes.
std::vector<std::uint8_t> PayloadOf(benchmark::State& state) {
  return CanonicalPayload(bench::ProcessCreationContent(static_cast<std::size_t>(state.range(0))));
}

template <typename Stage>
void RunStage(benchmark::State& state, const std::vector<std::uint8_t>& payload, Stage stage) {
  for (auto _ : state) {
    if (!stage()) state.SkipWithError("the stage refused the file");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * payload.size()));
}

void BM_ParseStage_Digest(benchmark::State& state) {
  const auto payload = PayloadOf(state);
  RunStage(state, payload, [&] { return interp::ComputeSha256(payload) != interp::Sha256{}; });
}
void BM_ParseStage_Verifier(benchmark::State& state) {
  const auto payload = PayloadOf(state);
  RunStage(state, payload, [&] {
    flatbuffers::Verifier v(payload.data(), payload.size(), limits::kVerifierMaxDepth, limits::kVerifierMaxTables);
    return fb::VerifyChannelFileBuffer(v);
  });
}
void BM_ParseStage_Structure(benchmark::State& state) {
  const auto payload = PayloadOf(state);
  Diagnostics d;
  RunStage(state, payload, [&] {
    CheckStructure(*fb::GetChannelFile(payload.data()), payload.data(), "bench.chan", d);
    return d.empty();
  });
}
// The canonical-encoding rule both ways: the layout replay the parser runs,
// and the rebuild it falls back to.
void BM_ParseStage_CanonicalReplay(benchmark::State& state) {
  const auto payload = PayloadOf(state);
  RunStage(state, payload, [&] { return PayloadIsCanonical(*fb::GetChannelFile(payload.data()), payload); });
}
void BM_ParseStage_CanonicalRebuild(benchmark::State& state) {
  const auto payload = PayloadOf(state);
  RunStage(state, payload, [&] { return !FirstNonCanonicalByte(*fb::GetChannelFile(payload.data()), payload); });
}
BENCHMARK(BM_ParseStage_Digest)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseStage_Verifier)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseStage_Structure)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseStage_CanonicalReplay)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseStage_CanonicalRebuild)->Arg(10000)->Unit(benchmark::kMillisecond);

void BM_Check(benchmark::State& state) {
  const auto file = FileOf(static_cast<std::size_t>(state.range(0)));
  Diagnostics d;
  // The synthetic workload's 200 counted-class regexes put its static cost
  // bound over the bundled budgets (bench/README.md); the benchmark times the
  // whole pipeline, so its fleet allows that cost.
  static const Fleet fleet = [&] {
    Fleet f = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, d);
    for (auto& m : f.members) m.profile.budgets.max_cost_per_event *= 10;
    return f;
  }();
  CheckOptions o;
  o.fleet = &fleet;
  double parse = 0, semantic = 0, execution = 0;
  for (auto _ : state) {
    auto r = CheckBytes(file, "bench.chan", o);
    if (!r.passed()) state.SkipWithError("rejected");
    parse += r.parse_ms;
    semantic += r.semantic_ms;
    execution += r.execution_ms;
    state.counters["builds"] = static_cast<double>(r.builds);
  }
  const auto n = static_cast<double>(state.iterations());
  state.counters["parse_ms"] = parse / n;
  state.counters["semantic_ms"] = semantic / n;
  state.counters["execution_ms"] = execution / n;
}
BENCHMARK(BM_Check)->Arg(1000)->Unit(benchmark::kMillisecond);

// An attacker's file for the gate's own time: every instance a contradiction
// (Image equals two values) that draws a CV111 warning and leaves its third
// matcher unreached, so each runs the planner's aimed events and the
// unreached-matcher classification. Reported per instance: it should not
// grow with the file (a scan of every diagnostic per unreached matcher made
// 8,000 instances take 1.2 s, and the entry point's scan of every candidate
// word per synthesized event 100,000 instances 20 s; bench/README.md).
fb::ChannelFileT Contradictions(std::size_t instances) {
  fb::ChannelFileT c;
  c.channel = 1;
  c.sequence = 1;
  c.min_sensor = std::make_unique<fb::SensorVersion>(7, 9);
  c.max_sensor = std::make_unique<fb::SensorVersion>(7, 12);
  for (std::size_t i = 0; i < instances; ++i) {
    auto inst = std::make_unique<fb::InstanceT>();
    inst->id = static_cast<std::uint32_t>(i + 1);
    inst->name = "contradiction " + std::to_string(i + 1);
    inst->template_type = 1;
    const auto add = [&](std::uint16_t field, fb::MatcherKind k, std::string value) {
      auto m = std::make_unique<fb::MatcherT>();
      m->field = field;
      m->kind = k;
      m->values = {std::move(value)};
      m->ignore_case = true;
      inst->matchers.push_back(std::move(m));
    };
    add(4, fb::MatcherKind::Equals, "a" + std::to_string(i));
    add(4, fb::MatcherKind::Equals, "b" + std::to_string(i));
    add(10, fb::MatcherKind::Contains, "c" + std::to_string(i));
    c.instances.push_back(std::move(inst));
  }
  return c;
}

void BM_CheckContradictions(benchmark::State& state) {
  const auto instances = static_cast<std::size_t>(state.range(0));
  const auto payload = CanonicalPayload(Contradictions(instances));
  const auto file = AssembleChannelFile(payload, *fb::GetChannelFile(payload.data()));
  Diagnostics d;
  static const Fleet fleet = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "fleet", true, d);
  CheckOptions o;
  o.fleet = &fleet;
  for (auto _ : state) {
    auto r = CheckBytes(file, "contradictions.chan", o);
    benchmark::DoNotOptimize(r.diagnostics.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * instances));
}
BENCHMARK(BM_CheckContradictions)->Arg(2000)->Arg(8000)->Arg(32000)->Unit(benchmark::kMillisecond);

// An attacker's regex for the loader's time: as many distinct optional
// classes ([0-0A-A]?, [0-0A-B]?, ...) as RE2 compiles within the sensor's
// 1 MiB (about 19,000), each of which the class gate's chooser interns
// (class_gate.cpp): with no atom, every load of it runs the chooser.
// Beside it, the regex pool's whole compilation of it, the chooser included.
std::string DistinctClasses(std::size_t count) {
  std::string p;
  std::size_t made = 0;
  for (char a = '0'; a <= '9'; ++a) {
    for (char b = a; b <= '9'; ++b) {
      for (char c = 'A'; c <= 'Z'; ++c) {
        for (char d = c; d <= 'Z' && made < count; ++d, ++made) p += std::string{'[', a, '-', b, c, '-', d, ']', '?'};
      }
    }
  }
  return p;
}

void BM_ClassGateWorstPattern(benchmark::State& state) {
  const std::string pattern = DistinctClasses(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(interp::ClassGate::For(pattern, false));
  state.counters["pattern_bytes"] = static_cast<double>(pattern.size());
}
void BM_RegexPoolWorstPattern(benchmark::State& state) {
  const std::string pattern = DistinctClasses(static_cast<std::size_t>(state.range(0)));
  const interp::Budgets budgets = interp::CurrentBuildProfile().budgets;
  for (auto _ : state) {
    interp::RegexPool pool;
    if (!pool.Get(pattern, false, budgets).re->ok()) state.SkipWithError("RE2 refused the pattern");
  }
}
BENCHMARK(BM_ClassGateWorstPattern)->Arg(19305)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RegexPoolWorstPattern)->Arg(19305)->Unit(benchmark::kMillisecond);
}  // namespace

BENCHMARK_MAIN();
