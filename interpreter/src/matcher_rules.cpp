// MatcherViolations (matcher_rules.h): the per-matcher rules of a build, from the kind's row.
#include "chanval/interpreter/matcher_rules.h"

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/matcher_kinds.h"
#include "chanval/interpreter/matcher_shape.h"

namespace chanval::interp {
namespace {

// RE2's error, with what it means for content authors.
std::string ExplainRegexError(const RE2& re) {
  std::string m = re.error() + " (at \"" + re.error_arg() + "\")";
  switch (re.error_code()) {
    case RE2::ErrorBadPerlOp:
      return m + ": lookaround and other Perl extensions are not supported by the linear-time engine";
    case RE2::ErrorBadEscape:
      return m + ": backreferences and unknown escapes are not supported";
    case RE2::ErrorPatternTooLarge:
      return m + ": the regex needs more memory than the build's budget";
    case RE2::ErrorRepeatSize:
      return m + ": repetition counts above 1000 are not supported";
    default:
      return m;
  }
}

std::string FieldText(const TypeSpec& type, std::uint16_t f) {
  return "field " + std::to_string(f) + " '" + type.declared[f].name + "' (" + FieldTypeName(type.declared[f].type) + ")";
}

}  // namespace

std::vector<MatcherViolation> MatcherViolations(const fb::Matcher& m, const TypeSpec& type,
                                                const SensorProfile& profile, RegexPool& pool) {
  std::vector<MatcherViolation> out;
  const auto add = [&](LoadStatus s, std::uint16_t field, std::string detail) {
    out.push_back({s, field, std::move(detail)});
  };
  if (const char* e = MatcherShapeError(m)) {
    add(LoadStatus::BadValueCount, m.field(), e);
    return out;
  }
  const MatcherKindRow& row = KindRow(m.kind());
  if (row.input == InputUse::None) return out;
  const std::uint16_t f = m.field();
  const auto declared = [&](std::uint16_t field) {
    if (field < type.declared.size()) return true;
    add(LoadStatus::FieldNotDeclared, field,
        "field " + std::to_string(field) + ", but " + type.name + " declares " + std::to_string(type.declared.size()) +
            " fields");
    return false;
  };
  if (!declared(f)) return out;
  if (const char* e = KindFieldTypeError(m, type.declared[f].type)) add(LoadStatus::KindDoesNotFitField, f, FieldText(type, f) + ": " + e);
  if (profile.interpreter_abi < row.min_abi) {
    add(LoadStatus::KindNeedsNewerInterpreter, f,
        std::string(fb::EnumNameMatcherKind(m.kind())) + " needs interpreter ABI " + std::to_string(row.min_abi) +
            "; the build runs ABI " + std::to_string(profile.interpreter_abi));
  }
  if (row.operands == Operands::OtherField) {
    if (!declared(m.other_field())) return out;
    if (type.declared[m.other_field()].type != type.declared[f].type) {
      add(LoadStatus::KindDoesNotFitField, f,
          std::string(fb::EnumNameMatcherKind(m.kind())) + " compares " + FieldText(type, f) + " with " +
              FieldText(type, m.other_field()));
    }
  }
  const Budgets& budgets = profile.budgets;
  const std::uint32_t nvalues = m.values() ? m.values()->size() : 0;
  for (std::uint32_t v = 0; v < nvalues; ++v) {
    if (m.values()->Get(v)->size() > budgets.max_literal_length) {
      add(LoadStatus::LiteralTooLong, f,
          "a " + std::to_string(m.values()->Get(v)->size()) + "-byte value; the build allows " +
              std::to_string(budgets.max_literal_length));
    }
  }
  switch (row.syntax) {
    case ValueSyntax::Regex: {
      const auto* pattern = m.values()->Get(0);
      const RE2& re = *pool.Get(pattern->string_view(), m.ignore_case(), budgets).re;
      if (!re.ok()) {
        add(LoadStatus::BadRegex, f, "regex /" + pattern->str() + "/: " + ExplainRegexError(re));
      } else if (re.ProgramSize() > static_cast<int>(budgets.regex_max_program_size)) {
        add(LoadStatus::RegexTooBig, f,
            "regex /" + pattern->str() + "/: compiled program size " + std::to_string(re.ProgramSize()) +
                " exceeds the build's budget of " + std::to_string(budgets.regex_max_program_size));
      }
      break;
    }
    case ValueSyntax::Cidr:
      for (std::uint32_t v = 0; v < nvalues; ++v) {
        if (!ParseCidr(m.values()->Get(v)->string_view())) {
          add(LoadStatus::BadCidr, f, "'" + m.values()->Get(v)->str() + "' is not an IPv4/IPv6 CIDR block with zero host bits");
        }
      }
      break;
    case ValueSyntax::None:
    case ValueSyntax::Literal:
    case ValueSyntax::LiteralSet:
      break;
  }
  if (row.operands == Operands::CompareWithLo && m.op() > CompareOp::MAX) add(LoadStatus::BadRange, f, "unknown comparison");
  return out;
}

}  // namespace chanval::interp
