// `chanval build SRC.json -o OUT.chan`: JSON source → channel file, written
// atomically, only if the strict parser accepts the result.
#include <fmt/format.h>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/io.h"
#include "chanval/validator/source.h"
#include "commands.h"
#include "common.h"

namespace chanval::cli {

void RegisterBuild(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("build", "Build a channel file from its JSON source");
  auto src = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("source", *src, "JSON source (schema/channel.fbs)")->required();
  cmd->add_option("-o,--output", *out, "channel file to write (atomically)")->required();
  cmd->callback([&run, src, out] {
    run = [src, out] {
      std::string json;
      if (auto err = ReadTextFile(*src, json, limits::kMaxFileSize * 4)) {
        PrintError(*err);
        return kExitUsage;
      }
      auto built = BuildFromJson(json, *src);
      if (built.file.empty()) {
        PrintDiagnostics(built.diagnostics);
        fmt::print(stderr, "chanval: nothing written to {}\n", *out);
        return kExitRejected;
      }
      if (auto err = WriteFileAtomic(*out, built.file)) {
        PrintError(*err);
        return kExitUsage;
      }
      fmt::print(stderr, "wrote {} ({} bytes)\n", *out, built.file.size());
      return kExitOk;
    };
  });
}

void RegisterDump(CLI::App& app, Action& run) {
  RegisterChannelFileCommand(app, run, "dump", "Print a channel file as its JSON source (build of it gives the same bytes)",
                             [](const std::string& file, const ParsedChannel& ch) {
                               auto json = DumpJson(ch);
                               if (!json) {
                                 PrintError("cannot print " + file + " as JSON");
                                 return kExitRejected;
                               }
                               return WriteOutput("", *json);
                             });
}

}  // namespace chanval::cli
