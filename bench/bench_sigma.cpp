// Every SigmaHQ process_creation rule as one channel, against process-creation
// events: the SigmaHQ regression events (real Sysmon exports) mixed into
// generated ones (bench/workload.h). Events/s on one core, optimized vs
// reference evaluator. Reads the rules in place from CHANVAL_SIGMA_DIR
// (default ../shared/sigma beside the source tree).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/registry.h"
#include "chanval/sigma/import.h"
#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"
#include "rate_reporter.h"
#include "workload.h"

namespace {
namespace fs = std::filesystem;
using namespace chanval;

constexpr std::uint16_t kProcessCreation = 1;
constexpr std::size_t kPool = 4096;  // events cycled through

fs::path SigmaDir() {
  if (const char* env = std::getenv("CHANVAL_SIGMA_DIR")) return env;
  return fs::path(CHANVAL_SOURCE_DIR) / ".." / "shared" / "sigma";
}

struct Workload {
  std::vector<std::uint8_t> file;
  std::unique_ptr<interp::CompiledContent> content;
  std::size_t rules = 0, real_events = 0;
  bench::EventPool generated;
  std::vector<std::vector<std::string>> real_text;  // owns the real events' field text
  std::vector<std::vector<interp::Input>> events;   // the stream, real events spread through it
};

Workload Load() {
  Workload w;
  const fs::path root = SigmaDir();
  std::vector<fs::path> files;
  std::vector<fs::path> folders;
  for (const char* sub : {"rules", "rules-emerging-threats", "rules-threat-hunting"}) {
    if (fs::is_directory(root / sub)) folders.push_back(root / sub);
  }
  if (folders.empty() || sigma::CollectRuleFiles(folders, files)) {
    std::fprintf(stderr, "no Sigma rules under %s (set CHANVAL_SIGMA_DIR)\n", root.c_str());
    std::exit(2);
  }
  auto channel = sigma::NewChannel(401, 1, interp::kCurrentSensorVersion, interp::kCurrentSensorVersion);
  std::uint32_t id = 1;
  for (const auto& f : files) {
    auto r = sigma::ImportRuleFile(f, id);
    if (r.instance && r.instance->template_type == kProcessCreation) {
      channel.instances.push_back(std::make_unique<fb::InstanceT>(std::move(*r.instance)));
      ++id;
    }
  }
  w.rules = channel.instances.size();
  auto built = BuildFromObject(channel, "sigma");
  if (built.file.empty()) std::abort();
  w.file = std::move(built.file);
  auto parsed = ParseChannel(w.file, "sigma");
  const auto profile = interp::CurrentBuildProfile();
  auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
  if (!loaded.content) std::abort();
  w.content = std::move(loaded.content);

  const auto* type = profile.FindType(kProcessCreation);
  if (fs::is_directory(root / "regression_data")) {
    for (const auto& e : fs::recursive_directory_iterator(root / "regression_data")) {
      if (e.path().extension() != ".json") continue;
      std::string text;
      if (ReadTextFile(e.path(), text, 64u << 20)) continue;
      ReadEvents(
          text,
          [&](RecordedEvent&& ev) {
            if (ev.template_type != kProcessCreation) return;
            std::vector<std::string> values;
            for (const auto& f : type->supplied) values.emplace_back(ev.Get(f.name));
            w.real_text.push_back(std::move(values));
          },
          [](const EventError&) {});
    }
  }
  w.real_events = w.real_text.size();
  w.generated = bench::ProcessCreationEvents(kPool - w.real_events);
  w.events = w.generated.inputs;
  std::mt19937 rng(7);
  for (const auto& values : w.real_text) {
    std::vector<interp::Input> in(values.size());
    interp::FillInputs(*type, [&](std::string_view name) {
      for (std::size_t i = 0; i < type->supplied.size(); ++i) {
        if (type->supplied[i].name == name) return std::string_view(values[i]);
      }
      return std::string_view();
    }, in);
    w.events.insert(w.events.begin() + static_cast<std::ptrdiff_t>(rng() % (w.events.size() + 1)), std::move(in));
  }
  return w;
}

const Workload& Get() {
  static const Workload w = Load();
  return w;
}

template <bool kReference>
void BM_Sigma(benchmark::State& state) {
  const auto& w = Get();
  const auto& c = *w.content;
  interp::EvalScratch scratch(c);
  std::size_t i = 0, matches = 0;
  for (auto _ : state) {
    const auto& in = w.events[i++ % w.events.size()];
    const auto out = kReference ? interp::EvaluateReference(c, kProcessCreation, in, scratch)
                                : interp::Evaluate(c, kProcessCreation, in, scratch);
    benchmark::DoNotOptimize(out);
    matches += scratch.matches().size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["matches_per_event"] = static_cast<double>(matches) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_Sigma<false>)->Name("sigma_process_creation/optimized");
BENCHMARK(BM_Sigma<true>)->Name("sigma_process_creation/reference");

// The prefilter pass alone, as Evaluate runs it (ScanFields: three fields
// at a time). The automata's failure steps are counted in one untimed pass
// after: the counting cursor is not the one Evaluate runs.
void BM_SigmaScan(benchmark::State& state) {
  const auto& w = Get();
  const auto* t = w.content->FindType(kProcessCreation);
  std::vector<std::uint64_t> hits(interp::HitWords::WordsFor(t->pattern_count));
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& in = w.events[i++ % w.events.size()];
    std::fill(hits.begin(), hits.end(), 0);
    interp::ScanFields(*t, in, hits.data());
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  std::size_t bytes = 0, failure_steps = 0;
  for (const auto& in : w.events) {
    std::fill(hits.begin(), hits.end(), 0);
    for (const auto& fa : t->automata) {
      if (!fa.sampled.built()) failure_steps += fa.automaton.Scan(in[fa.field].text, hits.data()).failure_steps;
      bytes += in[fa.field].text.size();
    }
  }
  const auto per_event = [&](std::size_t n) { return static_cast<double>(n) / static_cast<double>(w.events.size()); };
  state.counters["bytes_per_event"] = per_event(bytes);
  state.counters["failure_steps_per_event"] = per_event(failure_steps);
}
BENCHMARK(BM_SigmaScan)->Name("sigma_process_creation/automata_only");

// The regexes with a class gate (class_gate.h; SNAKE's among them) over
// each event's fields: RE2 on every one, as before the gate, or the gate's
// search alone, which is what an event without the run pays now.
template <bool kRe2>
void BM_SigmaClassGates(benchmark::State& state) {
  const auto& w = Get();
  const auto& c = *w.content;
  std::vector<const interp::CompiledMatcher*> gated;
  for (const auto& m : c.matchers()) {
    if (m.class_gate != interp::CompiledMatcher::kNoClassGate) gated.push_back(&m);
  }
  std::size_t i = 0, passed = 0;
  for (auto _ : state) {
    const auto& in = w.events[i++ % w.events.size()];
    for (const auto* m : gated) {
      const std::string_view text = in[m->field].text;
      passed += kRe2 ? RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *c.regexes[m->regex])
                     : c.class_gates[m->class_gate]->MayMatch(text);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["regexes"] = static_cast<double>(gated.size());
  state.counters["passed_per_event"] = static_cast<double>(passed) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SigmaClassGates<true>)->Name("sigma_process_creation/class_gated_regexes/re2");
BENCHMARK(BM_SigmaClassGates<false>)->Name("sigma_process_creation/class_gated_regexes/gate");

// What a sensor does on every content update: the strict parse and the load
// of the 1,410-rule file, tables built. Reports the tables' size.
void BM_SigmaLoad(benchmark::State& state) {
  const auto& w = Get();
  const auto profile = interp::CurrentBuildProfile();
  std::uint64_t automaton_bytes = 0, load_bytes = 0;
  for (auto _ : state) {
    auto parsed = ParseChannel(w.file, "sigma");
    auto loaded = interp::CompiledContent::Load(parsed.channel->root(), profile);
    if (!loaded.content) std::abort();
    automaton_bytes = loaded.content->figures().automaton_bytes;
    load_bytes = loaded.content->figures().load_bytes;
    benchmark::DoNotOptimize(loaded.content.get());
  }
  state.counters["automaton_MB"] = static_cast<double>(automaton_bytes) / 1e6;
  state.counters["load_MB"] = static_cast<double>(load_bytes) / 1e6;
}
BENCHMARK(BM_SigmaLoad)->Name("sigma_process_creation/parse_and_load")->Unit(benchmark::kMillisecond);

void PrintRatio(const bench::RateReporter& rates) {
  const auto& w = Get();
  const double o = rates.Rate("sigma_process_creation/optimized"), r = rates.Rate("sigma_process_creation/reference");
  std::printf("\n%zu process_creation rules (%zu bytes), %zu events (%zu real from regression_data)\n", w.rules,
              w.file.size(), w.events.size(), w.real_events);
  if (o > 0 && r > 0) std::printf("optimized %.0f ev/s, reference %.0f ev/s, ratio %.1fx\n", o, r, o / r);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  bench::RateReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  PrintRatio(reporter);
  benchmark::Shutdown();
  return 0;
}
