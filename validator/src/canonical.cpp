// CanonicalPayload (parser.h) from a verified table: the bytes the object API's
// Pack(UnPack(table)) writes, made by the same builder calls in the same order
// straight from the table, without the object API's allocations.
// Tests: tests/test_parser.cpp (equal to the object-API encoding on every corpus
// and malformed file), fuzz_parse (equal on every verified input).
#include <flatbuffers/flatbuffers.h>

#include "chanval/validator/parser.h"

namespace chanval {
namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;

// Absent and empty are one thing to the object API: Pack writes neither.
template <typename V>
bool Filled(const V* v) {
  return v && v->size() != 0;
}

Offset<flatbuffers::String> Text(FlatBufferBuilder& b, const flatbuffers::String* s) {
  return Filled(s) ? b.CreateString(s) : 0;
}

Offset<flatbuffers::Vector<Offset<flatbuffers::String>>> Texts(
    FlatBufferBuilder& b, const flatbuffers::Vector<Offset<flatbuffers::String>>* v) {
  return Filled(v) ? b.CreateVectorOfStrings(v->begin(), v->end()) : 0;
}

Offset<fb::Matcher> CopyMatcher(FlatBufferBuilder& b, const fb::Matcher& m) {
  const auto values = Texts(b, m.values());
  Offset<flatbuffers::Vector<std::int64_t>> ints = 0;
  // 8-byte aligned: the parser's structure check refused a misaligned
  // vector before the canonical check runs.
  if (Filled(m.int_values())) ints = b.CreateVector(m.int_values()->data(), m.int_values()->size());
  return fb::CreateMatcher(b, m.field(), m.kind(), values, ints, m.ignore_case(), m.op(), m.lo(), m.hi(),
                           m.other_field());
}

Offset<fb::Expr> CopyExpr(FlatBufferBuilder& b, const fb::Expr& e) {
  Offset<flatbuffers::Vector<Offset<fb::Expr>>> args = 0;
  if (Filled(e.args())) {
    std::vector<Offset<fb::Expr>> elems(e.args()->size());
    for (flatbuffers::uoffset_t i = 0; i < e.args()->size(); ++i) elems[i] = CopyExpr(b, *e.args()->Get(i));
    args = b.CreateVector(elems);
  }
  return fb::CreateExpr(b, e.op(), e.matcher(), args);
}

Offset<fb::RuleMeta> CopyMeta(FlatBufferBuilder& b, const fb::RuleMeta& m) {
  const auto rule_id = Text(b, m.rule_id());
  const auto title = Text(b, m.title());
  const auto author = Text(b, m.author());
  const auto references = Texts(b, m.references());
  return fb::CreateRuleMeta(b, rule_id, title, author, references);
}

Offset<fb::Instance> CopyInstance(FlatBufferBuilder& b, const fb::Instance& in) {
  const auto name = Text(b, in.name());
  Offset<flatbuffers::Vector<Offset<fb::Matcher>>> matchers = 0;
  if (Filled(in.matchers())) {
    std::vector<Offset<fb::Matcher>> elems(in.matchers()->size());
    for (flatbuffers::uoffset_t i = 0; i < in.matchers()->size(); ++i) elems[i] = CopyMatcher(b, *in.matchers()->Get(i));
    matchers = b.CreateVector(elems);
  }
  const auto condition = in.condition() ? CopyExpr(b, *in.condition()) : 0;
  const auto meta = in.meta() ? CopyMeta(b, *in.meta()) : 0;
  return fb::CreateInstance(b, in.id(), name, in.template_type(), matchers, condition, in.action(), in.severity(),
                            in.matches_everything_intended(), meta);
}

}  // namespace

std::vector<std::uint8_t> CanonicalPayload(const fb::ChannelFile& verified) {
  FlatBufferBuilder b(1024);
  Offset<flatbuffers::Vector<Offset<fb::Instance>>> instances = 0;
  if (Filled(verified.instances())) {
    std::vector<Offset<fb::Instance>> elems(verified.instances()->size());
    for (flatbuffers::uoffset_t i = 0; i < verified.instances()->size(); ++i) {
      elems[i] = CopyInstance(b, *verified.instances()->Get(i));
    }
    instances = b.CreateVector(elems);
  }
  fb::FinishChannelFileBuffer(
      b, fb::CreateChannelFile(b, verified.channel(), verified.sequence(), verified.min_sensor(),
                               verified.max_sensor(), instances));
  return {b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize()};
}

}  // namespace chanval
