#include "chanval/validator/io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace chanval {
namespace {
std::string Errno(const std::string& what, const std::filesystem::path& p) {
  return what + " " + p.string() + ": " + std::strerror(errno);
}
}  // namespace

std::optional<std::string> ReadFile(const std::filesystem::path& path, std::vector<std::uint8_t>& out,
                                    std::size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return "not a regular file: " + path.string();
  }
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
      ::close(fd);
      return Errno("cannot read", path);
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

std::optional<std::string> WriteFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string tmpl = (dir / ("." + path.filename().string() + ".tmp.XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Errno("cannot create a temporary file in", dir);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string err = Errno("cannot write", tmpl);
      ::close(fd);
      ::unlink(tmpl.c_str());
      return err;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string err = Errno("cannot finish", tmpl);
    ::unlink(tmpl.c_str());
    return err;
  }
  if (::rename(tmpl.c_str(), path.c_str()) != 0) {
    const std::string err = Errno("cannot rename onto", path);
    ::unlink(tmpl.c_str());
    return err;
  }
  return std::nullopt;
}

}  // namespace chanval
