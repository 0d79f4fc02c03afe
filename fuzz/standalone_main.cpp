// Replays files (or every file in directories) through a fuzz target without
// libFuzzer, so seeds and regressions run under gcc and every sanitizer
// preset in ctest. Exit 0 only if every input ran to completion.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
// The structured target's mutator calls back into libFuzzer: here a no-op.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerMutate(std::uint8_t*, std::size_t size, std::size_t) {
  return size;
}
// A target's own mutator and cross-over, if it has them, run on each input
// too (their output is not replayed): they read the input's bytes, so an
// input that breaks them is a regression like any other
// (corpus/regressions/fuzz_structured/).
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                                                     std::size_t max_size, unsigned int seed);
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* d1, std::size_t s1,
                                                                       const std::uint8_t* d2, std::size_t s2,
                                                                       std::uint8_t* out, std::size_t max_out,
                                                                       unsigned int seed);

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p)) {
        if (e.is_regular_file()) files.push_back(e.path());
      }
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
    LLVMFuzzerTestOneInput(data, bytes.size());
    std::vector<std::uint8_t> scratch(2 * bytes.size() + 4096);
    if (LLVMFuzzerCustomMutator) {
      std::copy(data, data + bytes.size(), scratch.begin());
      LLVMFuzzerCustomMutator(scratch.data(), bytes.size(), scratch.size(), 1);
    }
    if (LLVMFuzzerCustomCrossOver) {
      LLVMFuzzerCustomCrossOver(data, bytes.size(), data, bytes.size(), scratch.data(), scratch.size(), 1);
    }
  }
  std::printf("replayed %zu inputs\n", files.size());
  return files.empty() ? 1 : 0;
}
