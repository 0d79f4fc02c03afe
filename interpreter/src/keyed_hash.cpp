// KeyedStringHash (keyed_hash.h): SipHash-2-4 under a per-process random key.
// Tests: tests/test_resources.cpp ("the loader's literal index ...").
#include "chanval/interpreter/keyed_hash.h"

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>

namespace chanval::interp {
namespace {

using Key = std::array<unsigned char, crypto_shorthash_KEYBYTES>;

Key MakeKey() {
  Key key{};
  if (sodium_init() >= 0) {
    randombytes_buf(key.data(), key.size());
  } else {  // no random source: the clock still differs from run to run
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::memcpy(key.data(), &now, std::min(sizeof now, key.size()));
  }
  return key;
}

const Key& ProcessKey() {
  static const Key key = MakeKey();
  return key;
}

}  // namespace

std::size_t KeyedStringHash::operator()(std::string_view s) const noexcept {
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(s.data()), s.size(), ProcessKey().data());
  std::uint64_t h;
  static_assert(sizeof out >= sizeof h);
  std::memcpy(&h, out, sizeof h);
  return static_cast<std::size_t>(h);
}

}  // namespace chanval::interp
