// Functions that each carry one defence and live alone in their own source
// file, so a test binary can link a planted replacement object in their
// place (tests/planted/) and prove the gate notices the defence missing. No
// #ifdef in sensor code: the production library is the same either way.
#pragma once
#include <cstdint>

namespace chanval::interp {

class CompiledContent;
struct CompiledInstance;

// cost_bound.cpp: one instance's share of the static per-event bound — every
// condition node, and every matcher's price at maximal input length.
std::uint64_t InstanceCostBound(const CompiledContent& content, const CompiledInstance& instance);

}  // namespace chanval::interp
