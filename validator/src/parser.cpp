// ParseChannel (parser.h): the strict parse (CV0xx), and UTF-8 validation.
// Tests: tests/test_parser.cpp, the malformed set, fuzz_parse.
#include "chanval/validator/parser.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/matcher_kinds.h"
#include "chanval/interpreter/matcher_shape.h"

namespace chanval {
namespace {


// Instance id -> the first instance index that used it: open addressing in
// one allocation (a node-based map was a malloc per instance, 5% of a parse).
class FirstIndexById {
 public:
  explicit FirstIndexById(std::size_t count) : slots_(std::bit_ceil(2 * count + 2)) {}

  // The index first stored under `id`; stores `index` if there is none.
  std::uint32_t Insert(std::uint32_t id, std::uint32_t index) {
    const std::size_t mask = slots_.size() - 1;
    // Fibonacci hashing: sequential ids spread over the table.
    for (std::size_t at = (id * 0x9E3779B97F4A7C15ull) >> 32 & mask;; at = (at + 1) & mask) {
      Slot& s = slots_[at];
      if (!s.used) {
        s = {id, index, true};
        return index;
      }
      if (s.id == id) return s.index;
    }
  }

 private:
  struct Slot {
    std::uint32_t id = 0;
    std::uint32_t index = 0;
    bool used = false;
  };
  std::vector<Slot> slots_;  // at most half full, so every probe ends
};

class StructureChecker {
 public:
  StructureChecker(const std::uint8_t* base, const std::string& file, Diagnostics& out)
      : base_(base), file_(file), out_(out) {}

  void Run(const fb::ChannelFile& root) {
    if (!root.min_sensor()) Error(Code::MissingField, &root, "channel file has no min_sensor");
    if (!root.max_sensor()) Error(Code::MissingField, &root, "channel file has no max_sensor");
    if (root.min_sensor() && root.max_sensor() &&
        Version(*root.min_sensor()) > Version(*root.max_sensor())) {
      Error(Code::BadSensorRange, &root,
            fmt::format("min_sensor {} is above max_sensor {}", Version(*root.min_sensor()).ToString(),
                        Version(*root.max_sensor()).ToString()));
    }
    const auto* instances = root.instances();
    if (!instances) {
      Error(Code::MissingField, &root, "channel file has no instances vector");
      return;
    }
    if (instances->size() > limits::kMaxInstances) {
      Error(Code::TooManyInstances, instances,
            fmt::format("{} instances, the format allows {}", instances->size(), limits::kMaxInstances));
      return;
    }
    // While ids increase (as `build` and the Sigma import write them) none
    // can repeat; the table of ids seen is built only once one does not.
    std::optional<FirstIndexById> seen;
    for (std::uint32_t i = 0; i < instances->size(); ++i) {
      const fb::Instance& inst = *instances->Get(i);
      instance_ = &inst;
      if (!seen && i > 0 && inst.id() <= instances->Get(i - 1)->id()) {
        seen.emplace(instances->size());
        for (std::uint32_t j = 0; j < i; ++j) seen->Insert(instances->Get(j)->id(), j);
      }
      if (seen) {
        if (const std::uint32_t first = seen->Insert(inst.id(), i); first != i) {
          Error(Code::DuplicateInstanceId, &inst,
                fmt::format("instance id {} is used by instances #{} and #{}", inst.id(), first, i));
        }
      }
      CheckInstance(inst);
    }
    instance_ = nullptr;
  }

 private:
  static interp::SensorVersion Version(const fb::SensorVersion& v) { return {v.major(), v.minor()}; }

  void Error(Code code, const void* where, std::string message, std::optional<std::uint16_t> field = {}) {
    Diagnostic d;
    d.code = code;
    d.file = file_;
    d.offset = static_cast<std::uint64_t>(static_cast<const std::uint8_t*>(where) - base_) + kEnvelopeSize;
    if (instance_) {
      d.instance_id = instance_->id();
      if (instance_->name()) d.instance_name = instance_->name()->str();
    }
    d.field = field;
    d.message = std::move(message);
    out_.push_back(std::move(d));
  }

  // What a checked string is, named only when a message needs it: formatting
  // "matcher #N value" for every value of a valid file was 9% of a parse.
  struct StringRole {
    const char* what;
    std::optional<std::uint32_t> matcher = {};  // set: "matcher #N <what>"
    std::string Name() const { return matcher ? fmt::format("matcher #{} {}", *matcher, what) : what; }
  };

  // Non-empty unless `may_be_empty`, under the length cap, UTF-8, no NUL.
  bool CheckString(const flatbuffers::String* s, StringRole role, bool may_be_empty,
                   std::optional<std::uint16_t> field = {}) {
    if (!may_be_empty && s->size() == 0) {
      Error(Code::EmptyString, s, fmt::format("{} is empty", role.Name()), field);
      return false;
    }
    if (s->size() > limits::kMaxStringLength) {
      Error(Code::StringTooLong, s,
            fmt::format("{} is {} bytes, the format allows {}", role.Name(), s->size(), limits::kMaxStringLength),
            field);
      return false;
    }
    if (!IsChannelString(s->string_view())) {
      Error(Code::BadString, s, fmt::format("{} is not NUL-free UTF-8", role.Name()), field);
      return false;
    }
    return true;
  }

  void CheckInstance(const fb::Instance& inst) {
    if (!inst.name()) {
      Error(Code::MissingField, &inst, "instance has no name");
    } else {
      CheckString(inst.name(), {"instance name"}, false);
    }
    if (inst.action() > fb::Action::MAX) Error(Code::UnknownEnumValue, &inst, "unknown action");
    if (inst.severity() > fb::Severity::MAX) Error(Code::UnknownEnumValue, &inst, "unknown severity");
    if (const auto* meta = inst.meta()) {
      for (const auto* s : {meta->rule_id(), meta->title(), meta->author()}) {
        if (s) CheckString(s, {"rule metadata"}, true);
      }
      if (meta->references()) {
        if (meta->references()->size() > limits::kMaxReferences) {
          Error(Code::SetTooLarge, meta->references(), "too many rule references");
        }
        for (const auto* r : *meta->references()) CheckString(r, {"rule reference"}, true);
      }
    }
    const auto* matchers = inst.matchers();
    if (!matchers) {
      Error(Code::MissingField, &inst, "instance has no matchers vector");
      return;
    }
    if (matchers->size() > limits::kMaxMatchersPerInstance) {
      Error(Code::TooManyMatchers, matchers,
            fmt::format("{} matchers, the format allows {}", matchers->size(), limits::kMaxMatchersPerInstance));
      return;
    }
    for (std::uint32_t m = 0; m < matchers->size(); ++m) CheckMatcher(m, *matchers->Get(m));
    if (inst.condition()) {
      std::size_t nodes = 0;
      CheckExpr(*inst.condition(), matchers->size(), 1, nodes);
    }
  }

  void CheckMatcher(std::uint32_t index, const fb::Matcher& m) {
    const std::uint16_t field = m.field();
    if (m.kind() > fb::MatcherKind::MAX) {
      Error(Code::UnknownEnumValue, &m, fmt::format("matcher #{} has unknown kind {}", index, int(m.kind())), field);
      return;
    }
    if (m.op() > fb::CompareOp::MAX) {
      Error(Code::UnknownEnumValue, &m, fmt::format("matcher #{} has unknown comparison {}", index, int(m.op())),
            field);
      return;
    }
    if (field >= limits::kMaxFieldsPerType) {
      Error(Code::FieldIndexOutOfRange, &m,
            fmt::format("matcher #{} references field {}, beyond the format's cap of {} fields", index, field,
                        limits::kMaxFieldsPerType),
            field);
    }
    if (m.other_field() >= limits::kMaxFieldsPerType) {
      Error(Code::FieldIndexOutOfRange, &m,
            fmt::format("matcher #{} compares with field {}, beyond the format's cap of {} fields", index,
                        m.other_field(), limits::kMaxFieldsPerType),
            m.other_field());
    }
    const interp::MatcherKindRow& row = interp::KindRow(m.kind());
    if (m.other_field() != 0 && row.operands != interp::Operands::OtherField) {
      Error(Code::BadMatcherValues, &m,
            fmt::format("matcher #{} ({}) sets other_field, which only a field comparison (FieldEquals) reads",
                        index, fb::EnumNameMatcherKind(m.kind())),
            field);
    }
    // The verifier (FlatBuffers 2.0.8) checks a vector's length prefix for
    // 4-byte alignment only; 8-byte elements must be 8-aligned, or every read
    // of them is undefined behaviour (and a fault on strict-alignment CPUs).
    if (m.int_values() && (reinterpret_cast<const std::uint8_t*>(m.int_values()->data()) - base_) % alignof(std::int64_t) != 0) {
      Error(Code::VerifierFailure, m.int_values(),
            fmt::format("matcher #{} int_values elements are not 8-byte aligned", index), field);
      return;
    }
    const std::size_t nvalues = (m.values() ? m.values()->size() : 0) + (m.int_values() ? m.int_values()->size() : 0);
    if (nvalues > limits::kMaxValuesPerMatcher) {
      Error(Code::SetTooLarge, &m,
            fmt::format("matcher #{} has {} values, the format allows {}", index, nvalues,
                        limits::kMaxValuesPerMatcher),
            field);
      return;
    }
    if (const char* e = interp::MatcherShapeError(m)) {
      Error(Code::BadMatcherValues, &m,
            fmt::format("matcher #{} ({}) {}", index, fb::EnumNameMatcherKind(m.kind()), e), field);
    }
    // An empty literal is legitimate for equality ("field is empty") but
    // meaningless — or everything-matching — for the other string kinds.
    const bool empty_ok = row.empty_value_ok;
    if (m.values()) {
      for (const auto* v : *m.values()) {
        CheckString(v, {"value", index}, empty_ok, field);
      }
    }
  }

  void CheckExpr(const fb::Expr& e, std::uint32_t matcher_count, std::size_t depth, std::size_t& nodes) {
    if (depth > limits::kMaxExprDepth || ++nodes > limits::kMaxExprNodesPerInstance) {
      Error(Code::ExpressionTooDeep, &e,
            fmt::format("condition exceeds depth {} or {} nodes", limits::kMaxExprDepth,
                        limits::kMaxExprNodesPerInstance));
      return;
    }
    const std::uint32_t nargs = e.args() ? e.args()->size() : 0;
    switch (e.op()) {
      case fb::ExprOp::Matcher:
        if (nargs) Error(Code::BadExpression, &e, "a matcher reference takes no arguments");
        if (e.matcher() >= matcher_count) {
          Error(Code::MatcherRefOutOfRange, &e,
                fmt::format("condition references matcher #{}, the instance has {}", e.matcher(), matcher_count));
        }
        return;
      case fb::ExprOp::And:
      case fb::ExprOp::Or:
      case fb::ExprOp::Not:
        if (nargs == 0 || (e.op() == fb::ExprOp::Not && nargs != 1)) {
          Error(Code::BadExpression, &e,
                fmt::format("{} with {} arguments", fb::EnumNameExprOp(e.op()), nargs));
          return;
        }
        for (const auto* a : *e.args()) {
          CheckExpr(*a, matcher_count, depth + 1, nodes);
          if (nodes > limits::kMaxExprNodesPerInstance) return;
        }
        return;
    }
    Error(Code::UnknownEnumValue, &e, fmt::format("unknown condition operator {}", int(e.op())));
  }

  const std::uint8_t* base_;
  const std::string& file_;
  Diagnostics& out_;
  const fb::Instance* instance_ = nullptr;
};

Diagnostic At(Code code, const std::string& file, std::optional<std::uint64_t> offset, std::string message) {
  Diagnostic d;
  d.code = code;
  d.file = file;
  d.offset = offset;
  d.message = std::move(message);
  return d;
}

}  // namespace

std::size_t Utf8SequenceAt(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n;
  std::uint32_t cp;
  if (c < 0x80) {
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Overlong forms, surrogates and out-of-range code points are invalid.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

bool IsChannelString(std::string_view s) {
  // Eight bytes at a time while they are ASCII without NUL, the common case:
  // a high bit in w, or in w - 0x01... (where the lowest zero byte borrows),
  // leaves the rest to the byte loop, which starts on a character boundary.
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, sizeof w);
    if (((w - kOnes) | w) & kHighs) break;
  }
  while (i < s.size()) {
    if (s[i] == '\0') return false;
    const std::size_t n = Utf8SequenceAt(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void CheckStructure(const fb::ChannelFile& root, const std::uint8_t* payload_base, const std::string& file,
                    Diagnostics& out) {
  StructureChecker(payload_base, file, out).Run(root);
}

std::vector<std::uint8_t> CanonicalPayload(const fb::ChannelFileT& channel) {
  flatbuffers::FlatBufferBuilder fbb(1024);
  fb::FinishChannelFileBuffer(fbb, fb::ChannelFile::Pack(fbb, &channel));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

std::vector<std::uint8_t> AssembleChannelFile(std::span<const std::uint8_t> payload, const fb::ChannelFile& root) {
  Envelope e;
  e.magic = kMagic;
  e.format_major = kFormatMajor;
  e.format_minor = kFormatMinor;
  e.channel = root.channel();
  e.sequence = root.sequence();
  if (root.min_sensor()) e.min_sensor = {root.min_sensor()->major(), root.min_sensor()->minor()};
  if (root.max_sensor()) e.max_sensor = {root.max_sensor()->major(), root.max_sensor()->minor()};
  e.payload_length = static_cast<std::uint32_t>(payload.size());
  e.payload_sha256 = interp::ComputeSha256(payload);
  const auto header = EncodeEnvelope(e);
  // Sized once and copied: GCC 12 warns (-Wstringop-overread, a false
  // positive) on vector::insert of a span that may be empty.
  std::vector<std::uint8_t> out(header.size() + payload.size());
  std::copy(header.begin(), header.end(), out.begin());
  std::copy(payload.begin(), payload.end(), out.begin() + static_cast<std::ptrdiff_t>(header.size()));
  return out;
}

ParseResult ParseChannel(std::vector<std::uint8_t> bytes, const std::string& file, const ParseOptions& options) {
  ParseResult r;
  auto& diags = r.diagnostics;
  auto fail = [&](Code c, std::optional<std::uint64_t> off, std::string msg) {
    diags.push_back(At(c, file, off, std::move(msg)));
    return std::move(r);
  };
  if (bytes.empty()) return fail(Code::EmptyFile, 0, "file is empty");
  if (bytes.size() > limits::kMaxFileSize) {
    return fail(Code::FileTooLarge, limits::kMaxFileSize,
                fmt::format("file is {} bytes, the maximum is {}", bytes.size(), limits::kMaxFileSize));
  }
  if (std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; })) {
    return fail(Code::AllZero, 0, fmt::format("all {} bytes are zero", bytes.size()));
  }
  if (bytes.size() < kEnvelopeSize) {
    return fail(Code::ShortFile, bytes.size(),
                fmt::format("file is {} bytes, shorter than the {}-byte envelope", bytes.size(), kEnvelopeSize));
  }
  const Envelope env = DecodeEnvelope(std::span<const std::uint8_t, kEnvelopeSize>(bytes.data(), kEnvelopeSize));
  if (env.magic != kMagic) return fail(Code::BadMagic, 0, "bad magic: not a channel file");
  // A newer minor may carry fields this tool cannot read (and so cannot
  // check); it is rejected rather than half-understood.
  if (env.format_major != kFormatMajor || env.format_minor > kFormatMinor) {
    return fail(Code::UnsupportedVersion, envelope_offset::kFormatMajor,
                fmt::format("format version {}.{} is not supported (this tool reads {}.0 to {}.{})", env.format_major,
                            env.format_minor, kFormatMajor, kFormatMajor, kFormatMinor));
  }
  if (env.flags != 0) {
    return fail(Code::ReservedNonZero, envelope_offset::kFlags, fmt::format("reserved flags 0x{:04x} are set", env.flags));
  }
  const std::size_t available = bytes.size() - kEnvelopeSize;
  if (env.payload_length > available) {
    return fail(Code::PayloadTruncated, bytes.size(),
                fmt::format("envelope declares a {}-byte payload, the file holds {} bytes after the envelope "
                            "(truncated by {})",
                            env.payload_length, available, env.payload_length - available));
  }
  if (env.payload_length < available) {
    return fail(Code::TrailingBytes, kEnvelopeSize + env.payload_length,
                fmt::format("{} bytes follow the {}-byte payload", available - env.payload_length,
                            env.payload_length));
  }
  const std::span<const std::uint8_t> payload(bytes.data() + kEnvelopeSize, available);
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
  if (interp::ComputeSha256(payload) != env.payload_sha256) {
    return fail(Code::DigestMismatch, envelope_offset::kDigest, "payload SHA-256 does not match the envelope");
  }
#endif
  flatbuffers::Verifier verifier(payload.data(), payload.size(), limits::kVerifierMaxDepth,
                                 limits::kVerifierMaxTables);
  if (!fb::VerifyChannelFileBuffer(verifier)) {
    return fail(Code::VerifierFailure, kEnvelopeSize,
                fmt::format("FlatBuffers verifier rejected the payload (identifier \"{}\", depth <= {}, "
                            "tables <= {})",
                            fb::ChannelFileIdentifier(), limits::kVerifierMaxDepth, limits::kVerifierMaxTables));
  }
  const fb::ChannelFile& root = *fb::GetChannelFile(payload.data());
  CheckStructure(root, payload.data(), file, diags);
  if (HasErrors(diags)) return r;

  const auto same = [](const fb::SensorVersion& a, const interp::SensorVersion& b) {
    return a.major() == b.major && a.minor() == b.minor;
  };
  if (root.channel() != env.channel || root.sequence() != env.sequence || !same(*root.min_sensor(), env.min_sensor) ||
      !same(*root.max_sensor(), env.max_sensor)) {
    return fail(Code::HeaderPayloadMismatch, 12,
                fmt::format("envelope says channel {} sequence {} sensors {}..{}; payload says channel {} "
                            "sequence {} sensors {}.{}..{}.{}",
                            env.channel, env.sequence, env.min_sensor.ToString(), env.max_sensor.ToString(),
                            root.channel(), root.sequence(), root.min_sensor()->major(), root.min_sensor()->minor(),
                            root.max_sensor()->major(), root.max_sensor()->minor()));
  }
  // The replay answers for a canonical payload; the rebuild finds where any
  // other payload first differs (and overrules a replay that was wrong).
  if (options.canonical && !PayloadIsCanonical(root, payload)) {
    if (const auto at = FirstNonCanonicalByte(root, payload)) {
      return fail(Code::NonCanonical, kEnvelopeSize + *at,
                  fmt::format("payload is not canonically encoded (first difference at payload byte {})", *at));
    }
  }
  r.channel = ParsedChannel{std::move(bytes), env};
  return r;
}

}  // namespace chanval
