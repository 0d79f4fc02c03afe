// `chanval run FILE.chan --events EVENTS.jsonl [--sensor VERSION]`: feed
// events through the interpreter and print every match.
#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/session.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "commands.h"
#include "common.h"
#include "keys.h"

namespace chanval::cli {
namespace {

struct RunOptions {
  std::string file, events, sensor, fleet;
  std::vector<std::string> keys;
  bool reference = false, quiet = false;
};

// As the sensor does with --key: the file's signed verdict is checked
// before a byte of the file is parsed.
int RequireSignature(const RunOptions& o) {
  std::vector<std::uint8_t> bytes;
  const auto v = VerifyFile(o.file, "", o.keys, bytes);
  if (!v) return kExitUsage;
  if (v->status != interp::SignatureStatus::Ok) {
    PrintError(fmt::format("the sensor refuses {}: {} ({} beside it); nothing was parsed", o.file,
                           interp::SignatureStatusName(v->status), SignaturePathFor(o.file)));
    return kExitRejected;
  }
  return kExitOk;
}

int Run(const RunOptions& o) {
  if (!o.keys.empty()) {
    if (int rc = RequireSignature(o); rc != kExitOk) return rc;
  }
  int code = kExitOk;
  auto ch = LoadChannel(o.file, code);
  if (!ch) return code;
  interp::SensorProfile profile = interp::CurrentBuildProfile();
  if (!o.sensor.empty()) {
    auto v = ParseVersion(o.sensor);
    if (!v) {
      PrintError("--sensor expects MAJOR.MINOR, got '" + o.sensor + "'");
      return kExitUsage;
    }
    auto fleet = LoadFleetOrReport(o.fleet, true);
    if (!fleet) return kExitUsage;
    const auto* member = fleet->Find(*v);
    if (!member) {
      PrintError("no manifest for sensor " + v->ToString() + " in the fleet");
      return kExitUsage;
    }
    profile = member->profile;
  }
  auto loaded = interp::CompiledContent::Load(ch->root(), profile);
  if (!loaded.content) {
    const auto& e = loaded.error;
    PrintError(fmt::format("sensor {} cannot load {}: instance #{} matcher #{}: {} ({})", profile.version.ToString(),
                           o.file, e.instance_index, e.matcher_index, interp::LoadStatusName(e.status), e.detail));
    return kExitRejected;
  }
  const auto& content = *loaded.content;
  // A named file must be a regular file; "-" is standard input, read as a
  // stream (a pipe from `tail -f` is served event by event).
  const bool from_stdin = o.events == "-";
  int events_fd = STDIN_FILENO;
  std::string open_error;
  if (!from_stdin && (events_fd = OpenRegularFile(o.events, open_error)) < 0) {
    PrintError(open_error);
    return kExitUsage;
  }
  const std::string events_name = from_stdin ? "standard input" : o.events;
  interp::Session session(content);
  std::vector<std::size_t> per_instance(content.instances().size());  // matches, by instance index
  std::size_t events = 0, bad = 0, unmapped = 0, matches = 0, faults = 0;
  const bool progress = StderrIsTerminal();
  double eval_seconds = 0;
  const auto read_error = StreamEvents(
      events_fd, events_name,
      [&](RecordedEvent&& ev) {
        ++events;
        if (progress && events % 100000 == 0) fmt::print(stderr, "\r{} events, {} matches...", events, matches);
        const auto inputs = session.Fill(ev.template_type, [&](std::string_view name) { return ev.Get(name); });
        if (!ev.template_type || !inputs) {
          ++unmapped;
          return;
        }
        const auto t0 = std::chrono::steady_clock::now();
        const auto out = o.reference ? interp::EvaluateReference(content, ev.template_type, *inputs, session.scratch())
                                     : interp::Evaluate(content, ev.template_type, *inputs, session.scratch());
        eval_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (out.status == interp::EvalStatus::InputOutOfBounds || out.status == interp::EvalStatus::BudgetExceeded) {
          ++faults;
          const auto& inst = content.instances()[out.fault_instance_index];
          fmt::print(stderr, "line {}: FAULT {} in instance {} ({}) field {}\n", ev.line,
                     interp::EvalStatusName(out.status), inst.id, inst.name, out.fault_field);
          return;
        }
        for (const auto& m : session.matches()) {
          ++matches;
          ++per_instance[m.instance_index];
          if (!o.quiet) {
            const auto& inst = content.instances()[m.instance_index];
            fmt::print("line {}: match instance {} ({}) action={} severity={}\n", ev.line, inst.id, inst.name,
                       fb::EnumNameAction(m.action), fb::EnumNameSeverity(m.severity));
          }
        }
      },
      [&](const EventError& err) {
        ++bad;
        fmt::print(stderr, "{}:{}: skipped bad event: {}\n", events_name, err.line, err.message);
      },
      [&] {
        if (from_stdin) std::fflush(stdout);  // a reader at the pipe sees matches as they happen
      });
  if (!from_stdin) ::close(events_fd);
  if (read_error) {
    PrintError(*read_error);
    return kExitUsage;
  }
  if (progress && events >= 100000) fmt::print(stderr, "\n");
  fmt::print("summary: {} events ({} bad, skipped; {} without a template type), {} matches, {} faults, "
             "sensor {}, {} evaluator\n",
             events + bad, bad, unmapped, matches, faults, profile.version.ToString(),
             o.reference ? "reference" : "optimized");
  // By id (the strict parser refuses a repeated one).
  std::vector<std::uint32_t> matched;
  for (std::uint32_t i = 0; i < per_instance.size(); ++i) {
    if (per_instance[i] != 0) matched.push_back(i);
  }
  const auto& instances = content.instances();
  std::sort(matched.begin(), matched.end(), [&](auto x, auto y) { return instances[x].id < instances[y].id; });
  for (const std::uint32_t i : matched) {
    fmt::print("  instance {} ({}): {} matches\n", instances[i].id, instances[i].name, per_instance[i]);
  }
  if (eval_seconds > 0) {
    fmt::print("throughput: {:.0f} events/s in the interpreter\n", (events - unmapped) / eval_seconds);
  }
  return faults ? kExitRejected : kExitOk;
}

}  // namespace

void RegisterRun(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("run", "Evaluate events (JSON lines or event-log JSON export) with the interpreter");
  auto o = std::make_shared<RunOptions>();
  cmd->add_option("file", o->file, "channel file")->required();
  cmd->add_option("--events", o->events, "events: JSON lines, or the Windows event log's JSON export; - reads standard input as a stream")->required();
  cmd->add_option("--sensor", o->sensor, "evaluate as this sensor build (MAJOR.MINOR from the fleet); default: current");
  cmd->add_option("--fleet", o->fleet, "fleet directory for --sensor (default: $CHANVAL_FLEET, else share/chanval/fleet beside bin/)");
  cmd->add_flag("--reference", o->reference, "use the reference evaluator instead of the optimized one");
  cmd->add_flag("-q,--quiet", o->quiet, "print only the summary");
  cmd->add_option("--key", o->keys, "trusted public key (repeatable): refuse the file unless FILE.sig is a valid verdict by one of them");
  cmd->callback([&run, o] { run = [o] { return Run(*o); }; });
}

}  // namespace chanval::cli
