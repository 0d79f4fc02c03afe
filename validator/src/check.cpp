// CheckBytes, CheckFile, CheckFiles (check.h): the gate, parse → semantics → execution.
// Tests: tests/test_check.cpp, the cli.check_* tests.
#include "chanval/validator/check.h"

#include <atomic>
#include <chrono>
#include <thread>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/io.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/semantic.h"
#include "validator_seams.h"

namespace chanval {
namespace {
double MsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

FileReport CheckBytes(std::vector<std::uint8_t> bytes, const std::string& name, const CheckOptions& options) {
  FileReport r;
  r.file = name;
  if (options.digest_files) r.sha256 = interp::ComputeSha256(bytes);
  auto t0 = std::chrono::steady_clock::now();
  auto parsed = ParseChannel(std::move(bytes), name);
  r.parse_ms = MsSince(t0);
  r.diagnostics = std::move(parsed.diagnostics);
  if (!parsed.channel) return r;
  CheckParsed(*parsed.channel, options, r);
  return r;
}

void CheckParsed(const ParsedChannel& ch, const CheckOptions& options, FileReport& r) {
  const std::string& name = r.file;
  r.instances = ch.root().instances()->size();
  const auto t0 = std::chrono::steady_clock::now();
  const auto builds = ResolveBuilds(ch, *options.fleet, name, r.diagnostics);
  r.builds = builds.size();
  for (const auto* b : builds) r.sensors.push_back(b->profile.version);
  interp::RegexPool own;  // one compilation per pattern and budget, shared by both steps
  interp::RegexPool& regexes = options.regexes ? *options.regexes : own;
  CheckSemantics(ch, builds, name, r.diagnostics, regexes);
  r.semantic_ms = MsSince(t0);

  if (options.execution) ExecutionStep(ch, builds, options, r, regexes);
}

FileReport CheckFile(const std::string& path, const CheckOptions& options) {
  std::vector<std::uint8_t> bytes;
  if (auto err = ReadFile(path, bytes, limits::kMaxFileSize)) {
    FileReport r;
    r.file = path;
    r.io_error = *err;
    return r;
  }
  return CheckBytes(std::move(bytes), path, options);
}

std::vector<FileReport> CheckFiles(const std::vector<std::string>& paths, const CheckOptions& options,
                                   unsigned threads) {
  std::vector<FileReport> reports(paths.size());
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < paths.size();) reports[i] = CheckFile(paths[i], options);
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(paths.size())));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return reports;
}

}  // namespace chanval
