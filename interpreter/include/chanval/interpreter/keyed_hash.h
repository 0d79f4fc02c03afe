// KeyedStringHash: a string hash keyed by a per-process random key, for the
// loader's hash tables over strings a channel file chooses. std::hash's seed
// is public, so literals crafted to share one of its buckets made the load
// quadratic in their number: 20,000 of them on one field (a 400 KB file)
// took 0.62 s against 0.011 s for as many ordinary ones, and a 16 MB file
// would hold forty times as many. Tests: tests/test_resources.cpp.
#pragma once
#include <cstddef>
#include <string_view>

namespace chanval::interp {

struct KeyedStringHash {
  // SipHash-2-4 (libsodium's crypto_shorthash) under the process's key.
  std::size_t operator()(std::string_view s) const noexcept;
};

}  // namespace chanval::interp
