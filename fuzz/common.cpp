#include "common.h"

#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <cstring>
#include <optional>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/content.h"
#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/check.h"
#include "chanval/validator/parser.h"
#include "embedded_fleet.h"

namespace chanval::fuzz {

const Fleet& BundledFleet() {
  static const Fleet fleet = [] {
    Fleet f;
    Diagnostics d;
    for (const char* text : kEmbeddedFleet) {
      if (auto p = ParseManifestJson(text, "embedded", d)) f.members.push_back({std::move(*p), "embedded"});
    }
    f.members.push_back({interp::CurrentBuildProfile(), "current"});
    SortFleet(f, d);
    if (!d.empty()) std::abort();
    return f;
  }();
  return fleet;
}

TwoPart Split(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return {{data, size}, {}};
  std::uint32_t n = 0;
  std::memcpy(&n, data, 4);
  const std::size_t len = std::min<std::size_t>(n, size - 4);
  return {{data + 4, len}, {data + 4 + len, size - 4 - len}};
}

std::vector<std::uint8_t> Join(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events) {
  // Sized once and copied (GCC 12's -Wstringop-overread misfires on insert).
  std::vector<std::uint8_t> out(4 + channel.size() + events.size());
  const auto n = static_cast<std::uint32_t>(channel.size());
  std::memcpy(out.data(), &n, 4);
  std::copy(channel.begin(), channel.end(), out.begin() + 4);
  std::copy(events.begin(), events.end(), out.begin() + 4 + static_cast<std::ptrdiff_t>(channel.size()));
  return out;
}

DerivedEvent::DerivedEvent(std::span<const std::uint8_t> bytes, std::size_t count, std::size_t variant)
    : text(count), inputs(count) {
  // The pieces, as views: only those that land in a field are copied.
  std::vector<std::string_view> pieces;
  const char* data = reinterpret_cast<const char*>(bytes.data());
  for (std::size_t start = 0;;) {
    const void* nul = bytes.size() > start ? std::memchr(data + start, 0, bytes.size() - start) : nullptr;
    const std::size_t end = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - data) : bytes.size();
    pieces.emplace_back(data + start, end - start);
    if (!nul) break;
    start = end + 1;
  }
  // Each piece lands in one field at most, so an input's bytes are read
  // once per evaluation, not once per field.
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t piece = (i + variant % 3) % count;  // variant 3 is variant 0, spelled
    if (piece < pieces.size()) {
      text[i] = variant >= 3 ? interp::SpellFoldPartners(pieces[piece]) : std::string(pieces[piece]);
    }
    inputs[i].text = text[i];
    char* end = nullptr;
    inputs[i].number = std::strtoll(text[i].c_str(), &end, 10);
    inputs[i].has_number = !text[i].empty() && end && *end == '\0';
  }
}

const DerivedEvent& DerivedEvents::Get(std::size_t count, std::size_t variant) {
  for (const auto& [c, v, ev] : made_) {
    if (c == count && v == variant) return *ev;
  }
  return *std::get<2>(made_.emplace_back(count, variant, std::make_unique<DerivedEvent>(bytes_, count, variant)));
}

namespace {

std::vector<std::uint32_t> MatchedInstances(const interp::EvalScratch& scratch) {
  std::vector<std::uint32_t> ids;
  for (const auto& m : scratch.matches()) ids.push_back(m.instance_index);
  return ids;
}

// FNV-1a of the input: which inputs get the whole gate up front.
std::uint32_t InputHash(std::span<const std::uint8_t> bytes) {
  std::uint32_t h = 2166136261u;
  for (std::uint8_t b : bytes) h = (h ^ b) * 16777619u;
  return h;
}

}  // namespace

void Report(const OracleFinding& f) {
  std::fprintf(stderr, "SOUNDNESS: the gate accepted content, and in sensor %s %s: %s\n",
               f.build ? f.build->version.ToString().c_str() : "?", f.what.c_str(), f.detail.c_str());
  std::abort();
}

namespace {

// The work each field's literal search does on the event, in cost.h's units,
// against what both evaluators charge for it (ScanCost): the automaton's
// transitions, failure steps and reports, or the sampled scan's windows,
// plus the fold-partner pass's unit a byte. The charge is a formula; this
// checks that the search it stands for never does more.
std::optional<OracleFinding> ScanWithinCharge(const interp::TypeIndex& t, interp::Inputs inputs,
                                              const interp::SensorProfile& build) {
  std::vector<std::uint64_t> hits(interp::HitWords::WordsFor(t.pattern_count) + 1, 0);
  for (const auto& fa : t.automata) {
    if (fa.field >= inputs.size()) continue;
    const std::string_view text = inputs[fa.field].text.substr(0, limits::kMaxInputLength);  // as the evaluators clip
    std::uint64_t work = text.size() + 1;  // the fold-partner pass
    if (fa.sampled.built()) {
      work += fa.sampled.Scan(text, hits.data());
    } else {
      const auto w = fa.automaton.Scan(text, hits.data());
      work += text.size() + w.failure_steps + w.reported_states;
    }
    const std::uint64_t charged = interp::ScanCost(text.size(), fa.pattern_count);
    if (work > charged) {
      return OracleFinding{"a literal search worked past its charge", &build,
                           "field " + std::to_string(fa.field) + (fa.sampled.built() ? " (sampled)" : "") + ": " +
                               std::to_string(work) + " > " + std::to_string(charged)};
    }
  }
  return std::nullopt;
}

// The class gates' search (class_gate.h) is charged one unit a byte of the
// value (the regex's value_search_bytes count it); this checks it never
// reads more.
std::optional<OracleFinding> GatesWithinCharge(const interp::CompiledContent& content, interp::Inputs inputs,
                                               const interp::SensorProfile& build) {
  for (const auto& m : content.matchers()) {
    if (m.class_gate == interp::CompiledMatcher::kNoClassGate || m.field >= inputs.size()) continue;
    const std::string_view text = inputs[m.field].text.substr(0, limits::kMaxInputLength);
    const auto search = content.class_gates[m.class_gate]->Find(text);
    if (search.reads > text.size()) {
      return OracleFinding{"a class gate read past its charge", &build,
                           "field " + std::to_string(m.field) + ": " + std::to_string(search.reads) + " reads of " +
                               std::to_string(text.size()) + " bytes"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<OracleFinding> EvaluatorOracle(const interp::CompiledContent& content, const interp::SensorProfile& build,
                                             DerivedEvents& events) {
  interp::EvalScratch scratch(content);
  for (const auto& t : content.types()) {
    const auto* spec = build.FindType(t.template_type);
    for (std::size_t variant = 0; variant < kEventVariants; ++variant) {
      // A vector of exactly the supplied size: ASan catches any read past it.
      const DerivedEvent& ev = events.Get(spec->supplied.size(), variant);
      if (auto f = ScanWithinCharge(t, ev.inputs, build)) return f;
      if (auto f = GatesWithinCharge(content, ev.inputs, build)) return f;
      const auto opt = interp::Evaluate(content, t.template_type, ev.inputs, scratch);
      const auto opt_ids = MatchedInstances(scratch);
      const auto ref = interp::EvaluateReference(content, t.template_type, ev.inputs, scratch);
      const auto ref_ids = MatchedInstances(scratch);
      for (const auto* out : {&opt, &ref}) {
        if (out->status == interp::EvalStatus::InputOutOfBounds || out->status == interp::EvalStatus::BudgetExceeded) {
          return OracleFinding{"faults", &build,
                               std::string(interp::EvalStatusName(out->status)) + ", instance " +
                                   std::to_string(content.instances()[out->fault_instance_index].id) + ", field " +
                                   std::to_string(out->fault_field)};
        }
        if (out->cost > t.cost_bound) {
          return OracleFinding{"an evaluation charged more than the static bound", &build,
                               std::to_string(out->cost) + " > " + std::to_string(t.cost_bound)};
        }
      }
      if (opt_ids != ref_ids) {
        return OracleFinding{"the evaluators disagree", &build,
                             "type " + std::to_string(t.template_type) + ": optimized " +
                                 std::to_string(opt_ids.size()) + " matches, reference " +
                                 std::to_string(ref_ids.size()) + " (event variant " + std::to_string(variant) + ")"};
      }
    }
  }
  return std::nullopt;
}

std::optional<OracleFinding> MemoryOracle(const interp::CompiledContent& content, const interp::SensorProfile& build) {
  const auto& f = content.figures();
  std::uint64_t tables = 0;
  for (const auto& t : content.types()) {
    for (const auto& fa : t.automata) tables += fa.held_bytes();
  }
  if (tables > f.automaton_bytes) {
    return OracleFinding{"the automata hold more than the loader planned", &build,
                         std::to_string(tables) + " > " + std::to_string(f.automaton_bytes)};
  }
  if (f.memory_bound() > build.budgets.max_load_memory || f.cost_bound > build.budgets.max_cost_per_event) {
    return OracleFinding{"loaded content over the build's budgets", &build, "memory " + std::to_string(f.memory_bound())};
  }
  return std::nullopt;
}

void SoundnessOracle(std::span<const std::uint8_t> channel, std::span<const std::uint8_t> events,
                     std::uint32_t full_gate_every) {
  // Regexes compiled once across inputs (RE2 compilation was the largest
  // single cost per input); bounded, so a long run's memory stays flat.
  static interp::RegexPool pool;
  if (pool.size() > 4096) pool.Clear();
  CheckOptions options;
  options.regexes = &pool;
  options.fleet = &BundledFleet();
  options.worst_case_events = false;  // timing under ASan measures nothing; cost is checked below on every event
  // First pass: a necessary condition for the gate's acceptance (parse
  // without the canonical-layout rule, semantics without execution).
  ParseOptions first_pass;
  first_pass.canonical = false;
  auto parsed = ParseChannel({channel.begin(), channel.end()}, "fuzz.chan", first_pass);
  if (!parsed.channel) return;
  const auto accepts = [&](const ParsedChannel& ch, bool execution) {
    options.execution = execution;
    FileReport report;
    report.file = "fuzz.chan";
    CheckParsed(ch, options, report);
    return report.passed();
  };
  const auto whole_gate_accepts = [&] {
    auto strict = ParseChannel({channel.begin(), channel.end()}, "fuzz.chan");
    return strict.channel && accepts(*strict.channel, true);
  };
  const bool sampled = full_gate_every != 0 && InputHash(channel) % full_gate_every == 0;
  if (!(sampled ? whole_gate_accepts() : accepts(*parsed.channel, false))) return;
  const auto& env = parsed.channel->envelope;
  std::optional<OracleFinding> finding;
  DerivedEvents derived(events);
  for (const FleetMember* build : BundledFleet().InRange(env.min_sensor, env.max_sensor)) {
    auto loaded = interp::CompiledContent::Load(parsed.channel->root(), build->profile, &pool);
    if (!loaded.content) {
      finding = OracleFinding{"the content does not load", &build->profile, interp::LoadStatusName(loaded.error.status)};
    } else if (!(finding = MemoryOracle(*loaded.content, build->profile))) {
      finding = EvaluatorOracle(*loaded.content, build->profile, derived);
    }
    if (finding) break;
  }
  if (!finding) return;
  if (!sampled && !whole_gate_accepts()) return;  // the whole gate decides whether this is a finding
  Report(*finding);
}

}  // namespace chanval::fuzz
