// Each subcommand registers its options on the app and sets `run` to the
// action main() executes after a successful parse.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace chanval::cli {

using Action = std::function<int()>;

void RegisterBuild(CLI::App& app, Action& run);
void RegisterDump(CLI::App& app, Action& run);
void RegisterInspect(CLI::App& app, Action& run);
void RegisterManifest(CLI::App& app, Action& run);
void RegisterRun(CLI::App& app, Action& run);
void RegisterCheck(CLI::App& app, Action& run);
void RegisterImportSigma(CLI::App& app, Action& run);
void RegisterKeygen(CLI::App& app, Action& run);
void RegisterVerify(CLI::App& app, Action& run);
void RegisterDiff(CLI::App& app, Action& run);
void RegisterTest(CLI::App& app, Action& run);

}  // namespace chanval::cli
