#include "malformed.h"

#include <flatbuffers/flatbuffers.h>

#include "channel_builder.h"
#include "chanval/interpreter/attestation.h"
#include "chanval/interpreter/limits.h"
#include "chanval/validator/envelope.h"

namespace chanval::test {
namespace {

fb::ChannelFileT BaseChannel() {
  auto c = Channel();
  c.instances.push_back(Instance(1, 1,
                                 Matchers(M(4, MatcherKind::Suffix, {"\\cmd.exe"}, true),
                                          M(10, MatcherKind::Contains, {"/c whoami"}, true))));
  return c;
}

// Re-seals the envelope after a payload edit, so only the intended defect remains.
std::vector<std::uint8_t> Reseal(std::vector<std::uint8_t> file) {
  const std::span<const std::uint8_t> payload(file.data() + kEnvelopeSize, file.size() - kEnvelopeSize);
  auto env = DecodeEnvelope(std::span<const std::uint8_t, kEnvelopeSize>(file.data(), kEnvelopeSize));
  env.payload_length = static_cast<std::uint32_t>(payload.size());
  env.payload_sha256 = interp::ComputeSha256(payload);
  const auto header = EncodeEnvelope(env);
  std::copy(header.begin(), header.end(), file.begin());
  return file;
}

std::vector<std::uint8_t> WithEnvelope(std::vector<std::uint8_t> file, void (*edit)(Envelope&)) {
  auto env = DecodeEnvelope(std::span<const std::uint8_t, kEnvelopeSize>(file.data(), kEnvelopeSize));
  edit(env);
  const auto header = EncodeEnvelope(env);
  std::copy(header.begin(), header.end(), file.begin());
  return file;
}

template <typename Edit>
std::vector<std::uint8_t> Edited(Edit edit) {
  auto c = BaseChannel();
  edit(c);
  return Bytes(c);
}

}  // namespace

std::vector<std::uint8_t> ValidBaseFile() { return Bytes(BaseChannel()); }

std::vector<MalformedCase> MalformedCases() {
  const auto valid = ValidBaseFile();
  std::vector<MalformedCase> cases;
  auto add = [&](std::string name, Code code, std::vector<std::uint8_t> bytes) {
    cases.push_back({std::move(name), code, std::move(bytes)});
  };
  add("empty", Code::EmptyFile, {});
  add("short", Code::ShortFile, {valid.begin(), valid.begin() + 40});
  add("all-zero", Code::AllZero, std::vector<std::uint8_t>(valid.size(), 0));
  {
    auto b = valid;
    b[1] = 'X';
    add("bad-magic", Code::BadMagic, b);
  }
  add("unsupported-major", Code::UnsupportedVersion, WithEnvelope(valid, [](Envelope& e) { e.format_major = 2; }));
  add("unsupported-minor", Code::UnsupportedVersion, WithEnvelope(valid, [](Envelope& e) { e.format_minor = 1; }));
  add("reserved-flags", Code::ReservedNonZero, WithEnvelope(valid, [](Envelope& e) { e.flags = 1; }));
  add("truncated", Code::PayloadTruncated, {valid.begin(), valid.end() - 9});
  {
    auto b = valid;
    b.insert(b.end(), {1, 2, 3});
    add("trailing-bytes", Code::TrailingBytes, b);
  }
  add("too-large", Code::FileTooLarge, std::vector<std::uint8_t>(limits::kMaxFileSize + 1, 0x41));
  {
    auto b = valid;
    b.back() ^= 0x01;
    add("digest-mismatch", Code::DigestMismatch, b);
  }
  {
    auto b = valid;
    b[kEnvelopeSize] = 0xff;  // root offset far outside the buffer
    b[kEnvelopeSize + 1] = 0xff;
    add("verifier-failure", Code::VerifierFailure, Reseal(b));
  }
  add("header-payload-mismatch", Code::HeaderPayloadMismatch,
      WithEnvelope(valid, [](Envelope& e) { e.channel = 999; }));
  add("missing-name", Code::MissingField, Edited([](fb::ChannelFileT& c) { c.instances[0]->name.clear(); }));
  add("missing-sensor-range", Code::MissingField, Edited([](fb::ChannelFileT& c) { c.max_sensor.reset(); }));
  add("duplicate-id", Code::DuplicateInstanceId, Edited([](fb::ChannelFileT& c) {
        c.instances.push_back(Instance(1, 1, Matchers(M(4, MatcherKind::Equals, {"x"}))));
      }));
  add("matcher-ref-out-of-range", Code::MatcherRefOutOfRange,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->condition = Ref(7); }));
  add("field-index-out-of-range", Code::FieldIndexOutOfRange,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->matchers[0]->field = limits::kMaxFieldsPerType; }));
  add("empty-string", Code::EmptyString,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->matchers[1]->values[0].clear(); }));
  add("string-too-long", Code::StringTooLong, Edited([](fb::ChannelFileT& c) {
        c.instances[0]->name = std::string(limits::kMaxStringLength + 1, 'n');
      }));
  add("bad-utf8", Code::BadString, Edited([](fb::ChannelFileT& c) { c.instances[0]->name = "caf\xc3"; }));
  add("too-many-instances", Code::TooManyInstances, Edited([](fb::ChannelFileT& c) {
        for (std::uint32_t i = 2; i <= limits::kMaxInstances + 1; ++i) {
          auto inst = std::make_unique<fb::InstanceT>();
          inst->id = i;
          inst->name = "i";
          inst->template_type = 1;
          c.instances.push_back(std::move(inst));
        }
      }));
  add("too-many-matchers", Code::TooManyMatchers, Edited([](fb::ChannelFileT& c) {
        for (std::size_t i = 0; i < limits::kMaxMatchersPerInstance; ++i) {
          c.instances[0]->matchers.push_back(M(4, MatcherKind::Wildcard));
        }
      }));
  add("set-too-large", Code::SetTooLarge, Edited([](fb::ChannelFileT& c) {
        auto m = M(4, MatcherKind::OneOf);
        for (std::size_t i = 0; i <= limits::kMaxValuesPerMatcher; ++i) m->values.push_back(std::to_string(i));
        c.instances[0]->matchers.push_back(std::move(m));
      }));
  add("expression-too-deep", Code::ExpressionTooDeep, Edited([](fb::ChannelFileT& c) {
        auto e = Ref(0);
        for (std::size_t d = 0; d < limits::kMaxExprDepth; ++d) e = Not(std::move(e));
        c.instances[0]->condition = std::move(e);
      }));
  add("bad-sensor-range", Code::BadSensorRange,
      Edited([](fb::ChannelFileT& c) { c.min_sensor = std::make_unique<fb::SensorVersion>(8, 0); }));
  add("unknown-matcher-kind", Code::UnknownEnumValue,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->matchers[0]->kind = static_cast<MatcherKind>(77); }));
  add("bad-matcher-values", Code::BadMatcherValues,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->matchers[0]->kind = MatcherKind::IntRange; }));
  add("other-field-without-field-equals", Code::BadMatcherValues,
      Edited([](fb::ChannelFileT& c) { c.instances[0]->matchers[0]->other_field = 3; }));
  add("field-equals-itself", Code::BadMatcherValues, Edited([](fb::ChannelFileT& c) {
        auto& m = *c.instances[0]->matchers[0];
        m.kind = MatcherKind::FieldEquals;
        m.values.clear();
        m.other_field = m.field;
      }));
  add("other-field-out-of-range", Code::FieldIndexOutOfRange, Edited([](fb::ChannelFileT& c) {
        auto& m = *c.instances[0]->matchers[0];
        m.kind = MatcherKind::FieldEquals;
        m.values.clear();
        m.other_field = limits::kMaxFieldsPerType;
      }));
  add("bad-expression", Code::BadExpression, Edited([](fb::ChannelFileT& c) {
        c.instances[0]->condition = Op(fb::ExprOp::Not, Args(Ref(0), Ref(1)));
      }));
  {
    // Same content, encoded with default values written out: valid
    // FlatBuffers, but not the canonical bytes `build` would produce.
    auto c = BaseChannel();
    flatbuffers::FlatBufferBuilder fbb;
    fbb.ForceDefaults(true);
    fb::FinishChannelFileBuffer(fbb, fb::ChannelFile::Pack(fbb, &c));
    const std::span<const std::uint8_t> payload(fbb.GetBufferPointer(), fbb.GetSize());
    add("non-canonical", Code::NonCanonical, AssembleChannelFile(payload, *fb::GetChannelFile(payload.data())));
  }
  return cases;
}

}  // namespace chanval::test
