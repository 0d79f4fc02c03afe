// Strict parse of a channel file: envelope, digest, FlatBuffers verifier with
// tight limits, then the structural rules the verifier cannot express, and
// canonical encoding. Cost is linear in the file size; nothing is trusted
// before it is checked.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chanval/channel_generated.h"
#include "chanval/validator/diagnostic.h"
#include "chanval/validator/envelope.h"

namespace chanval {

struct ParsedChannel {
  std::vector<std::uint8_t> bytes;  // the whole file
  Envelope envelope;
  std::span<const std::uint8_t> payload() const { return {bytes.data() + kEnvelopeSize, bytes.size() - kEnvelopeSize}; }
  const fb::ChannelFile& root() const { return *fb::GetChannelFile(bytes.data() + kEnvelopeSize); }
};

struct ParseResult {
  std::optional<ParsedChannel> channel;  // set only when there is no error
  Diagnostics diagnostics;
};

struct ParseOptions {
  // The canonical-encoding check (CV026 non-canonical), the costliest rule. Off
  // only where a caller parses again with it before trusting an acceptance:
  // the fuzz oracle's first pass, which needs a necessary condition only.
  bool canonical = true;
};

ParseResult ParseChannel(std::vector<std::uint8_t> bytes, const std::string& file_name, const ParseOptions& options = {});

// Length of the well-formed UTF-8 sequence starting at s[i] (i < size), or 0.
std::size_t Utf8SequenceAt(std::string_view s, std::size_t i);
// What the format allows in any string: well-formed UTF-8 without NUL (CV027).
bool IsChannelString(std::string_view s);

// Structural rules on a verified payload (used by ParseChannel and by
// `build` before it writes anything).
void CheckStructure(const fb::ChannelFile& root, const std::uint8_t* payload_base, const std::string& file,
                    Diagnostics& out);

// Canonical payload for a channel: what `build` writes and what the parser
// requires. Re-encodes through the object API, so field order and sharing in
// the input cannot matter.
std::vector<std::uint8_t> CanonicalPayload(const fb::ChannelFileT& channel);
// The same bytes from a verified table, without building the object API
// (canonical.cpp).
std::vector<std::uint8_t> CanonicalPayload(const fb::ChannelFile& verified);
// The parser's check: the payload's first byte that differs from its
// canonical encoding (payload.size() when only the lengths differ), or
// nothing when it is canonical. Builds once, into a buffer of the payload's
// size, and compares in place.
std::optional<std::size_t> FirstNonCanonicalByte(const fb::ChannelFile& verified,
                                                 std::span<const std::uint8_t> payload);

// Whether the payload is exactly its canonical encoding, decided by replaying
// the builder's layout over the payload instead of writing it
// (canonical_replay.cpp). Fast, and a second model of the builder, so callers
// take a "no" to FirstNonCanonicalByte, which has the last word.
bool PayloadIsCanonical(const fb::ChannelFile& verified, std::span<const std::uint8_t> payload);

// Envelope + payload, with digest and lengths filled in.
std::vector<std::uint8_t> AssembleChannelFile(std::span<const std::uint8_t> payload, const fb::ChannelFile& root);

}  // namespace chanval
