// Reading events: streaming, bounded memory, linear time, the same result
// however the bytes arrive, and strict EventIDs.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "chanval/validator/events.h"
#include "json_scan.h"

using namespace chanval;

namespace {

struct Read {
  std::vector<RecordedEvent> events;
  std::vector<EventError> errors;
  std::size_t max_buffered = 0;
  std::uint64_t scanned = 0;
};

// Feeds `text` in pieces of `piece` bytes (0: all at once).
Read ReadInPieces(std::string_view text, std::size_t piece = 0, std::size_t max_event = kMaxEventBytes) {
  Read r;
  EventReader reader([&](RecordedEvent&& e) { r.events.push_back(std::move(e)); },
                     [&](const EventError& e) { r.errors.push_back(e); }, max_event);
  if (piece == 0) piece = text.size() + 1;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    reader.Feed(text.substr(at, piece));
    r.max_buffered = std::max(r.max_buffered, reader.buffered());
  }
  reader.Finish();
  r.scanned = reader.scanned();
  return r;
}

std::string Summary(const Read& r) {
  std::string s;
  for (const auto& e : r.events) s += "event@" + std::to_string(e.line) + ":" + std::to_string(e.event_id) + " ";
  for (const auto& e : r.errors) s += "error@" + std::to_string(e.line) + ":" + e.message + " ";
  return s;
}

// Reads `text` whole and requires `expected`, then the same summary in
// pieces of every size from 1 to `max_piece` bytes.
void CheckSameInPieces(std::string_view text, const std::string& expected, std::size_t max_piece,
                       std::size_t max_event = kMaxEventBytes) {
  const std::string whole = Summary(ReadInPieces(text, 0, max_event));
  CHECK(whole == expected);
  for (std::size_t piece = 1; piece <= max_piece; ++piece) {
    CAPTURE(piece);
    CHECK(Summary(ReadInPieces(text, piece, max_event)) == whole);
  }
}

}  // namespace

TEST_CASE("layouts: JSON lines, pretty-printed and concatenated objects, braces inside strings") {
  const std::string text =
      "{\"EventID\": 1, \"CommandLine\": \"a } { [ \\\" ]\"}\n"
      "{\"EventID\": 3}{\"EventID\": 5}\n"
      "{\n  \"Event\": {\n    \"System\": {\"EventID\": 7},\n    \"EventData\": {\"ImageLoaded\": \"x\"}\n  }\n}\n"
      "{\"EventID\": 11}\n";
  const auto r = ReadInPieces(text);
  CHECK(Summary(r) == "event@1:1 event@2:3 event@2:5 event@3:7 event@9:11 ");
  CHECK(r.events[0].Get("CommandLine") == "a } { [ \" ]");
}

TEST_CASE("the result does not depend on how the bytes arrive") {
  const std::string text =
      "{\"EventID\": 1, \"Image\": \"a\"}\n"
      "{\"EventID\": 1, \"Image\": \"broken\n"
      "}}} not json\n"
      "{\n  \"EventID\": 13,\n  \"TargetObject\": \"HKLM\\\\x\"\n}\n"
      "{\"EventID\": \"17abc\"}\n"
      "{\"EventID\": 1, \"Image\": \"b\"}{\"EventID\": 2\n"
      "{\"EventID\": 3}\n"
      "{\"EventID\": 1";
  CheckSameInPieces(text,
                    "event@1:1 event@4:13 event@9:1 event@10:3 error@2:incomplete JSON object error@3:expected a JSON "
                    "object error@8:EventID missing or not a number error@9:incomplete JSON object error@11:incomplete "
                    "JSON object ",
                    9);
}

TEST_CASE("JSON lines: a record left open is reported when its line ends, not at the end of the stream") {
  std::vector<std::string> seen;
  EventReader reader([&](RecordedEvent&& e) { seen.push_back("event@" + std::to_string(e.line)); },
                     [&](const EventError& e) { seen.push_back("error@" + std::to_string(e.line)); });
  reader.Feed("{\"EventID\": 1}\n");
  reader.Feed("{\"EventID\": 1, \"Image\": \"trunc\n");
  CHECK(seen == std::vector<std::string>{"event@1", "error@2"});
  reader.Feed("{\"EventID\": 1}\n");
  CHECK(seen.size() == 3u);
  reader.Finish();
}

TEST_CASE("an object that never closes costs its own line: linear time, bounded memory") {
  // 80,000 lines that each open an object and never close it took 142 s
  // before (every line scanned to the end of the input).
  std::string text;
  for (int i = 0; i < 80000; ++i) text += "{\"EventID\": 1, \"Image\": \"x\",\n";
  const auto r = ReadInPieces(text, 64 << 10);
  CHECK(r.events.empty());
  CHECK(r.errors.size() == 80000u);
  CHECK(r.scanned <= 3 * text.size());
  // The walk waits up to kMaxEventBytes for a close; bytes it has passed are
  // dropped once they are half the buffer.
  CHECK(r.max_buffered <= 2 * (kMaxEventBytes + (64u << 10)));
}

TEST_CASE("many objects on one JSON line: each byte of the line is looked at a bounded number of times") {
  // fuzz_events found it: after the first record fixed the layout as JSON
  // lines, every object on a later line rescanned the rest of that line
  // (381 bytes examined for an 84-byte input; 20,000 objects on one line
  // took about 400 million).
  std::string text = "{\"EventID\": 1}\n";
  for (int i = 0; i < 20000; ++i) text += "{\"EventID\": 3}";
  text += "\n{\"EventID\": 5}\n";
  const auto r = ReadInPieces(text, 64 << 10);
  CHECK(r.events.size() == 20002u);
  CHECK(r.errors.empty());
  CHECK(r.scanned <= 4 * text.size());
  // And the input fuzz_events found (its text, after the seed bytes), whole and in pieces.
  const std::string found = "{]{a\xf9\n{\xff}{{}\xa7}{ruea\xf9}}" + std::string(58, '\xff') + "\xf9\nA\x1f";
  const auto whole = ReadInPieces(found);
  CHECK(whole.scanned <= 4 * found.size() + 16);
  CHECK(Summary(ReadInPieces(found, 3)) == Summary(whole));
}

TEST_CASE("JSON lines: a line that is one object is parsed whole, and every other line reads as before") {
  // A line holding one object and blanks is handed to simdjson whole,
  // without the tokenizer: each byte read twice (its newline's search, the
  // parse), not three times. Every other line falls to the tokenizer's
  // path, and the result must be the same whether the line was tried whole
  // first or, in pieces, reached before its newline had arrived.
  std::string plain;
  for (int i = 0; i < 20000; ++i) plain += "{\"EventID\": 1, \"Image\": \"C:\\\\x.exe\"}\n";
  const auto r = ReadInPieces(plain, 64 << 10);
  CHECK(r.events.size() == 20000u);
  CHECK(r.scanned <= 2 * plain.size() + (64u << 10));  // the first chunk is tokenized for the first object

  const std::string text =
      "{\"EventID\": 1}\n"
      "  {\"EventID\": 2}  \r\n"
      "{\"EventID\": 3} trailing\n"
      "{\"EventID\": 4}{\"EventID\": 5}\n"
      "{\"EventID\": 6, \"Image\": \"a\\\"}{\"}\n"
      "{\"EventID\": 7, \"Image\": }\n"
      "{\n\"EventID\": 8\n}\n"
      "[1]\n"
      "{\"EventID\": 9}";
  CheckSameInPieces(text,
                    "event@1:1 event@2:2 event@3:3 event@4:4 event@4:5 event@5:6 event@7:8 event@11:9 "
                    "error@3:expected a JSON object error@6:malformed JSON object error@10:expected a JSON object ",
                    13);
}

TEST_CASE("JSON lines: an open record on a line longer than the event limit is too large, however it arrives") {
  // fuzz_events: whole, the line's end was known and the record was
  // "incomplete"; in pieces, the limit came first and it was "too large".
  const std::string text = "{\"EventID\": 1}\n{\"EventID\": 1, \"Image\": \"" + std::string(100, 'a') + "\n{\"EventID\": 3}\n";
  CheckSameInPieces(text, "event@1:1 event@3:3 error@2:event object larger than 64 bytes ", 17, 64);
}

TEST_CASE("an oversized object is refused at kMaxEventBytes and reading goes on") {
  std::string text = "{\"EventID\": 1, \"Image\": \"" + std::string(3 * kMaxEventBytes, 'a') + "\"}\n{\"EventID\": 3}\n";
  const auto r = ReadInPieces(text, 64 << 10);
  CHECK(Summary(r) == "event@2:3 error@1:event object larger than " + std::to_string(kMaxEventBytes) + " bytes ");
  CHECK(r.max_buffered <= 2 * (kMaxEventBytes + (64u << 10)));
  CHECK(r.scanned <= 3 * text.size());

  // A line of NULs (a sparse file) is skipped without holding it.
  const auto zeros = ReadInPieces(std::string(8 * kMaxEventBytes, '\0') + "\n{\"EventID\": 1}\n", 64 << 10);
  CHECK(Summary(zeros) == "event@2:1 error@1:expected a JSON object ");
  CHECK(zeros.max_buffered <= (64u << 10));
}

TEST_CASE("many events stream through a bounded buffer") {
  std::string line = "{\"EventID\": 1, \"Image\": \"C:\\\\Windows\\\\System32\\\\cmd.exe\", \"CommandLine\": \"cmd /c x\"}\n";
  std::string text;
  for (int i = 0; i < 20000; ++i) text += line;
  const auto r = ReadInPieces(text, 64 << 10);
  CHECK(r.events.size() == 20000u);
  CHECK(r.events.back().line == 20000u);
  CHECK(r.max_buffered <= 2 * (64u << 10) + line.size());
}

TEST_CASE("EventID: a whole decimal number, or the export's #text / Value, nothing looser") {
  const auto ids = [](const std::string& value) {
    const auto r = ReadInPieces("{\"EventID\": " + value + "}\n");
    return r.events.empty() ? -1 : int(r.events[0].event_id);
  };
  CHECK(ids("17") == 17);
  CHECK(ids("\"17\"") == 17);
  CHECK(ids("{\"#attributes\": {\"Qualifiers\": 16384}, \"#text\": \"4688\"}") == 4688);
  CHECK(ids("{\"Value\": 1}") == 1);
  CHECK(ids("\"17abc\"") == -1);
  CHECK(ids("\" 17\"") == -1);
  CHECK(ids("\"+17\"") == -1);
  CHECK(ids("\"\"") == -1);
  CHECK(ids("{\"a\": {\"b\": 17}}") == -1);
  CHECK(ids("{\"Data\": 17}") == -1);
  CHECK(ids("{\"#text\": {\"#text\": 17}}") == -1);
  CHECK(ids("65536") == -1);
  CHECK(ids("-1") == -1);
  CHECK(ids("18446744073709551615") == -1);
  CHECK(ids("1.5") == -1);
}

TEST_CASE("event fields: the first of a repeated name wins; many names; reuse after clear") {
  EventFields f;
  CHECK(f.Get("anything").empty());
  for (int round = 0; round < 2; ++round) {
    f.clear();
    // 200 names: the index grows several times.
    for (int i = 0; i < 200; ++i) f.Add("name" + std::to_string(i), "value" + std::to_string(i));
    f.Add("name7", "second");
    CHECK(f.size() == 200u);
    for (int i = 0; i < 200; ++i) CHECK(f.Get("name" + std::to_string(i)) == "value" + std::to_string(i));
    CHECK(f.Get("name200").empty());
    CHECK(f.Get("name").empty());
    CHECK(f.Get("").empty());
  }
  f.clear();
  CHECK(f.size() == 0u);
  CHECK(f.Get("name1").empty());
  // Through the reader: a repeated key keeps its first value.
  const auto r = ReadInPieces("{\"EventID\": 1, \"Image\": \"a.exe\", \"Image\": \"b.exe\"}\n");
  REQUIRE(r.events.size() == 1u);
  CHECK(r.events[0].Get("Image") == "a.exe");
}

// The names and index kept from the last event (events.h): events whose
// names follow the last one's course, leave it at any point, repeat a name,
// have fewer or more names, or none, against a list where the first value
// of a name stands; Gets in the same order each event and in shuffled ones.
TEST_CASE("event fields: names kept from the last event never answer for this one") {
  std::mt19937 rng(20261127);
  std::vector<std::string> pool;
  for (int i = 0; i < 40; ++i) pool.push_back(std::string(1 + static_cast<std::size_t>(i) % 19, static_cast<char>('a' + i % 7)) + std::to_string(i));
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  EventFields f;
  std::vector<std::string> names;  // this event's Adds, repeats included
  for (int event = 0; event < 3000; ++event) {
    switch (pick(6)) {  // this event's names from the last one's
      case 0: break;  // the same course
      case 1: if (!names.empty()) names.erase(names.begin() + static_cast<std::ptrdiff_t>(pick(names.size()))); break;
      case 2: names.insert(names.begin() + static_cast<std::ptrdiff_t>(pick(names.size() + 1)), pool[pick(pool.size())]); break;
      case 3: names.resize(pick(names.size() + 1)); break;
      case 4: if (!names.empty()) std::swap(names[pick(names.size())], names[pick(names.size())]); break;
      default: {
        names.clear();
        for (std::size_t i = pick(30); i > 0; --i) names.push_back(pool[pick(pool.size())]);
      }
    }
    f.clear();
    std::vector<std::pair<std::string, std::string>> expected;  // first value of each name
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string value = std::to_string(event) + "/" + std::to_string(i);
      f.Add(names[i], value);
      const bool repeated = std::any_of(expected.begin(), expected.end(), [&](const auto& e) { return e.first == names[i]; });
      if (!repeated) expected.emplace_back(names[i], value);
    }
    REQUIRE(f.size() == expected.size());
    std::vector<std::string> asked = pool;
    if (event % 3 == 0) std::shuffle(asked.begin(), asked.end(), rng);
    for (const std::string& name : asked) {
      CAPTURE(event);
      CAPTURE(name);
      const auto it = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.first == name; });
      CHECK(f.Get(name) == (it == expected.end() ? std::string_view{} : std::string_view(it->second)));
    }
  }
}

// A name that differs from the last event's at that position in any one
// byte, at any length, is another name: the kept course compares every byte.
TEST_CASE("event fields: a name one byte off the last event's is not taken for it") {
  EventFields f;
  for (std::size_t length = 1; length <= 40; ++length) {
    std::string name(length, 'n');
    for (std::size_t i = 0; i < length; ++i) name[i] = static_cast<char>('a' + (i * 7) % 26);
    for (std::size_t at = 0; at < length; ++at) {
      std::string other = name;
      other[at] = static_cast<char>(other[at] ^ 0x20);
      CAPTURE(length);
      CAPTURE(at);
      f.clear();
      f.Add(name, "first");
      CHECK(f.Get(name) == "first");
      f.clear();
      f.Add(other, "second");  // at the position `name` had
      CHECK(f.Get(other) == "second");  // the same Get call as found `name`
      CHECK(f.Get(name).empty());
    }
  }
}

// The kept course's worst input: layouts of kMaxEventFields names that
// alternate in the last name, so every event follows the course to its end
// and then leaves it, dropping and re-indexing all the names before. That
// re-index happens once an event: the work stays a few probes a field.
TEST_CASE("event fields: leaving the kept course re-indexes once an event") {
  EventFields f;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < kMaxEventFields; ++i) names.push_back("field" + std::to_string(i));
  for (int event = 0; event < 200; ++event) {
    names.back() = event % 2 ? "odd" : "even";
    const std::uint64_t before = f.probes();
    f.clear();
    for (const auto& name : names) f.Add(name, "v");
    REQUIRE(f.size() == kMaxEventFields);
    CHECK(f.Get(names.back()) == "v");
    CHECK(f.Get(event % 2 ? "even" : "odd").empty());
    // The first event also re-adds its names as the index grows.
    CHECK(f.probes() - before < (event == 0 ? 8 : 4) * kMaxEventFields);
  }
}

// The point of keeping them: an event with the last one's names, asked for
// in the same order, is read without a probe of the index.
TEST_CASE("event fields: an event on the last one's course probes nothing") {
  EventFields f;
  const std::vector<std::string> names = {"EventID", "UtcTime", "Image", "CommandLine", "User", "Hashes"};
  for (int event = 0; event < 3; ++event) {
    CAPTURE(event);
    const std::uint64_t before = f.probes();
    f.clear();
    for (const auto& name : names) f.Add(name, name + std::to_string(event));
    for (const auto& name : names) CHECK(f.Get(name) == name + std::to_string(event));
    if (event > 0) CHECK(f.probes() == before);
    CHECK(f.Get("ParentImage").empty());  // an absent name is looked up each time
    CHECK(f.probes() > before);
  }
}

TEST_CASE("the tokenizer's skips find every special byte at every offset") {
  // Quotes, backslashes, brackets inside strings and a nested object, each
  // at every offset from the 16-byte blocks the tokenizer skips by; read all
  // at once (the block path) and a byte at a time (the byte path).
  for (std::size_t pad = 0; pad < 40; ++pad) {
    const std::string filler(pad, 'x');
    const std::string line = "{\"EventID\": 1, \"A\": \"" + filler + "\\\"}{][\\\\" + filler + "\", \"B\": {\"C\": [1]}, " +
                             std::string(pad % 7, ' ') + "\"D\": \"" + filler + "\"}\n";
    const std::string text = line + line + line;
    for (const std::size_t piece : {std::size_t{0}, std::size_t{1}}) {
      CAPTURE(pad);
      CAPTURE(piece);
      const auto r = ReadInPieces(text, piece);
      CHECK(r.errors.empty());
      REQUIRE(r.events.size() == 3u);
      for (const auto& e : r.events) {
        CHECK(e.Get("A") == filler + "\"}{][\\" + filler);
        CHECK(e.Get("B") == "{\"C\":[1]}");
        CHECK(e.Get("D") == filler);
      }
    }
  }
}

TEST_CASE("a 64-byte block's strings, found at once, are the byte-by-byte tokenizer's, or the block is refused") {
  // The byte-by-byte rules: a backslash escapes the next byte only inside a
  // string; a raw newline ends a string. Random blocks over the bytes that
  // matter, from each starting state; FindStrings must agree on every byte
  // and on the state after the block whenever it says `exact`, and must say
  // `exact` exactly when no backslash stands outside a string and no
  // newline inside one.
  const std::string alphabet = "\"\\\n{}[]a";
  std::mt19937 rng(12);
  std::size_t exact_blocks = 0, refused_blocks = 0;
  for (int round = 0; round < 200000; ++round) {
    char block[64];
    // Mostly ordinary text, so that long strings and backslash runs occur.
    const unsigned plain = rng() % 8;
    for (char& c : block) c = rng() % 8 < plain ? 'a' : alphabet[rng() % alphabet.size()];
    const bool start_in_string = rng() % 2, start_escaped = start_in_string && rng() % 2;
    bool in_string = start_in_string, escaped = start_escaped, disagrees = false;
    std::uint64_t inside = 0;
    for (int i = 0; i < 64; ++i) {
      const char c = block[i];
      if (in_string && escaped) {
        escaped = false;
        if (c == '\n') in_string = false, disagrees = true;
      } else if (c == '\n') {
        disagrees |= in_string;
        in_string = false;
      } else if (c == '\\') {
        disagrees |= !in_string;
        escaped = in_string;
      } else if (c == '"') {
        in_string = !in_string;
      }
      if (in_string) inside |= std::uint64_t{1} << i;
    }
    const BlockStrings s = FindStrings(ClassifyBlock(block), start_in_string, start_escaped);
    CAPTURE(std::string(block, 64));
    REQUIRE(s.exact == !disagrees);
    if (!s.exact) {
      ++refused_blocks;
      continue;
    }
    ++exact_blocks;
    REQUIRE(s.inside == inside);
    REQUIRE(s.ends_in_string == in_string);
    REQUIRE(s.ends_escaped == escaped);
  }
  CHECK(exact_blocks > 10000);
  CHECK(refused_blocks > 10000);
}

TEST_CASE("the block path and the byte path read the same events from every kind of block") {
  // Lines longer than a block, with backslash runs crossing block edges, a
  // string broken by a raw newline and records left open at their line's
  // end: read whole and in pieces of every kind (shorter than a block: the
  // byte path only; whole blocks: the block path only), the events and
  // errors are the same.
  std::string text;
  for (std::size_t run = 0; run < 70; ++run) {
    text += "{\"EventID\": 1, \"A\": \"" + std::string(run, 'x') + std::string(run % 9, '\\') +
            (run % 9 % 2 ? "\\" : "") + "\\\"]\", \"B\": [\"{\", {\"C\": \"\\\\\"}]}\n";
    if (run % 17 == 0) text += "{\"EventID\": 1, \"A\": \"" + std::string(run, 'y') + "\n\"}\n";
    // A JSON-lines record left open at its line's end, closed on the next.
    if (run % 23 == 1) text += "{\"EventID\": 1, \"A\": \"" + std::string(run, 'z') + "\",\n\"B\": 2}\n";
  }
  const auto whole = ReadInPieces(text);
  CHECK(whole.events.size() == 70u);
  CHECK(whole.errors.size() == 16u);  // each broken or open line, then its rest
  // Pieces of whole blocks leave no byte to the byte path.
  for (std::size_t piece : {1, 4, 7, 31, 63, 64, 128, 129, 640}) {
    CAPTURE(piece);
    CHECK(Summary(ReadInPieces(text, piece)) == Summary(whole));
  }
}

TEST_CASE("an event with more than kMaxEventFields fields is a bad event, and reading goes on") {
  const auto line = [](std::size_t fields) {  // EventID and fields - 1 more
    std::string s = "{\"EventID\": 1";
    for (std::size_t i = 1; i < fields; ++i) s += ",\"f" + std::to_string(i) + "\":0";
    return s + "}\n";
  };
  const auto r = ReadInPieces(line(kMaxEventFields) + line(kMaxEventFields + 1) + line(2));
  REQUIRE(r.events.size() == 2u);
  CHECK(r.events[0].fields.size() == kMaxEventFields);
  CHECK(r.events[1].line == 3u);
  REQUIRE(r.errors.size() == 1u);
  CHECK(r.errors[0].line == 2u);
  CHECK(r.errors[0].message == "event has more than 1024 fields (kMaxEventFields)");
}

TEST_CASE("every byte of a field name reaches the index's hash, at every length") {
  // The hash takes eight bytes a step and the last ones in one overlapping
  // load: a byte dropped or shifted out at some length would make names
  // that differ only there collide on every seed.
  std::mt19937 rng(7);
  for (const std::uint32_t seed : {0u, 1u, 0x9e3779b9u, static_cast<std::uint32_t>(rng())}) {
    for (std::size_t length = 1; length <= 40; ++length) {
      std::string name(length, 'a');
      for (auto& c : name) c = static_cast<char>('a' + rng() % 26);
      const std::uint32_t h = EventFields::HashWithSeed(name, seed);
      for (std::size_t i = 0; i < length; ++i) {
        for (const unsigned flip : {1u, 0x20u, 0x80u}) {
          std::string other = name;
          other[i] = static_cast<char>(static_cast<unsigned char>(other[i]) ^ flip);
          CAPTURE(seed);
          CAPTURE(length);
          CAPTURE(i);
          CHECK(EventFields::HashWithSeed(other, seed) != h);
        }
      }
      CHECK(EventFields::HashWithSeed(name + '\0', seed) != h);  // the length counts too
    }
  }
}

TEST_CASE("field names crafted to collide in the index cost no more than any others") {
  // An attacker's names: 1,000 whose hashes agree in the low 11 bits, the
  // bits a table of 2,048 slots uses, once under the index's hash before it
  // was keyed (FNV-1a) and once under today's hash with the seed guessed as
  // 0 (what reading the source gives). Either set, hashed as crafted, probed
  // past all the earlier names: about 500,000 slots for the event. Keyed by
  // an unknown seed, a handful per name.
  const auto fnv1a = [](std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
  };
  const auto finalized = [](std::string_view s) { return EventFields::HashWithSeed(s, 0); };
  constexpr std::size_t kNames = 1000;
  for (const bool against_finalized : {false, true}) {
    CAPTURE(against_finalized);
    std::string text = "{\"EventID\": 1";
    std::size_t found = 0;
    for (std::uint64_t k = 0; found < kNames; ++k) {
      const std::string name = "f" + std::to_string(k);
      if (((against_finalized ? finalized(name) : fnv1a(name)) & 2047u) == 7u) {
        text += ",\"" + name + "\":0";
        ++found;
      }
    }
    text += "}\n";
    std::uint64_t probes = 0;
    std::size_t fields = 0;
    ReadEvents(
        text,
        [&](RecordedEvent&& e) {
          fields = e.fields.size();
          probes = e.fields.probes();
        },
        [](const EventError&) {});
    REQUIRE(fields == kNames + 1);
    CHECK(probes < 8 * fields);  // adds, and re-adds as the index grows
  }
}
