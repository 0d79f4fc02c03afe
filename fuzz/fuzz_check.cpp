// Raw bytes → the whole `check` pipeline against the bundled fleet.
#include <cstdlib>

#include "chanval/validator/check.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  CheckOptions options;
  options.fleet = &fuzz::BundledFleet();
  options.collect_reach = true;
  auto r = CheckBytes(std::vector<std::uint8_t>(data, data + size), "fuzz.chan", options);
  for (const auto& d : r.diagnostics) {
    if (d.message.empty()) std::abort();
  }
  return 0;
}
