// The canonical rule's fast path (PayloadIsCanonical, canonical_replay.cpp)
// against its reference, the rebuild (FirstNonCanonicalByte): the same
// verdict on every payload the rule sees — canonical files, every one-byte
// mutation of them that stays verified and sound, other builders' encodings
// of the same content, and a vtable borrowed from bytes that only look like one.
#include <doctest/doctest.h>

#include <cstring>

#include "chanval/interpreter/limits.h"
#include "chanval/validator/parser.h"
#include "support/channel_builder.h"
#include "support/malformed.h"

using namespace chanval;

namespace {

// Verified and structurally sound: what ParseChannel hands the canonical rule.
bool ReachesCanonicalRule(std::span<const std::uint8_t> payload) {
  flatbuffers::Verifier v(payload.data(), payload.size(), limits::kVerifierMaxDepth, limits::kVerifierMaxTables);
  if (!fb::VerifyChannelFileBuffer(v)) return false;
  Diagnostics d;
  CheckStructure(*fb::GetChannelFile(payload.data()), payload.data(), "t.chan", d);
  return !HasErrors(d);
}

struct Verdicts {
  bool replay;
  bool rebuild;
};

Verdicts Judge(std::span<const std::uint8_t> payload) {
  const auto& root = *fb::GetChannelFile(payload.data());
  return {PayloadIsCanonical(root, payload), !FirstNonCanonicalByte(root, payload).has_value()};
}

std::vector<std::uint8_t> Encode(const fb::ChannelFileT& c, bool force_defaults, bool dedup_vtables) {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(force_defaults);
  fbb.DedupVtables(dedup_vtables);
  fb::FinishChannelFileBuffer(fbb, fb::ChannelFile::Pack(fbb, &c));
  return {fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize()};
}

const std::uint8_t* Address(const void* p) { return static_cast<const std::uint8_t*>(p); }

}  // namespace

TEST_CASE("the layout replay accepts canonical payloads, including the empty and the largest tables") {
  for (const auto& c : {test::EveryFieldChannel(), test::Channel()}) {
    const auto payload = CanonicalPayload(c);
    REQUIRE(ReachesCanonicalRule(payload) == !c.instances.empty());
    const auto v = Judge(payload);
    CHECK(v.rebuild);
    CHECK(v.replay);
  }
}

TEST_CASE("the layout replay and the rebuild agree on every one-byte mutation that stays sound") {
  std::size_t canonical = 0, non_canonical = 0;
  const auto base = test::ValidBaseFile();
  for (const auto& original : {CanonicalPayload(test::EveryFieldChannel()),
                               std::vector<std::uint8_t>(base.begin() + kEnvelopeSize, base.end())}) {
    for (std::size_t at = 0; at < original.size(); ++at) {
      for (const std::uint8_t flip : {0x01, 0x02, 0x04, 0x08, 0x10, 0x40, 0x80, 0xFF}) {
        auto payload = original;
        payload[at] ^= flip;
        if (!ReachesCanonicalRule(payload)) continue;
        const auto v = Judge(payload);
        CAPTURE(at);
        CAPTURE(int(flip));
        REQUIRE(v.replay == v.rebuild);
        (v.rebuild ? canonical : non_canonical) += 1;
      }
    }
  }
  // Both verdicts were exercised: a changed value keeps a payload canonical,
  // a changed layout byte does not.
  CHECK(canonical > 100);
  CHECK(non_canonical > 100);
}

TEST_CASE("other encodings of the same content are refused by both") {
  const auto c = test::EveryFieldChannel();
  for (const auto& variant : {std::pair{true, true}, {false, false}, {true, false}}) {
    const bool force_defaults = variant.first, dedup_vtables = variant.second;  // not a structured binding: CAPTURE is a lambda
    CAPTURE(force_defaults);
    CAPTURE(dedup_vtables);
    const auto payload = Encode(c, force_defaults, dedup_vtables);
    REQUIRE(ReachesCanonicalRule(payload));
    const auto v = Judge(payload);
    CHECK_FALSE(v.rebuild);
    CHECK_FALSE(v.replay);
  }
}

TEST_CASE("a shared vtable must be one the builder wrote, not equal bytes elsewhere") {
  // Two instances with the same suffix matcher: the second matcher shares
  // the first one's vtable. An instance built before them holds a copy of
  // that vtable's bytes in its int set, and the second matcher is pointed at
  // the copy: every field reads the same, but no builder writes that layout.
  auto c = test::Channel();
  c.instances.push_back(test::Instance(1, 1, test::Matchers(test::IntSet(3, {1, 2, 3}))));
  c.instances.push_back(test::Instance(2, 1, test::Matchers(test::M(4, test::MatcherKind::Suffix, {"\\a.exe"}))));
  c.instances.push_back(test::Instance(3, 1, test::Matchers(test::M(4, test::MatcherKind::Suffix, {"\\b.exe"}))));
  auto payload = CanonicalPayload(c);
  const auto vtable_of = [](const void* table) {
    flatbuffers::soffset_t back;
    std::memcpy(&back, table, sizeof back);
    return Address(table) - back;
  };
  const auto matcher = [&](std::size_t i) {
    return fb::GetChannelFile(payload.data())->instances()->Get(static_cast<flatbuffers::uoffset_t>(i))->matchers()->Get(0);
  };
  REQUIRE(vtable_of(matcher(2)) == vtable_of(matcher(1)));
  flatbuffers::voffset_t vtable_bytes;
  std::memcpy(&vtable_bytes, vtable_of(matcher(1)), sizeof vtable_bytes);
  REQUIRE(vtable_bytes <= 3 * sizeof(std::int64_t));

  // The int set takes the vtable's bytes (three values still: the same layout).
  std::vector<std::int64_t> copy = {0, 0, 0};
  std::memcpy(copy.data(), vtable_of(matcher(1)), vtable_bytes);
  c.instances[0]->matchers[0]->int_values = copy;
  payload = CanonicalPayload(c);
  REQUIRE(Judge(payload).replay);
  const std::uint8_t* ints = Address(matcher(0)->int_values()->data());
  REQUIRE(std::memcmp(ints, vtable_of(matcher(2)), vtable_bytes) == 0);
  REQUIRE(ints > Address(matcher(2)));  // built earlier, so a shared vtable may sit there

  const auto moved = static_cast<flatbuffers::soffset_t>(Address(matcher(2)) - ints);
  std::memcpy(payload.data() + (Address(matcher(2)) - payload.data()), &moved, sizeof moved);
  REQUIRE(vtable_of(matcher(2)) == ints);
  REQUIRE(ReachesCanonicalRule(payload));
  const auto v = Judge(payload);
  CHECK_FALSE(v.rebuild);
  CHECK_FALSE(v.replay);
}

TEST_CASE("a payload with bytes in front of the builder's first is refused by both") {
  // A second root offset and identifier in front of a canonical payload: the
  // verifier reads the file from the new front, the old tail is all canonical.
  const auto canonical = CanonicalPayload(test::EveryFieldChannel());
  flatbuffers::uoffset_t root;
  std::memcpy(&root, canonical.data(), sizeof root);
  root += 8;
  std::vector<std::uint8_t> payload(8);
  std::memcpy(payload.data(), &root, sizeof root);
  std::memcpy(payload.data() + 4, fb::ChannelFileIdentifier(), 4);
  payload.insert(payload.end(), canonical.begin(), canonical.end());
  REQUIRE(ReachesCanonicalRule(payload));
  const auto v = Judge(payload);
  CHECK_FALSE(v.rebuild);
  CHECK_FALSE(v.replay);
}
