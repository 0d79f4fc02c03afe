// Writes issue 10's adversarial content (support/adversarial.h) as JSON
// sources, <name>.json, plus `expected` (name, exit code, code) for the CLI
// test tests/cli/adversarial.sh. The small shapes are also committed under
// corpus/adversarial/ (this tool wrote them); the large ones are megabytes
// and exist only as this generator's output.
#include <cstdio>
#include <filesystem>
#include <string>

#include "adversarial.h"
#include "channel_builder.h"
#include "chanval/validator/io.h"
#include "chanval/validator/source.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_adversarial OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path out(argv[1]);
  std::filesystem::create_directories(out);
  std::string expected;
  for (const auto& c : chanval::test::adversarial::Cases()) {
    auto parsed = chanval::ParseChannel(chanval::test::Bytes(c.make()), c.name);
    if (!parsed.channel) {
      std::fprintf(stderr, "%s: does not parse\n", c.name.c_str());
      return 2;
    }
    const auto json = chanval::DumpJson(*parsed.channel);
    if (!json) return 2;
    if (auto err = chanval::WriteFileAtomic(out / (c.name + ".json"), std::vector<std::uint8_t>(json->begin(), json->end()))) {
      std::fprintf(stderr, "%s\n", err->c_str());
      return 2;
    }
    expected += c.name + " " + std::to_string(c.exit_code) + " " + (c.code.empty() ? "-" : c.code) + "\n";
  }
  if (auto err = chanval::WriteFileAtomic(out / "expected", std::vector<std::uint8_t>(expected.begin(), expected.end()))) {
    std::fprintf(stderr, "%s\n", err->c_str());
    return 2;
  }
  return 0;
}
