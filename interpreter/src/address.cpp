// ParseAddress and ParseCidr (address.h): IPv4/IPv6 text and CIDR blocks, allocation-free.
// Tests: tests/test_interpreter.cpp (address and Cidr cases).
#include "chanval/interpreter/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "chanval/interpreter/content.h"

namespace chanval::interp {

std::optional<Address> ParseAddress(std::string_view text) {
  // inet_pton needs a terminated string: copy into a stack buffer, no heap.
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Address a;
  if (text.find(':') != std::string_view::npos) {
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
    a.v6 = true;
  } else if (inet_pton(AF_INET, buf, a.bytes.data()) != 1) {
    return std::nullopt;
  }
  return a;
}

std::optional<CidrBlock> ParseCidr(std::string_view text) {
  const auto slash = text.find('/');
  auto addr = ParseAddress(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const unsigned max_prefix = addr->v6 ? 128 : 32;
  unsigned prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const auto digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || prefix > max_prefix) return std::nullopt;
  }
  CidrBlock b;
  b.v6 = addr->v6;
  b.prefix = static_cast<std::uint8_t>(prefix);
  b.network = addr->bytes;
  // Host bits must be zero: "10.1.2.3/8" is almost always an authoring error.
  for (unsigned bit = prefix; bit < max_prefix; ++bit) {
    if (b.network[bit / 8] & (0x80u >> (bit % 8))) return std::nullopt;
  }
  return b;
}

bool CidrContains(const CidrBlock& block, const Address& a) {
  if (block.v6 != a.v6) return false;
  const unsigned full = block.prefix / 8, rest = block.prefix % 8;
  if (std::memcmp(block.network.data(), a.bytes.data(), full) != 0) return false;
  if (rest == 0) return true;
  const std::uint8_t mask = static_cast<std::uint8_t>(0xff00u >> rest);
  return (block.network[full] & mask) == (a.bytes[full] & mask);
}

}  // namespace chanval::interp
