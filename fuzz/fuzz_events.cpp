// Events reader: whatever the bytes and however they arrive, the same events
// and errors in the same order, memory within the reader's bound, and work
// linear in the input (each byte examined a bounded number of times).
// Input: [u8 seed][u8 max piece][event text].
#include <cstdlib>
#include <string>
#include <vector>

#include "chanval/validator/events.h"

namespace {

// A small event limit, so inputs within max_len reach the size refusal.
constexpr std::size_t kFuzzMaxEvent = 4096;

std::string Trace(std::string_view text, std::size_t seed, std::size_t max_piece, std::size_t& max_buffered,
                  std::uint64_t& scanned) {
  using namespace chanval;
  std::string trace;
  EventReader reader(
      [&](RecordedEvent&& e) {
        trace += "E" + std::to_string(e.line) + ":" + std::to_string(e.event_id) + ":" +
                 std::to_string(e.template_type) + ":" + std::to_string(e.fields.size()) + ";";
      },
      [&](const EventError& e) { trace += "X" + std::to_string(e.line) + ":" + e.message + ";"; }, kFuzzMaxEvent);
  std::size_t at = 0, state = seed;
  while (at < text.size()) {
    state = state * 1103515245 + 12345;
    const std::size_t piece = max_piece ? 1 + (state >> 16) % max_piece : text.size();
    reader.Feed(text.substr(at, piece));
    at += piece;
    max_buffered = std::max(max_buffered, reader.buffered());
  }
  reader.Finish();
  scanned = reader.scanned();
  return trace;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t seed = data[0], max_piece = data[1];
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  std::size_t whole_buffered = 0, pieces_buffered = 0;
  std::uint64_t whole_scanned = 0, pieces_scanned = 0;
  const std::string whole = Trace(text, seed, 0, whole_buffered, whole_scanned);
  const std::string pieces = Trace(text, seed, max_piece, pieces_buffered, pieces_scanned);
  if (whole != pieces) std::abort();  // the result depends on how the bytes arrived
  // Bytes the walk has passed are dropped in 64 KiB steps or at half the buffer.
  if (pieces_buffered > 2 * (kFuzzMaxEvent + 256) + (64u << 10)) std::abort();
  // Tokenizer once, walk once, parser once per object: linear.
  if (whole_scanned > 4 * text.size() + 16 || pieces_scanned > 4 * text.size() + 16) std::abort();
  return 0;
}
