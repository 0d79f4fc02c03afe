// Evaluation of one event against compiled content. Embeddable: no printing,
// no exceptions, no heap allocation per event (all scratch space is sized at
// construction of EvalScratch), every input access bounds-checked.
//
// Evaluate() is what the sensor runs: a per-field Aho-Corasick pass selects
// candidate instances, whose conditions are then evaluated with short
// circuit. EvaluateReference() evaluates every instance from scratch with
// naive matchers; the two must agree (tests, fuzz_differential).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "chanval/interpreter/content.h"
#include "chanval/interpreter/hit_words.h"
#include "chanval/interpreter/input.h"

namespace chanval::interp {

enum class EvalStatus : std::uint8_t {
  Ok = 0,
  InputOutOfBounds,   // content references a field the inputs do not supply
  BudgetExceeded,     // per-event cost over the sensor's budget
  UnknownTemplateType,  // no content for this type: not an error, zero matches
};
const char* EvalStatusName(EvalStatus s);

struct Match {
  std::uint32_t instance_index = 0;  // into CompiledContent::instances()
  std::uint32_t instance_id = 0;
  Action action = Action::Report;
  Severity severity = Severity::Informational;
};

struct EvalOutcome {
  EvalStatus status = EvalStatus::Ok;
  std::uint64_t cost = 0;  // cost.h units charged; Evaluate(): never above TypeIndex::cost_bound
  // For InputOutOfBounds / BudgetExceeded: where evaluation stopped.
  std::uint32_t fault_instance_index = 0;
  std::uint32_t fault_matcher = 0;  // global matcher index
  std::uint16_t fault_field = 0;
};

class EvalScratch {
 public:
  explicit EvalScratch(const CompiledContent& content);
  // What the constructor allocates for `content`: the one formula behind
  // both the scratch and the loader's memory figure.
  static std::uint64_t BytesFor(const CompiledContent& content);
  std::span<const Match> matches() const { return {matches_.data(), match_count_}; }

  // Optional: record which matchers (global index) were evaluated. Used by
  // the validator's execution check; costs one store per matcher when on.
  void EnableTrace(bool on);
  bool tracing() const { return trace_; }
  bool reached(std::uint32_t matcher) const { return trace_ && reached_[matcher] != 0; }
  // Forgets matchers [first, first + count), clipped to the content's: a
  // caller that traces one instance at a time clears in time of that
  // instance, not the file.
  void ClearTrace(std::uint32_t first, std::uint32_t count);

 private:
  friend struct EvalAccess;
  std::vector<Match> matches_;
  std::size_t match_count_ = 0;
  std::vector<std::uint64_t> pattern_hits_;
  std::vector<std::uint64_t> candidates_;
  std::vector<std::uint32_t> walk_list_;  // candidates past the pre-check, in position order
  std::vector<std::uint8_t> reached_;
  std::array<std::uint64_t, 2> fold_partner_fields_{};  // fields whose value holds ſ or K (ascii.h)
  bool trace_ = false;
};

EvalOutcome Evaluate(const CompiledContent& content, std::uint16_t template_type, Inputs inputs,
                     EvalScratch& scratch);

// Evaluate's literal search of every field of `type` (its automata and
// sampled scans, several fields at a time): sets the bit of each pattern the
// inputs hold. Public so that a benchmark times the search Evaluate runs.
// The inputs must cover the fields the type reads; `hits` holds
// type.pattern_count bits, cleared by the caller.
void ScanFields(const TypeIndex& type, Inputs inputs, HitWords hits);
}  // namespace chanval::interp
