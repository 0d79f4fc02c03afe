// chanval: the release gate for channel files, and a content engineer's tool.
#include <fmt/format.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <cerrno>
#include <cstring>
#include <system_error>

#include "commands.h"
#include "common.h"
#include "keys.h"

namespace {

// `check` builds and frees the same tables once per sensor build, and times
// worst-case events of 23 x 32 KiB. By default glibc hands the freed top of
// the heap back to the kernel and takes it again, zeroed, page fault by page
// fault: a tenth of a `check` of the SigmaHQ file. A short-lived tool keeps
// it instead; the peak, and so the resident size, is unchanged.
void KeepFreedMemory() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  using namespace chanval::cli;
  KeepFreedMemory();
  CLI::App app{"chanval: strict parser, fleet checker and execution gate for sensor channel files"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("chanval ") + kVersion);
  Action run;
  RegisterBuild(app, run);
  RegisterDump(app, run);
  RegisterInspect(app, run);
  RegisterManifest(app, run);
  RegisterRun(app, run);
  RegisterCheck(app, run);
  RegisterImportSigma(app, run);
  RegisterKeygen(app, run);
  RegisterVerify(app, run);
  RegisterDiff(app, run);
  RegisterTest(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  if (!run) return kExitUsage;
  int code = kExitUsage;
  try {
    code = run();
  } catch (const std::system_error& e) {
    // fmt::print throws when a write to standard output fails mid-stream.
    ReportStdoutError(e.code().value());
    return kExitUsage;
  }
  // Output still buffered is written now: a full disk or a closed pipe is an
  // error with a message, never a silent exit 0.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    ReportStdoutError(errno);
    return kExitUsage;
  }
  return code;
}
