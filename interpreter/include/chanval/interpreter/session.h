// The sensor's unit of work for one build: its compiled content, the scratch
// evaluation runs in, and an input buffer the integration step fills from
// an event's named fields. Every path from "an event" to "its matches" goes
// through it (`chanval run`, `chanval test`, the Sigma regression tests, the
// benchmarks), so the event-to-inputs mapping is written once.
// No allocation per event: the buffer is sized at construction.
#pragma once
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/limits.h"

namespace chanval::interp {

class Session {
 public:
  explicit Session(const CompiledContent& content)
      : content_(content), scratch_(content), inputs_(limits::kMaxFieldsPerType) {}

  // The inputs this build supplies for the type, from `lookup(field name)`;
  // nullopt when the build has no such type.
  template <typename Lookup>
  std::optional<Inputs> Fill(std::uint16_t template_type, const Lookup& lookup) {
    const TypeSpec* type = content_.profile().FindType(template_type);
    if (!type) return std::nullopt;
    const std::span<Input> span(inputs_.data(), type->supplied.size());
    FillInputs(*type, lookup, span);
    return Inputs(span);
  }

  // Fill, then the sensor's entry point (UnknownTemplateType for a type the
  // build does not have).
  template <typename Lookup>
  EvalOutcome Evaluate(std::uint16_t template_type, const Lookup& lookup) {
    return interp::Evaluate(content_, template_type, Fill(template_type, lookup).value_or(Inputs()), scratch_);
  }

  const CompiledContent& content() const { return content_; }
  EvalScratch& scratch() { return scratch_; }
  std::span<const Match> matches() const { return scratch_.matches(); }

 private:
  const CompiledContent& content_;
  EvalScratch scratch_;
  std::vector<Input> inputs_;
};

}  // namespace chanval::interp
