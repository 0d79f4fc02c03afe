// RegexPool::Get and SensorRegexOptions (regex_pool.h): one compilation per
// pattern, options and budget, with the literal atoms the prefilter uses.
// Tests: tests/test_interpreter.cpp (regex cases), every load of content.
#include "chanval/interpreter/regex_pool.h"

#include <re2/filtered_re2.h>

namespace chanval::interp {
namespace {

// Literal atoms RE2 proves necessary for a match (lower-cased, at least
// kMinAtomLength bytes). Empty when the regex has no such atoms, or when an
// atom is not ASCII (the prefilter folds ASCII only).
std::vector<std::string> RegexAtoms(const RE2& re) {
  constexpr int kMinAtomLength = 3;
  re2::FilteredRE2 filter(kMinAtomLength);
  int id = 0;
  if (filter.Add(re.pattern(), re.options(), &id) != RE2::NoError) return {};
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  for (const auto& a : atoms) {
    for (unsigned char ch : a) {
      if (ch >= 0x80) return {};
    }
  }
  return atoms;
}

}  // namespace

RE2::Options SensorRegexOptions(const Budgets& budgets, bool ignore_case) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_max_mem(budgets.regex_max_mem);
  o.set_case_sensitive(!ignore_case);
  o.set_never_capture(true);
  return o;
}

const RegexPool::Entry& RegexPool::Get(std::string_view pattern, bool ignore_case, const Budgets& budgets) {
  auto key = std::make_tuple(std::string(pattern), ignore_case, budgets.regex_max_mem);
  auto it = entries_.find(key);
  if (it != entries_.end()) return it->second;
  Entry e;
  e.re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                     SensorRegexOptions(budgets, ignore_case));
  if (e.re->ok()) e.atoms = RegexAtoms(*e.re);
  return entries_.emplace(std::move(key), std::move(e)).first->second;
}

}  // namespace chanval::interp
