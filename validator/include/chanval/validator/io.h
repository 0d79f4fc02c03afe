// File I/O with bounds and atomic writes: nothing half-written is ever left,
// no special file makes a read block, and no write replaces what is not a
// regular file.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace chanval {

// Each returns an error message, or nullopt on success.

// What a file that is not a regular one is, for messages: "a FIFO", "a
// character device", "a folder", ...
const char* FileKindName(mode_t mode);

// Writes all of `bytes` to `fd` (retrying short writes and EINTR); false
// with errno set on failure.
bool WriteAll(int fd, std::span<const std::uint8_t> bytes);

// Opens a regular file for reading without blocking on a FIFO (O_NONBLOCK
// at open), and refuses anything else by name: FIFO, character device,
// folder, socket. Returns the descriptor (the caller closes it) or -1.
int OpenRegularFile(const std::filesystem::path& path, std::string& error);

std::optional<std::string> ReadFile(const std::filesystem::path& path, std::vector<std::uint8_t>& out,
                                    std::size_t max_bytes);
std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::string& out, std::size_t max_bytes);

// An output prepared in full before anything at its path changes:
// - a new path or a regular file: written to an unnamed O_TMPFILE in the
//   same folder (a named temporary where the file system lacks it), fsynced;
//   Commit links it into place, atomically replacing a regular file;
// - a character device or FIFO (/dev/null, a pipe): written in place at
//   Commit; the node is never replaced;
// - a symlink: followed, and the rules above apply to its target; a
//   dangling one is refused;
// - anything else (folder, block device, socket): refused at Stage.
// Destroying an uncommitted StagedWrite leaves the path as it was.
class StagedWrite {
 public:
  StagedWrite() = default;
  StagedWrite(const StagedWrite&) = delete;
  StagedWrite& operator=(const StagedWrite&) = delete;
  ~StagedWrite();

  // `mode`: the permissions of a new or replaced regular file.
  std::optional<std::string> Stage(const std::filesystem::path& path, std::span<const std::uint8_t> bytes,
                                   mode_t mode = 0644);
  std::optional<std::string> Commit();

 private:
  void Discard();
  std::filesystem::path path_;     // what the user named
  std::filesystem::path target_;   // where it lands (a symlink's target)
  std::vector<std::uint8_t> in_place_;  // bytes for a device or FIFO
  int fd_ = -1;                     // the staged file
  std::string named_tmp_;           // the fallback's temporary name, if used
  bool device_ = false;
};

// Stage + Commit of one file.
std::optional<std::string> WriteFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace chanval
