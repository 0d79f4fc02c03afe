// Fleet manifests (fleet.h): parse (CV301), render, digest, load a folder.
// Tests: tests/test_check.cpp (CV301 cases), the cli.check_bad_fleet test.
#include "chanval/validator/fleet.h"

#include <flatbuffers/idl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <set>

#include "chanval/interpreter/limits.h"
#include "chanval/interpreter/registry.h"
#include "chanval/manifest_generated.h"
#include "chanval/schema_text.h"
#include "chanval/validator/io.h"
#include "json_options.h"

namespace chanval {
namespace {

flatbuffers::IDLOptions ManifestOptions() { return StrictJsonOptions(); }

void Bad(Diagnostics& diags, const std::string& name, std::string message) {
  Diagnostic d;
  d.code = Code::BadManifest;
  d.file = name;
  d.message = std::move(message);
  diags.push_back(std::move(d));
}

std::vector<interp::FieldSpec> Fields(const flatbuffers::Vector<flatbuffers::Offset<fb::FieldDecl>>& v) {
  std::vector<interp::FieldSpec> out;
  for (const auto* f : v) out.push_back({f->name()->str(), static_cast<interp::FieldType>(f->type())});
  return out;
}

}  // namespace

const FleetMember* Fleet::Find(interp::SensorVersion v) const {
  for (const auto& m : members) {
    if (m.profile.version == v) return &m;
  }
  return nullptr;
}

std::vector<const FleetMember*> Fleet::InRange(interp::SensorVersion min, interp::SensorVersion max) const {
  std::vector<const FleetMember*> out;
  for (const auto& m : members) {
    if (min <= m.profile.version && m.profile.version <= max) out.push_back(&m);
  }
  return out;
}

// The manifest schema, parsed once and reused for every manifest of a fleet
// (parsing it took 2.5 ms, which a 10,000-manifest fleet paid each time). A
// parser that failed on a manifest is rebuilt before the next one.
class ManifestReader {
 public:
  std::optional<interp::SensorProfile> Read(const std::string& json, const std::string& name, Diagnostics& diags) {
    if (!parser_) {
      parser_ = std::make_unique<flatbuffers::Parser>(ManifestOptions());
      if (!parser_->Parse(schema_text::kManifest)) {
        Bad(diags, name, "embedded manifest schema does not parse: " + parser_->error_);
        parser_.reset();
        return std::nullopt;
      }
    }
    auto p = ReadWith(*parser_, json, name, diags);
    if (!p) parser_.reset();
    return p;
  }

 private:
  static std::optional<interp::SensorProfile> ReadWith(flatbuffers::Parser& parser, const std::string& json,
                                                       const std::string& name, Diagnostics& diags);
  std::unique_ptr<flatbuffers::Parser> parser_;
};

std::optional<interp::SensorProfile> ParseManifestJson(const std::string& json, const std::string& name,
                                                       Diagnostics& diags) {
  return ManifestReader().Read(json, name, diags);
}

std::optional<interp::SensorProfile> ManifestReader::ReadWith(flatbuffers::Parser& parser, const std::string& json,
                                                              const std::string& name, Diagnostics& diags) {
  if (json.find('\0') != std::string::npos) {
    Bad(diags, name, fmt::format("manifest holds a NUL byte at offset {}", json.find('\0')));
    return std::nullopt;
  }
  if (!parser.ParseJson(json.c_str())) {
    Bad(diags, name, "manifest does not fit the schema at line " + parser.error_);
    return std::nullopt;
  }
  flatbuffers::Verifier verifier(parser.builder_.GetBufferPointer(), parser.builder_.GetSize());
  if (!fb::VerifySensorManifestBuffer(verifier)) {
    Bad(diags, name, "manifest is missing a required field (version, budgets, types, names, fields, supplied)");
    return std::nullopt;
  }
  const auto& m = *fb::GetSensorManifest(parser.builder_.GetBufferPointer());
  interp::SensorProfile p;
  p.version = {m.version()->major(), m.version()->minor()};
  p.interpreter_abi = m.interpreter_abi();
  const auto& b = *m.budgets();
  p.budgets = {.max_cost_per_event = b.max_cost_per_event(),
               .max_load_memory = b.max_load_memory(),
               .max_event_time_us = b.max_event_time_us(),
               .regex_max_mem = b.regex_max_mem(),
               .regex_max_program_size = b.regex_max_program_size(),
               .max_literal_length = b.max_literal_length()};
  if (!p.budgets.max_cost_per_event || !p.budgets.max_load_memory || !p.budgets.max_event_time_us ||
      !p.budgets.regex_max_mem || !p.budgets.regex_max_program_size || !p.budgets.max_literal_length) {
    Bad(diags, name, "every budget must be set and non-zero");
    return std::nullopt;
  }
  if (m.types()->size() == 0) {
    Bad(diags, name, "manifest declares no template types: a sensor build without them runs no content");
    return std::nullopt;
  }
  std::set<std::uint16_t> ids;
  for (const auto* t : *m.types()) {
    if (!ids.insert(t->id()).second) {
      Bad(diags, name, fmt::format("template type id {} appears twice", t->id()));
      return std::nullopt;
    }
    if (t->fields()->size() > limits::kMaxFieldsPerType || t->supplied()->size() > limits::kMaxFieldsPerType) {
      Bad(diags, name, fmt::format("template type {} has more than {} fields", t->id(), limits::kMaxFieldsPerType));
      return std::nullopt;
    }
    if (t->supplied()->size() > t->fields()->size()) {
      Bad(diags, name, fmt::format("template type {} supplies {} inputs but declares only {} fields", t->id(),
                                   t->supplied()->size(), t->fields()->size()));
      return std::nullopt;
    }
    p.types.push_back({t->id(), t->name()->str(), Fields(*t->fields()), Fields(*t->supplied())});
  }
  return p;
}

std::string ManifestJson(const interp::SensorProfile& p) {
  fb::SensorManifestT m;
  m.version = std::make_unique<fb::SensorVersion>(p.version.major, p.version.minor);
  m.interpreter_abi = p.interpreter_abi;
  m.budgets = std::make_unique<fb::BudgetsT>();
  m.budgets->max_cost_per_event = p.budgets.max_cost_per_event;
  m.budgets->regex_max_mem = p.budgets.regex_max_mem;
  m.budgets->regex_max_program_size = p.budgets.regex_max_program_size;
  m.budgets->max_literal_length = p.budgets.max_literal_length;
  m.budgets->max_load_memory = p.budgets.max_load_memory;
  m.budgets->max_event_time_us = p.budgets.max_event_time_us;
  auto fields = [](const std::vector<interp::FieldSpec>& v) {
    std::vector<std::unique_ptr<fb::FieldDeclT>> out;
    for (const auto& f : v) {
      auto d = std::make_unique<fb::FieldDeclT>();
      d->name = f.name;
      d->type = static_cast<fb::FieldType>(f.type);
      out.push_back(std::move(d));
    }
    return out;
  };
  for (const auto& t : p.types) {
    auto d = std::make_unique<fb::TemplateTypeDeclT>();
    d->id = t.id;
    d->name = t.name;
    d->fields = fields(t.declared);
    d->supplied = fields(t.supplied);
    m.types.push_back(std::move(d));
  }
  flatbuffers::FlatBufferBuilder fbb;
  fb::FinishSensorManifestBuffer(fbb, fb::SensorManifest::Pack(fbb, &m));
  flatbuffers::Parser parser(ManifestOptions());
  std::string text;
  if (!parser.Parse(schema_text::kManifest) || !flatbuffers::GenerateText(parser, fbb.GetBufferPointer(), &text)) {
    return {};
  }
  return text;
}

interp::Sha256 FleetDigest(const Fleet& fleet) {
  std::string all;
  for (const auto& m : fleet.members) all += ManifestJson(m.profile) + "\n";
  return interp::ComputeSha256({reinterpret_cast<const std::uint8_t*>(all.data()), all.size()});
}


Fleet LoadFleet(const std::filesystem::path& dir, bool include_current, Diagnostics& diags) {
  Fleet fleet;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec) Bad(diags, dir.string(), "cannot read fleet directory: " + ec.message());
  std::sort(files.begin(), files.end());
  ManifestReader reader;
  for (const auto& f : files) {
    std::string text;
    if (auto err = ReadTextFile(f, text, limits::kMaxFileSize)) {
      Bad(diags, f.string(), *err);
      continue;
    }
    if (auto p = reader.Read(text, f.string(), diags)) fleet.members.push_back({std::move(*p), f.string()});
  }
  if (include_current) {
    fleet.members.push_back({interp::CurrentBuildProfile(), "compiled-in current build"});
  }
  SortFleet(fleet, diags);
  return fleet;
}

void SortFleet(Fleet& fleet, Diagnostics& diags) {
  std::sort(fleet.members.begin(), fleet.members.end(),
            [](const FleetMember& a, const FleetMember& b) { return a.profile.version < b.profile.version; });
  for (std::size_t i = 1; i < fleet.members.size(); ++i) {
    if (fleet.members[i].profile.version == fleet.members[i - 1].profile.version) {
      Bad(diags, fleet.members[i].source,
          fmt::format("sensor version {} is also described by {}", fleet.members[i].profile.version.ToString(),
                      fleet.members[i - 1].source));
    }
  }
}

}  // namespace chanval
