// Strict parser: every rejection has its own code; valid files round-trip.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "chanval/validator/io.h"
#include "chanval/validator/parser.h"
#include "chanval/validator/source.h"
#include "support/channel_builder.h"
#include "support/malformed.h"

using namespace chanval;

namespace {
bool HasCode(const Diagnostics& d, Code c) {
  return std::any_of(d.begin(), d.end(), [&](const Diagnostic& x) { return x.code == c; });
}
std::string Codes(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d) s += CodeId(x.code) + " " + x.message + "\n";
  return s;
}
}  // namespace

TEST_CASE("the valid base file parses") {
  auto r = ParseChannel(test::ValidBaseFile(), "base");
  CHECK_MESSAGE(r.channel.has_value(), Codes(r.diagnostics));
  CHECK(r.diagnostics.empty());
}

TEST_CASE("every malformed file is rejected with its own code") {
  const auto cases = test::MalformedCases();
  std::vector<Code> seen;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto r = ParseChannel(c.bytes, c.name);
    CHECK_FALSE(r.channel.has_value());
    CHECK_MESSAGE(HasCode(r.diagnostics, c.code), Codes(r.diagnostics));
    for (const auto& d : r.diagnostics) {
      CHECK(d.level == Level::Error);
      CHECK_FALSE(d.message.empty());
    }
    seen.push_back(c.code);
  }
  // One case per parse-level code: adding a code without a case fails here.
  for (const auto& info : AllCodes()) {
    const auto n = static_cast<unsigned>(info.code);
    if (n >= 100 || info.code == Code::BadSource) continue;
    CHECK_MESSAGE(std::find(seen.begin(), seen.end(), info.code) != seen.end(), CodeId(info.code));
  }
}

TEST_CASE("the canonical check's table walk writes the object API's bytes") {
  // Every file whose payload passes the structure checks: the valid base,
  // the built corpus, and each malformed case rejected only as non-canonical
  // (whose payload is verified, aligned and structurally sound).
  // And one file using every field the schema has.
  const auto full = test::EveryFieldChannel();
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> files = {{"base", test::ValidBaseFile()},
                                                                           {"full", test::Bytes(full)}};
  for (const auto& c : test::MalformedCases()) {
    auto r = ParseChannel(c.bytes, c.name);
    if (!r.diagnostics.empty() && std::all_of(r.diagnostics.begin(), r.diagnostics.end(),
                                              [](const Diagnostic& d) { return d.code == Code::NonCanonical; })) {
      files.emplace_back(c.name, c.bytes);
    }
  }
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/content")) {
    std::string json;
    REQUIRE_FALSE(ReadTextFile(e.path(), json, 1 << 24).has_value());
    const auto built = BuildFromJson(json, e.path().string());
    REQUIRE_FALSE(built.file.empty());
    files.emplace_back(e.path().filename().string(), built.file);
  }
  std::size_t non_canonical = 0;
  for (const auto& file : files) {
    const std::string& name = file.first;
    const std::vector<std::uint8_t>& bytes = file.second;
    CAPTURE(name);
    const auto* root = fb::GetChannelFile(bytes.data() + kEnvelopeSize);
    const std::unique_ptr<fb::ChannelFileT> object(root->UnPack());
    CHECK(CanonicalPayload(*root) == CanonicalPayload(*object));
    // The parser's fast path gives the rebuild's verdict.
    const std::span<const std::uint8_t> payload(bytes.data() + kEnvelopeSize, bytes.size() - kEnvelopeSize);
    CHECK(PayloadIsCanonical(*root, payload) == !FirstNonCanonicalByte(*root, payload).has_value());
    non_canonical += !ParseChannel(bytes, name).channel;
  }
  CHECK(non_canonical >= 1);  // the comparison covered a payload that is not canonical
}

TEST_CASE("the canonical rule can be left out only on request, and nothing else is") {
  // The fuzz oracle's first pass parses without the canonical rule; every
  // other rule still applies, and the default keeps it.
  ParseOptions without;
  without.canonical = false;
  std::size_t only_canonical = 0;
  for (const auto& c : test::MalformedCases()) {
    CAPTURE(c.name);
    const auto strict = ParseChannel(c.bytes, c.name);
    const auto relaxed = ParseChannel(c.bytes, c.name, without);
    const bool canonical_only = !strict.diagnostics.empty() &&
                                std::all_of(strict.diagnostics.begin(), strict.diagnostics.end(),
                                            [](const Diagnostic& d) { return d.code == Code::NonCanonical; });
    CHECK_FALSE(strict.channel.has_value());
    CHECK(relaxed.channel.has_value() == canonical_only);
    only_canonical += canonical_only;
  }
  CHECK(only_canonical >= 1);
  CHECK(ParseChannel(test::ValidBaseFile(), "base", without).channel.has_value());
}

TEST_CASE("diagnostics carry the byte offset where it applies") {
  for (const auto& c : test::MalformedCases()) {
    if (c.code == Code::EmptyFile || c.code == Code::DuplicateInstanceId || c.code == Code::TrailingBytes) {
      auto r = ParseChannel(c.bytes, c.name);
      REQUIRE_FALSE(r.diagnostics.empty());
      CHECK(r.diagnostics.front().offset.has_value());
    }
  }
  // The trailing bytes start right after the declared payload.
  auto b = test::ValidBaseFile();
  const auto size = b.size();
  b.push_back(7);
  auto r = ParseChannel(b, "t");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].offset.value() == size);
}

TEST_CASE("duplicate ids name both instances") {
  auto c = test::Channel();
  c.instances.push_back(test::Instance(5, 1, test::Matchers(test::M(4, fb::MatcherKind::Equals, {"a"}))));
  c.instances.push_back(test::Instance(5, 1, test::Matchers(test::M(4, fb::MatcherKind::Equals, {"b"}))));
  auto r = ParseChannel(test::Bytes(c), "dup");
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].message.find("#0 and #1") != std::string::npos);
  CHECK(r.diagnostics[0].instance_id == 5u);
}

TEST_CASE("duplicate ids are found in any order, after increasing ids too") {
  // The checker keeps no table while ids increase; a repeat after that, or
  // in a file that never increased, is still found with both indexes.
  const auto first_duplicate = [](std::vector<std::uint32_t> ids) {
    auto c = test::Channel();
    for (const auto id : ids) {
      c.instances.push_back(test::Instance(id, 1, test::Matchers(test::M(4, fb::MatcherKind::Equals, {"a"}))));
    }
    const auto r = ParseChannel(test::Bytes(c), "dup");
    return r.diagnostics.empty() ? std::string() : r.diagnostics[0].message;
  };
  CHECK(first_duplicate({1, 2, 3, 4}).empty());
  CHECK(first_duplicate({4, 3, 2, 1}).empty());
  CHECK(first_duplicate({1, 2, 3, 3}).find("#2 and #3") != std::string::npos);
  CHECK(first_duplicate({1, 5, 3, 5}).find("#1 and #3") != std::string::npos);
  CHECK(first_duplicate({9, 1, 2, 9}).find("#0 and #3") != std::string::npos);
  CHECK(first_duplicate({1, 2, 7, 8, 2}).find("#1 and #4") != std::string::npos);
}

TEST_CASE("channel strings: NUL-free UTF-8, checked on both sides of the eight-byte ASCII path") {
  using namespace std::string_literals;
  for (const std::string& prefix : {""s, "abcdefgh"s, "abcdefghijklmno"s}) {
    CAPTURE(prefix);
    CHECK(IsChannelString(prefix + "xyz"));
    CHECK(IsChannelString(prefix + "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 tail"));
    CHECK_FALSE(IsChannelString(prefix + "a\0b"s));
    CHECK_FALSE(IsChannelString(prefix + "\0"s));
    CHECK_FALSE(IsChannelString(prefix + "abcdefgh\0"s));
    CHECK_FALSE(IsChannelString(prefix + "\xC3"));          // truncated sequence
    CHECK_FALSE(IsChannelString(prefix + "\xC0\xAF"));      // overlong
    CHECK_FALSE(IsChannelString(prefix + "\xED\xA0\x80"));  // surrogate
    CHECK_FALSE(IsChannelString(prefix + "\x80" "abcdefgh"));  // stray continuation byte
    CHECK_FALSE(IsChannelString(prefix + "abcdefg\xFF"));
  }
  // A NUL in every position of a 24-byte ASCII string.
  for (std::size_t at = 0; at < 24; ++at) {
    std::string s(24, 'a');
    s[at] = '\0';
    CHECK_FALSE(IsChannelString(s));
  }
}

TEST_CASE("a bad string's message names what it is: the instance name, or which matcher's value") {
  const auto message_of = [](std::string_view name) {
    for (const auto& c : test::MalformedCases()) {
      if (c.name != name) continue;
      const auto r = ParseChannel(c.bytes, c.name);
      REQUIRE(r.diagnostics.size() == 1);
      return r.diagnostics[0].message;
    }
    FAIL("no malformed case ", name);
    return std::string();
  };
  CHECK(message_of("empty-string") == "matcher #1 value is empty");
  CHECK(message_of("bad-utf8") == "instance name is not NUL-free UTF-8");
  CHECK(message_of("string-too-long").starts_with("instance name is 4097 bytes"));
}

TEST_CASE("build, dump, build is byte-identical for every corpus example") {
  const auto dir = std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus";
  std::size_t n = 0;
  for (const auto& sub : {"content", "cf291"}) {
    for (const auto& e : std::filesystem::directory_iterator(dir / sub)) {
      if (e.path().extension() != ".json") continue;
      CAPTURE(e.path().string());
      std::string json;
      REQUIRE_FALSE(ReadTextFile(e.path(), json, 1 << 24).has_value());
      auto first = BuildFromJson(json, e.path().string());
      REQUIRE_MESSAGE(!first.file.empty(), Codes(first.diagnostics));
      auto parsed = ParseChannel(first.file, "built");
      REQUIRE(parsed.channel);
      auto dumped = DumpJson(*parsed.channel);
      REQUIRE(dumped);
      auto second = BuildFromJson(*dumped, "dumped");
      CHECK(second.file == first.file);
      ++n;
    }
  }
  CHECK(n >= 8);
}

TEST_CASE("build is independent of JSON key order and whitespace") {
  const std::string a = R"({"channel": 3, "sequence": 1, "min_sensor": {"major": 7, "minor": 9},
    "max_sensor": {"major": 7, "minor": 12}, "instances": [{"id": 1, "name": "n", "template_type": 1,
    "matchers": [{"field": 4, "kind": "Equals", "values": ["x"]}]}]})";
  const std::string b = R"({"instances": [{"matchers": [{"values": ["x"], "kind": "Equals", "field": 4}],
    "template_type": 1, "name": "n", "id": 1}], "max_sensor": {"minor": 12, "major": 7},
    "min_sensor": {"minor": 9, "major": 7}, "sequence": 1, "channel": 3})";
  auto x = BuildFromJson(a, "a"), y = BuildFromJson(b, "b");
  REQUIRE_FALSE(x.file.empty());
  CHECK(x.file == y.file);
}

TEST_CASE("build rejects bad JSON with the line, and content the parser would reject") {
  auto r = BuildFromJson("{\n\"channel\": 1,\n\"bogus\": 2}", "src.json");
  REQUIRE(r.file.empty());
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == Code::BadSource);
  CHECK(r.diagnostics[0].message.find("3") != std::string::npos);

  auto s = BuildFromJson(R"({"min_sensor": {"major": 7, "minor": 9}, "max_sensor": {"major": 7, "minor": 12},
    "instances": [{"id": 1, "template_type": 1, "matchers": []}]})", "src.json");
  CHECK(s.file.empty());
  CHECK(HasCode(s.diagnostics, Code::MissingField));
}

TEST_CASE("README documents every diagnostic code") {
  std::string readme;
  REQUIRE_FALSE(ReadTextFile(std::filesystem::path(CHANVAL_SOURCE_DIR) / "README.md", readme, 1 << 20).has_value());
  for (const auto& info : AllCodes()) {
    CHECK_MESSAGE(readme.find("| " + CodeId(info.code) + " | " + info.slug) != std::string::npos, CodeId(info.code));
  }
}

TEST_CASE("fuzz_parse regressions stay rejected, each with its code") {
  const auto dir = std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus" / "regressions" / "fuzz_parse";
  const std::map<std::string, Code> expected = {
      {"newer-minor-roundtrip.chan", Code::UnsupportedVersion},  // parsed but did not round-trip
      {"misaligned-int-values.chan", Code::VerifierFailure},     // 8-byte vector at 4 mod 8: UB on read
  };
  for (const auto& entry : expected) {
    const std::string& name = entry.first;  // clang 14: no structured bindings in CAPTURE's lambda
    const Code code = entry.second;
    CAPTURE(name);
    std::vector<std::uint8_t> bytes;
    REQUIRE_FALSE(ReadFile(dir / name, bytes, 1 << 24).has_value());
    auto r = ParseChannel(bytes, name);
    CHECK_FALSE(r.channel.has_value());
    CHECK_MESSAGE(HasCode(r.diagnostics, code), Codes(r.diagnostics));
  }
}
