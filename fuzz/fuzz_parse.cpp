// Raw bytes → strict parser. Never crashes; if accepted, dump → build gives
// the same payload and envelope (the digest aside: fuzz builds skip it). If
// rejected only as non-canonical, the object API's encoding (what `build`
// writes) agrees with the parser's table walk: neither path can reject what
// the other accepts. Wherever the canonical rule runs, its fast path (the
// layout replay) and its reference (the rebuild) give the same verdict.
#include <algorithm>
#include <cstdlib>
#include <memory>
#include <cstring>

#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"

namespace {
void RequireCanonicalVerdictsAgree(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  const std::span<const std::uint8_t> payload(data + kEnvelopeSize, size - kEnvelopeSize);
  const auto& root = *fb::GetChannelFile(payload.data());
  if (PayloadIsCanonical(root, payload) != !FirstNonCanonicalByte(root, payload).has_value()) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  auto r = ParseChannel(std::vector<std::uint8_t>(data, data + size), "fuzz.chan");
  if (!r.channel) {
    if (r.diagnostics.empty()) std::abort();  // a rejection must say why
    const bool only_non_canonical = std::all_of(r.diagnostics.begin(), r.diagnostics.end(),
                                                [](const Diagnostic& d) { return d.code == Code::NonCanonical; });
    if (only_non_canonical) {  // the payload is verified and structurally sound
      RequireCanonicalVerdictsAgree(data, size);
      const auto* root = fb::GetChannelFile(data + kEnvelopeSize);
      const std::unique_ptr<fb::ChannelFileT> object(root->UnPack());
      if (CanonicalPayload(*root) != CanonicalPayload(*object)) std::abort();
    }
    return 0;
  }
  RequireCanonicalVerdictsAgree(data, size);
  auto json = DumpJson(*r.channel);
  if (!json) std::abort();
  auto rebuilt = BuildFromJson(*json, "dump.json");
  if (rebuilt.file.size() != size) std::abort();
  // Envelope up to the digest, and the payload, must be identical.
  if (std::memcmp(rebuilt.file.data(), data, envelope_offset::kDigest) != 0) std::abort();
  if (std::memcmp(rebuilt.file.data() + kEnvelopeSize, data + kEnvelopeSize, size - kEnvelopeSize) != 0) std::abort();
  return 0;
}
