// `chanval inspect FILE.chan`: the envelope and a summary for a person.
// `chanval manifest`: the current build's registry as a sensor manifest.
#include <fmt/format.h>

#include <map>

#include "chanval/interpreter/registry.h"
#include "chanval/validator/fleet.h"
#include "commands.h"
#include "common.h"

namespace chanval::cli {

void RegisterInspect(CLI::App& app, Action& run) {
  RegisterChannelFileCommand(app, run, "inspect", "Show a channel file's envelope and a summary of its content",
                             [](const std::string& file, const ParsedChannel& channel) {
      const auto* ch = &channel;
      const auto& e = ch->envelope;
      std::string digest;
      for (auto b : e.payload_sha256) digest += fmt::format("{:02x}", b);
      fmt::print("file            {}\n", file);
      fmt::print("format          {}.{}\n", e.format_major, e.format_minor);
      fmt::print("channel         {}\n", e.channel);
      fmt::print("sequence        {}\n", e.sequence);
      fmt::print("sensor range    {} .. {}\n", e.min_sensor.ToString(), e.max_sensor.ToString());
      fmt::print("payload         {} bytes, sha256 {}\n", e.payload_length, digest);
      const auto& root = ch->root();
      fmt::print("instances       {}\n", root.instances()->size());
      std::map<std::uint16_t, std::size_t> per_type;
      std::map<std::string, std::size_t> kinds, actions, severities;
      std::size_t conditions = 0;
      for (const auto* inst : *root.instances()) {
        ++per_type[inst->template_type()];
        ++actions[fb::EnumNameAction(inst->action())];
        ++severities[fb::EnumNameSeverity(inst->severity())];
        conditions += inst->condition() != nullptr;
        for (const auto* m : *inst->matchers()) {
          ++kinds[std::string(fb::EnumNameMatcherKind(m->kind())) + (m->ignore_case() ? " (ignore case)" : "")];
        }
      }
      fmt::print("\ninstances per template type\n");
      for (const auto& [type, n] : per_type) {
        const auto* known = interp::FindTemplateType(type);
        const std::string name = known ? std::string(known->name) : "unknown to this build";
        fmt::print("  {:>5}  {:<20} {}\n", type, name, n);
      }
      fmt::print("\nmatchers by kind\n");
      for (const auto& [k, n] : kinds) fmt::print("  {:<26} {}\n", k, n);
      fmt::print("\nactions        ");
      for (const auto& [k, n] : actions) fmt::print(" {}={}", k, n);
      fmt::print("\nseverities     ");
      for (const auto& [k, n] : severities) fmt::print(" {}={}", k, n);
      fmt::print("\nexplicit conditions {} of {}\n", conditions, root.instances()->size());
      return kExitOk;
    });
}

void RegisterManifest(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("manifest", "Export the current sensor build's template-type registry as a manifest");
  auto out = std::make_shared<std::string>();
  cmd->add_option("-o,--output", *out, "file to write (default: stdout)");
  cmd->callback([&run, out] {
    run = [out] { return WriteOutput(*out, ManifestJson(interp::CurrentBuildProfile())); };
  });
}

}  // namespace chanval::cli
