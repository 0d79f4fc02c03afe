// The matcher kinds, one row each: what values a kind carries, which field
// types it takes, what it reads and how it fails, the first interpreter ABI
// that has it, how the prefilter treats its values, and its price. The
// parser's shape checks, the build rules, the loader, both evaluators, the
// semantic checker, the synthesizer, `diff`, the Sigma lowering and the
// structured fuzzer read these rows instead of listing kinds themselves.
// Adding a kind: the schema enum, one row here (a missing or misplaced row
// does not compile), its match function in evaluation.h and its witness in
// validator/src/synthesis.cpp (switches without a default: -Werror=switch
// names the one left out), and tests. See HACKING.md.
#pragma once
#include <array>
#include <bit>
#include <cstdint>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/cost.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/profile.h"

namespace chanval::interp {

// How many values a kind carries (the `values` and `int_values` vectors).
enum class ValueShape : std::uint8_t {
  None,           // neither vector
  OneString,      // exactly one string
  Strings,        // one or more strings
  StringsOrInts,  // one or more strings, or one or more integers, never both
};

// What its string values are, so how they are checked and stored.
enum class ValueSyntax : std::uint8_t {
  None,        // no string values
  Literal,     // text, folded at load when ignore_case; each an automaton pattern
  LiteralSet,  // the same, sorted for a binary search (integers too)
  Regex,       // one RE2 pattern, compiled within the build's budgets
  Cidr,        // IPv4/IPv6 CIDR blocks with zero host bits
};

// The scalar operands besides the values.
enum class Operands : std::uint8_t {
  None,
  CompareWithLo,  // `op` against `lo`
  RangeLoHi,      // lo <= field <= hi
  OtherField,     // a second field, `other_field`, of the same type
};

// What it reads from an event, and so how it can fail. Every kind that reads
// an input faults with InputOutOfBounds (before anything is read) when the
// build does not supply it; past that, a kind cannot fault, only be false.
enum class InputUse : std::uint8_t {
  None,       // never reads its field: cannot fault (Wildcard)
  Text,       // the field's text, clipped to kMaxInputLength
  Number,     // the field's integer; false when the input has none
  Address,    // the field's text as an IPv4/IPv6 address; false when it is not one
  TwoTexts,   // the texts of `field` and `other_field`
};

// Field types as a mask.
using FieldTypes = std::uint8_t;
constexpr FieldTypes TypeBit(FieldType t) { return static_cast<FieldTypes>(1u << static_cast<unsigned>(t)); }
inline constexpr FieldTypes kAnyFieldType =
    TypeBit(FieldType::String) | TypeBit(FieldType::Integer) | TypeBit(FieldType::Address);
inline constexpr FieldTypes kTextFieldTypes = TypeBit(FieldType::String) | TypeBit(FieldType::Address);

// What the price of a compiled matcher depends on (cost.h): its values as
// loaded, and for a regex its atoms and compiled program.
struct PriceFacts {
  std::uint64_t literal_count = 0, literal_bytes = 0, longest_literal = 0;
  std::uint64_t int_count = 0, cidr_count = 0;
  std::uint64_t atom_count = 0, program_size = 0;
  std::uint64_t value_search_bytes = 0;  // a regex prefilter's reads of the value a byte (CompiledMatcher)
  bool ignore_case = false;
};

constexpr std::uint64_t Log2Ceil(std::uint64_t n) { return n <= 1 ? 0 : 64 - std::countl_zero(n - 1); }

struct MatcherKindRow {
  fb::MatcherKind kind;
  ValueShape values;
  ValueSyntax syntax;
  Operands operands;
  InputUse input;             // with string values, or none
  FieldTypes fields;          // the field types it takes (string values, or none)
  const char* wrong_field;    // why any other type is refused
  FieldTypes int_fields;      // with integer values (StringsOrInts only)
  const char* wrong_int_field;
  bool empty_value_ok;        // "" is meaningful (equality), not everything-matching
  bool hit_decides_folded;    // folded: the automaton's hit alone decides it
  std::uint16_t min_abi;      // the first interpreter ABI that runs it
  // What the optimized evaluator does for the kind, at worst, once the
  // prefilter has run: charged before each run, summed into the static bound.
  MatcherPrice (*price)(const PriceFacts&);
};

inline constexpr std::uint16_t kBaseAbi = 1;

namespace kind_prices {
using limits::kCostCall;
constexpr MatcherPrice Free(const PriceFacts&) { return {}; }
constexpr MatcherPrice OneCall(const PriceFacts&) { return {kCostCall, 0}; }
// A hit test and a compare per literal.
constexpr MatcherPrice Literals(const PriceFacts& f) { return {2 * f.literal_count * kCostCall + f.literal_bytes, 0}; }
// Folded: decided by the automaton's hits. Exact: each hit verified by a search of the value.
constexpr MatcherPrice Contains(const PriceFacts& f) {
  return {f.literal_count * kCostCall, f.ignore_case ? 0 : f.literal_bytes};
}
// A hit test per literal, then a binary search.
constexpr MatcherPrice Set(const PriceFacts& f) {
  if (f.int_count) return {kCostCall + Log2Ceil(f.int_count) + 1, 0};
  return {f.literal_count * kCostCall + (Log2Ceil(f.literal_count) + 1) * (f.longest_literal + kCostCall), 0};
}
constexpr MatcherPrice Cidr(const PriceFacts& f) { return {limits::kCostAddressParse + f.cidr_count * kCostCall, 0}; }
constexpr MatcherPrice CompareTexts(const PriceFacts&) { return {kCostCall, 1}; }
// RE2's worst case (NFA): every instruction for every byte, after a search
// of the value for each short atom (at worst a compare per atom byte per byte).
constexpr MatcherPrice Regex(const PriceFacts& f) {
  return {kCostCall + f.atom_count, f.program_size + 1 + f.value_search_bytes};
}
}  // namespace kind_prices

// clang-format off
inline constexpr MatcherKindRow kMatcherKinds[] = {
  // kind                     values                      syntax                   operands                  input              fields           wrong_field                               int_fields                 wrong_int_field                       empty  hit    abi               price
  {fb::MatcherKind::Wildcard,    ValueShape::None,          ValueSyntax::None,       Operands::None,          InputUse::None,     kAnyFieldType,   "",                                       0,                         "",                                   false, false, kBaseAbi,         kind_prices::Free},
  {fb::MatcherKind::Equals,      ValueShape::OneString,     ValueSyntax::Literal,    Operands::None,          InputUse::Text,     kTextFieldTypes, "string matcher on an integer field",     0,                         "",                                   true,  false, kBaseAbi,         kind_prices::Literals},
  {fb::MatcherKind::Prefix,      ValueShape::Strings,       ValueSyntax::Literal,    Operands::None,          InputUse::Text,     kTextFieldTypes, "string matcher on an integer field",     0,                         "",                                   false, false, kBaseAbi,         kind_prices::Literals},
  {fb::MatcherKind::Suffix,      ValueShape::Strings,       ValueSyntax::Literal,    Operands::None,          InputUse::Text,     kTextFieldTypes, "string matcher on an integer field",     0,                         "",                                   false, false, kBaseAbi,         kind_prices::Literals},
  {fb::MatcherKind::Contains,    ValueShape::Strings,       ValueSyntax::Literal,    Operands::None,          InputUse::Text,     kTextFieldTypes, "string matcher on an integer field",     0,                         "",                                   false, true,  kBaseAbi,         kind_prices::Contains},
  {fb::MatcherKind::Regex,       ValueShape::OneString,     ValueSyntax::Regex,      Operands::None,          InputUse::Text,     kTextFieldTypes, "string matcher on an integer field",     0,                         "",                                   false, false, kBaseAbi,         kind_prices::Regex},
  {fb::MatcherKind::IntCompare,  ValueShape::None,          ValueSyntax::None,       Operands::CompareWithLo, InputUse::Number,   TypeBit(FieldType::Integer), "integer matcher on a non-integer field", 0,             "",                                   false, false, kBaseAbi,         kind_prices::OneCall},
  {fb::MatcherKind::IntRange,    ValueShape::None,          ValueSyntax::None,       Operands::RangeLoHi,     InputUse::Number,   TypeBit(FieldType::Integer), "integer matcher on a non-integer field", 0,             "",                                   false, false, kBaseAbi,         kind_prices::OneCall},
  {fb::MatcherKind::OneOf,       ValueShape::StringsOrInts, ValueSyntax::LiteralSet, Operands::None,          InputUse::Text,     kTextFieldTypes, "string set on an integer field",         TypeBit(FieldType::Integer), "integer set on a non-integer field", true,  false, kBaseAbi,         kind_prices::Set},
  {fb::MatcherKind::Cidr,        ValueShape::Strings,       ValueSyntax::Cidr,       Operands::None,          InputUse::Address,  TypeBit(FieldType::Address), "CIDR matcher on a non-address field", 0,                "",                                   false, false, kBaseAbi,         kind_prices::Cidr},
  {fb::MatcherKind::FieldEquals, ValueShape::None,          ValueSyntax::None,       Operands::OtherField,    InputUse::TwoTexts, kAnyFieldType,   "",                                       0,                         "",                                   false, false, kFieldEqualsAbi,  kind_prices::CompareTexts},
};
// clang-format on

inline constexpr std::size_t kMatcherKindCount = static_cast<std::size_t>(fb::MatcherKind::MAX) + 1;
static_assert(std::size(kMatcherKinds) == kMatcherKindCount, "one row per fb::MatcherKind: add the new kind's row");
constexpr bool RowsInSchemaOrder() {
  for (std::size_t k = 0; k < std::size(kMatcherKinds); ++k) {
    if (static_cast<std::size_t>(kMatcherKinds[k].kind) != k) return false;
  }
  return true;
}
static_assert(RowsInSchemaOrder(), "kMatcherKinds rows are in the schema enum's order");

// The row of a kind the strict parser has accepted (kind <= MAX).
constexpr const MatcherKindRow& KindRow(fb::MatcherKind k) { return kMatcherKinds[static_cast<std::size_t>(k)]; }

// What a matcher reads, given whether it carries integer values (a set of
// integers compares the field's number, not its text).
constexpr InputUse InputUseOf(fb::MatcherKind k, bool int_values) {
  return int_values && KindRow(k).values == ValueShape::StringsOrInts ? InputUse::Number : KindRow(k).input;
}

// Literal text the prefilter's automaton can see: every value must be seen
// (one of them, for a set) for the matcher to hold.
constexpr bool HasLiteralText(fb::MatcherKind k, bool int_values) {
  const auto s = KindRow(k).syntax;
  return !int_values && (s == ValueSyntax::Literal || s == ValueSyntax::LiteralSet);
}

}  // namespace chanval::interp
