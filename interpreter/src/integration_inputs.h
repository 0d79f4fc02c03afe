// What the current build's integration code supplies to the interpreter per
// event: the event fields it copies into the input array, in order. This is
// the list that drifted from the declared one behind channel file 291;
// registry.cpp asserts at compile time that the two agree.
#pragma once
#include <array>

#include "chanval/interpreter/registry.h"
#include "template_types.h"

namespace chanval::interp::supplied {

// The current build supplies every declared field. An older build's manifest
// (corpus/fleet/) records where that was not so.
inline constexpr auto kProcessCreation = declared::kProcessCreation;
inline constexpr auto kNetworkConnection = declared::kNetworkConnection;
inline constexpr auto kImageLoad = declared::kImageLoad;
inline constexpr auto kProcessAccess = declared::kProcessAccess;
inline constexpr auto kFileCreate = declared::kFileCreate;
inline constexpr auto kRegistryEvent = declared::kRegistryEvent;
inline constexpr auto kPipeEvent = declared::kPipeEvent;

}  // namespace chanval::interp::supplied
