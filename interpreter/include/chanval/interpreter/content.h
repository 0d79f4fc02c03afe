// Loading: verified channel payload + a sensor profile → an immutable compiled
// form the evaluator runs. Everything that can fail (regex compilation, CIDR
// parsing, size budgets) fails here, once, never per event.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "chanval/channel_generated.h"
#include "chanval/interpreter/aho_corasick.h"
#include "chanval/interpreter/class_gate.h"
#include "chanval/interpreter/cost.h"
#include "chanval/interpreter/matcher_kinds.h"
#include "chanval/interpreter/profile.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/interpreter/sampled_scan.h"

namespace chanval::interp {

using fb::Action;
using fb::CompareOp;
using fb::ExprOp;
using fb::MatcherKind;
using fb::Severity;

enum class LoadStatus : std::uint8_t {
  Ok = 0,
  UnknownTemplateType,
  FieldNotDeclared,
  KindDoesNotFitField,
  BadValueCount,
  LiteralTooLong,
  BadRegex,
  RegexTooBig,
  BadCidr,
  BadRange,
  BadExpression,
  AutomatonTooLarge,
  KindNeedsNewerInterpreter,
  CostOverBudget,    // static per-event bound over the build's max_cost_per_event
  MemoryOverBudget,  // memory the content needs over the build's max_load_memory
};
const char* LoadStatusName(LoadStatus s);

// What the content costs this build, computed by the loader from the
// compiled form before the large tables are allocated. The validator reports
// these figures; it never derives them itself.
struct ResourceFigures {
  std::uint64_t cost_bound = 0;         // static per-event cost, worst template type (cost.h units)
  std::uint16_t cost_bound_type = 0;    // the template type that has it
  std::uint64_t load_bytes = 0;         // held after load: automata, pools, regex programs, scratch
  std::uint64_t build_bytes = 0;        // temporaries during load on top of that, freed after
  std::uint64_t regex_reserve_bytes = 0;  // DFA memory RE2 may still take lazily (max_mem per regex)
  std::uint64_t automaton_bytes = 0;    // part of load_bytes: the prefilter tables
  // The most the content can hold at any time: checked against max_load_memory.
  std::uint64_t memory_bound() const { return load_bytes + build_bytes + regex_reserve_bytes; }
};

struct LoadError {
  static constexpr std::uint32_t kNoInstance = 0xffffffffu;  // the error is about the whole file
  LoadStatus status = LoadStatus::Ok;
  std::uint32_t instance_index = 0;
  std::uint32_t matcher_index = 0;
  std::string detail;
  ResourceFigures figures;  // as far as computed (complete for the two budget statuses)
};

struct LoadOptions {
  // The sensor always refuses over-budget content. Off only for tools and
  // tests that must run such content to show the runtime check firing.
  bool enforce_budgets = true;
};

struct CidrBlock {
  bool v6 = false;
  std::array<std::uint8_t, 16> network{};
  std::uint8_t prefix = 0;
};

// How the optimized evaluator's prefilter decides a compiled matcher,
// resolved at load from its kind's row (matcher_kinds.h), its values and
// ignore_case, so the per-event path tests one byte.
enum class PrefilterUse : std::uint8_t {
  None,           // run directly (no literal text: integers, CIDR, field comparison, Wildcard)
  Literals,       // each literal verified only when its automaton pattern was seen
  DecidedByHits,  // folded literals the automaton alone decides (Contains, ignore_case)
  LiteralSet,     // any pattern seen, then a binary search of the sorted set
  RegexAtoms,     // run unless none of its RE2 atoms was seen
  // No atom of 3 bytes: the value is searched before RE2 runs, for RE2's
  // prefilter over shorter atoms and for a run of byte classes every match
  // holds (class_gate.h), each where the regex has one.
  RegexValueSearch,
};

struct CompiledMatcher {
  MatcherKind kind = MatcherKind::Wildcard;
  CompareOp op = CompareOp::Eq;
  bool ignore_case = false;
  InputUse input = InputUse::None;  // the row's, with integer values counted (InputUseOf)
  std::uint16_t field = 0;
  std::uint16_t other_field = 0;  // FieldEquals only
  std::int64_t lo = 0, hi = 0;
  MatcherPrice price;  // cost.h: charged before each evaluation
  // Ranges into CompiledContent's pools.
  std::uint32_t literal_begin = 0, literal_count = 0;  // literals (folded when ignore_case)
  std::uint32_t int_begin = 0, int_count = 0;          // sorted int set
  std::uint32_t cidr_begin = 0, cidr_count = 0;
  std::uint32_t regex = 0;                             // index into regexes
  // Regex only: prefilter atoms (RE2's FilteredRE2), one of which must occur,
  // and for at most RegexPool::kMaxTabledAtoms of them the truth table of
  // RE2's AND/OR prefilter over them (RegexPool::Entry::atom_table).
  // RegexAtoms: into atom_patterns; RegexValueSearch: into short_atoms, the
  // table that of RegexPool::Entry::short_atom_table (RegexValueSearch
  // may have none).
  std::uint32_t atom_begin = 0, atom_count = 0;
  // RegexValueSearch: into class_gates, or kNoClassGate. (Here, it fills
  // what was padding before atom_table.)
  static constexpr std::uint32_t kNoClassGate = UINT32_MAX;
  std::uint32_t class_gate = kNoClassGate;
  std::uint64_t atom_table = 0;
  PrefilterUse prefilter = PrefilterUse::None;
  // What the prefilter's search of the value costs a byte of it (cost.h),
  // before RE2 runs (RegexValueSearch): the short atoms' summed length, and
  // 1 for the class gate (it reads at most the value's length).
  std::uint32_t value_search_bytes = 0;
};

// The inputs a matcher reads (its row's InputUse): its field, and a second
// field for a kind that compares two (Wildcard reads none). The one definition behind the bounds checks, the
// entry point's up-front check and the validator's accounting of reads.
template <typename OnField>
void ForEachFieldRead(const CompiledMatcher& m, OnField&& on_field) {
  if (m.input == InputUse::None) return;
  on_field(m.field);
  if (m.input == InputUse::TwoTexts) on_field(m.other_field);
}

// The same for a matcher as the channel file holds it.
template <typename OnField>
void ForEachFieldRead(const fb::Matcher& m, OnField&& on_field) {
  if (m.kind() > fb::MatcherKind::MAX) return;  // refused by the parser and the loader
  const InputUse use = KindRow(m.kind()).input;
  if (use == InputUse::None) return;
  on_field(m.field());
  if (use == InputUse::TwoTexts) on_field(m.other_field());
}

// The first input the matcher reads at or past `supplied`, if any.
inline std::optional<std::uint16_t> FirstFieldPast(const CompiledMatcher& m, std::size_t supplied) {
  std::optional<std::uint16_t> past;
  ForEachFieldRead(m, [&](std::uint16_t f) {
    if (!past && f >= supplied) past = f;
  });
  return past;
}

struct CompiledNode {
  ExprOp op = ExprOp::And;
  std::uint32_t matcher = 0;  // global matcher index for op Matcher
  std::uint32_t child_begin = 0, child_count = 0;  // into node_children
};

struct CompiledInstance {
  std::uint32_t id = 0;
  std::uint16_t template_type = 0;
  Action action = Action::Report;
  Severity severity = Severity::Informational;
  std::uint32_t matcher_begin = 0, matcher_count = 0;  // global matcher indices
  std::uint32_t root = 0;                              // node index
  std::uint32_t node_count = 0;                        // condition nodes (each visited at most once per event)
  std::string name;
};

// Per template type: its instances, and the prefilter that picks candidates.
struct TypeIndex {
  std::uint16_t template_type = 0;
  std::uint32_t supplied_count = 0;  // informational: the profile's supplied inputs
  std::vector<std::uint32_t> instances;         // global instance indices, file order
  // A field's literal search: the automaton, or the sampled scan when all
  // the field's patterns are long and its worst case fits the automaton's
  // price (sampled_scan.h). Either sets the same hit bits; both are charged
  // ScanCost(length, pattern_count).
  struct FieldAutomaton {
    std::uint16_t field = 0;
    bool has_regex_atoms = false;  // see FoldPartnerFields in evaluator.cpp
    std::uint32_t pattern_count = 0;
    AhoCorasick automaton;         // empty when `sampled` is built
    SampledScan sampled;
    std::size_t held_bytes() const { return automaton.held_bytes() + sampled.held_bytes(); }
  };
  std::vector<FieldAutomaton> automata;         // one per field with literals
  std::uint32_t pattern_count = 0;              // per-type pattern id space
  // pattern id → positions (into `instances`) whose necessary clause holds it
  std::vector<std::uint32_t> pattern_instance_begin;  // size pattern_count + 1
  std::vector<std::uint32_t> pattern_instances;
  std::vector<std::uint32_t> unconditional;     // positions always evaluated
  std::vector<std::uint32_t> regex_prefiltered; // positions with a regex gated by atoms (see ascii.h)
  // Per position, the necessary clauses besides the one that selects it, as
  // [size, pattern ids...] runs: a candidate none of one clause's patterns
  // was seen for cannot match and is not walked.
  std::vector<std::uint32_t> precheck_begin;    // size instances + 1, into precheck
  std::vector<std::uint32_t> precheck;
  // Per position, patterns any one of which, seen, makes the instance's
  // condition false (NecessaryClauses::Blocking): such a candidate is not
  // walked, nor is such an unconditional instance.
  std::vector<std::uint32_t> blocking_begin;    // size instances + 1, into blocking
  std::vector<std::uint32_t> blocking;
  std::uint64_t selection_cost = 0;             // candidate selection: every list entry, every position, every pre-check and blocking entry, each pattern twice
  std::uint64_t scan_cost_bound = 0;            // prefilter passes at maximal input length + selection_cost
  std::uint64_t cost_bound = 0;                 // static per-event bound: scans + every instance's nodes and matchers
  std::uint32_t fields_read = 0;                // 1 + the highest field index any matcher reads, 0 if none
};

class CompiledContent {
 public:
  struct Result;
  // `file` must already have passed the FlatBuffers verifier. `pool`, if
  // given, shares compiled regexes with other loads (it must outlive none of
  // them: the content keeps its regexes alive).
  static Result Load(const fb::ChannelFile& file, const SensorProfile& profile, RegexPool* pool = nullptr,
                     LoadOptions options = {});

  const SensorProfile& profile() const { return profile_; }
  const std::vector<CompiledInstance>& instances() const { return instances_; }
  const std::vector<CompiledMatcher>& matchers() const { return matchers_; }
  const std::vector<TypeIndex>& types() const { return types_; }
  const TypeIndex* FindType(std::uint16_t template_type) const;
  std::size_t max_instances_per_type() const { return max_instances_per_type_; }
  std::size_t max_patterns_per_type() const { return max_patterns_per_type_; }
  const ResourceFigures& figures() const { return figures_; }

  // Pools referenced by CompiledMatcher ranges.
  std::vector<std::string> literals;
  std::vector<std::uint32_t> literal_patterns;  // pattern id per literal, kNoPattern if none
  std::vector<std::uint32_t> atom_patterns;     // pattern ids of regex atoms
  std::vector<std::string> short_atoms;         // RegexValueSearch' atoms, lower-cased ASCII
  std::vector<std::shared_ptr<const ClassGate>> class_gates;  // RegexValueSearch's, one per distinct regex
  std::vector<std::int64_t> ints;
  std::vector<CidrBlock> cidrs;
  std::vector<std::shared_ptr<const RE2>> regexes;
  std::vector<CompiledNode> nodes;
  std::vector<std::uint32_t> node_children;

  static constexpr std::uint32_t kNoPattern = 0xffffffffu;

 private:
  friend class Loader;
  SensorProfile profile_;
  std::vector<CompiledInstance> instances_;
  std::vector<CompiledMatcher> matchers_;
  std::vector<TypeIndex> types_;
  std::size_t max_instances_per_type_ = 0;
  std::size_t max_patterns_per_type_ = 0;
  ResourceFigures figures_;
};

struct CompiledContent::Result {
  std::unique_ptr<CompiledContent> content;  // null on error
  LoadError error;
};

}  // namespace chanval::interp
