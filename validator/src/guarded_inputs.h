// An input array placed so that its last element ends exactly where a
// PROT_NONE page begins: a read one element past the end faults at once
// instead of reading whatever happens to follow.
#pragma once
#include <sys/mman.h>
#include <unistd.h>

#include <memory>
#include <span>

#include "chanval/interpreter/input.h"

namespace chanval {

class GuardedInputs {
 public:
  explicit GuardedInputs(std::size_t count) : count_(count) {
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t data = ((count * sizeof(interp::Input) + page - 1) / page) * page;
    size_ = data + page;
    void* p = ::mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return;
    base_ = static_cast<std::uint8_t*>(p);
    if (::mprotect(base_ + data, page, PROT_NONE) != 0) {
      ::munmap(base_, size_);
      base_ = nullptr;
      return;
    }
    first_ = reinterpret_cast<interp::Input*>(base_ + data - count * sizeof(interp::Input));
    std::uninitialized_default_construct_n(first_, count);
  }
  ~GuardedInputs() {
    if (base_) ::munmap(base_, size_);
  }
  GuardedInputs(const GuardedInputs&) = delete;
  GuardedInputs& operator=(const GuardedInputs&) = delete;

  bool ok() const { return base_ != nullptr; }
  std::span<interp::Input> span() { return {first_, count_}; }

 private:
  std::size_t count_;
  std::size_t size_ = 0;
  std::uint8_t* base_ = nullptr;
  interp::Input* first_ = nullptr;
};

}  // namespace chanval
