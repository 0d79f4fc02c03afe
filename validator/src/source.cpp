// BuildFromJson, DumpJson and SourceJson (source.h): JSON source ↔ channel file, canonically.
// Tests: tests/test_parser.cpp, tests/cli/roundtrip.sh, fuzz_build.
#include "chanval/validator/source.h"

#include <flatbuffers/idl.h>
#include <fmt/format.h>

#include <algorithm>

#include "chanval/interpreter/limits.h"
#include "chanval/schema_text.h"
#include "json_options.h"

namespace chanval {
namespace {

// Defaults left out of printed JSON; unknown fields refused when reading it.
flatbuffers::IDLOptions JsonOptions() {
  flatbuffers::IDLOptions o = StrictJsonOptions();
  o.output_default_scalars_in_json = false;
  o.skip_unexpected_fields_in_json = false;
  return o;
}

}  // namespace

BuildResult BuildFromJson(const std::string& json, const std::string& source_name) {
  BuildResult r;
  auto bad = [&](std::string msg) {
    Diagnostic d;
    d.code = Code::BadSource;
    d.file = source_name;
    d.message = std::move(msg);
    r.diagnostics.push_back(std::move(d));
    return std::move(r);
  };
  if (json.size() > limits::kMaxFileSize * 4) return bad("source is larger than any channel file it could make");
  // The JSON parser reads a C string: without this, everything after a NUL
  // would be dropped silently.
  if (const auto nul = json.find('\0'); nul != std::string::npos) {
    return bad(fmt::format("source holds a NUL byte at offset {} (line {}); JSON text has none", nul,
                           1 + std::count(json.begin(), json.begin() + static_cast<std::ptrdiff_t>(nul), '\n')));
  }
  flatbuffers::Parser parser(JsonOptions());
  if (!parser.Parse(schema_text::kChannel)) return bad("embedded schema does not parse: " + parser.error_);
  if (!parser.ParseJson(json.c_str())) {
    // flatc reports "line: column: error: ..."; say which file it is.
    return bad("JSON does not fit the channel schema at line " + parser.error_);
  }
  const auto* raw = parser.builder_.GetBufferPointer();
  const auto size = parser.builder_.GetSize();
  flatbuffers::Verifier verifier(raw, size, limits::kVerifierMaxDepth, limits::kVerifierMaxTables);
  if (!fb::VerifyChannelFileBuffer(verifier)) return bad("source nests deeper than the format allows");
  const std::unique_ptr<fb::ChannelFileT> object(fb::GetChannelFile(raw)->UnPack());
  const auto payload = CanonicalPayload(*object);
  const fb::ChannelFile& root = *fb::GetChannelFile(payload.data());
  // Refuse to write what the strict parser would reject.
  auto file = AssembleChannelFile(payload, root);
  auto parsed = ParseChannel(file, source_name);
  if (!parsed.channel) {
    for (auto& d : parsed.diagnostics) d.offset.reset();  // offsets into a file never written
    r.diagnostics = std::move(parsed.diagnostics);
    return r;
  }
  r.file = std::move(parsed.channel->bytes);
  return r;
}

namespace {
std::optional<std::string> PrintJson(const std::uint8_t* payload) {
  flatbuffers::Parser parser(JsonOptions());
  if (!parser.Parse(schema_text::kChannel)) return std::nullopt;
  std::string text;
  if (!flatbuffers::GenerateText(parser, payload, &text)) return std::nullopt;
  return text;
}
}  // namespace

std::optional<std::string> DumpJson(const ParsedChannel& channel) { return PrintJson(channel.payload().data()); }

std::optional<std::string> SourceJson(const fb::ChannelFileT& content) {
  flatbuffers::FlatBufferBuilder builder;
  builder.Finish(fb::ChannelFile::Pack(builder, &content));
  return PrintJson(builder.GetBufferPointer());
}

BuildResult BuildFromObject(const fb::ChannelFileT& content, const std::string& source_name) {
  if (auto json = SourceJson(content)) return BuildFromJson(*json, source_name);
  BuildResult r;
  Diagnostic d;
  d.code = Code::BadSource;
  d.file = source_name;
  d.message = "content cannot be printed as JSON source";
  r.diagnostics.push_back(std::move(d));
  return r;
}

}  // namespace chanval
