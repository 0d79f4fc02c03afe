// The soundness oracle driven by a structure-aware mutator: inputs are
// decoded, mutated as channel files (instances, matchers, field indices,
// kinds, regexes, sensor range, template types, conditions) and re-encoded
// canonically with a correct envelope, so the fuzzer spends its time in the
// semantic and execution checks rather than at the verifier.
#include <cstring>
#include <random>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/matcher_kinds.h"
#include "chanval/validator/regex_sample.h"
#include "chanval/validator/execution.h"
#include "chanval/validator/envelope.h"
#include "common.h"
#include "support/channel_builder.h"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {
using namespace chanval;
using fb::MatcherKind;

// UnPack reads every int_values element, whatever else is wrong with the
// file. The verifier (FlatBuffers 2.0.8) leaves their 8-byte alignment to the
// parser's structure rules (CV010), and the parser checks it only for the
// matchers it gets that far with (not past an unknown kind, say). So this
// asks it of every matcher (corpus/regressions/fuzz_structured/mutator-*).
bool IntValuesAligned(const fb::ChannelFile& root, const std::uint8_t* base) {
  if (!root.instances()) return true;
  for (const auto* inst : *root.instances()) {
    if (!inst->matchers()) continue;
    for (const auto* m : *inst->matchers()) {
      const auto* ints = m->int_values();
      if (ints && (reinterpret_cast<const std::uint8_t*>(ints->data()) - base) % alignof(std::int64_t) != 0) {
        return false;
      }
    }
  }
  return true;
}

// The mutator's view of an input: the payload as objects, when FlatBuffers
// verifies it and its 8-byte vectors are aligned. The envelope and the gate's
// other rules are not checked here: the oracle does that, and Emit writes a
// canonical file with a correct envelope whatever it was given.
std::unique_ptr<fb::ChannelFileT> Decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() <= kEnvelopeSize) return nullptr;
  const std::vector<std::uint8_t> payload(bytes.begin() + kEnvelopeSize, bytes.end());  // aligned copy
  flatbuffers::Verifier verifier(payload.data(), payload.size(), limits::kVerifierMaxDepth, limits::kVerifierMaxTables);
  if (!fb::VerifyChannelFileBuffer(verifier)) return nullptr;
  const fb::ChannelFile& root = *fb::GetChannelFile(payload.data());
  if (!IntValuesAligned(root, payload.data())) return nullptr;
  return std::unique_ptr<fb::ChannelFileT>(root.UnPack());
}

// Case-folded regexes with s and k in their atoms are where RE2's Unicode
// folding and the ASCII prefilter could part ways (AimedEvent spells them);
// those without a 3-byte atom are gated on shorter ones searched for in the
// value ("a|b", "`", "#" with a k taken as present), and those without
// any atom on a run of byte classes (class_gate.h; folded, k and s are no
// byte class).
const char* const kRegexes[] = {"\\\\msagent_[0-9a-f]+", "(?i)cmd\\.exe", "^C:\\\\Windows\\\\", ".*", "a|b",
                                "[a-z]{3,}\\d", "(?:x|y)+z$", "\\bpowershell\\b", "(?i)sekurlsa::\\w+",
                                "(?i)kerberos", "\\w+`(?:\\w+|-|.)`", "(?i)#[0-9]+k", "(?i)=s[0-9]",
                                "\\s[a-fA-F0-9]{20}\\s[0-9]{3}", " [0-7]{7,13}", "(?i)[a-f]{6}-[0-9]{4}",
                                "(?i)\\s[k-s]{5}[0-9]{6}", "[^a]{3}\\d{6}"};
// The long ones: a field whose literals are all long is scanned by sampling
// (sampled_scan.h), not by the automaton.
const char* const kWords[] = {"\\cmd.exe", "powershell", "-enc", "\\msagent_", "SYSTEM", "10.0.0.0/8",
                              "2001:db8::/32", "C:\\Windows\\", "", "lsass.exe", "0x1410", "High",
                              "IMPHASH=3D4392A18BB23C56D311A2D64B6E5BA0", "MD5=FF9D1ED3795B9AD94F2390D5E5DA5905",
                              "C:\\Program Files\\WindowsApps\\Microsoft"};
const std::uint16_t kTypes[] = {1, 3, 7, 10, 11, 13, 17, 2, 99};

// The oracle's cost grows with the instance count (parse, semantics, load
// and evaluation, in every build), while the interactions it looks for (a
// shared automaton, conditions over several matchers, a type's summed cost)
// need a few instances, not many. Steady state on this machine, all else
// equal: a cap of 16 ran at 772 exec/s, 8 at 1,046 (fuzz/README.md).
// Inputs with more (older corpora) are cut down when mutated; the byte-level
// fuzz_soundness keeps larger files.
constexpr std::size_t kMaxInstances = 8;

struct Mutator {
  std::minstd_rand rng;
  std::size_t Pick(std::size_t n) { return n ? rng() % n : 0; }

  std::string Word() { return kWords[Pick(std::size(kWords))]; }

  // A value of the kind's syntax (matcher_kinds.h): mostly valid, so the
  // later layers are reached; the words include the empty string.
  std::string Value(const interp::MatcherKindRow& row) {
    switch (row.syntax) {
      case interp::ValueSyntax::None: return {};
      case interp::ValueSyntax::Literal:
      case interp::ValueSyntax::LiteralSet: return row.empty_value_ok ? Word() : Word() + "x";
      case interp::ValueSyntax::Regex: return kRegexes[Pick(std::size(kRegexes))];
      case interp::ValueSyntax::Cidr: return Pick(2) ? "10.0.0.0/8" : "2001:db8::/32";
    }
    return {};
  }

  void FillValues(fb::MatcherT& m) {
    m.values.clear();
    m.int_values.clear();
    m.other_field = 0;
    const interp::MatcherKindRow& row = interp::KindRow(m.kind);
    switch (row.values) {
      case interp::ValueShape::None: break;
      case interp::ValueShape::OneString: m.values = {Value(row)}; break;
      case interp::ValueShape::StringsOrInts:
        if (Pick(2)) {
          m.int_values = {static_cast<std::int64_t>(rng() % 70000), -1};
          break;
        }
        [[fallthrough]];
      case interp::ValueShape::Strings:
        m.values = {Value(row)};
        if (Pick(2)) m.values.push_back(Value(row));
        break;
    }
    switch (row.operands) {
      case interp::Operands::None:
      case interp::Operands::CompareWithLo: break;
      case interp::Operands::RangeLoHi:
        if (m.lo > m.hi) std::swap(m.lo, m.hi);
        break;
      case interp::Operands::OtherField:  // a second field read: any index, so the 291 shape is reachable
        m.other_field = static_cast<std::uint16_t>(Pick(24));
        if (m.other_field == m.field) m.other_field = static_cast<std::uint16_t>(m.field + 1);
        break;
    }
  }

  std::unique_ptr<fb::MatcherT> NewMatcher() {
    auto m = std::make_unique<fb::MatcherT>();
    m->field = static_cast<std::uint16_t>(Pick(24));
    m->kind = static_cast<MatcherKind>(Pick(interp::kMatcherKindCount));
    m->ignore_case = Pick(2);
    m->op = static_cast<fb::CompareOp>(Pick(6));
    m->lo = static_cast<std::int64_t>(rng() % 5000) - 10;
    m->hi = m->lo + static_cast<std::int64_t>(rng() % 100);
    FillValues(*m);
    return m;
  }

  std::unique_ptr<fb::ExprT> RandomExpr(std::size_t matchers, int depth) {
    if (depth > 3 || Pick(3) == 0) return test::Ref(static_cast<std::uint16_t>(Pick(matchers)));
    switch (Pick(3)) {
      case 0: return test::Not(RandomExpr(matchers, depth + 1));
      case 1: return test::And(test::Args(RandomExpr(matchers, depth + 1), RandomExpr(matchers, depth + 1)));
      default: return test::Or(test::Args(RandomExpr(matchers, depth + 1), RandomExpr(matchers, depth + 1)));
    }
  }

  std::uint32_t FreshId(const fb::ChannelFileT& c) {
    std::uint32_t id = 0;
    for (const auto& i : c.instances) id = std::max(id, i->id);
    return id + 1;
  }

  void Trim(fb::ChannelFileT& c) {
    while (c.instances.size() > kMaxInstances) c.instances.erase(c.instances.begin() + static_cast<long>(Pick(c.instances.size())));
  }

  void Mutate(fb::ChannelFileT& c, std::size_t max_size) {
    Trim(c);
    if (c.instances.empty() || Pick(10) == 0) {
      auto inst = test::Instance(FreshId(c), kTypes[Pick(std::size(kTypes))], test::Matchers(NewMatcher()));
      c.instances.push_back(std::move(inst));
      return;
    }
    auto& inst = *c.instances[Pick(c.instances.size())];
    switch (Pick(12)) {
      case 0:  // duplicate an instance under a new id
        if (c.instances.size() < kMaxInstances) {
          std::unique_ptr<fb::InstanceT> copy(new fb::InstanceT(inst));
          copy->id = FreshId(c);
          c.instances.push_back(std::move(copy));
        }
        break;
      case 1:
        c.instances.erase(c.instances.begin() + static_cast<long>(Pick(c.instances.size())));
        break;
      case 2:
        if (inst.matchers.size() < 16) inst.matchers.push_back(NewMatcher());
        break;
      case 3:
        if (inst.matchers.size() > 1) {
          inst.matchers.erase(inst.matchers.begin() + static_cast<long>(Pick(inst.matchers.size())));
          inst.condition.reset();  // references may now dangle
        }
        break;
      case 4:
      case 5:  // field index: the channel-file-291 axis
        if (!inst.matchers.empty()) inst.matchers[Pick(inst.matchers.size())]->field = static_cast<std::uint16_t>(Pick(26));
        break;
      case 6:
        if (!inst.matchers.empty()) {
          auto& m = *inst.matchers[Pick(inst.matchers.size())];
          m.kind = static_cast<MatcherKind>(Pick(interp::kMatcherKindCount));
          FillValues(m);
        }
        break;
      case 7:
        if (!inst.matchers.empty()) {
          auto& m = *inst.matchers[Pick(inst.matchers.size())];
          if (!m.values.empty()) {
            auto& v = m.values[Pick(m.values.size())];
            std::string buf = v;
            buf.resize(v.size() + 16);
            const auto n = LLVMFuzzerMutate(reinterpret_cast<std::uint8_t*>(buf.data()), v.size(), buf.size());
            buf.resize(n);
            v = buf;
          }
        }
        break;
      case 8: {
        const std::uint16_t lo = static_cast<std::uint16_t>(9 + Pick(4)), hi = static_cast<std::uint16_t>(lo + Pick(14 - lo));
        c.min_sensor = std::make_unique<fb::SensorVersion>(7, lo);
        c.max_sensor = std::make_unique<fb::SensorVersion>(7, hi);
        break;
      }
      case 9:
        inst.template_type = kTypes[Pick(std::size(kTypes))];
        break;
      case 10:
        if (Pick(3) == 0) {
          inst.condition.reset();
        } else if (!inst.matchers.empty()) {
          inst.condition = RandomExpr(inst.matchers.size(), 0);
        }
        break;
      default:
        inst.matches_everything_intended = !inst.matches_everything_intended;
        if (!inst.matchers.empty()) {
          auto& m = *inst.matchers[Pick(inst.matchers.size())];
          m.ignore_case = !m.ignore_case;
        }
    }
    (void)max_size;
  }
};

// An event aimed at the content: one matcher's literal, or a sample its regex
// matches, in every field (pieces are NUL-separated, one per input), half the
// time spelled with RE2's fold partners — the events on which the prefilter
// and RE2 could part ways, whatever the seed.
std::vector<std::uint8_t> AimedEvent(const fb::ChannelFileT& c, Mutator& mut) {
  if (c.instances.empty()) return {};
  const auto& inst = *c.instances[mut.Pick(c.instances.size())];
  if (inst.matchers.empty()) return {};
  const auto& m = *inst.matchers[mut.Pick(inst.matchers.size())];
  if (m.values.empty()) return {};
  const bool regex = m.kind <= MatcherKind::MAX && interp::KindRow(m.kind).syntax == interp::ValueSyntax::Regex;
  std::string text = regex ? SampleRegexMatch(m.values[0]) : m.values[mut.Pick(m.values.size())];
  if (mut.Pick(2)) text = interp::SpellFoldPartners(text);
  std::vector<std::uint8_t> out;
  for (int field = 0; field < 24 && out.size() < 4096; ++field) {
    out.insert(out.end(), text.begin(), text.end());
    out.push_back(0);
  }
  return out;
}

std::size_t Emit(const fb::ChannelFileT& c, std::span<const std::uint8_t> events, std::uint8_t* data,
                 std::size_t max_size) {
  const auto out = fuzz::Join(test::Bytes(c), events);
  if (out.size() > max_size) return 0;
  std::memcpy(data, out.data(), out.size());
  return out.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = fuzz::Split(data, size);
  // No whole-gate sample: these inputs sit near the budgets, where the
  // gate's 32 KiB boundary events cost up to 2 s each under ASan.
  // fuzz_soundness and fuzz_check give the execution step its coverage;
  // every would-be finding here still goes through the whole gate.
  fuzz::SoundnessOracle(parts.channel, parts.events, 0);
  return 0;
}

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
  const auto parts = fuzz::Split(data, size);
  Mutator mut{std::minstd_rand(seed)};
  auto channel = Decode(parts.channel);
  if (!channel || mut.Pick(20) == 0) return LLVMFuzzerMutate(data, size, max_size);
  std::vector<std::uint8_t> events(parts.events.begin(), parts.events.end());
  if (mut.Pick(4) == 0) {
    events.resize(events.size() + 32);
    events.resize(LLVMFuzzerMutate(events.data(), events.size() - 32, events.size()));
  }
  for (std::size_t i = 0, n = 1 + mut.Pick(3); i < n; ++i) mut.Mutate(*channel, max_size);
  if (mut.Pick(4) == 0) {
    if (auto aimed = AimedEvent(*channel, mut); !aimed.empty()) events = std::move(aimed);
  }
  const std::size_t out = Emit(*channel, events, data, max_size);
  return out ? out : LLVMFuzzerMutate(data, size, max_size);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* d1, std::size_t s1, const std::uint8_t* d2,
                                                 std::size_t s2, std::uint8_t* out, std::size_t max_out,
                                                 unsigned int seed) {
  const auto a = fuzz::Split(d1, s1), b = fuzz::Split(d2, s2);
  auto ca = Decode(a.channel), cb = Decode(b.channel);
  if (!ca || !cb) return 0;
  std::minstd_rand rng(seed);
  Mutator ids{std::minstd_rand(seed)};
  for (auto& inst : cb->instances) {
    if (rng() % 2 && ca->instances.size() < kMaxInstances) {
      inst->id = ids.FreshId(*ca);
      ca->instances.push_back(std::move(inst));
    }
  }
  ids.Trim(*ca);
  return Emit(*ca, rng() % 2 ? a.events : b.events, out, max_out);
}
