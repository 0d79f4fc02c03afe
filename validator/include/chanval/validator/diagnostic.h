// The diagnostics model: every finding has a stable code, a severity and as
// much location as applies (file offset, instance, field, sensor version).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "chanval/interpreter/profile.h"

namespace chanval {

enum class Level : std::uint8_t { Error, Warning, Note };
const char* LevelName(Level l);

// Stable codes. Never renumber: pipelines and SARIF consumers key on them.
enum class Code : std::uint16_t {
  // Strict parse (CV0xx)
  EmptyFile = 1,
  ShortFile = 2,
  AllZero = 3,
  BadMagic = 4,
  UnsupportedVersion = 5,
  PayloadTruncated = 6,
  TrailingBytes = 7,
  FileTooLarge = 8,
  DigestMismatch = 9,
  VerifierFailure = 10,
  HeaderPayloadMismatch = 11,
  MissingField = 12,
  DuplicateInstanceId = 13,
  MatcherRefOutOfRange = 14,
  FieldIndexOutOfRange = 15,
  EmptyString = 16,
  StringTooLong = 17,
  TooManyInstances = 18,
  TooManyMatchers = 19,
  SetTooLarge = 20,
  ExpressionTooDeep = 21,
  BadSensorRange = 22,
  ReservedNonZero = 23,
  UnknownEnumValue = 24,
  BadMatcherValues = 25,
  NonCanonical = 26,
  BadString = 27,
  BadExpression = 28,
  BadSource = 29,
  // Fleet semantics (CV1xx)
  RangeNotInFleet = 101,
  UnknownTemplateType = 102,
  FieldNotDeclared = 103,
  FieldNotSupplied = 104,
  KindFieldMismatch = 105,
  BadRegex = 106,
  RegexTooBig = 107,
  BadCidr = 108,
  MatchesEverything = 110,
  NeverMatches = 111,
  CostOverBudget = 112,
  LiteralTooLong = 114,
  SuppliedOrderMismatch = 115,
  InterpreterTooOld = 116,
  MemoryOverBudget = 117,
  // Execution in the interpreter (CV2xx)
  LoadFailed = 201,
  BoundsFault = 202,
  BudgetOverrun = 203,
  MatcherUnreached = 204,
  MemoryFault = 205,
  MatcherDead = 206,
  EvaluatorDisagreement = 207,
  TimeOverBudget = 208,
  CostOverBound = 209,
  // Inputs to the tool (CV3xx)
  BadManifest = 301,
};

struct CodeInfo {
  Code code;
  const char* slug;
  const char* help;
  Level level = Level::Error;  // the level the code is reported at
};
const CodeInfo& InfoFor(Code c);
std::span<const CodeInfo> AllCodes();
std::string CodeId(Code c);  // "CV104"

struct Diagnostic {
  Level level = Level::Error;
  Code code = Code::EmptyFile;
  std::string file;
  std::optional<std::uint64_t> offset;
  std::optional<std::uint32_t> instance_id;
  std::string instance_name;
  std::optional<std::uint16_t> field;
  std::string field_name;
  std::optional<interp::SensorVersion> sensor;
  std::string message;
};

using Diagnostics = std::vector<Diagnostic>;
bool HasErrors(const Diagnostics& d);

}  // namespace chanval
