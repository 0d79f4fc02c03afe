// Deliberately malformed channel files, one per strict-parser rejection,
// derived from a valid file. Used by the parser tests, written to disk by
// make_malformed for the CLI tests and as fuzz seeds.
#pragma once
#include <string>
#include <vector>

#include "chanval/validator/diagnostic.h"

namespace chanval::test {

struct MalformedCase {
  std::string name;
  Code code;
  std::vector<std::uint8_t> bytes;
};

std::vector<std::uint8_t> ValidBaseFile();
std::vector<MalformedCase> MalformedCases();

}  // namespace chanval::test
