// `chanval diff OLD NEW [--format text|json] [--fail-on first-use]`: the
// review of a content release (diff.h). OLD and NEW are channel files or
// their JSON sources.
#include <fmt/format.h>

#include "chanval/validator/diff.h"
#include "commands.h"
#include "common.h"

namespace chanval::cli {
namespace {

struct DiffOptions {
  std::string old_path, new_path, format = "text", fleet, fail_on;
  bool no_current = false;
};

int Diff(const DiffOptions& o) {
  auto fleet = LoadFleetOrReport(o.fleet, !o.no_current);
  if (!fleet) return kExitUsage;
  const auto old_file = LoadChannelOrSource(o.old_path);
  if (!old_file) return kExitUsage;
  const auto new_file = LoadChannelOrSource(o.new_path);
  if (!new_file) return kExitUsage;
  const auto d = DiffReleases(*old_file, *new_file, *fleet);
  const std::string text = o.format == "json" ? RenderDiffJson(d, o.old_path, o.new_path)
                                              : RenderDiffText(d, o.old_path, o.new_path);
  if (int rc = WriteOutput("", text)) return rc;
  return o.fail_on == "first-use" && d.HasFirstUse() ? kExitRejected : kExitOk;
}

}  // namespace

void RegisterDiff(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("diff", "Review a content release: what changed, and what is used for the first time");
  auto o = std::make_shared<DiffOptions>();
  cmd->add_option("old", o->old_path, "the previous release (channel file or JSON source)")->required();
  cmd->add_option("new", o->new_path, "the new release (channel file or JSON source)")->required();
  cmd->add_option("--format", o->format, "output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--fail-on", o->fail_on, "exit 1 when there is a first-use warning (for a human sign-off)")
      ->check(CLI::IsMember({"first-use"}));
  AddFleetOptions(*cmd, o->fleet, o->no_current);
  cmd->callback([&run, o] { run = [o] { return Diff(*o); }; });
}

}  // namespace chanval::cli
