// MatcherShapeError, KindFieldTypeError (matcher_shape.h): the values each kind carries, shared by
// the strict parser and the loader. Tests: tests/test_parser.cpp, the malformed set.
#include "chanval/interpreter/matcher_shape.h"

namespace chanval::interp {
namespace {
std::size_t CountOf(const auto* v) { return v ? v->size() : 0; }
}  // namespace

bool IsStringLiteralKind(fb::MatcherKind k) {
  return k == fb::MatcherKind::Equals || k == fb::MatcherKind::Prefix ||
         k == fb::MatcherKind::Suffix || k == fb::MatcherKind::Contains;
}

const char* MatcherShapeError(const fb::Matcher& m) {
  const std::size_t strings = CountOf(m.values()), ints = CountOf(m.int_values());
  using K = fb::MatcherKind;
  switch (m.kind()) {
    case K::Wildcard:
    case K::IntCompare:
      return strings || ints ? "takes no values" : nullptr;
    case K::FieldEquals:
      if (strings || ints) return "takes no values";
      return m.other_field() == m.field() ? "compares a field with itself" : nullptr;
    case K::IntRange:
      if (strings || ints) return "takes no values";
      return m.lo() > m.hi() ? "range lo is greater than hi" : nullptr;
    case K::Equals:
    case K::Regex:
      return strings == 1 && ints == 0 ? nullptr : "takes exactly one string value";
    case K::Prefix:
    case K::Suffix:
    case K::Contains:
    case K::Cidr:
      return strings >= 1 && ints == 0 ? nullptr : "takes one or more string values";
    case K::OneOf:
      return (strings >= 1) != (ints >= 1) ? nullptr
                                           : "takes one or more values, either strings or integers";
  }
  return "unknown matcher kind";
}

const char* KindFieldTypeError(const fb::Matcher& m, FieldType type) {
  using K = fb::MatcherKind;
  switch (m.kind()) {
    case K::Wildcard:
      return nullptr;
    case K::Equals:
    case K::Prefix:
    case K::Suffix:
    case K::Contains:
    case K::Regex:
      return type == FieldType::Integer ? "string matcher on an integer field" : nullptr;
    case K::IntCompare:
    case K::IntRange:
      return type == FieldType::Integer ? nullptr : "integer matcher on a non-integer field";
    case K::OneOf:
      if (CountOf(m.int_values()) > 0) {
        return type == FieldType::Integer ? nullptr : "integer set on a non-integer field";
      }
      return type == FieldType::Integer ? "string set on an integer field" : nullptr;
    case K::Cidr:
      return type == FieldType::Address ? nullptr : "CIDR matcher on a non-address field";
    case K::FieldEquals:
      return nullptr;  // any type; both fields must share it (checked with the other field)
  }
  return "unknown matcher kind";
}

}  // namespace chanval::interp
