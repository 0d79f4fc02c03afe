// Imported content is the channel format's own object API (fb::ChannelFileT,
// fb::InstanceT, fb::MatcherT: typed kinds, not names), written out through
// the validator's JSON printer (SourceJson) and built by the same path as
// `chanval build`.
#pragma once
#include <cstdint>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/profile.h"

namespace chanval::sigma {

// An empty channel file for the sensor range [min, max].
fb::ChannelFileT NewChannel(std::uint16_t channel, std::uint32_t sequence, interp::SensorVersion min,
                            interp::SensorVersion max);

// Whether an instance uses a matcher kind newer than the oldest interpreter
// ABI (matcher_kinds.h), so older builds cannot load it.
bool NeedsNewerInterpreter(const fb::InstanceT& instance);

}  // namespace chanval::sigma
