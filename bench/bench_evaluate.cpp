// Events/s on one core, optimized evaluator vs reference evaluator, at 10,
// 100 and 1,000 process-creation instances. Prints the ratio at the end.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/parser.h"
#include "workload.h"

namespace {
using namespace chanval;

struct Loaded {
  std::vector<std::uint8_t> payload;
  std::unique_ptr<interp::CompiledContent> content;
};

const Loaded& ContentFor(std::size_t n) {
  static std::map<std::size_t, Loaded> cache;
  auto& l = cache[n];
  if (!l.content) {
    l.payload = CanonicalPayload(bench::ProcessCreationContent(n));
    auto r = interp::CompiledContent::Load(*fb::GetChannelFile(l.payload.data()), interp::CurrentBuildProfile());
    if (!r.content) std::abort();
    l.content = std::move(r.content);
  }
  return l;
}

const bench::EventPool& Events() {
  static const bench::EventPool pool = bench::ProcessCreationEvents(4096);
  return pool;
}

template <bool kReference>
void BM_Evaluate(benchmark::State& state) {
  const auto& c = *ContentFor(static_cast<std::size_t>(state.range(0))).content;
  const auto& events = Events();
  interp::EvalScratch scratch(c);
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    const auto& in = events.inputs[i++ & 4095];
    const auto out = kReference ? interp::EvaluateReference(c, 1, in, scratch) : interp::Evaluate(c, 1, in, scratch);
    benchmark::DoNotOptimize(out);
    matches += scratch.matches().size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["matches_per_event"] = static_cast<double>(matches) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Evaluate<false>)->Name("optimized")->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_Evaluate<true>)->Name("reference")->Arg(10)->Arg(100)->Arg(1000);

// Collects items/s per run so the ratio can be printed in the same run.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      const auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rates_[r.benchmark_name()] = it->second.value;
    }
  }
  void PrintRatios() const {
    std::printf("\n%-10s %16s %16s %8s\n", "instances", "optimized ev/s", "reference ev/s", "ratio");
    for (const char* n : {"10", "100", "1000"}) {
      const auto o = rates_.find(std::string("optimized/") + n), r = rates_.find(std::string("reference/") + n);
      if (o == rates_.end() || r == rates_.end()) continue;
      std::printf("%-10s %16.0f %16.0f %7.1fx\n", n, o->second, r->second, o->second / r->second);
    }
  }

 private:
  std::map<std::string, double> rates_;
};
}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
