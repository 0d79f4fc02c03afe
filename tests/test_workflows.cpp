// The ClusterFuzzLite files, which cannot run here, checked for structure:
// project.yaml's sanitizers, and in each .github/workflows/cflite_*.yml the
// documented layout — jobs of build_fuzzers then run_fuzzers steps, C++,
// sanitizers from project.yaml, a known mode — with every mode (code-change,
// batch, prune, coverage) present once. The shell they reach
// (.clusterfuzzlite/build.sh → fuzz/build.sh) runs in fuzz/libcxx_build.sh.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace {
const std::filesystem::path kRoot = CHANVAL_SOURCE_DIR;

std::string Text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::set<std::string> ProjectSanitizers() {
  const YAML::Node project = YAML::LoadFile((kRoot / ".clusterfuzzlite/project.yaml").string());
  REQUIRE(project["language"].as<std::string>() == "c++");
  std::set<std::string> out;
  for (const auto& s : project["sanitizers"]) out.insert(s.as<std::string>());
  return out;
}

// The sanitizers a step's `sanitizer` names: a literal, or the job's matrix.
std::set<std::string> SanitizersOf(const YAML::Node& with, const YAML::Node& job) {
  if (!with["sanitizer"]) return {"address"};  // the actions' default
  const auto value = with["sanitizer"].as<std::string>();
  if (value != "${{ matrix.sanitizer }}") return {value};
  std::set<std::string> out;
  for (const auto& s : job["strategy"]["matrix"]["sanitizer"]) out.insert(s.as<std::string>());
  return out;
}
}  // namespace

TEST_CASE("ClusterFuzzLite workflows follow the documented layout and cover every mode") {
  const auto sanitizers = ProjectSanitizers();
  CHECK(sanitizers == std::set<std::string>{"address", "undefined"});
  std::set<std::string> modes;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kRoot / ".github/workflows")) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("cflite_")) continue;
    ++files;
    CAPTURE(name);
    const YAML::Node wf = YAML::LoadFile(entry.path().string());
    REQUIRE(wf.IsMap());
    CHECK(wf["name"].IsScalar());
    REQUIRE(wf["on"].IsMap());
    REQUIRE(wf["jobs"].IsMap());
    REQUIRE(wf["jobs"].size() >= 1);
    for (const auto& job_kv : wf["jobs"]) {
      const YAML::Node job = job_kv.second;
      CAPTURE(job_kv.first.as<std::string>());
      CHECK(job["runs-on"].as<std::string>() == "ubuntu-latest");
      REQUIRE(job["steps"].IsSequence());
      std::set<std::string> built;
      bool has_build = false;
      for (const auto& step : job["steps"]) {
        REQUIRE(step["uses"]);
        const auto uses = step["uses"].as<std::string>();
        const YAML::Node with = step["with"];
        REQUIRE(with.IsMap());
        if (uses == "google/clusterfuzzlite/actions/build_fuzzers@v1") {
          has_build = true;
          CHECK(with["language"].as<std::string>() == "c++");
          built = SanitizersOf(with, job);
          for (const auto& s : built) CHECK_MESSAGE((sanitizers.count(s) || s == "coverage"), s);
        } else {
          REQUIRE(uses == "google/clusterfuzzlite/actions/run_fuzzers@v1");
          REQUIRE_MESSAGE(has_build, "run_fuzzers before build_fuzzers");
          const auto mode = with["mode"].as<std::string>();
          CHECK(std::set<std::string>{"code-change", "batch", "prune", "coverage"}.count(mode) == 1);
          modes.insert(mode);
          CHECK(with["fuzz-seconds"].as<int>() > 0);
          CHECK(SanitizersOf(with, job) == built);  // runs what was built
          CHECK((mode == "coverage") == (built == std::set<std::string>{"coverage"}));
          if (mode == "batch" || mode == "prune" || mode == "coverage") CHECK(with["storage-repo"]);
        }
      }
      CHECK(has_build);
    }
  }
  CHECK(files == 4);
  CHECK(modes == std::set<std::string>{"code-change", "batch", "prune", "coverage"});
}

TEST_CASE("the ClusterFuzzLite image builds through fuzz/build.sh with the pinned library sources") {
  const auto docker = Text(kRoot / ".clusterfuzzlite/Dockerfile");
  const auto entry = Text(kRoot / ".clusterfuzzlite/build.sh");
  const auto deps = Text(kRoot / "fuzz/build_deps.sh");
  CHECK(entry.find("fuzz/build.sh") != std::string::npos);
  CHECK(docker.find("COPY .clusterfuzzlite/build.sh $SRC/") != std::string::npos);
  CHECK(docker.find("CHANVAL_DEPS_SOURCES") != std::string::npos);
  // Each library fuzz/build_deps.sh builds is cloned, at the tag its pin names.
  for (const auto& pin : {std::pair{"flatbuffers", "v2.0.8"}, {"re2", "2022-06-01"}, {"fmt", "9.1.0"},
                          {"yaml-cpp", "yaml-cpp-0.7.0"}, {"simdjson", "v3.0.1"}, {"libsodium", "1.0.18-RELEASE"}}) {
    const std::string dir = pin.first, tag = pin.second;
    CAPTURE(dir);
    CHECK(docker.find(std::string("--branch ") + tag + " ") != std::string::npos);
    CHECK(docker.find(std::string(".git ") + dir) != std::string::npos);
    CHECK(deps.find(std::string("tree ") + dir) != std::string::npos);
  }
}
