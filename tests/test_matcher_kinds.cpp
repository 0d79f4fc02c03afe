// The matcher-kind table (matcher_kinds.h): each column means what the
// checks that read it do — the value shape is the parser's and loader's
// shape check, the field types the build rules, the input use the bounds
// checks' reads, the minimum ABI the loader's refusal — for every row. The
// per-kind behaviour itself is tested layer by layer (test_check.cpp's
// CV105/CV116, test_interpreter.cpp, the differential fuzzers).
#include <doctest/doctest.h>

#include <flatbuffers/flatbuffers.h>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/matcher_kinds.h"
#include "chanval/interpreter/matcher_rules.h"
#include "chanval/interpreter/matcher_shape.h"
#include "chanval/interpreter/registry.h"

using namespace chanval;
using namespace chanval::interp;

namespace {

// A matcher of `row`'s kind on field 0 with `strings` string values and
// `ints` integer values (valid text for the kind's syntax), packed.
struct PackedMatcher {
  flatbuffers::FlatBufferBuilder builder;
  const fb::Matcher* get() const { return flatbuffers::GetRoot<fb::Matcher>(builder.GetBufferPointer()); }
};

std::unique_ptr<PackedMatcher> Make(const MatcherKindRow& row, std::size_t strings, std::size_t ints,
                                    std::uint16_t other_field = 1) {
  fb::MatcherT m;
  m.kind = row.kind;
  m.field = 0;
  m.other_field = row.operands == Operands::OtherField ? other_field : 0;
  m.lo = 1;
  m.hi = 2;
  for (std::size_t i = 0; i < strings; ++i) {
    m.values.push_back(row.syntax == ValueSyntax::Cidr ? "10.0.0.0/8" : row.syntax == ValueSyntax::Regex ? "a+b" : "v");
  }
  for (std::size_t i = 0; i < ints; ++i) m.int_values.push_back(static_cast<std::int64_t>(i));
  auto p = std::make_unique<PackedMatcher>();
  p->builder.Finish(fb::Matcher::Pack(p->builder, &m));
  return p;
}

// The (strings, ints) counts a shape accepts.
bool ShapeAccepts(ValueShape shape, std::size_t strings, std::size_t ints) {
  switch (shape) {
    case ValueShape::None: return strings == 0 && ints == 0;
    case ValueShape::OneString: return strings == 1 && ints == 0;
    case ValueShape::Strings: return strings >= 1 && ints == 0;
    case ValueShape::StringsOrInts: return (strings >= 1) != (ints >= 1);
  }
  return false;
}

// A type whose fields 0 and 1 both have type `t`.
TypeSpec TwoFields(FieldType t) {
  TypeSpec type;
  type.id = 1;
  type.name = "probe";
  type.declared = {{"a", t}, {"b", t}};
  type.supplied = type.declared;
  return type;
}

}  // namespace

TEST_CASE("each row's value shape is the shape check the parser and loader apply") {
  for (const auto& row : kMatcherKinds) {
    CAPTURE(fb::EnumNameMatcherKind(row.kind));
    for (std::size_t strings : {0u, 1u, 2u}) {
      for (std::size_t ints : {0u, 1u, 2u}) {
        const auto m = Make(row, strings, ints);
        CAPTURE(strings);
        CAPTURE(ints);
        CHECK((MatcherShapeError(*m->get()) == nullptr) == ShapeAccepts(row.values, strings, ints));
      }
    }
  }
}

TEST_CASE("each row's field types are the ones the build rules let it read") {
  for (const auto& row : kMatcherKinds) {
    CAPTURE(fb::EnumNameMatcherKind(row.kind));
    const bool set_of_ints = row.values == ValueShape::StringsOrInts;
    for (const FieldType t : {FieldType::String, FieldType::Integer, FieldType::Address}) {
      CAPTURE(FieldTypeName(t));
      const std::size_t strings = row.values == ValueShape::None ? 0 : 1;
      CHECK((KindFieldTypeError(*Make(row, strings, 0)->get(), t) == nullptr) == ((row.fields & TypeBit(t)) != 0));
      if (set_of_ints) {
        CHECK((KindFieldTypeError(*Make(row, 0, 1)->get(), t) == nullptr) == ((row.int_fields & TypeBit(t)) != 0));
      }
    }
  }
}

TEST_CASE("each row's reads are what the bounds checks look at, and its minimum ABI is enforced") {
  RegexPool pool;
  for (const auto& row : kMatcherKinds) {
    CAPTURE(fb::EnumNameMatcherKind(row.kind));
    const std::size_t strings = row.values == ValueShape::None ? 0 : 1;
    const auto m = Make(row, strings, 0);
    std::vector<std::uint16_t> read;
    ForEachFieldRead(*m->get(), [&](std::uint16_t f) { read.push_back(f); });
    const std::size_t expected = row.input == InputUse::None ? 0 : row.input == InputUse::TwoTexts ? 2 : 1;
    CHECK(read.size() == expected);
    // A field type the kind takes, so only the ABI rule can object.
    FieldType t = FieldType::String;
    for (const FieldType c : {FieldType::String, FieldType::Integer, FieldType::Address}) {
      if (row.fields & TypeBit(c)) t = c;
    }
    const TypeSpec type = TwoFields(t);
    SensorProfile profile = CurrentBuildProfile();
    const auto needs_newer = [&] {
      for (const auto& v : MatcherViolations(*m->get(), type, profile, pool)) {
        if (v.status == LoadStatus::KindNeedsNewerInterpreter) return true;
      }
      return false;
    };
    profile.interpreter_abi = row.min_abi;
    CHECK_FALSE(needs_newer());
    profile.interpreter_abi = static_cast<std::uint16_t>(row.min_abi - 1);
    CHECK(needs_newer() == (row.input != InputUse::None));  // a kind that reads nothing is never checked
  }
}

TEST_CASE("rows are in schema order, one per kind, and prices grow with the input") {
  CHECK(std::size(kMatcherKinds) == kMatcherKindCount);
  for (std::size_t k = 0; k < kMatcherKindCount; ++k) CHECK(static_cast<std::size_t>(kMatcherKinds[k].kind) == k);
  PriceFacts facts;
  facts.literal_count = 3;
  facts.literal_bytes = 30;
  facts.longest_literal = 12;
  facts.cidr_count = 2;
  facts.atom_count = 1;
  facts.program_size = 40;
  for (const auto& row : kMatcherKinds) {
    CAPTURE(fb::EnumNameMatcherKind(row.kind));
    const MatcherPrice p = row.price(facts);
    CHECK(p.At(0) <= p.At(100));
    CHECK(p.Worst() >= p.At(100));
    if (row.input != InputUse::None) CHECK(p.At(0) > 0);  // a kind that reads an input is never free
  }
}
