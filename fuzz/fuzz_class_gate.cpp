// Class gates (interpreter/src/class_gate.cpp): whatever the pattern's
// syntax, a gate never rules out a value RE2 matches, and its search never
// reads more bytes than the value has. The gate reads patterns itself (RE2
// does not expose its parse), so this target aims at the corners of RE2's
// syntax the parser must refuse or read exactly as RE2 does.
// Input: [u8 flags: bit 0 case folded][pattern]\0[value]. Each input is
// tried on the value, on a match sampled from the pattern, and on that
// sample spelled with RE2's fold partners (U+017F, U+212A).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <re2/re2.h>

#include "chanval/interpreter/ascii.h"
#include "chanval/interpreter/class_gate.h"
#include "chanval/interpreter/profile.h"
#include "chanval/interpreter/regex_pool.h"
#include "chanval/validator/regex_sample.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chanval;
  if (size < 2) return 0;
  const bool fold = data[0] & 1u;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::size_t nul = rest.find('\0');
  const std::string_view pattern = rest.substr(0, nul);
  const std::string_view value = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
  static const interp::Budgets budgets;
  const RE2 re(re2::StringPiece(pattern.data(), pattern.size()), interp::SensorRegexOptions(budgets, fold));
  if (!re.ok()) return 0;
  const auto gate = interp::ClassGate::For(pattern, fold);
  if (!gate) return 0;
  const std::string sample = SampleRegexMatch(pattern);
  for (const std::string& text : {std::string(value), sample, interp::SpellFoldPartners(sample),
                                  std::string(value) + sample + std::string(value)}) {
    const auto search = gate->Find(text);
    if (search.reads > text.size()) {
      std::fprintf(stderr, "class gate read %zu bytes of %zu\n", search.reads, text.size());
      std::abort();
    }
    if (!search.may_match && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re)) {
      std::fprintf(stderr, "class gate ruled out a match: /%.*s/ fold %d\n", static_cast<int>(pattern.size()),
                   pattern.data(), fold);
      std::abort();
    }
  }
  return 0;
}
