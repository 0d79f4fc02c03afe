// EventReader, ReadEvents, StreamEvents, EventSource (events.h): events read
// in a stream, in memory bounded by kMaxEventBytes and time linear in the
// input. Tests: tests/test_events.cpp, tests/cli/run_events.sh,
// tests/cli/event_memory.sh.
#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "event_convert.h"
#include "json_scan.h"

namespace chanval {

// Two cursors move forward through the bytes, never back:
// - the tokenizer matches brackets as bytes arrive and records, for each
//   opening bracket, the distance to its closing one (64 bytes at a time
//   where the block's strings can be found at once, else from one byte
//   that matters to the next: json_scan.h);
// - the walk goes object by object (or skipped line by skipped line) and
//   needs, at an object's start, only that recorded distance.
// A failed object sends the walk to the next line, whose brackets the
// tokenizer has already matched: no rescan, so no quadratic input.
//
// The layout is decided by the first object. One that closes on its own
// line makes the input JSON lines: an object still open when its line ends
// is reported at once (a `tail -f` pipe is not held up behind a truncated
// record), unless its line holds only "{", as a pretty-printed object's
// first line does (exports mixed into JSON lines still read). Otherwise an
// unclosed object is given up after kMaxEventBytes or at the end.
struct EventReader::State {
  enum class Mode { Top, SkipLine };
  enum class Layout { Undecided, Lines, MultiLine };

  OnEvent on_event;
  OnEventError on_error;
  std::size_t max_event;
  simdjson::dom::parser parser;
  RecordedEvent event;

  std::string buf;                   // bytes [base, base + buf.size())
  std::uint64_t base = 0;

  // Every opening bracket at or after the walk, in order, numbered from
  // `brackets_dropped` (the count passed by the walk); the distance to its
  // close, 0 while it has none. Only brackets are recorded: a per-byte
  // table cost four bytes written for every byte read.
  struct Bracket {
    std::uint64_t at;
    std::uint32_t distance;
  };
  std::deque<Bracket> brackets;
  std::uint64_t brackets_dropped = 0;

  bool in_string = false, escaped = false;
  struct Open {
    std::uint64_t at, number;  // position, and number in `brackets`
  };
  std::deque<Open> open;             // unmatched opening brackets at or after the walk

  std::uint64_t walk = 0;
  std::uint64_t tokenized = 0;       // the tokenizer has taken the bytes before this
  std::size_t line = 1;
  Mode mode = Mode::Top;
  Layout layout = Layout::Undecided;
  std::uint64_t last_newline = 0;    // 1 + position of the last newline tokenized; 0 if none

  std::uint64_t end() const { return base + buf.size(); }
  char at(std::uint64_t p) const { return buf[p - base]; }

  std::uint64_t scanned = 0;         // bytes examined by the tokenizer and the walk, for tests

  void Tokenize(std::uint64_t from) {
    scanned += end() - from;
    const char* data = buf.data();
    const std::size_t n = buf.size();
    std::size_t i = from - base;
    // 64 bytes at a time while the block's strings can be found at once
    // (json_scan.h: FindStrings); a block they cannot is taken byte by byte.
    while (i + 64 <= n) {
      const BlockMasks m = ClassifyBlock(data + i);
      const BlockStrings strings = FindStrings(m, in_string, escaped);
      if (strings.exact) {
        TakeBrackets(i, (m.open | m.close) & ~strings.inside, m.open);
        if (m.newline) last_newline = base + i + 64 - static_cast<std::uint64_t>(__builtin_clzll(m.newline));
        in_string = strings.ends_in_string;
        escaped = strings.ends_escaped;
      } else {
        TokenizeBytes(i, i + 64);
      }
      i += 64;
    }
    TokenizeBytes(i, n);
  }

  // The brackets of the block at buffer offset `at` (bit i is byte at + i),
  // in order: `open` tells which are opening ones.
  void TakeBrackets(std::size_t at, std::uint64_t brackets_in_block, std::uint64_t open_bits) {
    for (; brackets_in_block != 0; brackets_in_block &= brackets_in_block - 1) {
      const int bit = __builtin_ctzll(brackets_in_block);
      const std::uint64_t pos = base + at + static_cast<std::uint64_t>(bit);
      if ((open_bits >> bit) & 1) {
        OpenBracket(pos);
      } else {
        CloseBracket(pos);
      }
    }
  }

  void OpenBracket(std::uint64_t pos) {
    open.push_back({pos, brackets_dropped + brackets.size()});
    brackets.push_back({pos, 0});
  }

  // A close with nothing open is outside any object: the walk reports it as
  // "expected a JSON object".
  void CloseBracket(std::uint64_t pos) {
    if (open.empty()) return;
    const Open o = open.back();
    open.pop_back();
    if (o.number >= brackets_dropped) {
      brackets[o.number - brackets_dropped].distance =
          static_cast<std::uint32_t>(std::min<std::uint64_t>(pos - o.at, std::numeric_limits<std::uint32_t>::max()));
    }
  }

  // Buffer offsets [from, to), a byte that matters at a time.
  void TokenizeBytes(std::size_t from, std::size_t to) {
    const char* data = buf.data();
    for (std::size_t i = from; i < to; ++i) {
      if (in_string && escaped) {  // the byte after a backslash
        escaped = false;
        if (data[i] == '\n') {
          last_newline = base + i + 1;
          in_string = false;
        }
        continue;
      }
      i += in_string ? NextStringSpecial(data + i, to - i) : NextStructural(data + i, to - i);
      if (i == to) break;
      const char c = data[i];
      if (c == '\n') {
        // A raw newline ends a string (JSON has none inside one).
        last_newline = base + i + 1;
        in_string = false;
        continue;
      }
      if (in_string) {
        if (c == '\\') {
          escaped = true;
        } else {  // '"'
          in_string = false;
        }
        continue;
      }
      switch (c) {
        case '"': in_string = true; break;
        case '{':
        case '[': OpenBracket(base + i); break;
        default: CloseBracket(base + i); break;  // '}' or ']'
      }
    }
  }

  // The recorded distance from the walk's bracket to its close; 0 if none.
  std::uint32_t DistanceAtWalk() const {
    return !brackets.empty() && brackets.front().at == walk ? brackets.front().distance : 0;
  }

  // Forgets brackets the walk has passed.
  void DropPassed() {
    while (!open.empty() && open.front().at < walk) open.pop_front();
    while (!brackets.empty() && brackets.front().at < walk) {
      brackets.pop_front();
      ++brackets_dropped;
    }
  }

  // The walk's line, for LineEndedOpen: its first newline after the walk
  // and the last byte before it that is not blank, found once per line.
  // Several objects on one line each rescanned the rest of it before: a
  // quadratic walk, found by fuzz_events.
  std::uint64_t line_newline = 0;    // 0 or at most the walk: not found yet
  std::uint64_t line_last_text = 0;

  // A JSON-lines record left open: its line ends before its close (known or
  // not yet), and holds more than "{". Judged the same whichever way the
  // bytes arrive.
  bool LineEndedOpen(std::uint32_t distance) {
    if (layout != Layout::Lines || last_newline <= walk) return false;
    if (line_newline <= walk) {  // the newline is buffered (last_newline is past the walk)
      const auto newline = FindNewline(walk + 1, end());
      if (!newline) return false;
      SetLineEnd(*newline);
    }
    // A line that runs past max_event from the object's start is judged by
    // size, as it is when its newline has not arrived yet (fuzz_events).
    if (line_newline - walk >= max_event) return false;
    const bool only_brace = line_last_text <= walk;
    return !only_brace && (distance == 0 || walk + distance > line_newline);
  }

  // The walk's line ends at `newline`; the last text before it is found
  // backwards, over the line's trailing blanks.
  void SetLineEnd(std::uint64_t newline) {
    line_newline = newline;
    line_last_text = line_newline - 1;
    while (line_last_text > walk && IsBlank(at(line_last_text))) --line_last_text;
  }

  // Whether the closed object at the walk holds a newline; if it does, the
  // first one is the walk's line end. An object that holds none (the usual
  // JSON line) ends before its line does: LineEndedOpen is false for it and
  // its line count is unchanged, settled with one memchr over the object
  // rather than one over the line and a count over the object.
  bool ObjectHoldsNewline(std::uint32_t distance) {
    const auto newline = FindNewline(walk + 1, walk + 1 + distance);
    if (!newline) return false;
    SetLineEnd(*newline);
    return true;
  }

  // Bytes before this hold no newline from the walk on (while the walk has
  // not passed one): a line whose newline has not arrived is searched once
  // however many pieces it comes in.
  std::uint64_t no_newline_before = 0;

  // The first newline in [from, limit), for the walk's line (from is at or
  // past the walk): the three searches of that line (TakeWholeLine,
  // ObjectHoldsNewline, LineEndedOpen) skip what an earlier one read.
  std::optional<std::uint64_t> FindNewline(std::uint64_t from, std::uint64_t limit) {
    from = std::max(from, no_newline_before);
    if (from >= limit) return std::nullopt;
    const char* p = buf.data() + (from - base);
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(limit - from)));
    if (!nl) {
      scanned += limit - from;
      no_newline_before = limit;
      return std::nullopt;
    }
    scanned += static_cast<std::uint64_t>(nl - p) + 1;
    return from + static_cast<std::uint64_t>(nl - p);
  }

  void Error(std::string message) {
    on_error({line, std::move(message)});
    mode = Mode::SkipLine;
  }

  std::string TooLarge() const { return "event object larger than " + std::to_string(max_event) + " bytes"; }

  // The object [from, from + length); `flat`: it holds no newline.
  void Emit(std::uint64_t from, std::uint64_t length, bool flat) {
    const std::string_view chunk(buf.data() + (from - base), length);
    simdjson::dom::element doc;
    if (parser.parse(chunk.data(), chunk.size()).get(doc)) {
      on_error({line, "malformed JSON object"});
    } else {
      Deliver(doc);
    }
    if (!flat) line += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
    scanned += length;
  }

  // A parsed object, as an event or an error at the walk's line.
  void Deliver(simdjson::dom::element doc) {
    // Reused: a consumer that does not keep the event leaves its buffers'
    // capacity for the next one (one that moves it away leaves them empty).
    RecordedEvent& ev = event;
    ev.fields.clear();
    ev.provider.clear();
    ev.event_id = ev.template_type = 0;
    ev.line = line;
    if (auto msg = ConvertEvent(doc, ev); !msg.empty()) {
      on_error({line, msg});
    } else {
      on_event(std::move(ev));
    }
  }

  // The usual JSON-lines record: the walk's line, whole, is one JSON object
  // (blanks around it). simdjson's parse of the line decides it, and the
  // tokenizer never reads those bytes; for a valid object its brackets would
  // have matched exactly that extent, so the event is the one the
  // tokenizer's path emits. Tried once per line (not once the line's end is
  // known), and anything else (no newline yet, a line over max_event, two
  // objects, trailing text, a malformed object) goes to the tokenizer's
  // path, which then knows the line's end: each byte is still read at most
  // four times (memchr, this parse, tokenizer, its object's parse).
  bool TakeWholeLine() {
    if (line_newline > walk) return false;  // tried, or the line's end found otherwise
    const auto found = FindNewline(walk, walk + std::min<std::uint64_t>(end() - walk, max_event));
    if (!found) return false;
    const std::uint64_t newline = *found;
    const std::uint64_t length = newline - walk;
    scanned += length;
    simdjson::dom::element doc;
    if (parser.parse(buf.data() + (walk - base), static_cast<std::size_t>(length)).get(doc)) {
      SetLineEnd(newline);
      return false;
    }
    Deliver(doc);
    walk = newline + 1;
    ++line;
    return true;
  }

  // Before the tokenizer's path reads brackets at the walk. If the walk has
  // passed bytes the tokenizer has not taken (whole lines, skipped lines, and
  // the blanks after them), the tokenizer's state there is known: a newline
  // ends any string, and brackets before the walk match nothing at or after
  // it (an object's close is found by nesting, whatever is open below it).
  void TokenizeToEnd() {
    if (tokenized < walk) {
      in_string = escaped = false;
      open.clear();
      brackets_dropped += brackets.size();
      brackets.clear();
      tokenized = walk;
    }
    if (tokenized < end()) {
      Tokenize(tokenized);
      tokenized = end();
    }
  }

  void Walk(bool at_end) {
    while (walk < end()) {
      if (mode == Mode::SkipLine) {
        const auto nl = buf.find('\n', walk - base);
        if (nl == std::string::npos) {
          scanned += end() - walk;
          walk = end();
          break;
        }
        scanned += base + nl + 1 - walk;
        walk = base + nl + 1;
        ++line;
        mode = Mode::Top;
        continue;
      }
      const char c = at(walk);
      if (IsBlank(c) || c == '\n') {
        line += c == '\n';
        ++walk;
        ++scanned;
        continue;
      }
      if (c != '{') {
        Error("expected a JSON object");
        continue;
      }
      if (layout == Layout::Lines && TakeWholeLine()) continue;
      TokenizeToEnd();
      DropPassed();
      const std::uint32_t distance = DistanceAtWalk();
      // Flat: the object holds no newline, known from its line's end when
      // that was found (TakeWholeLine, or an earlier object on the line).
      const bool flat = distance != 0 && distance < max_event &&
                        (line_newline > walk ? walk + distance < line_newline : !ObjectHoldsNewline(distance));
      if (!flat && LineEndedOpen(distance)) {
        Error("incomplete JSON object");
        continue;
      }
      if (distance != 0) {
        if (distance >= max_event) {
          Error(TooLarge());
          continue;
        }
        const bool first = layout == Layout::Undecided;
        if (first) layout = buf.find('\n', walk - base) > walk - base + distance ? Layout::Lines : Layout::MultiLine;
        Emit(walk, distance + 1, flat);
        walk += distance + 1;
        continue;
      }
      if (end() - walk >= max_event) {
        Error(TooLarge());
        continue;
      }
      if (at_end) {
        Error("incomplete JSON object");
        continue;
      }
      break;  // the object's close has not arrived yet
    }
    DropPassed();
  }

  // Drops bytes the walk has passed, in large steps so the moves stay linear.
  void Compact() {
    const std::uint64_t drop = walk - base;
    if (drop < (64u << 10) || drop < buf.size() / 2) return;
    buf.erase(0, drop);
    base = walk;
  }

  void Feed(std::string_view bytes) {
    // Skipping a line with nothing pending: its bytes matter to no object
    // (a newline resets string state, earlier brackets are stale), so find
    // the newline without tokenizing. A 3 GiB line of NULs costs a memchr.
    if (mode == Mode::SkipLine && walk == end()) {
      const auto nl = bytes.find('\n');
      const std::size_t skipped = nl == std::string_view::npos ? bytes.size() : nl + 1;
      scanned += skipped;
      buf.clear();
      open.clear();
      brackets_dropped += brackets.size();
      brackets.clear();
      base = walk = tokenized = walk + skipped;
      in_string = escaped = false;
      if (nl == std::string_view::npos) return;
      ++line;
      mode = Mode::Top;
      bytes.remove_prefix(skipped);
    }
    buf.append(bytes);
    Walk(false);
    Compact();
  }
};

EventReader::EventReader(OnEvent on_event, OnEventError on_error, std::size_t max_event_bytes)
    : s_(std::make_unique<State>()) {
  s_->on_event = std::move(on_event);
  s_->on_error = std::move(on_error);
  s_->max_event = std::max<std::size_t>(max_event_bytes, 2);
}

EventReader::~EventReader() = default;

void EventReader::Feed(std::string_view bytes) { s_->Feed(bytes); }

void EventReader::Finish() { s_->Walk(true); }

std::size_t EventReader::buffered() const { return s_->buf.size(); }

std::uint64_t EventReader::scanned() const { return s_->scanned; }

void ReadEvents(std::string_view text, const OnEvent& on_event, const OnEventError& on_error) {
  EventReader reader(on_event, on_error);
  reader.Feed(text);
  reader.Finish();
}

namespace {

constexpr std::size_t kChunkBytes = 64u << 10;

// Reads from `fd` at `offset` (pread) or its current position (offset < 0).
std::optional<std::string> Pump(int fd, std::int64_t offset, const std::string& name, EventReader& reader,
                                const std::function<void()>& after_chunk) {
  std::vector<char> chunk(kChunkBytes);
  for (;;) {
    const ssize_t n = offset < 0 ? ::read(fd, chunk.data(), chunk.size())
                                 : ::pread(fd, chunk.data(), chunk.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return "cannot read " + name + ": " + std::strerror(errno);
    }
    if (n == 0) break;
    if (offset >= 0) offset += n;
    reader.Feed(std::string_view(chunk.data(), static_cast<std::size_t>(n)));
    if (after_chunk) after_chunk();
  }
  reader.Finish();
  if (after_chunk) after_chunk();
  return std::nullopt;
}

}  // namespace

std::optional<std::string> StreamEvents(int fd, const std::string& name, const OnEvent& on_event,
                                        const OnEventError& on_error, const std::function<void()>& after_chunk) {
  EventReader reader(on_event, on_error);
  return Pump(fd, -1, name, reader, after_chunk);
}

EventSource::~EventSource() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> EventSource::Open(const std::string& path) {
  name_ = path;
  if (path != "-") {
    std::string error;
    fd_ = OpenRegularFile(path, error);
    if (fd_ < 0) return error;
    return std::nullopt;
  }
  // Standard input is read once; replays read the copy.
  name_ = "standard input";
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string dir = tmpdir && *tmpdir ? tmpdir : "/tmp";
  fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    std::string tmpl = dir + "/chanval-events.XXXXXX";
    fd_ = ::mkstemp(tmpl.data());
    if (fd_ < 0) return "cannot create a temporary file in " + dir + ": " + std::strerror(errno);
    ::unlink(tmpl.c_str());
  }
  std::vector<char> chunk(kChunkBytes);
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::string("cannot read standard input: ") + std::strerror(errno);
    if (n == 0) break;
    if (!WriteAll(fd_, {reinterpret_cast<const std::uint8_t*>(chunk.data()), static_cast<std::size_t>(n)})) {
      return "cannot copy standard input to " + dir + ": " + std::strerror(errno);
    }
  }
  return std::nullopt;
}

std::optional<std::string> EventSource::Replay(const OnEvent& on_event, const OnEventError& on_error) const {
  if (fd_ < 0) return "events not open";
  EventReader reader(on_event, on_error);
  return Pump(fd_, 0, name_, reader, {});
}

}  // namespace chanval
