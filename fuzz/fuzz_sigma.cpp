// Sigma YAML → import-sigma: never crashes, hangs or throws; a rule it
// imports always builds into a file the strict parser accepts and the
// current build's interpreter loads ("imported" promises both).
#include <cstdlib>
#include <string>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/registry.h"
#include "chanval/sigma/import.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = sigma::ImportRuleText(text, "fuzz.yml", 1);
  if (!r.instance) return 0;
  auto channel = sigma::NewChannel(1, 1, interp::kCurrentSensorVersion, interp::kCurrentSensorVersion);
  channel.instances.push_back(std::make_unique<fb::InstanceT>(*r.instance));
  const auto built = BuildFromObject(channel, "fuzz.json");
  if (built.file.empty()) std::abort();  // imported, yet not a valid channel
  const auto parsed = ParseChannel(built.file, "fuzz.chan");
  if (!parsed.channel) std::abort();
  static const auto profile = interp::CurrentBuildProfile();
  if (!interp::CompiledContent::Load(parsed.channel->root(), profile).content) std::abort();
  return 0;
}
