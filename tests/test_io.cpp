// Outputs never replace what is not a regular file, never leave a partial
// or temporary file behind; reads never block on special files.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chanval/validator/io.h"

using namespace chanval;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "chanval-io-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  std::size_t Entries() const { return std::distance(fs::directory_iterator(path), fs::directory_iterator()); }
};

std::span<const std::uint8_t> Bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a new path and a regular file are written whole, with nothing left beside them") {
  TempDir d;
  const auto out = d.path / "out.json";
  REQUIRE_FALSE(WriteFileAtomic(out, Bytes("first")).has_value());
  CHECK(Slurp(out) == "first");
  REQUIRE_FALSE(WriteFileAtomic(out, Bytes("second")).has_value());
  CHECK(Slurp(out) == "second");
  CHECK((fs::status(out).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write |
                                                             fs::perms::group_read | fs::perms::others_read));
  CHECK(d.Entries() == 1u);
}

TEST_CASE("a staged write that is never committed leaves the path as it was") {
  TempDir d;
  const auto out = d.path / "out.chan";
  {
    StagedWrite w;
    REQUIRE_FALSE(w.Stage(out, Bytes("never")).has_value());
  }
  CHECK_FALSE(fs::exists(out));
  CHECK(d.Entries() == 0u);
  REQUIRE_FALSE(WriteFileAtomic(out, Bytes("kept")).has_value());
  {
    StagedWrite w;
    REQUIRE_FALSE(w.Stage(out, Bytes("never")).has_value());
  }
  CHECK(Slurp(out) == "kept");
  CHECK(d.Entries() == 1u);
}

TEST_CASE("a symlink is followed, never replaced; a dangling one is refused") {
  TempDir d;
  const auto target = d.path / "target.json", link = d.path / "link.json";
  REQUIRE_FALSE(WriteFileAtomic(target, Bytes("old")).has_value());
  fs::create_symlink(target, link);
  REQUIRE_FALSE(WriteFileAtomic(link, Bytes("new")).has_value());
  CHECK(fs::is_symlink(link));
  CHECK(Slurp(target) == "new");

  const auto dangling = d.path / "dangling.json";
  fs::create_symlink(d.path / "missing.json", dangling);
  const auto err = WriteFileAtomic(dangling, Bytes("x"));
  REQUIRE(err.has_value());
  CHECK(err->find("symlink to a missing target") != std::string::npos);
  CHECK(fs::is_symlink(dangling));
  CHECK_FALSE(fs::exists(d.path / "missing.json"));
}

TEST_CASE("a character device and a FIFO are written in place, and stay what they are") {
  TempDir d;
  // /dev/null through a symlink, and by name: the node must survive.
  const auto link = d.path / "null";
  fs::create_symlink("/dev/null", link);
  REQUIRE_FALSE(WriteFileAtomic(link, Bytes("discarded")).has_value());
  REQUIRE_FALSE(WriteFileAtomic("/dev/null", Bytes("discarded")).has_value());
  CHECK(fs::is_character_file("/dev/null"));
  CHECK(fs::is_symlink(link));

  const auto fifo = d.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Nobody reads it: refused at once, not a hang.
  const auto err = WriteFileAtomic(fifo, Bytes("x"));
  REQUIRE(err.has_value());
  CHECK(err->find("no process reads the FIFO") != std::string::npos);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  REQUIRE_FALSE(WriteFileAtomic(fifo, Bytes("through")).has_value());
  char buf[16] = {};
  CHECK(::read(reader, buf, sizeof buf) == 7);
  CHECK(std::string(buf) == "through");
  ::close(reader);
  CHECK(fs::is_fifo(fifo));
}

TEST_CASE("a folder is refused as an output") {
  TempDir d;
  const auto err = WriteFileAtomic(d.path, Bytes("x"));
  REQUIRE(err.has_value());
  CHECK(err->find("will not write onto a folder") != std::string::npos);
}

TEST_CASE("reads refuse special files without blocking") {
  TempDir d;
  const auto fifo = d.path / "fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string text;
  auto err = ReadTextFile(fifo, text, 1 << 20);  // would block forever on open without O_NONBLOCK
  REQUIRE(err.has_value());
  CHECK(err->find("not a regular file (a FIFO)") != std::string::npos);
  err = ReadTextFile("/dev/zero", text, 1 << 20);
  REQUIRE(err.has_value());
  CHECK(err->find("a character device") != std::string::npos);
  err = ReadTextFile(d.path, text, 1 << 20);
  REQUIRE(err.has_value());
}

TEST_CASE("a process killed between writing and committing leaves nothing behind") {
  // The staged bytes live in an unnamed O_TMPFILE until Commit links them:
  // SIGKILL at that point leaves the folder as it was (a named temporary
  // file, as before, would stay there).
  TempDir d;
  const auto out = d.path / "out.chan";
  REQUIRE_FALSE(WriteFileAtomic(out, Bytes("old")).has_value());
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    static StagedWrite w;  // never destroyed: the process dies with it staged
    const std::string big(4u << 20, 'x');
    if (w.Stage(out, Bytes(big))) ::_exit(1);
    ::kill(::getpid(), SIGKILL);
    ::_exit(2);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(Slurp(out) == "old");
  CHECK(d.Entries() == 1u);
}
