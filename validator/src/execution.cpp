// CheckExecution (execution.h): the file run in each build's interpreter behind a guard
// page (CV2xx). Tests: tests/test_check.cpp, test_guard.cpp, test_resources.cpp.
#include "chanval/validator/execution.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csetjmp>
#include <csignal>
#include <ctime>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "chanval/interpreter/evaluator.h"
#include "chanval/interpreter/reference.h"
#include "chanval/interpreter/integration.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/ascii.h"
#include "guarded_inputs.h"
#include "synthesis.h"
#include "worst_case.h"

namespace chanval {
namespace {

using interp::CompiledContent;
using interp::CompiledMatcher;
using interp::EvalOutcome;
using interp::EvalStatus;

bool ReadsNothing(const CompiledMatcher& m) { return m.input == interp::InputUse::None; }

// Last line of defence: if the interpreter ever read past a bounds check,
// the guard page faults and the check reports it instead of dying.
thread_local sigjmp_buf* g_guard_jump = nullptr;

void OnGuardFault(int sig, siginfo_t*, void*) {
  if (g_guard_jump) siglongjmp(*g_guard_jump, 1);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void InstallGuardHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = OnGuardFault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
  });
}

// Runs f(); false if it touched a guard page.
template <typename F>
bool RunGuarded(F&& f) {
  sigjmp_buf jump;
  // No signal mask to save: the handler runs with SA_NODEFER and an empty
  // sa_mask, so the mask it jumps out with is the one set here (saving it
  // was a sigprocmask call per evaluation, 3% of a check).
  if (sigsetjmp(jump, 0) != 0) {
    g_guard_jump = nullptr;
    return false;
  }
  g_guard_jump = &jump;
  f();
  g_guard_jump = nullptr;
  return true;
}

// CPU time of the calling thread: what an event costs the sensor, whatever
// else the machine runs meanwhile (wall time under a loaded CI runner is not).
double ThreadCpuMicros() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// An AddressSanitizer build runs chanval's own code about 4 times slower, and
// RE2 (the system library, not instrumented) not at all: the SigmaHQ
// process-creation worst case takes 13 ms of CPU in release and 60 ms under
// ASan, the one-regex blow-up 310 ms in both. Its times are compared with the
// budget scaled by this, which keeps both known cases 2x from the line; cost
// bounds are exact and never scaled.
#if defined(__SANITIZE_ADDRESS__)
#define CHANVAL_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHANVAL_ASAN_BUILD 1
#endif
#endif
#ifdef CHANVAL_ASAN_BUILD
constexpr double kSanitizerSlowdown = 1.5;
#else
constexpr double kSanitizerSlowdown = 1;
#endif

// Aimed events per unreached matcher: for each place the matcher occurs in
// the condition, up to kReachChoices choices of and/or children.
constexpr unsigned kReachChoices = 4;
constexpr unsigned kReachAttempts = 16;

// The semantic findings against fields (CV102/103/104/115), by instance
// id, indexed once per file and shared by every build's Executor.
// Searching every diagnostic for each unreached matcher was quadratic in the
// file: 8,000 instances that each drew a CV111 warning and left a matcher
// unreached took 1.2 s to execute, 2,000 of them 0.12 s.
class SemanticFieldFindings {
 public:
  explicit SemanticFieldFindings(const Diagnostics* semantic) : semantic_(semantic) {
    if (!semantic_) return;
    for (const auto& d : *semantic_) {
      const bool field_finding = d.code == Code::UnknownTemplateType || d.code == Code::FieldNotDeclared ||
                                 d.code == Code::FieldNotSupplied || d.code == Code::SuppliedOrderMismatch;
      if (field_finding && d.instance_id) {
        findings_.push_back({*d.instance_id, d.field ? std::uint32_t{*d.field} : kAnyField});
      }
    }
    std::sort(findings_.begin(), findings_.end());
  }

  // No semantic finding against any field the matcher reads, in any build;
  // false when the semantic findings were not given.
  bool Proven(std::uint32_t instance_id, const CompiledMatcher& cm) const {
    if (!semantic_) return false;
    const auto from = std::lower_bound(findings_.begin(), findings_.end(), Finding{instance_id, 0});
    bool proven = true;
    interp::ForEachFieldRead(cm, [&](std::uint16_t f) {
      for (auto it = from; it != findings_.end() && it->instance_id == instance_id; ++it) {
        if (it->field == kAnyField || it->field == f) proven = false;
      }
    });
    return proven;
  }

 private:
  struct Finding {
    std::uint32_t instance_id;
    std::uint32_t field;  // kAnyField: the finding names no field
    bool operator<(const Finding& o) const {
      return instance_id != o.instance_id ? instance_id < o.instance_id : field < o.field;
    }
  };
  static constexpr std::uint32_t kAnyField = ~std::uint32_t{0};

  const Diagnostics* semantic_;
  std::vector<Finding> findings_;  // sorted
};

class Executor {
 public:
  Executor(const ParsedChannel& ch, const FleetMember& build, const EventSource* recorded,
           const std::string& file, Diagnostics& out, std::vector<ReachReport>* reach, interp::RegexPool& pool,
           ExecutionStats* stats, const ExecutionOptions& options, const SemanticFieldFindings& findings)
      : ch_(ch), build_(build), recorded_(recorded), file_(file), out_(out), reach_(reach), pool_(pool),
        stats_(stats), findings_(findings), worst_case_events_(options.worst_case_events) {}

  void Run() {
    BuildResources res;
    res.sensor = build_.profile.version;
    res.budgets = build_.profile.budgets;
    auto loaded = CompiledContent::Load(ch_.root(), build_.profile, &pool_);
    if (!loaded.content) {
      res.figures = loaded.error.figures;
      if (stats_) stats_->resources.push_back(res);
      ReportLoadFailure(loaded.error);
      return;
    }
    res.loaded = true;
    res.figures = loaded.content->figures();
    content_ = loaded.content.get();
    interp::EvalScratch scratch(*content_);
    scratch_ = &scratch;
    for (const auto& t : content_->types()) {
      const interp::TypeSpec* spec = build_.profile.FindType(t.template_type);
      GuardedInputs inputs(spec->supplied.size());
      if (!inputs.ok()) {
        Report(Code::MemoryFault, t.instances.front(), {}, "cannot map a guarded input array");
        continue;
      }
      type_ = spec;
      type_index_ = &t;
      inputs_ = &inputs;
      for (std::uint32_t idx : t.instances) DriveInstance(idx);
      BoundaryEvents(t);
      if (worst_case_events_) TimeWorstCaseEvents(t, res);
    }
    if (recorded_) RecordedEvents();
    if (stats_) stats_->resources.push_back(res);
  }

 private:
  std::string Version() const { return build_.profile.version.ToString(); }

  void Report(Code code, std::uint32_t instance_index, std::optional<std::uint16_t> field, std::string message,
              Level level = Level::Error) {
    if (!reported_.insert({instance_index, static_cast<unsigned>(code)}).second) return;
    Diagnostic d;
    d.level = level;
    d.code = code;
    d.file = file_;
    d.sensor = build_.profile.version;
    const auto* insts = ch_.root().instances();
    if (instance_index < insts->size()) {
      d.instance_id = insts->Get(instance_index)->id();
      d.instance_name = insts->Get(instance_index)->name()->str();
    }
    d.field = field;
    if (field && type_ && *field < type_->declared.size()) d.field_name = type_->declared[*field].name;
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  std::string TypeName(std::uint16_t id) const {
    const auto* t = build_.profile.FindType(id);
    return t ? t->name : std::to_string(id);
  }

  // The loader's refusal, in the gate's words; budget refusals get their own codes.
  void ReportLoadFailure(const interp::LoadError& e) {
    const auto& b = build_.profile.budgets;
    const auto& f = e.figures;
    switch (e.status) {
      case interp::LoadStatus::CostOverBudget:
        Report(Code::CostOverBudget, e.instance_index, {},
               fmt::format("worst-case cost per {} event is {} units (every condition node and matcher at {}-byte "
                           "inputs); sensor {} allows {}, and its interpreter refuses to load the file",
                           TypeName(f.cost_bound_type), f.cost_bound, limits::kMaxInputLength, Version(),
                           b.max_cost_per_event));
        return;
      case interp::LoadStatus::MemoryOverBudget:
        Report(Code::MemoryOverBudget, e.instance_index, {},
               fmt::format("loading and running the file needs at least {} bytes in sensor {} ({} held, {} while "
                           "building, {} regex DFA reserve); the build allows {}, and its interpreter refuses "
                           "before allocating",
                           f.memory_bound(), Version(), f.load_bytes, f.build_bytes, f.regex_reserve_bytes,
                           b.max_load_memory));
        return;
      default:
        Report(Code::LoadFailed, e.instance_index, {},
               fmt::format("interpreter of sensor {} refused to load the file: {} ({}), matcher #{}", Version(),
                           interp::LoadStatusName(e.status), e.detail, e.matcher_index));
    }
  }

  // The sensor's entry point on an event synthesized for instance `idx`,
  // against the reference evaluator's verdict on that instance: the two
  // engines must agree, and no evaluation may charge more than the bound.
  void CrossCheck(std::uint32_t idx, const std::string& what, interp::Inputs inputs, bool reference_matched) {
    const bool tracing = scratch_->tracing();
    scratch_->EnableTrace(false);
    const auto out = Execute(idx, what + " through the sensor's entry point", [&] {
      return interp::Evaluate(*content_, content_->instances()[idx].template_type, inputs, *scratch_);
    });
    scratch_->EnableTrace(tracing);
    if (!out) return;
    CheckCostWithinBound(idx, what, *out);
    bool optimized_matched = false;
    for (const auto& m : scratch_->matches()) optimized_matched |= m.instance_index == idx;
    if (optimized_matched != reference_matched) {
      Report(Code::EvaluatorDisagreement, idx, {},
             fmt::format("{}: the sensor's optimized evaluator says {}, the reference evaluator says {}, in sensor {}",
                         what, optimized_matched ? "match" : "no match", reference_matched ? "match" : "no match",
                         Version()));
    }
  }

  void CheckCostWithinBound(std::uint32_t idx, const std::string& what, const EvalOutcome& out) {
    if (out.cost > type_index_->cost_bound) {
      Report(Code::CostOverBound, idx, {},
             fmt::format("{}: evaluation charged {} units, above the loader's static bound of {} for {} in sensor {}",
                         what, out.cost, type_index_->cost_bound, type_->name, Version()));
    }
  }

  // The satisfying event with every s/S and k/K in the regex fields spelled
  // as the runes RE2 folds to them (ascii.h): the engines must still agree.
  std::optional<Event> FoldPartnerEvent(const interp::CompiledInstance& inst, const Event& sat) {
    Event ev = sat;
    bool changed = false;
    for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
      const auto& cm = content_->matchers()[m];
      if (interp::KindRow(cm.kind).syntax != interp::ValueSyntax::Regex || cm.field >= ev.size()) continue;
      std::string spelled = interp::SpellFoldPartners(sat[cm.field].text);
      changed |= spelled != ev[cm.field].text;
      ev[cm.field].text = std::move(spelled);
    }
    if (!changed) return std::nullopt;
    return ev;
  }

  // Adversarial worst-case events through the sensor's entry point: their
  // cost against the static bound (hard), their time against the build's
  // time budget (measured in this thread's CPU time, so other processes on
  // the machine do not count; the slowest is re-run and its best time kept).
  void TimeWorstCaseEvents(const interp::TypeIndex& t, BuildResources& res) {
    constexpr std::size_t kMaxEvents = 12;
    constexpr int kRepeats = 3;
    const double budget = build_.profile.budgets.max_event_time_us * kSanitizerSlowdown;
    const auto events = WorstCaseEvents(*content_, t, type_->declared.size(), kMaxEvents);
    double slowest = -1;
    std::size_t slowest_at = 0;
    std::uint64_t slowest_cost = 0;  // the events are fixed: a re-run charges the same
    for (std::size_t e = 0; e < events.size(); ++e) {
      const auto inputs = Fill(events[e]);
      const double t0 = ThreadCpuMicros();
      const auto out = Execute(t.instances.front(), fmt::format("worst-case event #{} for {}", e + 1, type_->name),
                               [&] { return interp::Evaluate(*content_, t.template_type, inputs, *scratch_); });
      const double us = ThreadCpuMicros() - t0;
      if (!out) return;
      ++res.worst_events;
      res.max_event_cost = std::max(res.max_event_cost, out->cost);
      CheckCostWithinBound(t.instances.front(), fmt::format("worst-case event #{}", e + 1), *out);
      if (us > slowest) {
        slowest = us;
        slowest_at = e;
        slowest_cost = out->cost;
      }
      if (us > 4 * budget) break;  // far over: no need to time the rest
    }
    if (slowest < 0) return;
    // Re-run only a verdict time could flip: near the budget, not far below or far above it.
    const auto inputs = Fill(events[slowest_at]);
    for (int r = 1; r < kRepeats && slowest > budget / 4 && slowest < 2 * budget; ++r) {
      const double t0 = ThreadCpuMicros();
      interp::Evaluate(*content_, t.template_type, inputs, *scratch_);
      slowest = std::min(slowest, ThreadCpuMicros() - t0);
    }
    if (slowest > res.slowest_event_us) {
      res.slowest_event_us = slowest;
      res.slowest_event_cost = slowest_cost;
    }
    if (slowest > budget) {
      Report(Code::TimeOverBudget, t.instances.front(), {},
             fmt::format("adversarial worst-case event #{} for {} took {:.0f} us ({} cost units) in the sensor's entry "
                         "point of sensor {}; the build allows {} us per event{}",
                         slowest_at + 1, type_->name, slowest, slowest_cost, Version(),
                         build_.profile.budgets.max_event_time_us,
                         kSanitizerSlowdown > 1 ? fmt::format(" (x{:g} in this sanitizer build)", kSanitizerSlowdown)
                                                : std::string()));
    }
  }

  // Fills the guarded array through the sensor's own integration step
  // (integration.h, as Session does): input i is the event's value of the
  // field the build supplies at position i, its number parsed as the sensor
  // parses it.
  interp::Inputs Fill(const Event& ev) {
    if (declared_for_ != type_) {  // the map follows type_, wherever it was set
      declared_at_.clear();
      for (std::size_t f = 0; f < type_->declared.size(); ++f) declared_at_.emplace(type_->declared[f].name, f);
      declared_for_ = type_;
    }
    auto span = inputs_->span();
    interp::FillInputs(*type_, [&](std::string_view name) -> std::string_view {
      const auto at = declared_at_.find(name);
      return at != declared_at_.end() && at->second < ev.size() ? std::string_view(ev[at->second].text)
                                                                 : std::string_view();
    }, span);
    return span;
  }

  // Runs one interpreter call under the guard; reports a fault. False if the
  // call faulted (the caller stops driving that instance).
  template <typename Call>
  std::optional<EvalOutcome> Execute(std::uint32_t blame_instance, const std::string& what, Call&& call) {
    EvalOutcome out;
    if (stats_) ++stats_->evaluations;
    if (!RunGuarded([&] { out = call(); })) {
      Report(Code::MemoryFault, blame_instance, {},
             fmt::format("{}: the interpreter of sensor {} touched the guard page behind the {}-entry input "
                         "array",
                         what, Version(), type_->supplied.size()));
      return std::nullopt;
    }
    if (out.status == EvalStatus::InputOutOfBounds) {
      const auto f = out.fault_field;
      Report(Code::BoundsFault, out.fault_instance_index, f,
             fmt::format("{}: evaluation in the interpreter of sensor {} read field {} '{}' past the {} inputs "
                         "{} supplies (bounds fault)",
                         what, Version(), f, f < type_->declared.size() ? type_->declared[f].name : "?",
                         type_->supplied.size(), type_->name));
      return std::nullopt;
    }
    if (out.status == EvalStatus::BudgetExceeded) {
      Report(Code::BudgetOverrun, out.fault_instance_index, out.fault_field,
             fmt::format("{}: evaluation cost {} exceeded sensor {}'s per-event budget of {}", what, out.cost,
                         Version(), build_.profile.budgets.max_cost_per_event));
      return std::nullopt;
    }
    return out;
  }

  // The planned events of an instance: all matchers satisfied (#0), none
  // satisfied (#1), and each matcher that reads a field flipped against
  // those two (#2k+2: `sat` with matcher k failing, #2k+3: `unsat` with it
  // holding), so neither and- nor or-short-circuit hides a field. Built
  // lazily by At, since most instances are covered by event #0.
  struct EventPlan {
    Event sat, unsat;
    std::vector<FieldValue> sat_of, fail_of;  // per matcher of the instance
    std::vector<std::uint32_t> flippable;
    std::vector<std::uint16_t> field_of;
    Event scratch;

    std::size_t size() const { return 2 + 2 * flippable.size(); }
    const Event& At(std::size_t i) {
      if (i < 2) return i == 0 ? sat : unsat;
      const std::uint32_t k = flippable[(i - 2) / 2];
      const bool from_sat = (i - 2) % 2 == 0;
      scratch = from_sat ? sat : unsat;
      scratch[field_of[k]] = from_sat ? fail_of[k] : sat_of[k];
      return scratch;
    }
  };

  EventPlan PlanEvents(const interp::CompiledInstance& inst) const {
    const std::size_t nfields = type_->declared.size();
    EventPlan plan{Event(nfields), Event(nfields), std::vector<FieldValue>(inst.matcher_count),
                   std::vector<FieldValue>(inst.matcher_count), {}, std::vector<std::uint16_t>(inst.matcher_count), {}};
    std::vector<bool> assigned(nfields, false);
    for (std::uint32_t k = 0; k < inst.matcher_count; ++k) {
      const auto& cm = content_->matchers()[inst.matcher_begin + k];
      if (ReadsNothing(cm) || cm.field >= nfields) continue;
      plan.sat_of[k] = Satisfying(*content_, cm);
      plan.fail_of[k] = Failing(*content_, cm);
      plan.field_of[k] = cm.field;
      plan.flippable.push_back(k);
      if (assigned[cm.field]) continue;
      assigned[cm.field] = true;
      plan.sat[cm.field] = plan.sat_of[k];
      plan.unsat[cm.field] = plan.fail_of[k];
    }
    for (std::uint32_t k = 0; k < inst.matcher_count; ++k) {
      SettleFieldEquals(*content_, content_->matchers()[inst.matcher_begin + k], plan.sat, plan.unsat);
    }
    return plan;
  }

  struct DriveOutcome {
    std::uint32_t used = 0;  // events run
    bool faulted = false;
  };

  bool AllReached(const interp::CompiledInstance& inst) const {
    for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
      if (!scratch_->reached(m)) return false;
    }
    return true;
  }

  // Runs the planned events until every matcher is reached, then aims an
  // event at each matcher still unreached (several matchers on one field,
  // nested and/or), through its and/or ancestors. Trace must be on.
  DriveOutcome RunEvents(std::uint32_t idx, EventPlan& plan) {
    const auto& inst = content_->instances()[idx];
    DriveOutcome out;
    const auto run = [&](const Event& ev, const std::string& what) {
      const auto inputs = Fill(ev);
      out.faulted = !Execute(idx, what, [&] { return interp::EvaluateInstance(*content_, idx, inputs, *scratch_); });
      if (!out.faulted) CrossCheck(idx, what, inputs, !scratch_->matches().empty());
    };
    for (std::size_t i = 0; i < plan.size() && !out.faulted; ++i) {
      ++out.used;
      run(plan.At(i), fmt::format("synthesized event #{}", out.used));
      if (AllReached(inst)) break;
    }
    const std::size_t nfields = type_->declared.size();
    for (std::uint32_t m = inst.matcher_begin; !out.faulted && m < inst.matcher_begin + inst.matcher_count; ++m) {
      unsigned attempts = 0;
      for (unsigned occurrence = 0; !out.faulted && !scratch_->reached(m) && attempts < kReachAttempts; ++occurrence) {
        for (unsigned choice = 0; choice < kReachChoices && !out.faulted && !scratch_->reached(m); ++choice) {
          const auto ev = EventToReach(*content_, inst, m, occurrence, choice, nfields);
          if (!ev) {
            attempts = kReachAttempts;  // no such occurrence: done with this matcher
            break;
          }
          ++attempts, ++out.used;
          run(*ev, fmt::format("synthesized event #{} (aimed at matcher #{})", out.used, m - inst.matcher_begin));
        }
      }
    }
    return out;
  }

  // A matcher no event reached: dead content (a warning) when every field
  // it reads is proven — read by a reached matcher, or by the semantic
  // checks — else unproven (an error). Returns how many were reached.
  std::uint32_t ClassifyUnreached(std::uint32_t idx, const DriveOutcome& drive) {
    const auto& inst = content_->instances()[idx];
    const std::uint32_t used = drive.used;
    std::uint32_t reached = 0;
    std::set<std::uint16_t> fields_read;  // by a reached matcher: the bounds of that index are proven
    for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
      if (scratch_->reached(m)) ForEachFieldRead(content_->matchers()[m], [&](std::uint16_t f) { fields_read.insert(f); });
    }
    for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
      if (scratch_->reached(m)) {
        ++reached;
        continue;
      }
      if (drive.faulted) continue;
      const auto& cm = content_->matchers()[m];
      std::optional<std::uint16_t> unproven;  // a field it would read that no reached matcher read
      ForEachFieldRead(cm, [&](std::uint16_t f) {
        if (!unproven && !fields_read.count(f)) unproven = f;
      });
      if (!unproven) {
        Report(Code::MatcherDead, idx, cm.field,
               fmt::format("matcher #{} ({}) on field {} was not reached by any of {} synthesized events in sensor "
                           "{}; earlier parts of the condition appear to decide first (dead content?). Field {} "
                           "is read by other matchers of the instance, so its bounds are proven",
                           m - inst.matcher_begin, fb::EnumNameMatcherKind(cm.kind), cm.field, used, Version(),
                           cm.field),
               Level::Warning);
      } else if (findings_.Proven(inst.id, cm)) {
        Report(Code::MatcherDead, idx, *unproven,
               fmt::format("matcher #{} ({}) on field {} was not reached by any of {} synthesized events in sensor "
                           "{}; the semantic checks (CV103/CV104/CV115) prove every field it reads is supplied as "
                           "declared in every build in range",
                           m - inst.matcher_begin, fb::EnumNameMatcherKind(cm.kind), cm.field, used, Version()),
               Level::Warning);
      } else {
        Report(Code::MatcherUnreached, idx, *unproven,
               fmt::format("matcher #{} ({}) on field {} was not reached by any of {} synthesized events in "
                           "sensor {}: field {} is never read, so its safety is unproven",
                           m - inst.matcher_begin, fb::EnumNameMatcherKind(cm.kind), cm.field, used, Version(),
                           *unproven));
      }
    }
    return reached;
  }

  // Takes evaluation to every matcher of the instance: plan, run, classify
  // what stayed unreached. Every event also runs through the sensor's entry
  // point (CrossCheck); the satisfying event runs once more with RE2's fold
  // partners.
  void DriveInstance(std::uint32_t idx) {
    const auto& inst = content_->instances()[idx];
    EventPlan plan = PlanEvents(inst);
    // Only this instance's matchers: trace is on only while an instance is
    // driven, through EvaluateInstance, which reaches no other instance's.
    // Clearing every matcher per instance was quadratic in the file.
    scratch_->ClearTrace(inst.matcher_begin, inst.matcher_count);
    scratch_->EnableTrace(true);
    const DriveOutcome drive = RunEvents(idx, plan);
    const std::uint32_t reached = ClassifyUnreached(idx, drive);
    scratch_->EnableTrace(false);
    if (reach_) {
      reach_->push_back({build_.profile.version, inst.id, inst.name, inst.matcher_count, reached, drive.used});
    }
    if (drive.faulted) return;
    if (const auto ev = FoldPartnerEvent(inst, plan.sat)) {
      const auto inputs = Fill(*ev);
      const std::string what = "the satisfying event with fold partners (U+017F for s, U+212A for k) in its regex fields";
      if (Execute(idx, what, [&] { return interp::EvaluateInstance(*content_, idx, inputs, *scratch_); })) {
        CrossCheck(idx, what, inputs, !scratch_->matches().empty());
      }
    }
  }

  void BoundaryEvents(const interp::TypeIndex& t) {
    const std::size_t nfields = type_->declared.size();
    const std::string long_text(limits::kMaxInputLength + 17, 'A');
    const std::string odd("\xff\xfe\x00%s%n\\\\?*\xc3(\r\n", 16);
    const std::vector<std::pair<std::string, FieldValue>> shapes = {
        {"empty values", FieldValue{}},
        {"maximal-length values", FieldValue{long_text}},
        {"unusual bytes", FieldValue{odd}},
        {"extreme integers", Number(std::numeric_limits<std::int64_t>::min())},
        {"extreme integers", Number(std::numeric_limits<std::int64_t>::max())},
    };
    // Shapes go into the fields the content reads; the others stay empty
    // (never read, and 32 KiB in every field would only cost time).
    std::vector<bool> read(nfields, false);
    for (std::uint32_t idx : t.instances) {
      const auto& inst = content_->instances()[idx];
      for (std::uint32_t m = inst.matcher_begin; m < inst.matcher_begin + inst.matcher_count; ++m) {
        const auto& cm = content_->matchers()[m];
        ForEachFieldRead(cm, [&](std::uint16_t f) {
          if (f < nfields) read[f] = true;
        });
      }
    }
    for (const auto& [what, value] : shapes) {
      Event ev(nfields);
      for (std::size_t f = 0; f < nfields; ++f) {
        if (read[f]) ev[f] = value;
      }
      const auto inputs = Fill(ev);
      const std::uint32_t blame = t.instances.front();
      if (!Execute(blame, "boundary event (" + what + ")",
                   [&] { return interp::Evaluate(*content_, t.template_type, inputs, *scratch_); })) {
        return;
      }
    }
  }

  // One pass over the recorded events per build, each through its type's
  // guarded input array; a type stops at its first failing event.
  void RecordedEvents() {
    std::map<std::uint16_t, std::unique_ptr<GuardedInputs>> guarded;
    std::set<std::uint16_t> stopped;
    auto err = recorded_->Replay(
        [&](RecordedEvent&& ev) {
          const auto& types = content_->types();
          const auto t = std::find_if(types.begin(), types.end(),
                                      [&](const interp::TypeIndex& x) { return x.template_type == ev.template_type; });
          if (t == types.end() || stopped.count(ev.template_type)) return;
          type_ = build_.profile.FindType(ev.template_type);
          type_index_ = &*t;
          auto& inputs = guarded[ev.template_type];
          if (!inputs) inputs = std::make_unique<GuardedInputs>(type_->supplied.size());
          if (!inputs->ok()) return;
          inputs_ = inputs.get();
          auto span = inputs_->span();
          interp::FillInputs(*type_, [&](std::string_view name) { return ev.Get(name); }, span);
          if (!Execute(t->instances.front(), fmt::format("recorded event at line {}", ev.line),
                       [&] { return interp::Evaluate(*content_, t->template_type, span, *scratch_); })) {
            stopped.insert(ev.template_type);
          }
        },
        [](const EventError&) {});  // the CLI reported bad events once, before the gate
    if (err && stats_) stats_->events_error = *err;
  }

  const ParsedChannel& ch_;
  const FleetMember& build_;
  const EventSource* recorded_;
  const std::string& file_;
  Diagnostics& out_;
  std::vector<ReachReport>* reach_;
  interp::RegexPool& pool_;
  ExecutionStats* stats_;
  const SemanticFieldFindings& findings_;
  bool worst_case_events_;
  const CompiledContent* content_ = nullptr;
  interp::EvalScratch* scratch_ = nullptr;
  const interp::TypeSpec* type_ = nullptr;
  // The declared position of each of type_'s field names (the first, if
  // one repeats): Fill's lookup, where a scan of every declared name was a
  // twentieth of checking a large file.
  std::unordered_map<std::string_view, std::size_t> declared_at_;
  const interp::TypeSpec* declared_for_ = nullptr;  // the type declared_at_ was built for
  const interp::TypeIndex* type_index_ = nullptr;
  GuardedInputs* inputs_ = nullptr;
  std::set<std::pair<std::uint32_t, unsigned>> reported_;
};

}  // namespace

void CheckExecution(const ParsedChannel& ch, const std::vector<const FleetMember*>& builds,
                    const EventSource* recorded, const std::string& file, Diagnostics& out,
                    std::vector<ReachReport>* reach, interp::RegexPool& pool, ExecutionStats* stats,
                    const ExecutionOptions& options) {
  InstallGuardHandler();
  const SemanticFieldFindings findings(options.semantic);
  for (const FleetMember* build : builds) {
    Executor(ch, *build, recorded, file, out, reach, pool, stats, options, findings).Run();
  }
}

}  // namespace chanval
