// The event reader on real events: the SigmaHQ regression events (Sysmon
// exports, read in place from CHANVAL_SIGMA_DIR, default ../shared/sigma)
// minified to one JSON line each and repeated to 20,000 lines, about as
// `chanval run` reads a JSON-lines file: bracket matching, simdjson's parse
// and the conversion to fields, as bytes/s and events/s on one core.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <filesystem>

#include "chanval/validator/events.h"
#include "chanval/validator/io.h"

namespace {
namespace fs = std::filesystem;
using namespace chanval;

constexpr std::size_t kLines = 20000;
constexpr std::size_t kPiece = 64u << 10;

fs::path SigmaDir() {
  if (const char* env = std::getenv("CHANVAL_SIGMA_DIR")) return env;
  return fs::path(CHANVAL_SOURCE_DIR) / ".." / "shared" / "sigma";
}

std::string LoadLines() {
  std::vector<std::string> lines;
  simdjson::dom::parser parser;
  const fs::path root = SigmaDir() / "regression_data";
  if (!fs::is_directory(root)) {
    std::fprintf(stderr, "no regression events under %s (set CHANVAL_SIGMA_DIR)\n", root.c_str());
    std::exit(2);
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());  // the same text whatever the directory order
  for (const auto& f : files) {
    std::string text;
    if (ReadTextFile(f, text, 64u << 20)) continue;
    simdjson::dom::element doc;
    if (parser.parse(text).get(doc)) continue;
    lines.push_back(simdjson::minify(doc));
  }
  if (lines.empty()) std::exit(2);
  std::string out;
  for (std::size_t i = 0; i < kLines; ++i) out += lines[i % lines.size()] + "\n";
  return out;
}

const std::string& Lines() {
  static const std::string text = LoadLines();
  return text;
}

void BM_ReadEvents(benchmark::State& state) {
  const std::string& text = Lines();
  std::size_t events = 0, fields = 0;
  for (auto _ : state) {
    EventReader reader([&](RecordedEvent&& ev) { ++events, fields += ev.fields.size(); },
                       [](const EventError&) { std::abort(); });
    // In the 64 KiB pieces StreamEvents reads.
    for (std::size_t at = 0; at < text.size(); at += kPiece) reader.Feed(std::string_view(text).substr(at, kPiece));
    reader.Finish();
  }
  benchmark::DoNotOptimize(fields);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_ReadEvents)->Name("events_reader/json_lines")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
