// CanonicalPayload and FirstNonCanonicalByte (parser.h) from a verified
// table: the bytes the object API's Pack(UnPack(table)) writes, made by the
// same builder calls in the same order straight from the table, without the
// object API's allocations. The parser's check builds into one buffer sized
// for the payload and keeps child offsets on one stack, so a valid file costs
// one allocation for the builder and one for the stack.
// Tests: tests/test_parser.cpp (equal to the object-API encoding on every corpus
// and malformed file), fuzz_parse (equal on every verified input).
#include <flatbuffers/flatbuffers.h>

#include <algorithm>
#include <cstring>

#include "chanval/validator/parser.h"

namespace chanval {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using flatbuffers::uoffset_t;

// Absent and empty are one thing to the object API: Pack writes neither.
template <typename V>
bool Filled(const V* v) {
  return v && v->size() != 0;
}

class CanonicalWriter {
 public:
  explicit CanonicalWriter(FlatBufferBuilder& b) : b_(b) {}

  void Write(const fb::ChannelFile& verified) {
    Offset<flatbuffers::Vector<Offset<fb::Instance>>> instances = 0;
    if (Filled(verified.instances())) {
      const std::size_t mark = stack_.size();
      for (const auto* in : *verified.instances()) stack_.push_back(CopyInstance(*in).o);
      instances = PopVector<fb::Instance>(mark);
    }
    fb::FinishChannelFileBuffer(
        b_, fb::CreateChannelFile(b_, verified.channel(), verified.sequence(), verified.min_sensor(),
                                  verified.max_sensor(), instances));
  }

 private:
  // A vector of the offsets pushed since `mark`, in push order; pops them.
  template <typename T>
  Offset<flatbuffers::Vector<Offset<T>>> PopVector(std::size_t mark) {
    const std::size_t n = stack_.size() - mark;
    b_.StartVector(n, sizeof(Offset<T>));
    for (std::size_t i = stack_.size(); i > mark; --i) b_.PushElement(Offset<T>(stack_[i - 1]));
    stack_.resize(mark);
    return Offset<flatbuffers::Vector<Offset<T>>>(b_.EndVector(n));
  }

  Offset<flatbuffers::String> Text(const flatbuffers::String* s) { return Filled(s) ? b_.CreateString(s) : 0; }

  Offset<flatbuffers::Vector<Offset<flatbuffers::String>>> Texts(
      const flatbuffers::Vector<Offset<flatbuffers::String>>* v) {
    return Filled(v) ? b_.CreateVectorOfStrings(v->begin(), v->end()) : 0;
  }

  Offset<fb::Matcher> CopyMatcher(const fb::Matcher& m) {
    const auto values = Texts(m.values());
    Offset<flatbuffers::Vector<std::int64_t>> ints = 0;
    // 8-byte aligned: the parser's structure check refused a misaligned
    // vector before the canonical check runs.
    if (Filled(m.int_values())) ints = b_.CreateVector(m.int_values()->data(), m.int_values()->size());
    return fb::CreateMatcher(b_, m.field(), m.kind(), values, ints, m.ignore_case(), m.op(), m.lo(), m.hi(),
                             m.other_field());
  }

  Offset<fb::Expr> CopyExpr(const fb::Expr& e) {
    Offset<flatbuffers::Vector<Offset<fb::Expr>>> args = 0;
    if (Filled(e.args())) {
      const std::size_t mark = stack_.size();
      for (const auto* a : *e.args()) stack_.push_back(CopyExpr(*a).o);
      args = PopVector<fb::Expr>(mark);
    }
    return fb::CreateExpr(b_, e.op(), e.matcher(), args);
  }

  Offset<fb::RuleMeta> CopyMeta(const fb::RuleMeta& m) {
    const auto rule_id = Text(m.rule_id());
    const auto title = Text(m.title());
    const auto author = Text(m.author());
    const auto references = Texts(m.references());
    return fb::CreateRuleMeta(b_, rule_id, title, author, references);
  }

  Offset<fb::Instance> CopyInstance(const fb::Instance& in) {
    const auto name = Text(in.name());
    Offset<flatbuffers::Vector<Offset<fb::Matcher>>> matchers = 0;
    if (Filled(in.matchers())) {
      const std::size_t mark = stack_.size();
      for (const auto* m : *in.matchers()) stack_.push_back(CopyMatcher(*m).o);
      matchers = PopVector<fb::Matcher>(mark);
    }
    const auto condition = in.condition() ? CopyExpr(*in.condition()) : 0;
    const auto meta = in.meta() ? CopyMeta(*in.meta()) : 0;
    return fb::CreateInstance(b_, in.id(), name, in.template_type(), matchers, condition, in.action(),
                              in.severity(), in.matches_everything_intended(), meta);
  }

  FlatBufferBuilder& b_;
  std::vector<uoffset_t> stack_;  // child offsets awaiting their vector
};

}  // namespace

std::vector<std::uint8_t> CanonicalPayload(const fb::ChannelFile& verified) {
  FlatBufferBuilder b(1024);
  CanonicalWriter(b).Write(verified);
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

std::optional<std::size_t> FirstNonCanonicalByte(const fb::ChannelFile& verified,
                                                 std::span<const std::uint8_t> payload) {
  // Sized so a canonical payload never makes the builder grow (and copy).
  FlatBufferBuilder b(payload.size() + 64);
  CanonicalWriter(b).Write(verified);
  const std::span<const std::uint8_t> canonical(b.GetBufferPointer(), b.GetSize());
  // memcmp for the common case: std::mismatch compares a byte at a time.
  if (canonical.size() == payload.size() && std::memcmp(canonical.data(), payload.data(), payload.size()) == 0) {
    return std::nullopt;
  }
  const auto [ours, theirs] = std::mismatch(canonical.begin(), canonical.end(), payload.begin(), payload.end());
  if (ours == canonical.end() && theirs == payload.end()) return std::nullopt;
  return static_cast<std::size_t>(theirs - payload.begin());
}

}  // namespace chanval
