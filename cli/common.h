// Helpers shared by the subcommands: exit codes, reading and strict-parsing a
// channel file, printing diagnostics.
#pragma once
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "chanval/validator/diagnostic.h"
#include "chanval/validator/fleet.h"
#include "chanval/validator/parser.h"

namespace chanval::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;

bool StderrIsTerminal();
bool StdoutIsTerminal();
void PrintDiagnostics(const Diagnostics& diags);
void PrintError(const std::string& message);  // "chanval: error: ..." on stderr
void ReportStdoutError(int error_number);      // once per process, however often it fails

// Reads and strictly parses; on failure prints why and sets exit_code
// (2: cannot read, 1: rejected).
std::optional<ParsedChannel> LoadChannel(const std::string& path, int& exit_code);

// A subcommand whose one argument is a channel file: loads it (LoadChannel)
// and runs `body` on it.
void RegisterChannelFileCommand(CLI::App& app, std::function<int()>& run, const std::string& name, const std::string& help,
                                std::function<int(const std::string& path, const ParsedChannel& channel)> body);

// The fleet folder when --fleet is not given: $CHANVAL_FLEET, else
// share/chanval/fleet beside the executable's bin/ (installed, or the build
// tree, where the build copies corpus/fleet). No source-tree path.
std::filesystem::path DefaultFleetDir();

// A channel file, strictly parsed, or a JSON source (*.json) built in
// memory (nothing written). Prints why on failure.
std::optional<ParsedChannel> LoadChannelOrSource(const std::string& path);

// --fleet and --no-current-build, worded the same for every subcommand.
void AddFleetOptions(CLI::App& cmd, std::string& fleet, bool& no_current);

// Default fleet (bundled manifests + current build) or the given directory.
std::optional<Fleet> LoadFleetOrReport(const std::string& dir, bool include_current);

// "MAJOR.MINOR" → version; nullopt if malformed.
std::optional<interp::SensorVersion> ParseVersion(const std::string& s);

// Writes to a file atomically, or to stdout when path is empty or "-".
int WriteOutput(const std::string& path, std::string_view text);

}  // namespace chanval::cli
