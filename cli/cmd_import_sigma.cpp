// `chanval import-sigma PATH... [-o OUT.json] [--build OUT.chan] [--per-type DIR]`:
// Sigma rules → channel source and files. Every rule not imported gets one
// line with its file, id and reason; a summary counts both.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>

#include "chanval/interpreter/registry.h"
#include "chanval/sigma/import.h"
#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "chanval/validator/source.h"
#include "commands.h"
#include "common.h"

namespace chanval::cli {
namespace {

struct ImportOptions {
  std::vector<std::string> paths;
  std::string output, build, per_type, tests;
  std::string min_sensor, max_sensor;
  unsigned channel = 400, sequence = 1, first_id = 1;
  bool strict = false, quiet = false;
};

// Every output of one import, prepared in full before any is put in place:
// a failure anywhere leaves every path as it was.
class Outputs {
 public:
  // Source JSON to json_path ("-": standard output) and/or the built file to
  // chan_path. Returns an exit code.
  int Add(const fb::ChannelFileT& channel, const std::string& json_path, const std::string& chan_path) {
    const auto printed = SourceJson(channel);
    if (!printed) {
      PrintError("the imported content cannot be printed as JSON (nothing written)");
      return kExitUsage;
    }
    const std::string& json = *printed;
    if (json_path == "-") {
      stdout_json_ = json;
    } else if (!json_path.empty()) {
      if (int rc = Stage(json_path, std::vector<std::uint8_t>(json.begin(), json.end()))) return rc;
    }
    if (chan_path.empty()) return kExitOk;
    auto built = BuildFromJson(json, chan_path);
    if (built.file.empty()) {
      PrintDiagnostics(built.diagnostics);
      PrintError("the imported content does not build into " + chan_path + " (nothing written)");
      return kExitRejected;
    }
    return Stage(chan_path, built.file);
  }

  int AddText(const std::string& path, const std::string& text) {
    return Stage(path, std::vector<std::uint8_t>(text.begin(), text.end()));
  }

  int Commit() {
    for (auto& w : staged_) {
      if (auto err = w->Commit()) {
        PrintError(*err);
        return kExitUsage;
      }
    }
    return stdout_json_ ? WriteOutput("-", *stdout_json_) : kExitOk;
  }

 private:
  int Stage(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    staged_.push_back(std::make_unique<StagedWrite>());
    if (auto err = staged_.back()->Stage(path, bytes)) {
      PrintError(*err + " (nothing written)");
      return kExitUsage;
    }
    return kExitOk;
  }

  std::vector<std::unique_ptr<StagedWrite>> staged_;
  std::optional<std::string> stdout_json_;
};

// SigmaHQ's regression events for a rule, where the checkout it came from
// has them: <root>/regression_data/<the rule's path under root, without
// .yml>/, whose info.yml names the rule's id, holding the events (*.json).
std::optional<std::filesystem::path> RegressionEvents(const std::filesystem::path& rule, const std::string& rule_id) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path abs = fs::weakly_canonical(rule, ec);
  if (ec || rule_id.empty()) return std::nullopt;
  for (fs::path root = abs.parent_path(); root.has_relative_path(); root = root.parent_path()) {
    if (!fs::is_directory(root / "regression_data", ec)) continue;
    const fs::path dir = (root / "regression_data" / abs.lexically_relative(root)).replace_extension();
    std::string info;
    if (ReadTextFile(dir / "info.yml", info, 1 << 20) || info.find("id: " + rule_id) == std::string::npos) {
      return std::nullopt;
    }
    std::vector<fs::path> json;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() == ".json") json.push_back(e.path());
    }
    std::sort(json.begin(), json.end());
    if (json.empty()) return std::nullopt;
    return json.front();
  }
  return std::nullopt;
}

// One imported rule's content test: the instance must match at least one
// event of its type in the recording (SigmaHQ's "positive detection test").
struct RuleTest {
  std::string stem, rule_id, title;
  std::uint32_t instance = 0, key = 0;  // key: the per-type file it went to
  std::filesystem::path events;
};

std::optional<std::string> RuleTestYaml(const RuleTest& t, std::uint16_t type, const std::filesystem::path& content,
                                        const std::filesystem::path& tests_dir) {
  namespace fs = std::filesystem;
  std::string text;
  if (ReadTextFile(t.events, text, 16u << 20)) return std::nullopt;
  std::string lines;
  ReadEvents(
      text,
      [&](RecordedEvent&& e) {
        if (e.template_type == type) lines += (lines.empty() ? "\"line:" : ", \"line:") + std::to_string(e.line) + "\"";
      },
      [](const EventError&) {});
  if (lines.empty()) return std::nullopt;
  std::error_code ec;
  const auto abs = [&](const fs::path& p) { return fs::weakly_canonical(fs::absolute(p), ec); };
  return fmt::format("# chanval import-sigma: SigmaHQ's regression test for rule {} ({}).\n"
                     "content: {}\nevents_file: {}\nexpect:\n  - instance: {}\n    match_any: [{}]\n",
                     t.rule_id, t.title, abs(content).lexically_relative(abs(tests_dir)).string(),
                     abs(t.events).string(), t.instance, lines);
}

int Import(const ImportOptions& o) {
  if (!o.tests.empty() && o.build.empty() && o.per_type.empty()) {
    PrintError("--tests needs --build or --per-type: a test names the channel file its rule went into");
    return kExitUsage;
  }
  const auto min = o.min_sensor.empty() ? interp::kCurrentSensorVersion : ParseVersion(o.min_sensor).value_or(interp::SensorVersion{});
  const auto max = o.max_sensor.empty() ? interp::kCurrentSensorVersion : ParseVersion(o.max_sensor).value_or(interp::SensorVersion{});
  if (min == interp::SensorVersion{} || max == interp::SensorVersion{} || min > max) {
    PrintError("--min-sensor/--max-sensor expect MAJOR.MINOR with min <= max");
    return kExitUsage;
  }
  // Per-type files number their channels base + type (+ 100 for ABI-2 content).
  constexpr unsigned kPerTypeChannelSpan = 256;
  if (o.channel > 0xffff - kPerTypeChannelSpan) {
    PrintError("--channel must be at most " + std::to_string(0xffff - kPerTypeChannelSpan) +
               " (per-type files add the template type to it)");
    return kExitUsage;
  }
  std::vector<std::filesystem::path> files, outside;
  if (auto err = sigma::CollectRuleFiles({o.paths.begin(), o.paths.end()}, files, &outside)) {
    PrintError(*err);
    return kExitUsage;
  }
  // Reports go to stdout unless the JSON does.
  std::FILE* report = o.output == "-" ? stderr : stdout;

  std::map<std::uint32_t, fb::ChannelFileT> by_type;  // template type, | 0x10000 for content past ABI 1
  fb::ChannelFileT all = sigma::NewChannel(static_cast<std::uint16_t>(o.channel), o.sequence, min, max);
  // Rules whose logsource has a template type, by category: imported, read.
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_category;
  std::array<std::size_t, sigma::kSkipReasonCount> per_reason{};
  std::size_t imported = 0, supported = 0, unreadable = 0;
  std::uint32_t next_id = o.first_id;
  std::vector<RuleTest> tests;
  for (const auto& link : outside) {
    ++per_reason[static_cast<std::size_t>(sigma::SkipReason::SymlinkOutside)];
    if (!o.quiet) {
      fmt::print(report, "skip {}: rule (not read): {}: the symlink leads out of the folder searched\n", link.string(),
                 sigma::SkipReasonName(sigma::SkipReason::SymlinkOutside));
    }
  }
  for (const auto& file : files) {
    auto r = sigma::ImportRuleFile(file, next_id);
    if (!r.instance && r.reason == sigma::SkipReason::UnreadableFile) {
      // An I/O error, not a verdict on the rule: exit 2, nothing written.
      PrintError(r.detail);
      ++unreadable;
      continue;
    }
    if (r.template_type) {
      ++supported;
      ++per_category[r.category].second;
    }
    if (r.instance) {
      ++imported;
      ++per_category[r.category].first;
      ++next_id;
      // Per-type files: instances the older interpreters cannot load go to
      // a second file per type whose range starts at the current build.
      const bool newer = sigma::NeedsNewerInterpreter(*r.instance) && min < interp::kCurrentSensorVersion;
      const std::uint32_t key = r.instance->template_type | (newer ? 0x10000u : 0u);
      auto& typed =
          by_type
              .try_emplace(key, sigma::NewChannel(static_cast<std::uint16_t>(o.channel + r.instance->template_type +
                                                                             (newer ? 100 : 0)),
                                                  o.sequence, newer ? std::max(min, interp::kCurrentSensorVersion) : min,
                                                  max))
              .first->second;
      typed.instances.push_back(std::make_unique<fb::InstanceT>(*r.instance));
      if (newer && o.per_type.empty()) {
        fmt::print(report, "note {}: rule {}: fieldref needs interpreter ABI {} (sensor {} onwards); older builds in "
                           "range will reject it\n",
                   r.path, r.rule_id, interp::kFieldEqualsAbi, interp::kCurrentSensorVersion.ToString());
      }
      if (!o.tests.empty()) {
        if (auto events = RegressionEvents(file, r.rule_id)) {
          tests.push_back({file.stem().string(), r.rule_id, r.title, r.instance->id, key, *events});
        }
      }
      all.instances.push_back(std::make_unique<fb::InstanceT>(std::move(*r.instance)));
      continue;
    }
    ++per_reason[static_cast<std::size_t>(r.reason)];
    if (!o.quiet) {
      fmt::print(report, "skip {}: rule {}: {}: {}\n", r.path, r.rule_id.empty() ? "(no id)" : r.rule_id,
                 sigma::SkipReasonName(r.reason), r.detail);
    }
  }

  const std::size_t skipped = files.size() + outside.size() - imported - unreadable;
  fmt::print(report, "import-sigma: {} rule files: {} imported, {} skipped ({} with a logsource that has no template type)\n",
             files.size() + outside.size() - unreadable, imported, skipped,
             per_reason[static_cast<std::size_t>(sigma::SkipReason::UnmappedLogsource)]);
  if (supported) {
    fmt::print(report, "  supported categories: {} of {} rules imported ({:.1f}%)\n", imported, supported,
               100.0 * imported / supported);
  }
  for (const auto& [category, counts] : per_category) {
    fmt::print(report, "  {:<20} {:>5} of {:>5} imported\n", category, counts.first, counts.second);
  }
  for (std::size_t i = 0; i < per_reason.size(); ++i) {
    if (per_reason[i]) {
      fmt::print(report, "  skipped: {:<24} {:>5}\n", sigma::SkipReasonName(static_cast<sigma::SkipReason>(i)),
                 per_reason[i]);
    }
  }
  if (unreadable) {
    PrintError(fmt::format("{} rule file{} could not be read; nothing written", unreadable, unreadable == 1 ? "" : "s"));
    return kExitUsage;
  }
  if (imported == 0) {
    PrintError("no rule imported; nothing written");
    return kExitRejected;
  }
  // Ids run from --first-id up; past 2^32 - 1 they would wrap to 0.
  if (std::uint64_t{o.first_id} + imported - 1 > std::numeric_limits<std::uint32_t>::max()) {
    PrintError(fmt::format("--first-id {} leaves room for {} instance ids, and {} rules were imported; nothing written",
                           o.first_id, std::uint64_t{std::numeric_limits<std::uint32_t>::max()} - o.first_id + 1,
                           imported));
    return kExitUsage;
  }
  Outputs outputs;
  if (int rc = outputs.Add(all, o.output, o.build)) return rc;
  std::vector<std::string> written;
  if (!o.per_type.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.per_type, ec);
    if (ec) {
      PrintError("cannot create " + o.per_type + ": " + ec.message());
      return kExitUsage;
    }
    for (const auto& [key, channel] : by_type) {
      const auto base = (std::filesystem::path(o.per_type) /
                         (std::string(interp::FindTemplateType(static_cast<std::uint16_t>(key))->name) + (key > 0xffff ? "-abi2" : "")))
                            .string();
      if (int rc = outputs.Add(channel, base + ".json", base + ".chan")) return rc;
      written.push_back(fmt::format("  wrote {}.json and {}.chan: {} instances, channel {}\n", base, base,
                                    channel.instances.size(), channel.channel));
    }
  }
  std::size_t tests_written = 0;
  for (const auto& t : tests) {
    const std::uint16_t type = static_cast<std::uint16_t>(t.key & 0xffff);
    const std::filesystem::path content =
        o.per_type.empty() ? std::filesystem::path(o.build)
                           : std::filesystem::path(o.per_type) /
                                 (std::string(interp::FindTemplateType(type)->name) + (t.key > 0xffff ? "-abi2" : "") + ".chan");
    const auto yaml = RuleTestYaml(t, type, content, o.tests);
    if (!yaml) continue;  // no event of the rule's type in the recording
    if (tests_written == 0) {
      std::error_code ec;
      std::filesystem::create_directories(o.tests, ec);
      if (ec) {
        PrintError("cannot create " + o.tests + ": " + ec.message());
        return kExitUsage;
      }
    }
    if (int rc = outputs.AddText((std::filesystem::path(o.tests) / (t.stem + ".test.yml")).string(), *yaml)) return rc;
    ++tests_written;
  }
  if (int rc = outputs.Commit()) return rc;
  if (!o.tests.empty()) {
    fmt::print(report, "  wrote {} content tests into {} (rules with SigmaHQ regression events)\n", tests_written,
               o.tests);
  }
  for (const auto& line : written) fmt::print(report, "{}", line);
  return o.strict && skipped ? kExitRejected : kExitOk;
}

}  // namespace

void RegisterImportSigma(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("import-sigma", "Import Sigma rules (YAML files or folders) as channel content");
  auto o = std::make_shared<ImportOptions>();
  cmd->add_option("paths", o->paths, "Sigma rule files or folders (searched recursively)")->required();
  cmd->add_option("-o,--output", o->output, "write all imported instances as one channel source (JSON; - for stdout)");
  cmd->add_option("--build", o->build, "also build them into this channel file");
  cmd->add_option("--per-type", o->per_type, "write one channel source and file per template type into this folder");
  cmd->add_option("--channel", o->channel, "channel number (per-type files: this plus the template type)");
  cmd->add_option("--sequence", o->sequence, "sequence number of the files");
  cmd->add_option("--min-sensor", o->min_sensor, "oldest sensor build the content targets (default: current)");
  cmd->add_option("--max-sensor", o->max_sensor, "newest sensor build the content targets (default: current)");
  cmd->add_option("--first-id", o->first_id, "instance id of the first imported rule (in sorted file order)");
  cmd->add_option("--tests", o->tests,
                  "write a content test (chanval test) per imported rule with SigmaHQ regression events into this folder");
  cmd->add_flag("--strict", o->strict, "exit 1 if any rule is skipped");
  cmd->add_flag("-q,--quiet", o->quiet, "print only the summary, not one line per skipped rule");
  cmd->callback([&run, o] { run = [o] { return Import(*o); }; });
}

}  // namespace chanval::cli
