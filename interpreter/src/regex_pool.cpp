// RegexPool::Get and SensorRegexOptions (regex_pool.h): one compilation per
// pattern, options and budget, with the literal atoms the prefilter uses.
// Tests: tests/test_interpreter.cpp (regex cases), every load of content.
#include "chanval/interpreter/regex_pool.h"

#include <re2/filtered_re2.h>

namespace chanval::interp {
namespace {

constexpr int kMinAtomLength = 3;

// Literal atoms RE2 proves necessary for a match (lower-cased, at least
// kMinAtomLength bytes), and for few atoms the truth table of RE2's own
// prefilter over them, asked of `filter` (holding just this regex) for every
// subset once here. No atoms when the regex has none, or when an atom is not
// ASCII (the prefilter folds ASCII only).
void PrefilterOf(re2::FilteredRE2& filter, RegexPool::Entry& e) {
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  for (const auto& a : atoms) {
    for (unsigned char ch : a) {
      if (ch >= 0x80) return;
    }
  }
  if (atoms.size() <= RegexPool::kMaxTabledAtoms) {
    std::vector<int> present, passing;
    for (std::uint32_t subset = 0; subset < (1u << atoms.size()); ++subset) {
      present.clear();
      for (std::uint32_t i = 0; i < atoms.size(); ++i) {
        if ((subset >> i) & 1u) present.push_back(static_cast<int>(i));
      }
      filter.AllPotentials(present, &passing);
      if (!passing.empty()) e.atom_table |= std::uint64_t{1} << subset;
    }
  }
  e.atoms = std::move(atoms);
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
  // FilteredRE2 compiles the regex itself, and its prefilter reads that
  // compilation, so the matching RE2 is the filter's own (aliased, the filter
  // kept alive with it): compiling once halves the load's regex work.
  const re2::StringPiece text(pattern.data(), pattern.size());
  const auto options = SensorRegexOptions(budgets, ignore_case);
  auto filter = std::make_shared<re2::FilteredRE2>(kMinAtomLength);
  int id = 0;
  if (filter->Add(text, options, &id) == RE2::NoError) {
    e.re = std::shared_ptr<const RE2>(filter, &filter->GetRE2(id));
    PrefilterOf(*filter, e);
  } else {
    e.re = std::make_shared<const RE2>(text, options);  // not ok: kept for its error
  }
  return entries_.emplace(std::move(key), std::move(e)).first->second;
}

}  // namespace chanval::interp
