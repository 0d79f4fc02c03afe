#include "chanval/validator/diagnostic.h"

#include <algorithm>

namespace chanval {
namespace {
constexpr CodeInfo kCodes[] = {
    {Code::EmptyFile, "empty-file", "The file has no bytes."},
    {Code::ShortFile, "short-file", "The file is shorter than the 64-byte envelope."},
    {Code::AllZero, "all-zero", "Every byte of the file is zero (a zero-filled write)."},
    {Code::BadMagic, "bad-magic", "The file does not start with the channel-file magic."},
    {Code::UnsupportedVersion, "unsupported-version", "The format version is not one this tool reads (major 1, minor up to its own)."},
    {Code::PayloadTruncated, "payload-truncated", "The envelope declares more payload bytes than the file holds."},
    {Code::TrailingBytes, "trailing-bytes", "Bytes follow the payload the envelope declares."},
    {Code::FileTooLarge, "file-too-large", "The file exceeds the maximum channel-file size."},
    {Code::DigestMismatch, "digest-mismatch", "The payload's SHA-256 differs from the envelope's digest."},
    {Code::VerifierFailure, "verifier-failure", "The FlatBuffers verifier rejected the payload (bounds, alignment, depth or table limits)."},
    {Code::HeaderPayloadMismatch, "header-payload-mismatch", "Envelope and payload disagree on channel, sequence or sensor range."},
    {Code::MissingField, "missing-field", "A required field is absent."},
    {Code::DuplicateInstanceId, "duplicate-instance-id", "Two instances share an id."},
    {Code::MatcherRefOutOfRange, "matcher-ref-out-of-range", "The condition references a matcher the instance does not have."},
    {Code::FieldIndexOutOfRange, "field-index-out-of-range", "A matcher's field index is beyond the format's field cap."},
    {Code::EmptyString, "empty-string", "A string that must not be empty is empty."},
    {Code::StringTooLong, "string-too-long", "A string exceeds the format's length cap."},
    {Code::TooManyInstances, "too-many-instances", "The file has more instances than the format allows."},
    {Code::TooManyMatchers, "too-many-matchers", "An instance has more matchers than the format allows."},
    {Code::SetTooLarge, "set-too-large", "A matcher has more values than the format allows."},
    {Code::ExpressionTooDeep, "expression-too-deep", "A condition is nested deeper, or has more nodes, than allowed."},
    {Code::BadSensorRange, "bad-sensor-range", "The minimum sensor version is above the maximum."},
    {Code::ReservedNonZero, "reserved-nonzero", "Reserved envelope bits are set."},
    {Code::UnknownEnumValue, "unknown-enum-value", "An enum field holds a value the schema does not define."},
    {Code::BadMatcherValues, "bad-matcher-values", "A matcher's values do not fit its kind."},
    {Code::NonCanonical, "non-canonical", "The payload is not in canonical encoding (re-encoding it gives other bytes)."},
    {Code::BadString, "bad-string", "A string is not valid UTF-8 or contains a NUL byte."},
    {Code::BadExpression, "bad-expression", "A condition operator has the wrong number of arguments."},
    {Code::BadSource, "bad-source", "The JSON source does not parse against the channel schema."},
    {Code::RangeNotInFleet, "range-not-in-fleet", "The file's sensor range reaches a version with no manifest in the fleet."},
    {Code::UnknownTemplateType, "unknown-template-type", "The sensor build has no such template type."},
    {Code::FieldNotDeclared, "field-not-declared", "The template type does not declare the referenced field in this build."},
    {Code::FieldNotSupplied, "field-not-supplied", "A non-wildcard matcher reads a field this build does not supply (the channel-file-291 defect)."},
    {Code::KindFieldMismatch, "kind-field-mismatch", "The matcher kind does not fit the field's type."},
    {Code::BadRegex, "bad-regex", "The regex does not compile under the sensor's RE2 options."},
    {Code::RegexTooBig, "regex-too-big", "The compiled regex exceeds the sensor's program-size or memory budget."},
    {Code::BadCidr, "bad-cidr", "A CIDR block is malformed or has host bits set."},
    {Code::MatchesEverything, "matches-everything", "The instance matches every event and is not marked as intended."},
    {Code::NeverMatches, "never-matches", "The instance's conditions contradict each other; it can never match.", Level::Warning},
    {Code::CostOverBudget, "cost-over-budget", "The interpreter's static worst-case cost per event (every node and matcher at maximal input length) exceeds the build's budget; the loader refuses it."},
    {Code::MemoryOverBudget, "memory-over-budget", "The memory the interpreter needs to load and run the content (tables, pools, regex programs and their DFA reserve) exceeds the build's budget; the loader refuses it before allocating."},
    {Code::LiteralTooLong, "literal-too-long", "A literal exceeds the build's length cap."},
    {Code::SuppliedOrderMismatch, "supplied-order-mismatch", "The build supplies a different input at this position than the type declares."},
    {Code::InterpreterTooOld, "interpreter-too-old", "The content uses a matcher kind the build's interpreter ABI does not have."},
    {Code::LoadFailed, "load-failed", "The interpreter refused to load the content for this build."},
    {Code::BoundsFault, "bounds-fault", "Executing the content read past the inputs the build supplies."},
    {Code::BudgetOverrun, "budget-overrun", "Executing the content exceeded the build's per-event budget."},
    {Code::MatcherUnreached, "matcher-unreached", "No synthesized event drove evaluation to this matcher."},
    {Code::MemoryFault, "memory-fault", "Executing the content touched the guard page behind the input array."},
    {Code::MatcherDead, "matcher-dead", "No synthesized event reached this matcher (earlier parts of the condition decide first); the fields it reads are proven in bounds, by other matchers' reads or by the semantic checks (CV104/CV115) in every build.", Level::Warning},
    {Code::EvaluatorDisagreement, "evaluator-disagreement", "The sensor's optimized evaluator and the reference evaluator decided an event differently: the prefilter or an engine does not follow the one matching semantics."},
    {Code::TimeOverBudget, "time-over-budget", "The slowest adversarial worst-case event took longer in the sensor's entry point than the build's time budget."},
    {Code::CostOverBound, "cost-over-bound", "An evaluation charged more than the loader's static bound: the cost model is unsound (an interpreter defect)."},
    {Code::BadManifest, "bad-manifest", "A sensor manifest does not parse or is inconsistent."},
};
}  // namespace

const char* LevelName(Level l) {
  switch (l) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Note: return "note";
  }
  return "?";
}

const CodeInfo& InfoFor(Code c) {
  for (const auto& i : kCodes) {
    if (i.code == c) return i;
  }
  return kCodes[0];
}

std::span<const CodeInfo> AllCodes() { return kCodes; }

std::string CodeId(Code c) {
  const unsigned n = static_cast<unsigned>(c);
  std::string digits = std::to_string(n);
  return "CV" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

bool HasErrors(const Diagnostics& d) {
  return std::any_of(d.begin(), d.end(), [](const Diagnostic& x) { return x.level == Level::Error; });
}

}  // namespace chanval
