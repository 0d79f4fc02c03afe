// Writes the malformed corpus (one file per strict-parser rejection, named
// <case>.CVnnn.chan) into the directory given, for CLI tests and fuzz seeds.
#include <cstdio>
#include <filesystem>

#include "chanval/validator/io.h"
#include "malformed.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_malformed OUT_DIR\n");
    return 2;
  }
  std::filesystem::create_directories(argv[1]);
  for (const auto& c : chanval::test::MalformedCases()) {
    if (c.code == chanval::Code::FileTooLarge) continue;  // 16 MiB: generated in memory by the unit test only
    const auto path = std::filesystem::path(argv[1]) / (c.name + "." + chanval::CodeId(c.code) + ".chan");
    if (auto err = chanval::WriteFileAtomic(path, c.bytes)) {
      std::fprintf(stderr, "%s\n", err->c_str());
      return 2;
    }
  }
  return 0;
}
