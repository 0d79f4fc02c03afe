// File I/O with bounds and atomic writes: nothing half-written is ever left.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace chanval {

// Each returns an error message, or nullopt on success.
std::optional<std::string> ReadFile(const std::filesystem::path& path, std::vector<std::uint8_t>& out,
                                    std::size_t max_bytes);
std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::string& out, std::size_t max_bytes);
// Writes to a temporary file beside `path`, fsyncs, then renames over it.
std::optional<std::string> WriteFileAtomic(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

}  // namespace chanval
