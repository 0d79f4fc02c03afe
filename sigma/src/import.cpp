// ImportRuleText, ImportRuleFile, CollectRuleFiles (import.h): one YAML rule → one
// instance, or a skip reason. Tests: tests/test_sigma.cpp, import_sigma.sh, import_inputs.sh, fuzz_sigma.
#include "chanval/sigma/import.h"

#include <sys/stat.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/validator/io.h"
#include "chanval/validator/parser.h"
#include "logsource.h"
#include "lower.h"

namespace chanval::sigma {
namespace {

// Deepest `[`/`{` nesting outside quotes; yaml-cpp recurses on it.
std::size_t FlowDepth(std::string_view text) {
  std::size_t depth = 0, max_depth = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '#') {  // comment to end of line (good enough for a bound)
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth) {
      --depth;
    }
  }
  return max_depth;
}

// yaml-cpp 0.7 (Debian 12) loops forever in LoadAll on some malformed
// streams, e.g. a lone "," (jbeder/yaml-cpp#1040; fixed upstream by #1319,
// after 0.7.0). So documents are counted with a bounded loop over the event
// parser, and the one document is then read with Load, which stops.
//
// The same event pass finds a key repeated within one map. yaml-cpp's Load
// keeps both entries and lookups see the first, while pySigma keeps the
// last: a rule with one is skipped, never imported with a guessed meaning.
// Events do not expand aliases, so the pass is linear in the text.
class DocumentScan : public YAML::EventHandler {
 public:
  bool content = false;
  std::string duplicate_key;  // the first key seen twice in one map
  std::size_t duplicate_line = 0;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    static const std::string kNull = "~";
    Item(mark, &kNull);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    content = true;
    Item(mark, nullptr);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    content = true;
    Item(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    content = true;
    Item(mark, nullptr);
    frames_.push_back({false, false, {}});
  }
  void OnSequenceEnd() override { frames_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    content = true;
    Item(mark, nullptr);
    frames_.push_back({true, true, {}});
  }
  void OnMapEnd() override { frames_.pop_back(); }

 private:
  struct Frame {
    bool map;
    bool next_is_key;
    std::set<std::string> keys;
  };

  // A node inside the innermost collection: in a map, keys and values alternate.
  void Item(const YAML::Mark& mark, const std::string* scalar) {
    if (frames_.empty() || !frames_.back().map) return;
    Frame& f = frames_.back();
    if (f.next_is_key && scalar && !f.keys.insert(*scalar).second && duplicate_key.empty()) {
      duplicate_key = *scalar;
      duplicate_line = static_cast<std::size_t>(mark.line) + 1;
    }
    f.next_is_key = !f.next_is_key;
  }

  std::vector<Frame> frames_;
};

enum class Documents { None, One, Several, Endless };

struct DocumentsFound {
  Documents count = Documents::None;
  std::string duplicate_key;  // in the first document with content
  std::size_t duplicate_line = 0;
};

DocumentsFound ScanDocuments(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentsFound found;
  std::size_t with_content = 0;
  for (std::size_t docs = 0; docs < kMaxYamlDocuments; ++docs) {
    DocumentScan scan;
    if (!parser.HandleNextDocument(scan)) {
      found.count = with_content == 0 ? Documents::None : with_content == 1 ? Documents::One : Documents::Several;
      return found;
    }
    if (scan.content && with_content++ == 0) {
      found.duplicate_key = scan.duplicate_key;
      found.duplicate_line = scan.duplicate_line;
    }
  }
  found.count = Documents::Endless;
  return found;
}

std::string ScalarOr(const YAML::Node& n, std::string fallback = {}) {
  return n && n.IsScalar() ? n.Scalar() : fallback;
}

fb::Severity SeverityFor(const std::string& level) {
  if (level == "informational") return fb::Severity::Informational;
  if (level == "low") return fb::Severity::Low;
  if (level == "high") return fb::Severity::High;
  if (level == "critical") return fb::Severity::Critical;
  return fb::Severity::Medium;  // `medium`, and rules without a level
}

RuleImport Fail(RuleImport r, SkipReason reason, std::string detail) {
  r.instance.reset();
  r.reason = reason;
  r.detail = std::move(detail);
  return r;
}

}  // namespace

const char* SkipReasonName(SkipReason r) {
  switch (r) {
    case SkipReason::UnreadableFile: return "unreadable-file";
    case SkipReason::InvalidYaml: return "invalid-yaml";
    case SkipReason::NotARule: return "not-a-rule";
    case SkipReason::UnmappedLogsource: return "unmapped-logsource";
    case SkipReason::UnknownField: return "unknown-field";
    case SkipReason::UnsupportedModifier: return "unsupported-modifier";
    case SkipReason::Placeholder: return "placeholder";
    case SkipReason::KeywordSearch: return "keyword-search";
    case SkipReason::RegexNotSupported: return "regex-not-supported";
    case SkipReason::ValueNotRepresentable: return "value-not-representable";
    case SkipReason::BadCondition: return "bad-condition";
    case SkipReason::Aggregation: return "aggregation";
    case SkipReason::ExceedsLimits: return "exceeds-limits";
    case SkipReason::DuplicateKey: return "duplicate-key";
    case SkipReason::TooLarge: return "too-large";
    case SkipReason::SymlinkOutside: return "symlink-outside-folder";
  }
  return "unknown";
}

RuleImport ImportRuleText(std::string_view yaml, const std::string& path, std::uint32_t instance_id) {
  RuleImport r;
  r.path = path;
  if (yaml.size() > kMaxRuleFileBytes) {
    return Fail(r, SkipReason::TooLarge, "larger than " + std::to_string(kMaxRuleFileBytes) + " bytes");
  }
  if (FlowDepth(yaml) > kMaxYamlFlowDepth) {
    return Fail(r, SkipReason::InvalidYaml, "flow collections nest deeper than " + std::to_string(kMaxYamlFlowDepth));
  }
  const std::string text(yaml);
  YAML::Node rule;
  std::string duplicate;  // why the rule's meaning depends on the YAML loader, if it does
  try {
    const DocumentsFound found = ScanDocuments(text);
    switch (found.count) {
      case Documents::None: return Fail(r, SkipReason::NotARule, "empty file");
      case Documents::Several: return Fail(r, SkipReason::NotARule, "several YAML documents (a rule collection)");
      case Documents::Endless: return Fail(r, SkipReason::InvalidYaml, "the YAML stream does not parse into documents");
      case Documents::One: break;
    }
    duplicate = found.duplicate_key.empty()
                    ? std::string()
                    : "key '" + found.duplicate_key + "' appears twice in one map (again at line " +
                          std::to_string(found.duplicate_line) + ")";
    rule = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Fail(r, SkipReason::InvalidYaml, e.what());
  }
  try {
    if (!rule.IsMap()) return Fail(r, SkipReason::NotARule, "top level is not a map");
    r.rule_id = ScalarOr(rule["id"]);
    r.title = ScalarOr(rule["title"]);
    if (!duplicate.empty()) return Fail(r, SkipReason::DuplicateKey, duplicate);
    const YAML::Node logsource = rule["logsource"];
    const std::string product = logsource ? ScalarOr(logsource["product"]) : "";
    r.category = logsource ? ScalarOr(logsource["category"]) : "";
    const CategoryMapping* category = FindCategory(product, r.category);
    if (category) r.template_type = TypeOf(*category).id;
    if (rule["correlation"]) return Fail(r, SkipReason::Aggregation, "correlation rule");
    if (r.title.empty()) return Fail(r, SkipReason::NotARule, "no title");
    if (!rule["detection"]) return Fail(r, SkipReason::NotARule, "no detection");
    if (!category) {
      const std::string service = logsource ? ScalarOr(logsource["service"]) : "";
      return Fail(r, SkipReason::UnmappedLogsource,
                  "logsource product '" + product + "' category '" + r.category + "'" +
                      (service.empty() ? "" : " service '" + service + "'") + " has no template type");
    }
    const interp::TemplateTypeDef* type = &TypeOf(*category);
    if (!type) return Fail(r, SkipReason::UnmappedLogsource, "template type missing from the current build");
    LoweredDetection lowered = LowerDetection(rule["detection"], *type, *category);

    fb::InstanceT in;
    in.id = instance_id;
    in.name = r.title;
    in.template_type = type->id;
    for (auto& m : lowered.matchers) in.matchers.push_back(std::make_unique<fb::MatcherT>(std::move(m)));
    in.condition = lowered.condition.ToExprT();
    in.action = fb::Action::Report;
    in.severity = SeverityFor(ScalarOr(rule["level"]));
    in.meta = std::make_unique<fb::RuleMetaT>();
    fb::RuleMetaT& meta = *in.meta;
    meta.rule_id = r.rule_id;
    meta.title = r.title;
    const YAML::Node author = rule["author"];
    meta.author = ScalarOr(author);
    if (const YAML::Node refs = rule["references"]; refs && refs.IsSequence()) {
      for (const auto& ref : refs) {
        if (meta.references.size() == limits::kMaxReferences) break;  // the format's cap; the rule file keeps all
        if (ref.IsScalar()) meta.references.push_back(ref.Scalar());
      }
    }
    for (const std::string* s : {&in.name, &meta.title, &meta.author, &meta.rule_id}) {
      if (s->size() > limits::kMaxStringLength) {
        return Fail(r, SkipReason::ExceedsLimits, "metadata string longer than kMaxStringLength");
      }
      if (!IsChannelString(*s)) return Fail(r, SkipReason::NotARule, "title, id or author is not NUL-free UTF-8");
    }
    // A reference the format cannot hold is left out; the rule file keeps it.
    std::erase_if(meta.references, [](const std::string& s) {
      return s.size() > limits::kMaxStringLength || !IsChannelString(s) || s.empty();
    });
    r.instance = std::move(in);
    return r;
  } catch (const Skip& s) {
    return Fail(r, s.reason, s.detail);
  } catch (const YAML::Exception& e) {
    return Fail(r, SkipReason::InvalidYaml, e.what());
  }
}

RuleImport ImportRuleFile(const std::filesystem::path& path, std::uint32_t instance_id) {
  RuleImport r;
  r.path = path.string();
  std::vector<std::uint8_t> bytes;
  if (auto err = ReadFile(path, bytes, kMaxRuleFileBytes)) return Fail(r, SkipReason::UnreadableFile, *err);
  if (bytes.size() > kMaxRuleFileBytes) {
    return Fail(r, SkipReason::TooLarge, "larger than " + std::to_string(kMaxRuleFileBytes) + " bytes");
  }
  return ImportRuleText(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), r.path,
                        instance_id);
}

std::optional<std::string> CollectRuleFiles(const std::vector<std::filesystem::path>& inputs,
                                            std::vector<std::filesystem::path>& out,
                                            std::vector<std::filesystem::path>* outside) {
  namespace fs = std::filesystem;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      const fs::path root = fs::canonical(input, ec);
      if (ec) return "cannot read folder " + input.string() + ": " + ec.message();
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
        const auto ext = it->path().extension();
        std::error_code entry_ec;
        if (!(ext == ".yml" || ext == ".yaml") || !it->is_regular_file(entry_ec)) continue;
        if (it->is_symlink(entry_ec)) {
          // A symlinked rule is read only if it stays inside the searched
          // folder: a link to /etc/shadow is not a rule of this set.
          const fs::path target = fs::canonical(it->path(), entry_ec);
          const auto rel = entry_ec ? fs::path("..") : target.lexically_relative(root);
          if (rel.empty() || *rel.begin() == "..") {
            if (outside) outside->push_back(it->path());
            continue;
          }
        }
        found.push_back(it->path());
      }
      if (ec) return "cannot read folder " + input.string() + ": " + ec.message();
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(input, ec)) {
      out.push_back(input);
    } else if (struct stat st {}; ::stat(input.c_str(), &st) == 0) {
      return "not a regular file (" + std::string(FileKindName(st.st_mode)) + "): " + input.string();
    } else {
      return "no such rule file or folder: " + input.string();
    }
  }
  return std::nullopt;
}

}  // namespace chanval::sigma
