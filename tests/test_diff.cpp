// Release diffs: changes at matcher level, and first use of a field, a
// template type and older builds — the 291 reproduction among them.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

#include "chanval/validator/diff.h"
#include "chanval/validator/source.h"

using namespace chanval;

namespace {

ParsedChannel Built(const std::string& relative, const std::function<void(std::string&)>& edit = {}) {
  std::ifstream in(std::filesystem::path(CHANVAL_SOURCE_DIR) / relative);
  std::string json((std::istreambuf_iterator<char>(in)), {});
  if (edit) edit(json);
  auto built = BuildFromJson(json, relative);
  REQUIRE_MESSAGE(!built.file.empty(), relative);
  auto parsed = ParseChannel(std::move(built.file), relative);
  REQUIRE(parsed.channel.has_value());
  return std::move(*parsed.channel);
}

Fleet BundledFleet() {
  Diagnostics d;
  auto fleet = LoadFleet(std::filesystem::path(CHANVAL_SOURCE_DIR) / "corpus/fleet", true, d);
  REQUIRE(d.empty());
  return fleet;
}

std::vector<std::string> Versions(const std::vector<interp::SensorVersion>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.ToString());
  return out;
}

void Replace(std::string& s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("the 291 reproduction: first use of pipe_created field 7 (User), declared but not supplied by 7.10") {
  const auto fleet = BundledFleet();
  const auto d = DiffReleases(Built("corpus/cf291/channel-291-wildcard.json"), Built("corpus/cf291/channel-291.json"), fleet);
  REQUIRE(d.first_uses.size() == 1u);
  const auto& u = d.first_uses[0];
  CHECK(u.template_type == 17);
  REQUIRE(u.field.has_value());
  CHECK(*u.field == 7);
  CHECK(u.field_name == "User");
  CHECK(u.instances == std::vector<std::uint32_t>{29104});
  CHECK(Versions(u.in_range) == std::vector<std::string>{"7.10", "7.11", "7.12"});
  CHECK(Versions(u.declaring) == std::vector<std::string>{"7.10", "7.11", "7.12"});
  CHECK(Versions(u.supplying) == std::vector<std::string>{"7.11", "7.12"});
  REQUIRE(d.instances.size() == 1u);
  CHECK(d.instances[0].kind == InstanceChange::Kind::Changed);
  REQUIRE(d.instances[0].details.size() == 1u);
  CHECK(d.instances[0].details[0] ==
        "matcher #7: field 7 (User) Wildcard -> field 7 (User) Equals [\"NT AUTHORITY\\\\SYSTEM\"] ignore-case");
  const auto text = RenderDiffText(d, "old", "new");
  CHECK(text.find("declared but NOT supplied by 7.10") != std::string::npos);
  // Nothing new the other way round: the wildcard release reads less.
  CHECK_FALSE(DiffReleases(Built("corpus/cf291/channel-291.json"), Built("corpus/cf291/channel-291-wildcard.json"), fleet)
                  .HasFirstUse());
}

TEST_CASE("a file against itself: no change, no warning") {
  const auto f = Built("corpus/content/process_creation.json");
  const auto d = DiffReleases(f, f, BundledFleet());
  CHECK(d.instances.empty());
  CHECK(d.envelope.empty());
  CHECK_FALSE(d.HasFirstUse());
}

TEST_CASE("added and removed instances, a new template type, a range reaching an older build") {
  const auto fleet = BundledFleet();
  const auto old_file = Built("corpus/cf291/channel-291-raised.json");
  const auto new_file = Built("corpus/content/pipe_created.json");
  const auto d = DiffReleases(old_file, new_file, fleet);
  CHECK(Versions(d.newly_in_range) == std::vector<std::string>{"7.9", "7.10"});
  CHECK(d.HasFirstUse());
  bool added = false, removed = false;
  for (const auto& c : d.instances) {
    added |= c.kind == InstanceChange::Kind::Added;
    removed |= c.kind == InstanceChange::Kind::Removed;
  }
  CHECK(added);
  CHECK(removed);

  const auto other_type = DiffReleases(new_file, Built("corpus/content/process_creation.json"), fleet);
  bool type_first_use = false;
  for (const auto& u : other_type.first_uses) type_first_use |= !u.field && u.template_type == 1;
  CHECK(type_first_use);
  // The JSON form parses and says the same.
  for (const auto& json : {RenderDiffJson(d, "a", "b"), RenderDiffJson(other_type, "a", "b")}) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE_FALSE(parser.parse(json).get(doc));
    CHECK(doc["first_use"].get_array().size() + (doc["newly_in_range"].get_array().size() ? 1 : 0) > 0);
  }
}

TEST_CASE("a changed condition, action and value are each named") {
  const auto fleet = BundledFleet();
  const auto old_file = Built("corpus/content/process_creation.json");
  const auto new_file = Built("corpus/content/process_creation.json", [](std::string& json) {
    Replace(json, "\"Block\"", "\"Report\"");
  });
  const auto d = DiffReleases(old_file, new_file, fleet);
  REQUIRE(d.instances.size() == 1u);
  CHECK(d.instances[0].details[0].rfind("action: Block -> Report", 0) == 0);
  CHECK_FALSE(d.HasFirstUse());
}
