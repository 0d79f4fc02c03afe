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

// Per-event evaluation: cost units (see evaluator.h) and the longest input
// value the evaluator reads; longer values are cut at this length.
inline constexpr std::uint32_t kCostRegex = 16;
inline constexpr std::uint32_t kCostLiteral = 1;   // per literal compared
inline constexpr std::uint32_t kCostSetLookup = 2;
inline constexpr std::size_t kMaxInputLength = 32u << 10;

// Prefilter automaton size per template type.
inline constexpr std::size_t kMaxAutomatonStates = 1u << 21;

}  // namespace chanval::limits
