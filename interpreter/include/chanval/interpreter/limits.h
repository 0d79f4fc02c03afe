// Hard resource bounds shared by the parser, the loader and the evaluator.
// Every bound is a named constant so a reviewer can find and argue with it.
#pragma once
#include <cstddef>
#include <cstdint>

namespace chanval::limits {

inline constexpr std::size_t kMaxFileSize = 16u << 20;          // bytes, whole channel file
inline constexpr std::size_t kMaxInstances = 100'000;           // per channel file
inline constexpr std::size_t kMaxMatchersPerInstance = 64;
inline constexpr std::size_t kMaxValuesPerMatcher = 4096;       // set sizes, literal lists, CIDR lists
inline constexpr std::size_t kMaxStringLength = 4096;           // any one string in a channel file
inline constexpr std::size_t kMaxExprDepth = 16;                // nesting of and/or/not
inline constexpr std::size_t kMaxExprNodesPerInstance = 256;
inline constexpr std::size_t kMaxFieldsPerType = 128;           // field index cap, independent of any build
inline constexpr std::size_t kMaxReferences = 64;               // rule references kept in metadata
// FlatBuffers verifier: depth covers root → instance → expr nesting → leaves.
inline constexpr unsigned kVerifierMaxDepth = 2 * kMaxExprDepth + 8;
// Every table costs at least 4 bytes, so this cannot reject a file under the size cap.
inline constexpr unsigned kVerifierMaxTables = kMaxFileSize / 4;

// Per-event evaluation cost, in units of one "step": a byte scanned by the
// prefilter (or a failure step), a byte compared, a condition node visited, or one RE2
// instruction advanced over one input byte (RE2's worst case is the NFA:
// program size x input length). The interpreter charges every matcher before
// running it (cost.h), with the input's real length; the static bound is the
// same formula at kMaxInputLength, so "bound <= budget" means the runtime
// budget check can never fire. Values longer than kMaxInputLength are cut.
inline constexpr std::uint64_t kCostNode = 1;           // per condition node visited
inline constexpr std::uint64_t kCostCall = 1;           // fixed part of any matcher evaluation
inline constexpr std::uint64_t kCostAddressParse = 64;  // text -> IPv4/IPv6 bytes (Cidr)
inline constexpr std::size_t kMaxInputLength = 32u << 10;

// Prefilter automaton size per template type.
inline constexpr std::size_t kMaxAutomatonStates = 1u << 21;

}  // namespace chanval::limits
