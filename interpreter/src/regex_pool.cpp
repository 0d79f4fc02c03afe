// RegexPool::Get and SensorRegexOptions (regex_pool.h): one compilation per
// pattern, options and budget, with the literal atoms the prefilter uses.
// Tests: tests/test_interpreter.cpp (regex cases), every load of content.
#include "chanval/interpreter/regex_pool.h"

#include <algorithm>

#include <re2/filtered_re2.h>

namespace chanval::interp {
namespace {

constexpr int kMinAtomLength = 3;
// Of a regex's many short atoms that must all be present, the likely
// rarest few are searched for: the rest would seldom rule anything out.
constexpr std::size_t kMaxNeededAtoms = 3;

bool IsLowerLetter(char c) { return c >= 'a' && c <= 'z'; }

// The truth table of `filter`'s prefilter (holding one regex) over the
// subsets of `atoms`, with the atoms at `assumed` (indices into `atoms`)
// taken as present in every subset.
std::uint64_t TruthTable(re2::FilteredRE2& filter, const std::vector<int>& atoms, const std::vector<int>& assumed) {
  std::uint64_t table = 0;
  std::vector<int> present, passing;
  for (std::uint32_t subset = 0; subset < (1u << atoms.size()); ++subset) {
    present = assumed;
    for (std::uint32_t i = 0; i < atoms.size(); ++i) {
      if ((subset >> i) & 1u) present.push_back(atoms[i]);
    }
    filter.AllPotentials(present, &passing);
    if (!passing.empty()) table |= std::uint64_t{1} << subset;
  }
  return table;
}

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
    std::vector<int> all(atoms.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    e.atom_table = TruthTable(filter, all, {});
  }
  e.atoms = std::move(atoms);
}

// Atoms of any length for a regex with none of kMinAtomLength: the 1- and
// 2-byte atoms RE2 finds (a backquote, "${") rule out most values such a
// regex is run on. An atom holding s or k is taken as present, since U+017F
// and U+212A fold to those letters (ascii.h); so the prefilter stays sound
// whatever the value. Above kMaxTabledAtoms atoms, only those RE2 cannot
// pass without (each alone missing fails the prefilter: its tree is
// monotone) are kept, at most kMaxNeededAtoms, and all must be present.
// Costs one more compilation, within the regex's DFA reserve (the kept RE2
// has no DFA state yet), for regexes without long atoms only.
void ShortAtomsOf(re2::StringPiece pattern, const RE2::Options& options, RegexPool::Entry& e) {
  re2::FilteredRE2 filter(1);
  int id = 0;
  if (filter.Add(pattern, options, &id) != RE2::NoError) return;
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  std::vector<int> kept, assumed;
  for (int i = 0; i < static_cast<int>(atoms.size()); ++i) {
    bool folds_to_letter = false;
    for (unsigned char ch : atoms[i]) {
      if (ch >= 0x80) return;
      folds_to_letter = folds_to_letter || ch == 's' || ch == 'k';
    }
    (folds_to_letter ? assumed : kept).push_back(i);
  }
  // Likely rarest first (longer, then not a letter): the evaluator stops at
  // the first absent atom the prefilter cannot pass without.
  const auto rarer = [&](int a, int b) {
    const auto letters = [&](int i) { return std::count_if(atoms[i].begin(), atoms[i].end(), IsLowerLetter); };
    if (atoms[a].size() != atoms[b].size()) return atoms[a].size() > atoms[b].size();
    return letters(a) < letters(b);
  };
  std::stable_sort(kept.begin(), kept.end(), rarer);
  std::uint64_t table = 0;
  if (kept.size() <= RegexPool::kMaxTabledAtoms) {
    table = TruthTable(filter, kept, assumed);
  } else {
    std::vector<int> needed, others, passing;
    for (int i : kept) {
      others = assumed;
      for (int j : kept) {
        if (j != i) others.push_back(j);
      }
      filter.AllPotentials(others, &passing);
      if (passing.empty()) needed.push_back(i);
    }
    if (needed.size() > kMaxNeededAtoms) needed.resize(kMaxNeededAtoms);  // `kept`'s order: the rarest
    kept = std::move(needed);
    table = std::uint64_t{1} << ((1u << kept.size()) - 1);  // all of them present
  }
  if (kept.empty() || (table & 1u)) return;  // passes with no atom present: never rules out
  e.short_atom_table = table;
  for (int i : kept) e.short_atoms.push_back(std::move(atoms[i]));
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
    if (e.atoms.empty()) ShortAtomsOf(text, options, e);
    if (e.atoms.empty()) {
      if (auto gate = ClassGate::For(pattern, ignore_case)) e.class_gate = std::make_shared<const ClassGate>(*gate);
    }
  } else {
    e.re = std::make_shared<const RE2>(text, options);  // not ok: kept for its error
  }
  return entries_.emplace(std::move(key), std::move(e)).first->second;
}

}  // namespace chanval::interp
