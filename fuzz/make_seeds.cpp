// make_seeds SOURCE_DIR OUT_DIR: the seed corpora of every fuzz target,
// generated from corpus/ sources at build time so they are never stale.
//   parse, check      built channel files + the malformed set
//   build             the JSON sources
//   sigma             corpus/sigma/*.yml
//   events            corpus/events/*.jsonl, [u8 seed][u8 max piece] first
//   class_gate        [u8 fold][regex]\0[value]: the adversarial shapes' regexes and a few more
//   soundness, structured, differential
//                     [u32 len][channel][event values of the type, NUL-separated]
// The channel-file-291 reproduction is left out of the oracle targets' seeds:
// the planted-bug experiment (fuzz/README.md) measures how fast they find it.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/events.h"
#include "chanval/validator/io.h"
#include "chanval/validator/regex_sample.h"
#include "chanval/validator/source.h"
#include "common.h"
#include "support/adversarial.h"
#include "support/channel_builder.h"
#include "support/malformed.h"

namespace fs = std::filesystem;
using namespace chanval;

namespace {
int Write(const fs::path& dir, const std::string& name, std::span<const std::uint8_t> bytes) {
  fs::create_directories(dir);
  if (auto err = WriteFileAtomic(dir / name, bytes)) {
    std::fprintf(stderr, "%s\n", err->c_str());
    return 1;
  }
  return 0;
}

// Per template type: the corpus events' values in the type's field order.
std::map<std::uint16_t, std::vector<std::vector<std::uint8_t>>> EventBytes(const fs::path& dir) {
  std::map<std::uint16_t, std::vector<std::vector<std::uint8_t>>> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".jsonl") continue;
    std::string text;
    if (ReadTextFile(e.path(), text, 1 << 24)) continue;
    ReadEvents(
        text,
        [&](RecordedEvent&& ev) {
          const auto* t = interp::FindTemplateType(ev.template_type);
          if (!t) return;
          std::vector<std::uint8_t> bytes;
          for (const auto& f : t->supplied) {
            const auto v = ev.Get(f.name);
            bytes.insert(bytes.end(), v.begin(), v.end());
            bytes.push_back(0);
          }
          out[t->id].push_back(std::move(bytes));
        },
        [](const EventError&) {});
  }
  return out;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds SOURCE_DIR OUT_DIR\n");
    return 2;
  }
  const fs::path src(argv[1]), out(argv[2]);
  fs::remove_all(out);
  const auto events = EventBytes(src / "corpus" / "events");
  int rc = 0;
  for (const auto* sub : {"content", "cf291"}) {
    for (const auto& e : fs::directory_iterator(src / "corpus" / sub)) {
      if (e.path().extension() != ".json") continue;
      std::string json;
      if (ReadTextFile(e.path(), json, 1 << 24)) return 1;
      const std::string stem = e.path().stem().string();
      rc |= Write(out / "build", stem + ".json", {reinterpret_cast<const std::uint8_t*>(json.data()), json.size()});
      auto built = BuildFromJson(json, e.path().string());
      if (built.file.empty()) return 1;
      rc |= Write(out / "parse", stem + ".chan", built.file);
      rc |= Write(out / "check", stem + ".chan", built.file);
      rc |= Write(out / "layers", stem + ".chan", built.file);  // 291 too: both layers must reject it
      if (stem == "channel-291") continue;
      const auto& root = *fb::GetChannelFile(built.file.data() + kEnvelopeSize);
      const std::uint16_t type = root.instances()->size() ? root.instances()->Get(0)->template_type() : 0;
      std::size_t n = 0;
      auto it = events.find(type);
      const std::vector<std::vector<std::uint8_t>> none{{}};
      for (const auto& ev : it == events.end() ? none : it->second) {
        const auto seed = fuzz::Join(built.file, ev);
        const std::string name = stem + "." + std::to_string(n++) + ".bin";
        for (const auto* target : {"soundness", "structured", "differential"}) rc |= Write(out / target, name, seed);
      }
    }
  }
  // Issue 10's adversarial shapes (the small ones), with an event that
  // holds their literals, spelled plainly and with fold partners.
  for (const auto& c : test::adversarial::Cases()) {
    const auto bytes = test::Bytes(c.make());
    if (bytes.size() > (64u << 10)) continue;
    rc |= Write(out / "layers", c.name + ".chan", bytes);
    // The same text in every field (pieces are NUL-separated, one per input).
    const std::string text = std::string("cmd ") + "sekurlsa::logonpasswords " + "\xe2\x84\xaa" + "erberoast" +
                             " \\cmd.exe x.bat lit0x " + test::adversarial::kHashIoc;
    std::string event;
    for (int field = 0; field < 32; ++field) event += text + std::string(1, '\0');
    const auto seed = fuzz::Join(bytes, {reinterpret_cast<const std::uint8_t*>(event.data()), event.size()});
    for (const auto* target : {"soundness", "structured", "differential"}) rc |= Write(out / target, c.name + ".bin", seed);
  }
  // Sigma: chanval's own example rules (never SigmaHQ's, which stay outside the project).
  for (const auto& e : fs::directory_iterator(src / "corpus" / "sigma")) {
    std::string yaml;
    if (ReadTextFile(e.path(), yaml, 1 << 20)) return 1;
    rc |= Write(out / "sigma", e.path().filename().string(),
                {reinterpret_cast<const std::uint8_t*>(yaml.data()), yaml.size()});
  }
  // Events: the corpus event files, read whole and in pieces of up to 7 bytes.
  for (const auto& e : fs::directory_iterator(src / "corpus" / "events")) {
    if (e.path().extension() != ".jsonl") continue;
    std::string text;
    if (ReadTextFile(e.path(), text, 1 << 20)) return 1;
    text.insert(0, std::string("\x2a\x07"));  // [seed][max piece]
    rc |= Write(out / "events", e.path().filename().string(),
                {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  }
  // Class gates: every regex of the adversarial shapes and a few of RE2's
  // syntax corners, both ways of case, each with a match sampled from it.
  std::vector<std::string> patterns = {"\\s-[FTd]\\s", " [0-7]{7,13}", "(?i)\\s[k-s]{5}[0-9]{6}", "[]x]{20}",
                                       "(a|[)]|\\))\\s-O\\s", "(?i)(?-i)[k-s]{20}", "[^a]{3}\\d{6}"};
  for (const auto& c : test::adversarial::Cases()) {
    std::size_t taken = 0;  // a few of each shape: some have thousands
    for (const auto& inst : c.make().instances) {
      for (const auto& m : inst->matchers) {
        if (m->kind != fb::MatcherKind::Regex || m->values.size() != 1 || taken == 8) continue;
        if (std::find(patterns.begin(), patterns.end(), m->values[0]) != patterns.end()) continue;
        patterns.push_back(m->values[0]);
        ++taken;
      }
    }
  }
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    for (const std::uint8_t fold : {0, 1}) {
      std::string seed(1, static_cast<char>(fold));
      seed += patterns[i] + std::string(1, '\0') + "x " + SampleRegexMatch(patterns[i]) + " y";
      rc |= Write(out / "class_gate", std::to_string(i) + (fold ? "-folded" : ""),
                  {reinterpret_cast<const std::uint8_t*>(seed.data()), seed.size()});
    }
  }
  for (const auto& c : test::MalformedCases()) {
    if (c.bytes.size() > (1u << 20)) continue;  // keep seeds small; the unit tests cover the big cases
    rc |= Write(out / "parse", c.name + ".chan", c.bytes);
    rc |= Write(out / "check", c.name + ".chan", c.bytes);
  }
  return rc;
}
