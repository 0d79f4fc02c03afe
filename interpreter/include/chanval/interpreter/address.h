// IPv4/IPv6 text → bytes, and CIDR blocks. Allocation-free (used per event).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace chanval::interp {

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // v4 uses the first 4
};

std::optional<Address> ParseAddress(std::string_view text);

struct CidrBlock;
std::optional<CidrBlock> ParseCidr(std::string_view text);
bool CidrContains(const CidrBlock& block, const Address& a);

}  // namespace chanval::interp
