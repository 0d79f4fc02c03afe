// Best-of timing of the sensor's evaluator on a process_creation channel
// file: `Evaluate` over the synthetic event pool (bench/workload.h), and the
// field automata alone over the same events. Each repetition times several
// passes over the pool; the best repetition is reported. On a noisy VM the
// best of several is steadier than Google Benchmark's mean (bench_sigma read
// 5.0–7.1 µs an event for the same tree in one session), so A/B figures in
// bench/README.md come from this harness, run alternately on both trees.
// Given an events file (JSON lines or the event log's export), it also
// times `Evaluate` over its first 10,000 process_creation events, their
// inputs filled as `chanval run` fills them: real command lines differ
// from the pool's in length and in what they hold.
//
//   bench_best_of FILE.chan [PASSES] [REPETITIONS] [EVENTS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "chanval/validator/parser.h"
#include "workload.h"

namespace {
using namespace chanval;

constexpr std::uint16_t kProcessCreation = 1;
constexpr std::size_t kEvents = 2000;
constexpr std::size_t kRecordedEvents = 10000;

// The first kRecordedEvents process_creation events of `path`, and their
// inputs (views of the events' fields: the events stay put once read).
struct RecordedPool {
  std::vector<RecordedEvent> events;
  std::vector<std::vector<interp::Input>> inputs;
};

std::optional<std::string> ReadRecorded(const std::string& path, RecordedPool& pool) {
  EventSource source;
  if (auto error = source.Open(path)) return error;
  if (auto error = source.Replay(
          [&](RecordedEvent&& ev) {
            if (ev.template_type == kProcessCreation && pool.events.size() < kRecordedEvents) {
              pool.events.push_back(std::move(ev));
            }
          },
          [](const EventError&) {})) {
    return error;
  }
  const interp::SensorProfile profile = interp::CurrentBuildProfile();
  const interp::TypeSpec* spec = profile.FindType(kProcessCreation);
  for (const auto& ev : pool.events) {
    auto& in = pool.inputs.emplace_back(spec->supplied.size());
    interp::FillInputs(*spec, [&](std::string_view name) { return ev.Get(name); }, std::span<interp::Input>(in));
  }
  return std::nullopt;
}

// Nanoseconds an event for the best of `repetitions`, each `passes` over the pool.
template <typename Pass>
double BestOf(int passes, int repetitions, std::size_t events, Pass pass) {
  pass();  // warm the tables and the pool
  double best = 0;
  for (int r = 0; r < repetitions; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (int p = 0; p < passes; ++p) pass();
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const double per_event = took.count() / (static_cast<double>(passes) * static_cast<double>(events));
    best = r == 0 ? per_event : std::min(best, per_event);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE.chan [PASSES] [REPETITIONS]\n", argv[0]);
    return 2;
  }
  const int passes = argc > 2 ? std::max(1, std::atoi(argv[2])) : 10;
  const int repetitions = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  std::vector<std::uint8_t> bytes;
  if (const auto error = ReadFile(argv[1], bytes, limits::kMaxFileSize)) {
    std::fprintf(stderr, "%s: %s\n", argv[1], error->c_str());
    return 1;
  }
  const auto parsed = ParseChannel(std::move(bytes), argv[1]);
  if (!parsed.channel) {
    std::fprintf(stderr, "%s: rejected by the strict parser\n", argv[1]);
    return 1;
  }
  const auto loaded = interp::CompiledContent::Load(parsed.channel->root(), interp::CurrentBuildProfile());
  const interp::TypeIndex* type = loaded.content ? loaded.content->FindType(kProcessCreation) : nullptr;
  if (!type) {
    std::fprintf(stderr, "%s: does not load, or holds no process_creation content\n", argv[1]);
    return 1;
  }
  const auto& content = *loaded.content;
  const auto pool = bench::ProcessCreationEvents(kEvents);

  interp::EvalScratch scratch(content);
  // Every event of `inputs` through the sensor's entry point; the matches.
  const auto evaluate_all = [&](const std::vector<std::vector<interp::Input>>& inputs) {
    std::size_t found = 0;
    for (const auto& in : inputs) {
      interp::Evaluate(content, kProcessCreation, in, scratch);
      found += scratch.matches().size();
    }
    return found;
  };
  std::size_t matches = 0;
  const double evaluate = BestOf(passes, repetitions, kEvents, [&] { matches = evaluate_all(pool.inputs); });

  // Each event in cache when evaluated, as a sensor's is (it has just
  // assembled it): the pool (about 1.5 MB of text and inputs) does not fit
  // the L2 cache. Each batch of 16 events is read once, untimed, then
  // evaluated, timed; nothing is evaluated twice.
  constexpr std::size_t kBatch = 16;
  std::uint64_t touched = 0;
  const auto hot_pass = [&] {
    std::chrono::duration<double, std::nano> timed{0};
    for (std::size_t i = 0; i < kEvents; i += kBatch) {
      const std::size_t end = std::min(kEvents, i + kBatch);
      for (std::size_t k = i; k < end; ++k) touched += bench::TouchEvent(pool.inputs[k]);
      const auto start = std::chrono::steady_clock::now();
      for (std::size_t k = i; k < end; ++k) interp::Evaluate(content, kProcessCreation, pool.inputs[k], scratch);
      timed += std::chrono::steady_clock::now() - start;
    }
    return timed.count();
  };
  hot_pass();
  double hot = 0;
  for (int r = 0; r < repetitions; ++r) {
    double ns = 0;
    for (int p = 0; p < passes; ++p) ns += hot_pass();
    const double per_event = ns / (static_cast<double>(passes) * static_cast<double>(kEvents));
    hot = r == 0 ? per_event : std::min(hot, per_event);
  }

  // The literal search alone, as Evaluate runs it (ScanFields: three
  // fields at a time), over hit words cleared per event; the bytes it reads
  // an event are counted once, outside the timing.
  std::vector<std::uint64_t> hits(interp::HitWords::WordsFor(type->pattern_count), 0);
  const auto scan_all = [&](const std::vector<std::vector<interp::Input>>& inputs) {
    for (const auto& in : inputs) {
      std::fill(hits.begin(), hits.end(), 0);
      interp::ScanFields(*type, in, hits.data());
    }
  };
  const auto bytes_per_event = [&](const std::vector<std::vector<interp::Input>>& inputs) {
    std::size_t scanned = 0;
    for (const auto& in : inputs) {
      for (const auto& fa : type->automata) scanned += in[fa.field].text.size();
    }
    return static_cast<double>(scanned) / static_cast<double>(inputs.size());
  };
  const double scan = BestOf(passes, repetitions, kEvents, [&] { scan_all(pool.inputs); });

  std::printf("%s: %zu instances, %zu events, best of %d x %d passes\n", argv[1], type->instances.size(), kEvents,
              repetitions, passes);
  std::printf("evaluate      %8.0f ns/event  (%.0fk events/s, %.3f matches/event)\n", evaluate, 1e6 / evaluate,
              static_cast<double>(matches) / kEvents);
  std::printf("evaluate, hot %8.0f ns/event  (%.0fk events/s, each event in cache; checksum %llu)\n", hot, 1e6 / hot,
              static_cast<unsigned long long>(touched % 1000));
  std::printf("automata only %8.0f ns/event  (%.0f bytes/event)\n", scan, bytes_per_event(pool.inputs));

  if (argc > 4) {
    RecordedPool recorded;
    if (const auto error = ReadRecorded(argv[4], recorded)) {
      std::fprintf(stderr, "%s\n", error->c_str());
      return 1;
    }
    if (recorded.events.empty()) {
      std::fprintf(stderr, "%s: no process_creation events\n", argv[4]);
      return 1;
    }
    std::size_t recorded_matches = 0;
    const double real = BestOf(passes, repetitions, recorded.inputs.size(),
                               [&] { recorded_matches = evaluate_all(recorded.inputs); });
    std::printf("evaluate, recorded %8.0f ns/event  (%.0fk events/s, %zu events of %s, %.3f matches/event)\n", real,
                1e6 / real, recorded.inputs.size(), argv[4],
                static_cast<double>(recorded_matches) / static_cast<double>(recorded.inputs.size()));
    const double recorded_scan = BestOf(passes, repetitions, recorded.inputs.size(), [&] { scan_all(recorded.inputs); });
    std::printf("automata only, recorded %8.0f ns/event  (%.0f bytes/event)\n", recorded_scan,
                bytes_per_event(recorded.inputs));
  }
  return 0;
}
