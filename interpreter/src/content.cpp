// CompiledContent::Load (content.h): the loader — instances, condition
// trees, prefilter automata, cost bound, memory figures. Tests:
// tests/test_interpreter.cpp, test_resources.cpp, test_load_memory.cpp.
#include "chanval/interpreter/content.h"

#include <algorithm>
#include <bit>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "chanval/interpreter/address.h"
#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/matcher_rules.h"
#include "chanval/interpreter/matcher_shape.h"
#include "chanval/interpreter/keyed_hash.h"
#include "necessary_clauses.h"
#include "seams.h"

namespace chanval::interp {
namespace {

PrefilterUse PrefilterFor(const MatcherKindRow& row, bool int_values, bool ignore_case) {
  if (!HasLiteralText(row.kind, int_values)) {
    return row.syntax == ValueSyntax::Regex ? PrefilterUse::RegexAtoms : PrefilterUse::None;
  }
  if (row.syntax == ValueSyntax::LiteralSet) return PrefilterUse::LiteralSet;
  return ignore_case && row.hit_decides_folded ? PrefilterUse::DecidedByHits : PrefilterUse::Literals;
}

// Frees what `scan` holds. Assigning a fresh one would not: a string's
// move assignment from a short one keeps the target's buffer, which the
// memory oracle (fuzz/common.cpp) caught as bytes held past the plan.
template <typename Scan>
void ReleaseHeld(Scan& scan) {
  Scan empty;
  std::swap(scan, empty);
}

}  // namespace

const char* LoadStatusName(LoadStatus s) {
  switch (s) {
    case LoadStatus::Ok: return "ok";
    case LoadStatus::UnknownTemplateType: return "unknown template type";
    case LoadStatus::FieldNotDeclared: return "field not declared by the template type";
    case LoadStatus::KindDoesNotFitField: return "matcher kind does not fit the field type";
    case LoadStatus::BadValueCount: return "matcher values do not fit its kind";
    case LoadStatus::LiteralTooLong: return "literal longer than the sensor's limit";
    case LoadStatus::BadRegex: return "regex does not compile";
    case LoadStatus::RegexTooBig: return "regex program over the sensor's budget";
    case LoadStatus::BadCidr: return "malformed CIDR block";
    case LoadStatus::BadRange: return "malformed integer range";
    case LoadStatus::BadExpression: return "malformed condition";
    case LoadStatus::AutomatonTooLarge: return "prefilter automaton over its size limit";
    case LoadStatus::KindNeedsNewerInterpreter: return "matcher kind needs a newer interpreter ABI";
    case LoadStatus::CostOverBudget: return "per-event cost bound over the sensor's budget";
    case LoadStatus::MemoryOverBudget: return "memory needed over the sensor's budget";
  }
  return "?";
}

class Loader {
 public:
  Loader(const fb::ChannelFile& file, const SensorProfile& profile, RegexPool* pool, LoadOptions options)
      : file_(file), pool_(pool ? pool : &own_pool_), options_(options) {
    out_ = std::make_unique<CompiledContent>();
    out_->profile_ = profile;
  }

  CompiledContent::Result Run() {
    const auto* instances = file_.instances();
    for (std::uint32_t i = 0; instances && i < instances->size(); ++i) {
      if (!LoadInstance(i, *instances->Get(i))) return {nullptr, std::move(error_)};
    }
    if (!BuildTypeIndexes()) return {nullptr, std::move(error_)};
    return {std::move(out_), {}};
  }

 private:
  // One field's pattern ids by folded text (hashed: a sorted map's lookups
  // were half of building the indexes; the automaton sorts its patterns).
  // The file chooses the texts: the hash is keyed (keyed_hash.h).
  using FieldPatterns = std::unordered_map<std::string, std::uint32_t, KeyedStringHash>;

  // One type's pattern ids: one per distinct (field, folded text), numbered
  // in order of first use, with each text's length (NecessaryClauses ranks
  // clauses by it).
  struct TypePatterns {
    std::map<std::uint16_t, FieldPatterns> by_field;
    std::vector<std::uint32_t> length;  // per id; its size is the type's pattern count

    std::uint32_t IdOf(std::uint16_t field, std::string folded) {
      auto [it, fresh] = by_field[field].try_emplace(std::move(folded), static_cast<std::uint32_t>(length.size()));
      if (fresh) length.push_back(static_cast<std::uint32_t>(it->first.size()));
      return it->second;
    }
  };

  bool Fail(LoadStatus s, std::uint32_t instance, std::uint32_t matcher, std::string detail) {
    error_ = {s, instance, matcher, std::move(detail), out_->figures_};
    return false;
  }

  bool LoadInstance(std::uint32_t index, const fb::Instance& in) {
    const TypeSpec* type = out_->profile_.FindType(in.template_type());
    if (!type) return Fail(LoadStatus::UnknownTemplateType, index, 0, std::to_string(in.template_type()));
    CompiledInstance ci;
    ci.id = in.id();
    ci.template_type = in.template_type();
    ci.action = in.action();
    ci.severity = in.severity();
    ci.name = in.name() ? in.name()->str() : std::string();
    ci.matcher_begin = static_cast<std::uint32_t>(out_->matchers_.size());
    const auto* ms = in.matchers();
    const std::uint32_t count = ms ? ms->size() : 0;
    if (count > limits::kMaxMatchersPerInstance) {
      return Fail(LoadStatus::BadExpression, index, 0, "too many matchers");
    }
    for (std::uint32_t m = 0; m < count; ++m) {
      if (!LoadMatcher(index, m, *ms->Get(m), *type)) return false;
    }
    ci.matcher_count = count;
    nodes_in_instance_ = 0;
    std::optional<std::uint32_t> root;
    if (in.condition()) {
      root = LoadExpr(index, *in.condition(), ci.matcher_begin, count, 1);
    } else {
      root = ImplicitAnd(ci.matcher_begin, count);
    }
    if (!root) return false;
    ci.root = *root;
    ci.node_count = static_cast<std::uint32_t>(nodes_in_instance_);
    out_->instances_.push_back(std::move(ci));
    return true;
  }

  bool LoadMatcher(std::uint32_t ii, std::uint32_t mi, const fb::Matcher& m, const TypeSpec& type) {
    // The build's rules for a matcher, decided where the validator decides them too.
    if (const auto violations = MatcherViolations(m, type, out_->profile_, *pool_); !violations.empty()) {
      return Fail(violations.front().status, ii, mi, violations.front().detail);
    }
    const Budgets& budgets = out_->profile_.budgets;
    CompiledMatcher cm;
    cm.kind = m.kind();
    cm.op = m.op();
    cm.ignore_case = m.ignore_case();
    cm.field = m.field();
    cm.other_field = m.other_field();
    cm.lo = m.lo();
    cm.hi = m.hi();
    const std::uint32_t nvalues = m.values() ? m.values()->size() : 0;
    const MatcherKindRow& row = KindRow(m.kind());
    const bool int_values = m.int_values() && m.int_values()->size();
    cm.input = InputUseOf(m.kind(), int_values);
    cm.prefilter = PrefilterFor(row, int_values, cm.ignore_case);
    if (int_values) {  // a set of integers
      cm.int_begin = static_cast<std::uint32_t>(out_->ints.size());
      cm.int_count = m.int_values()->size();
      out_->ints.insert(out_->ints.end(), m.int_values()->begin(), m.int_values()->end());
      std::sort(out_->ints.begin() + cm.int_begin, out_->ints.end());
    }
    switch (row.syntax) {
      case ValueSyntax::None:
        break;
      case ValueSyntax::Literal:
      case ValueSyntax::LiteralSet:
        if (nvalues) {
          cm.literal_begin = static_cast<std::uint32_t>(out_->literals.size());
          cm.literal_count = nvalues;
          for (std::uint32_t v = 0; v < nvalues; ++v) {
            const std::string_view s = m.values()->Get(v)->string_view();
            out_->literals.push_back(cm.ignore_case ? FoldedCopy(s) : std::string(s));
          }
          if (row.syntax == ValueSyntax::LiteralSet) {
            std::sort(out_->literals.begin() + cm.literal_begin, out_->literals.end());
          }
        }
        break;
      case ValueSyntax::Regex: {
        const auto* pattern = m.values()->Get(0);
        const auto& entry = pool_->Get(pattern->string_view(), cm.ignore_case, budgets);
        const auto& re = entry.re;  // compiles within budget: MatcherViolations checked it
        cm.regex = static_cast<std::uint32_t>(out_->regexes.size());
        out_->regexes.push_back(re);
        regex_atoms_.push_back(&entry.atoms);
        cm.atom_table = entry.atom_table;
        if (entry.atoms.empty() && (!entry.short_atoms.empty() || entry.class_gate)) {
          cm.prefilter = PrefilterUse::RegexValueSearch;
          cm.atom_begin = static_cast<std::uint32_t>(out_->short_atoms.size());
          cm.atom_count = static_cast<std::uint32_t>(entry.short_atoms.size());
          cm.atom_table = entry.short_atom_table;
          out_->short_atoms.insert(out_->short_atoms.end(), entry.short_atoms.begin(), entry.short_atoms.end());
          for (const auto& atom : entry.short_atoms) cm.value_search_bytes += static_cast<std::uint32_t>(atom.size());
          if (entry.class_gate) {
            cm.class_gate = GateIndexOf(re.get(), entry.class_gate);
            cm.value_search_bytes += 1;
          }
        }
        if (distinct_regexes_.insert(re.get()).second) {  // counted as compiled: at most one regex over
          auto& f = out_->figures_;
          f.load_bytes += kRegexObjectBytes + kRegexBytesPerInstruction * static_cast<std::uint64_t>(re->ProgramSize());
          f.regex_reserve_bytes += budgets.regex_max_mem;
          if (!WithinMemory()) return Fail(LoadStatus::MemoryOverBudget, ii, mi, MemoryDetail());
        }
        break;
      }
      case ValueSyntax::Cidr:
        cm.cidr_begin = static_cast<std::uint32_t>(out_->cidrs.size());
        cm.cidr_count = nvalues;
        for (std::uint32_t v = 0; v < nvalues; ++v) {
          out_->cidrs.push_back(*ParseCidr(m.values()->Get(v)->string_view()));  // well formed: checked above
        }
        break;
    }
    out_->matchers_.push_back(cm);
    return true;
  }

  std::optional<std::uint32_t> NewNode(std::uint32_t ii, CompiledNode n) {
    if (++nodes_in_instance_ > limits::kMaxExprNodesPerInstance) {
      Fail(LoadStatus::BadExpression, ii, 0, "condition has too many nodes");
      return std::nullopt;
    }
    out_->nodes.push_back(n);
    return static_cast<std::uint32_t>(out_->nodes.size() - 1);
  }

  std::optional<std::uint32_t> ImplicitAnd(std::uint32_t first, std::uint32_t count) {
    CompiledNode n{ExprOp::And, 0, static_cast<std::uint32_t>(out_->node_children.size()), 0};
    std::vector<std::uint32_t> kids;
    for (std::uint32_t m = 0; m < count; ++m) {
      auto k = NewNode(0, {ExprOp::Matcher, first + m, 0, 0});
      if (!k) return std::nullopt;
      kids.push_back(*k);
    }
    n.child_begin = static_cast<std::uint32_t>(out_->node_children.size());
    n.child_count = count;
    out_->node_children.insert(out_->node_children.end(), kids.begin(), kids.end());
    return NewNode(0, n);
  }

  std::optional<std::uint32_t> LoadExpr(std::uint32_t ii, const fb::Expr& e, std::uint32_t first,
                                        std::uint32_t count, std::size_t depth) {
    if (depth > limits::kMaxExprDepth) {
      Fail(LoadStatus::BadExpression, ii, 0, "condition nested too deeply");
      return std::nullopt;
    }
    const std::uint32_t nargs = e.args() ? e.args()->size() : 0;
    switch (e.op()) {
      case ExprOp::Matcher:
        if (nargs || e.matcher() >= count) {
          Fail(LoadStatus::BadExpression, ii, 0, "matcher reference " + std::to_string(e.matcher()) + " out of range");
          return std::nullopt;
        }
        return NewNode(ii, {ExprOp::Matcher, first + e.matcher(), 0, 0});
      case ExprOp::And:
      case ExprOp::Or:
      case ExprOp::Not: {
        if (nargs == 0 || (e.op() == ExprOp::Not && nargs != 1)) {
          Fail(LoadStatus::BadExpression, ii, 0, "operator with wrong number of arguments");
          return std::nullopt;
        }
        std::vector<std::uint32_t> kids;
        for (std::uint32_t a = 0; a < nargs; ++a) {
          auto k = LoadExpr(ii, *e.args()->Get(a), first, count, depth + 1);
          if (!k) return std::nullopt;
          kids.push_back(*k);
        }
        CompiledNode n{e.op(), 0, static_cast<std::uint32_t>(out_->node_children.size()), nargs};
        out_->node_children.insert(out_->node_children.end(), kids.begin(), kids.end());
        return NewNode(ii, n);
      }
    }
    Fail(LoadStatus::BadExpression, ii, 0, "unknown operator");
    return std::nullopt;
  }

  void AssignRegexAtoms(CompiledContent& c, TypePatterns& patterns, CompiledMatcher& m) {
    const auto& atoms = *regex_atoms_[m.regex];
    m.atom_begin = static_cast<std::uint32_t>(c.atom_patterns.size());
    m.atom_count = static_cast<std::uint32_t>(atoms.size());
    for (const auto& a : atoms) c.atom_patterns.push_back(patterns.IdOf(m.field, a));
  }

  // RE2's memory for a compiled regex with its prefilter (the FilteredRE2
  // that compiled it stays alive with it), measured with mallinfo2 over
  // SigmaHQ's 158 process_creation regexes both ways of case (a least-squares
  // fit gives 3.7 KB + 12 B an instruction; these cover the sum by 16%).
  // unit.load_memory checks the whole figure against resident memory for
  // 1,100 small regexes.
  static constexpr std::uint64_t kRegexObjectBytes = 4096;
  static constexpr std::uint64_t kRegexBytesPerInstruction = 16;
  // A class gate made shared (make_shared: one block, its control block and
  // glibc's chunk header around the table).
  static constexpr std::uint64_t kClassGateBytes = sizeof(ClassGate) + 32;

  bool WithinMemory() const {
    return !options_.enforce_budgets || out_->figures_.memory_bound() <= out_->profile_.budgets.max_load_memory;
  }
  std::string MemoryDetail() const {
    const auto& f = out_->figures_;
    return "needs " + std::to_string(f.memory_bound()) + " bytes (" + std::to_string(f.load_bytes) + " held, " +
           std::to_string(f.build_bytes) + " while building, " + std::to_string(f.regex_reserve_bytes) +
           " regex DFA reserve) > budget " + std::to_string(out_->profile_.budgets.max_load_memory);
  }

  // Shared with the regex pool, like the regex: counted once, when first held.
  std::uint32_t GateIndexOf(const RE2* re, const std::shared_ptr<const ClassGate>& gate) {
    auto& gates = out_->class_gates;
    const auto [it, added] = class_gate_of_.emplace(re, static_cast<std::uint32_t>(gates.size()));
    if (added) {
      gates.push_back(gate);
      out_->figures_.load_bytes += kClassGateBytes;
    }
    return it->second;
  }

  // The matcher's price (cost.h): what the optimized evaluator does for its
  // kind, at worst, once the prefilter has run.
  MatcherPrice PriceOf(const CompiledMatcher& m) const {
    const auto& c = *out_;
    PriceFacts facts;
    facts.literal_count = m.literal_count;
    for (std::uint32_t l = m.literal_begin; l < m.literal_begin + m.literal_count; ++l) {
      facts.literal_bytes += c.literals[l].size();
      facts.longest_literal = std::max<std::uint64_t>(facts.longest_literal, c.literals[l].size());
    }
    facts.int_count = m.int_count;
    facts.cidr_count = m.cidr_count;
    facts.ignore_case = m.ignore_case;
    if (KindRow(m.kind).syntax == ValueSyntax::Regex) {
      facts.atom_count = m.atom_count;
      facts.value_search_bytes = m.value_search_bytes;
      facts.program_size = static_cast<std::uint64_t>(c.regexes[m.regex]->ProgramSize());
    }
    return KindRow(m.kind).price(facts);
  }

  template <typename T>
  static std::uint64_t VectorBytes(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
  }
  static std::uint64_t StringHeapBytes(const std::string& s) {
    constexpr std::size_t kInline = 15, kMallocOverhead = 16;  // libstdc++ SSO, glibc chunk header
    return s.capacity() > kInline ? s.capacity() + 1 + kMallocOverhead : 0;
  }

  // Everything but the automata and the regexes, which are counted as they are planned and compiled.
  std::uint64_t PoolBytes() const {
    const auto& c = *out_;
    std::uint64_t b = VectorBytes(c.instances_) + VectorBytes(c.matchers_) + VectorBytes(c.literals) +
                      VectorBytes(c.literal_patterns) + VectorBytes(c.atom_patterns) +
                      VectorBytes(c.short_atoms) + VectorBytes(c.class_gates) + VectorBytes(c.ints) +
                      VectorBytes(c.cidrs) + VectorBytes(c.regexes) + VectorBytes(c.nodes) +
                      VectorBytes(c.node_children) + VectorBytes(c.types_);
    for (const auto& i : c.instances_) b += StringHeapBytes(i.name);
    for (const auto& l : c.literals) b += StringHeapBytes(l);
    for (const auto& a : c.short_atoms) b += StringHeapBytes(a);
    for (const auto& t : c.types_) {
      b += VectorBytes(t.instances) + VectorBytes(t.automata) + VectorBytes(t.pattern_instance_begin) +
           VectorBytes(t.pattern_instances) + VectorBytes(t.unconditional) + VectorBytes(t.regex_prefiltered) +
           VectorBytes(t.precheck_begin) + VectorBytes(t.precheck) + VectorBytes(t.blocking_begin) +
           VectorBytes(t.blocking);
    }
    return b + EvalScratch::BytesFor(c);  // sized from the content
  }

  bool BuildTypeIndexes() {
    auto& c = *out_;
    c.literal_patterns.assign(c.literals.size(), CompiledContent::kNoPattern);
    std::map<std::uint16_t, std::vector<std::uint32_t>> by_type;
    for (std::uint32_t i = 0; i < c.instances_.size(); ++i) by_type[c.instances_[i].template_type].push_back(i);
    std::uint64_t pending_bytes = 0, largest_build = 0;
    for (auto& [type_id, members] : by_type) {
      TypeIndex t;
      t.template_type = type_id;
      t.supplied_count = static_cast<std::uint32_t>(c.profile_.FindType(type_id)->supplied.size());
      t.instances = members;
      TypePatterns patterns;
      std::set<std::uint16_t> regex_fields;
      for (std::uint32_t inst : members) {
        const auto& ci = c.instances_[inst];
        for (std::uint32_t mi = ci.matcher_begin; mi < ci.matcher_begin + ci.matcher_count; ++mi) {
          const auto& m = c.matchers_[mi];
          ForEachFieldRead(m, [&](std::uint16_t f) { t.fields_read = std::max<std::uint32_t>(t.fields_read, f + 1u); });
          if (m.prefilter == PrefilterUse::RegexAtoms) {
            AssignRegexAtoms(c, patterns, c.matchers_[mi]);
            if (m.atom_count) regex_fields.insert(m.field);
          }
          for (std::uint32_t l = m.literal_begin; l < m.literal_begin + m.literal_count; ++l) {
            if (c.literals[l].empty()) continue;
            c.literal_patterns[l] = patterns.IdOf(m.field, FoldedCopy(c.literals[l]));
          }
        }
      }
      t.pattern_count = static_cast<std::uint32_t>(patterns.length.size());
      for (auto& [field, field_patterns] : patterns.by_field) {
        TypeIndex::FieldAutomaton fa;
        fa.field = field;
        fa.has_regex_atoms = regex_fields.count(field) != 0;
        fa.pattern_count = static_cast<std::uint32_t>(field_patterns.size());
        std::uint64_t automaton_pending = 0;
        std::size_t shortest = SIZE_MAX;
        for (auto& [text, id] : field_patterns) {
          fa.automaton.Add(text, id);
          automaton_pending += sizeof(std::pair<std::string, std::uint32_t>) + StringHeapBytes(text);
          shortest = std::min(shortest, text.size());
        }
        const auto plan = fa.automaton.Prepare();
        if (plan.states > limits::kMaxAutomatonStates) {
          return Fail(LoadStatus::AutomatonTooLarge, members.front(), 0,
                      "field " + std::to_string(field) + ": " + std::to_string(plan.states) + " states > " +
                          std::to_string(limits::kMaxAutomatonStates));
        }
        // The sampled scan instead, where it fits the same price in no more memory.
        SampledScan::Plan sampled;
        if (SampledScan::LongEnough(shortest)) {
          for (const auto& [text, id] : field_patterns) fa.sampled.Add(text, id);
          sampled = fa.sampled.Prepare(plan.held_bytes);
        }
        if (sampled.fits) {  // within the automaton's price and its memory
          ReleaseHeld(fa.automaton);
          c.figures_.automaton_bytes += sampled.held_bytes;
          pending_bytes += sampled.pending_bytes;  // Build() allocates nothing else
        } else {
          ReleaseHeld(fa.sampled);
          c.figures_.automaton_bytes += plan.held_bytes;
          largest_build = std::max<std::uint64_t>(largest_build, plan.build_bytes);
          pending_bytes += automaton_pending;
        }
        t.scan_cost_bound = AddCost(t.scan_cost_bound, WorstScanCost(fa.pattern_count));
        t.automata.push_back(std::move(fa));
      }
      std::vector<std::vector<std::uint32_t>> per_pattern(t.pattern_count);
      NecessaryClauses clauses(c, patterns.length);
      // Every instance's clauses first, to count the clauses naming each
      // pattern; then each instance is selected by its least common clause.
      std::vector<NecessaryClauses::Found> found_of(members.size());
      std::vector<std::uint32_t> uses(t.pattern_count, 0);
      for (std::uint32_t pos = 0; pos < members.size(); ++pos) {
        const auto& ci = c.instances_[members[pos]];
        found_of[pos] = clauses.ForInstance(ci.root, ci.node_count);
        if (!found_of[pos].selecting) continue;
        for (std::uint32_t p : *found_of[pos].selecting) ++uses[p];
        for (const auto& clause : found_of[pos].others) {
          for (std::uint32_t p : clause) ++uses[p];
        }
      }
      t.precheck_begin.assign(members.size() + 1, 0);
      t.blocking_begin.assign(members.size() + 1, 0);
      for (std::uint32_t pos = 0; pos < members.size(); ++pos) {
        const auto& ci = c.instances_[members[pos]];
        for (std::uint32_t mi = ci.matcher_begin; mi < ci.matcher_begin + ci.matcher_count; ++mi) {
          if (c.matchers_[mi].prefilter == PrefilterUse::RegexAtoms && c.matchers_[mi].atom_count) {
            t.regex_prefiltered.push_back(pos);
            break;
          }
        }
        t.precheck_begin[pos] = static_cast<std::uint32_t>(t.precheck.size());
        t.blocking_begin[pos] = static_cast<std::uint32_t>(t.blocking.size());
        const auto blocking = clauses.Blocking(ci.root);
        t.blocking.insert(t.blocking.end(), blocking.begin(), blocking.end());
        auto& found = found_of[pos];
        clauses.ChooseSelecting(found, uses);
        if (!found.selecting) {
          t.unconditional.push_back(pos);
          continue;
        }
        for (std::uint32_t p : *found.selecting) per_pattern[p].push_back(pos);
        // The pre-check: the other necessary clauses (the selecting one holds).
        for (const auto& clause : found.others) {
          t.precheck.push_back(static_cast<std::uint32_t>(clause.size()));
          t.precheck.insert(t.precheck.end(), clause.begin(), clause.end());
        }
        found = {};  // freed as the pre-check takes it over: the peak stays one copy
      }
      t.pattern_instance_begin.assign(t.pattern_count + 1, 0);
      for (std::uint32_t p = 0; p < t.pattern_count; ++p) {
        t.pattern_instance_begin[p] = static_cast<std::uint32_t>(t.pattern_instances.size());
        t.pattern_instances.insert(t.pattern_instances.end(), per_pattern[p].begin(), per_pattern[p].end());
      }
      t.pattern_instance_begin[t.pattern_count] = static_cast<std::uint32_t>(t.pattern_instances.size());
      t.precheck_begin[members.size()] = static_cast<std::uint32_t>(t.precheck.size());
      t.blocking_begin[members.size()] = static_cast<std::uint32_t>(t.blocking.size());
      // Evaluate passes over the hit patterns twice: once fetching their
      // lists ahead, once reading them.
      t.selection_cost = t.pattern_instances.size() + t.regex_prefiltered.size() + 2 * members.size() +
                         2 * std::uint64_t{t.pattern_count} + t.precheck.size() + t.blocking.size();
      t.scan_cost_bound = AddCost(t.scan_cost_bound, t.selection_cost);
      c.max_instances_per_type_ = std::max(c.max_instances_per_type_, members.size());
      c.max_patterns_per_type_ = std::max<std::size_t>(c.max_patterns_per_type_, t.pattern_count);
      c.types_.push_back(std::move(t));
    }

    // Memory: decided before any transition table is allocated.
    auto& f = c.figures_;
    f.load_bytes += PoolBytes() + f.automaton_bytes;
    f.build_bytes = pending_bytes + largest_build;  // automata are built one at a time
    if (!WithinMemory()) return Fail(LoadStatus::MemoryOverBudget, LoadError::kNoInstance, 0, MemoryDetail());

    // Cost: every matcher priced, every instance's nodes and matchers summed per type.
    for (auto& m : c.matchers_) m.price = PriceOf(m);
    for (auto& t : c.types_) {
      std::uint64_t bound = t.scan_cost_bound;
      for (std::uint32_t inst : t.instances) bound = AddCost(bound, InstanceCostBound(c, c.instances_[inst]));
      t.cost_bound = bound;
      if (bound >= f.cost_bound) {
        f.cost_bound = bound;
        f.cost_bound_type = t.template_type;
      }
    }
    if (options_.enforce_budgets && f.cost_bound > c.profile_.budgets.max_cost_per_event) {
      return Fail(LoadStatus::CostOverBudget, LoadError::kNoInstance, 0,
                  "template type " + std::to_string(f.cost_bound_type) + ": worst case " +
                      std::to_string(f.cost_bound) + " units per event > budget " +
                      std::to_string(c.profile_.budgets.max_cost_per_event));
    }

    for (auto& t : c.types_) {
      for (auto& fa : t.automata) {
        if (fa.sampled.plan().fits) {
          fa.sampled.Build();
          continue;
        }
        if (!fa.automaton.Build(limits::kMaxAutomatonStates)) {
          return Fail(LoadStatus::AutomatonTooLarge, t.instances.front(), 0, "field " + std::to_string(fa.field));
        }
      }
    }
    return true;
  }

  const fb::ChannelFile& file_;
  RegexPool own_pool_;
  RegexPool* pool_;
  LoadOptions options_;
  std::set<const RE2*> distinct_regexes_;     // each compiled regex counted once in the figures
  std::map<const RE2*, std::uint32_t> class_gate_of_;  // each regex's gate stored once
  std::vector<const std::vector<std::string>*> regex_atoms_;  // per regex, owned by the pool
  std::unique_ptr<CompiledContent> out_;
  LoadError error_;
  std::size_t nodes_in_instance_ = 0;
};

CompiledContent::Result CompiledContent::Load(const fb::ChannelFile& file, const SensorProfile& profile,
                                              RegexPool* pool, LoadOptions options) {
  return Loader(file, profile, pool, options).Run();
}

const TypeIndex* CompiledContent::FindType(std::uint16_t template_type) const {
  for (const auto& t : types_) {
    if (t.template_type == template_type) return &t;
  }
  return nullptr;
}

}  // namespace chanval::interp
