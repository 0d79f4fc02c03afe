// OpenRegularFile, ReadFile, ReadTextFile, StagedWrite, WriteFileAtomic
// (io.h). Tests: tests/test_io.cpp, tests/cli/special_files.sh.
#include "chanval/validator/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace chanval {
namespace {

std::string Errno(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}

}  // namespace

const char* FileKindName(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symlink";
  return "not a regular file";
}

bool WriteAll(int fd, std::span<const std::uint8_t> bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

namespace {

bool ClearNonBlocking(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0;
}

// A name beside `target` for a file about to be renamed onto it; unique per
// process and call.
std::string TempNameBeside(const std::filesystem::path& target) {
  static std::atomic<unsigned> counter{0};
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  return (dir / ("." + target.filename().string() + ".tmp." + std::to_string(::getpid()) + "." +
                 std::to_string(counter.fetch_add(1))))
      .string();
}

void SyncFolderOf(const std::filesystem::path& target) {
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // durability of the new name; the content is already synced
  ::close(fd);
}

}  // namespace

int OpenRegularFile(const std::filesystem::path& path, std::string& error) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    error = Errno("cannot open", path);
    return -1;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    error = Errno("cannot stat", path);
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    error = "not a regular file (" + std::string(FileKindName(st.st_mode)) + "): " + path.string();
    ::close(fd);
    return -1;
  }
  if (!ClearNonBlocking(fd)) {
    error = Errno("cannot read", path);
    ::close(fd);
    return -1;
  }
  return fd;
}

std::optional<std::string> ReadFile(const std::filesystem::path& path, std::vector<std::uint8_t>& out,
                                    std::size_t max_bytes) {
  std::string error;
  const int fd = OpenRegularFile(path, error);
  if (fd < 0) return error;
  struct stat st {};
  ::fstat(fd, &st);
  // Read at most max_bytes + 1 so an oversized file is detected without
  // reading all of it; the caller reports the size error.
  out.clear();
  std::size_t cap = std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1;
  out.resize(cap);
  std::size_t got = 0;
  while (got < cap) {
    const ssize_t n = ::read(fd, out.data() + got, cap - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string err = Errno("cannot read", path);
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.resize(got);
  return std::nullopt;
}

std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::string& out, std::size_t max_bytes) {
  std::vector<std::uint8_t> bytes;
  if (auto err = ReadFile(path, bytes, max_bytes)) return err;
  if (bytes.size() > max_bytes) return path.string() + " is larger than " + std::to_string(max_bytes) + " bytes";
  out.assign(bytes.begin(), bytes.end());
  return std::nullopt;
}

StagedWrite::~StagedWrite() { Discard(); }

void StagedWrite::Discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!named_tmp_.empty()) ::unlink(named_tmp_.c_str());
  named_tmp_.clear();
}

std::optional<std::string> StagedWrite::Stage(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                                              mode_t mode) {
  Discard();
  path_ = target_ = path;
  device_ = false;
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      if (::stat(path.c_str(), &st) != 0) return "will not write through a symlink to a missing target: " + path.string();
      if (S_ISREG(st.st_mode)) {
        std::error_code ec;
        target_ = std::filesystem::canonical(path, ec);
        if (ec) return "cannot resolve the symlink " + path.string() + ": " + ec.message();
      }
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      // O_NONBLOCK: a FIFO nobody reads fails now (ENXIO) instead of hanging.
      fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
      if (fd_ < 0) {
        return errno == ENXIO ? "no process reads the FIFO " + path.string() : Errno("cannot open", path);
      }
      ClearNonBlocking(fd_);
      in_place_.assign(bytes.begin(), bytes.end());
      device_ = true;
      return std::nullopt;
    }
    if (!S_ISREG(st.st_mode)) {
      return "will not write onto " + std::string(FileKindName(st.st_mode)) + ": " + path.string();
    }
  } else if (errno != ENOENT) {
    return Errno("cannot stat", path);
  }
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  // An unnamed file leaves nothing behind if the process dies before Commit.
  // It is named through /proc, so without /proc use a named temporary.
  if (::access("/proc/self/fd", X_OK) == 0) fd_ = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
  if (fd_ < 0) {
    named_tmp_ = (dir / ("." + target_.filename().string() + ".tmp.XXXXXX")).string();
    fd_ = ::mkstemp(named_tmp_.data());
    if (fd_ < 0) {
      named_tmp_.clear();
      return Errno("cannot create a file in", dir);
    }
  }
  if (::fchmod(fd_, mode) != 0 || !WriteAll(fd_, bytes) || ::fsync(fd_) != 0) {
    const std::string err = Errno("cannot write", target_);
    Discard();
    return err;
  }
  return std::nullopt;
}

std::optional<std::string> StagedWrite::Commit() {
  if (fd_ < 0) return "nothing staged for " + path_.string();
  if (device_) {
    const bool ok = WriteAll(fd_, in_place_);
    const std::string err = ok ? std::string() : Errno("cannot write", path_);
    Discard();
    if (!ok) return err;
    return std::nullopt;
  }
  if (named_tmp_.empty()) {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
    // A new path is linked straight into place; an existing file is replaced
    // by rename, the only atomic replacement.
    if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, target_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      if (errno != EEXIST) {
        const std::string err = Errno("cannot link into place", target_);
        Discard();
        return err;
      }
      named_tmp_ = TempNameBeside(target_);
      if (::linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, named_tmp_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
        named_tmp_.clear();
        const std::string err = Errno("cannot link into place", target_);
        Discard();
        return err;
      }
    } else {
      Discard();
      SyncFolderOf(target_);
      return std::nullopt;
    }
  }
  if (::rename(named_tmp_.c_str(), target_.c_str()) != 0) {
    const std::string err = Errno("cannot rename onto", target_);
    Discard();
    return err;
  }
  named_tmp_.clear();
  Discard();
  SyncFolderOf(target_);
  return std::nullopt;
}

std::optional<std::string> WriteFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  StagedWrite w;
  if (auto err = w.Stage(path, bytes)) return err;
  return w.Commit();
}

}  // namespace chanval
