// JSON source → build: a clean error, or a file the strict parser accepts.
#include <cstdlib>
#include <string>

#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  const std::string json(reinterpret_cast<const char*>(data), size);
  auto r = BuildFromJson(json, "fuzz.json");
  if (r.file.empty()) {
    if (r.diagnostics.empty()) std::abort();
    return 0;
  }
  if (!ParseChannel(r.file, "built.chan").channel) std::abort();
  return 0;
}
