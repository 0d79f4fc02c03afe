// MatcherShapeError, KindFieldTypeError (matcher_shape.h): a matcher checked against its kind's row
// (matcher_kinds.h), shared by the strict parser and the loader. Tests: tests/test_parser.cpp, the malformed set.
#include "chanval/interpreter/matcher_shape.h"

#include "chanval/interpreter/matcher_kinds.h"

namespace chanval::interp {
namespace {
std::size_t CountOf(const auto* v) { return v ? v->size() : 0; }
}  // namespace

const char* MatcherShapeError(const fb::Matcher& m) {
  if (m.kind() > fb::MatcherKind::MAX) return "unknown matcher kind";
  const MatcherKindRow& row = KindRow(m.kind());
  const std::size_t strings = CountOf(m.values()), ints = CountOf(m.int_values());
  switch (row.values) {
    case ValueShape::None:
      if (strings || ints) return "takes no values";
      break;
    case ValueShape::OneString:
      if (strings != 1 || ints) return "takes exactly one string value";
      break;
    case ValueShape::Strings:
      if (strings < 1 || ints) return "takes one or more string values";
      break;
    case ValueShape::StringsOrInts:
      if ((strings >= 1) == (ints >= 1)) return "takes one or more values, either strings or integers";
      break;
  }
  switch (row.operands) {
    case Operands::None:
    case Operands::CompareWithLo:
      return nullptr;
    case Operands::RangeLoHi:
      return m.lo() > m.hi() ? "range lo is greater than hi" : nullptr;
    case Operands::OtherField:
      return m.other_field() == m.field() ? "compares a field with itself" : nullptr;
  }
  return nullptr;
}

const char* KindFieldTypeError(const fb::Matcher& m, FieldType type) {
  if (m.kind() > fb::MatcherKind::MAX) return "unknown matcher kind";
  const MatcherKindRow& row = KindRow(m.kind());
  if (CountOf(m.int_values()) > 0) return row.int_fields & TypeBit(type) ? nullptr : row.wrong_int_field;
  return row.fields & TypeBit(type) ? nullptr : row.wrong_field;
}

}  // namespace chanval::interp
