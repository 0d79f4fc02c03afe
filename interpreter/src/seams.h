// Functions that each carry one defence and live alone in their own source
// file, so a test binary can link a planted replacement object in their
// place (tests/planted/) and prove the gate notices the defence missing. No
// #ifdef in sensor code: the production library is the same either way.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>

namespace chanval::interp {

class CompiledContent;
struct CompiledInstance;
struct CompiledMatcher;

// bounds_check.cpp: the first input `m` reads at or past `supplied`, if
// any — the evaluator's per-read check and the entry point's up-front check.
std::optional<std::uint16_t> ReadPastSupplied(const CompiledMatcher& m, std::size_t supplied);

// cost_bound.cpp: one instance's share of the static per-event bound — every
// condition node, and every matcher's price at maximal input length.
std::uint64_t InstanceCostBound(const CompiledContent& content, const CompiledInstance& instance);

}  // namespace chanval::interp
