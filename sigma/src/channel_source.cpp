// NewChannel, NeedsNewerInterpreter (channel_source.h).
// Tests: tests/test_sigma.cpp, tests/cli/import_sigma.sh.
#include "chanval/sigma/channel_source.h"

#include <algorithm>

#include "chanval/interpreter/matcher_kinds.h"

namespace chanval::sigma {

fb::ChannelFileT NewChannel(std::uint16_t channel, std::uint32_t sequence, interp::SensorVersion min,
                            interp::SensorVersion max) {
  fb::ChannelFileT c;
  c.channel = channel;
  c.sequence = sequence;
  c.min_sensor = std::make_unique<fb::SensorVersion>(min.major, min.minor);
  c.max_sensor = std::make_unique<fb::SensorVersion>(max.major, max.minor);
  return c;
}

bool NeedsNewerInterpreter(const fb::InstanceT& instance) {
  return std::any_of(instance.matchers.begin(), instance.matchers.end(),
                     [](const auto& m) { return interp::KindRow(m->kind).min_abi > interp::kBaseAbi; });
}

}  // namespace chanval::sigma
