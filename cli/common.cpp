// Helpers shared by the subcommands (common.h): loading, the fleet search order,
// printing, output. Tests: the cli.* tests.
#include "common.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/io.h"
#include "chanval/validator/report.h"
#include "chanval/validator/source.h"

namespace chanval::cli {

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }
bool StdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr; }

void PrintDiagnostics(const Diagnostics& diags) {
  const bool color = StderrIsTerminal() && std::getenv("NO_COLOR") == nullptr;
  for (const auto& d : diags) fmt::print(stderr, "{}\n", FormatDiagnostic(d, color));
}

void PrintError(const std::string& message) { fmt::print(stderr, "chanval: error: {}\n", message); }

void ReportStdoutError(int error_number) {
  static bool reported = false;
  if (reported) return;
  reported = true;
  PrintError(std::string("cannot write standard output: ") + std::strerror(error_number));
}

std::optional<ParsedChannel> LoadChannel(const std::string& path, int& exit_code) {
  std::vector<std::uint8_t> bytes;
  if (auto err = ReadFile(path, bytes, limits::kMaxFileSize)) {
    PrintError(*err);
    exit_code = kExitUsage;
    return std::nullopt;
  }
  auto parsed = ParseChannel(std::move(bytes), path);
  if (!parsed.channel) {
    PrintDiagnostics(parsed.diagnostics);
    exit_code = kExitRejected;
    return std::nullopt;
  }
  return std::move(parsed.channel);
}

void RegisterChannelFileCommand(CLI::App& app, std::function<int()>& run, const std::string& name, const std::string& help,
                                std::function<int(const std::string& path, const ParsedChannel& channel)> body) {
  auto* cmd = app.add_subcommand(name, help);
  auto file = std::make_shared<std::string>();
  cmd->add_option("file", *file, "channel file")->required();
  cmd->callback([&run, file, body = std::move(body)] {
    run = [file, body] {
      int code = kExitOk;
      const auto ch = LoadChannel(*file, code);
      return ch ? body(*file, *ch) : code;
    };
  });
}

std::optional<ParsedChannel> LoadChannelOrSource(const std::string& path) {
  if (path.size() > 5 && path.ends_with(".json")) {
    std::string json;
    if (auto err = ReadTextFile(path, json, limits::kMaxFileSize * 4)) {
      PrintError(*err);
      return std::nullopt;
    }
    auto built = BuildFromJson(json, path);
    if (built.file.empty()) {
      PrintDiagnostics(built.diagnostics);
      return std::nullopt;
    }
    return std::move(ParseChannel(std::move(built.file), path).channel);
  }
  int code = kExitOk;
  return LoadChannel(path, code);
}

std::filesystem::path DefaultFleetDir() {
  if (const char* env = std::getenv("CHANVAL_FLEET"); env && *env) return env;
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "share/chanval/fleet";
  return exe.parent_path().parent_path() / "share" / "chanval" / "fleet";
}

void AddFleetOptions(CLI::App& cmd, std::string& fleet, bool& no_current) {
  cmd.add_option("--fleet", fleet,
                 "directory of sensor manifests (default: $CHANVAL_FLEET, else share/chanval/fleet beside bin/)");
  cmd.add_flag("--no-current-build", no_current, "leave the compiled-in current build out of the fleet");
}

std::optional<Fleet> LoadFleetOrReport(const std::string& dir, bool include_current) {
  Diagnostics diags;
  const std::filesystem::path folder = dir.empty() ? DefaultFleetDir() : std::filesystem::path(dir);
  if (dir.empty() && !std::filesystem::is_directory(folder)) {
    PrintError("no fleet: " + folder.string() +
               " is not a folder (give --fleet DIR, set CHANVAL_FLEET, or install chanval with its share/chanval/fleet)");
    return std::nullopt;
  }
  Fleet fleet = LoadFleet(folder, include_current, diags);
  if (!diags.empty()) {
    PrintDiagnostics(diags);
    return std::nullopt;
  }
  if (fleet.members.empty()) {
    PrintError("the fleet is empty: no manifests in " + folder.string());
    return std::nullopt;
  }
  return fleet;
}

std::optional<interp::SensorVersion> ParseVersion(const std::string& s) {
  unsigned major = 0, minor = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%u.%u%c", &major, &minor, &tail) != 2 || major > 0xffff || minor > 0xffff) {
    return std::nullopt;
  }
  return interp::SensorVersion{static_cast<std::uint16_t>(major), static_cast<std::uint16_t>(minor)};
}

int WriteOutput(const std::string& path, std::string_view text) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
      ReportStdoutError(errno);
      return kExitUsage;
    }
    return kExitOk;
  }
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  if (auto err = WriteFileAtomic(path, bytes)) {
    PrintError(*err);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace chanval::cli
