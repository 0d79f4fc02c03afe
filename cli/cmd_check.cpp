// `chanval check FILE...`: the release gate. Exit 0 when every file passes,
// 1 when any is rejected, 2 on usage or I/O errors.
#include <fmt/format.h>

#include <ctime>
#include <thread>

#include "chanval/validator/check.h"
#include "chanval/validator/io.h"
#include "chanval/validator/report.h"
#include "commands.h"
#include "common.h"
#include "keys.h"

namespace chanval::cli {
namespace {

struct CheckCliOptions {
  std::vector<std::string> files;
  std::string fleet, events, format = "text", output, sign;
  bool verbose = false, no_current = false;
  unsigned jobs = 0;
};

// FILE.sig for each file that passed, and only those (attestation.h).
int SignPassed(const std::vector<FileReport>& reports, const Fleet& fleet, const interp::SecretKey& key) {
  interp::Attestation a;
  a.chanval_version = kVersion;
  a.fleet_sha256 = FleetDigest(fleet);
  a.key = interp::PublicKeyOf(key);
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  a.time = stamp;
  for (const auto& r : reports) {
    if (!r.passed()) continue;
    a.file_sha256 = r.sha256;
    a.builds = r.sensors;
    const std::string text = interp::SignAttestation(a, key);
    const std::string path = SignaturePathFor(r.file);
    if (auto err = WriteFileAtomic(path, std::vector<std::uint8_t>(text.begin(), text.end()))) {
      PrintError(*err);
      return kExitUsage;
    }
    fmt::print(stderr, "signed {}: {}\n", r.file, path);
  }
  return kExitOk;
}

int Check(const CheckCliOptions& o) {
  std::optional<interp::SecretKey> key;
  if (!o.sign.empty() && !(key = ReadSecretKey(o.sign))) return kExitUsage;
  auto fleet = LoadFleetOrReport(o.fleet, !o.no_current);
  if (!fleet) return kExitUsage;
  // Events are replayed once per file and build, never held in memory; a
  // pre-pass reports each bad event once.
  EventSource events;
  if (!o.events.empty()) {
    if (auto err = events.Open(o.events)) {
      PrintError(*err);
      return kExitUsage;
    }
    auto err = events.Replay([](RecordedEvent&&) {}, [&](const EventError& e) {
      fmt::print(stderr, "{}:{}: skipped bad event: {}\n", events.name(), e.line, e.message);
    });
    if (err) {
      PrintError(*err);
      return kExitUsage;
    }
  }
  CheckOptions options;
  options.fleet = &*fleet;
  options.events = o.events.empty() ? nullptr : &events;
  options.collect_reach = o.verbose;
  options.digest_files = key.has_value();
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
  const auto reports = CheckFiles(o.files, options, jobs);

  std::string text;
  if (o.format == "json") {
    text = RenderJson(reports);
  } else if (o.format == "sarif") {
    text = RenderSarif(reports);
  } else {
    const bool color = o.output.empty() && StdoutIsTerminal();
    text = RenderText(reports, color, o.verbose);
  }
  if (int rc = WriteOutput(o.output, text); rc != kExitOk) return rc;
  if (key) {
    if (int rc = SignPassed(reports, *fleet, *key); rc != kExitOk) return rc;
  }
  bool io = false, rejected = false;
  for (const auto& r : reports) {
    io |= !r.io_error.empty();
    rejected |= !r.passed();
  }
  return io ? kExitUsage : rejected ? kExitRejected : kExitOk;
}

}  // namespace

void RegisterCheck(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("check", "Gate channel files: strict parse, fleet semantics, execution in the interpreter");
  auto o = std::make_shared<CheckCliOptions>();
  cmd->add_option("files", o->files, "channel files")->required();
  AddFleetOptions(*cmd, o->fleet, o->no_current);
  cmd->add_option("--events", o->events, "recorded events to execute as well (JSON lines or event-log export; - for standard input)");
  cmd->add_option("--format", o->format, "output format")->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("-o,--output", o->output, "write the report here (atomically) instead of stdout");
  cmd->add_flag("-v,--verbose", o->verbose, "timings, and which matchers each instance's events reached");
  cmd->add_option("-j,--jobs", o->jobs, "files checked in parallel (default: all cores)");
  cmd->add_option("--sign", o->sign, "secret key (chanval keygen): write a signed verdict FILE.sig for each file that passes");
  cmd->callback([&run, o] { run = [o] { return Check(*o); }; });
}

}  // namespace chanval::cli
