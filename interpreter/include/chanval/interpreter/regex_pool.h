// Compiled regexes shared between loads: the same pattern under the same
// options and memory budget compiles to the same immutable RE2 object, so a
// validator that loads one file for several sensor builds compiles (and warms
// the DFA of) each regex once. RE2 objects are thread-safe to match with;
// the pool itself is not thread-safe: one per thread.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <re2/re2.h>

#include "chanval/interpreter/class_gate.h"
#include "chanval/interpreter/profile.h"

namespace chanval::interp {

// The RE2 options every sensor build compiles content regexes with.
RE2::Options SensorRegexOptions(const Budgets& budgets, bool ignore_case);

class RegexPool {
 public:
  // Up to this many atoms, RE2's whole prefilter (an AND/OR tree over the
  // atoms) is kept as a truth table; above it, "some atom occurs" (which
  // the tree implies) is the test.
  static constexpr std::size_t kMaxTabledAtoms = 6;
  struct Entry {
    std::shared_ptr<const RE2> re;   // check re->ok()
    std::vector<std::string> atoms;  // prefilter atoms (see content.cpp), empty if none
    // Bit s set when the atoms present as s's bits (bit i: atoms[i]) pass
    // RE2's prefilter; only when atoms.size() <= kMaxTabledAtoms.
    std::uint64_t atom_table = 0;
    // Only when `atoms` is empty: RE2's prefilter with atoms of any length
    // (at most kMaxTabledAtoms, lower-cased ASCII, none holding s or k), too
    // short for the automaton and searched for in the value itself, and its
    // truth table as above. Empty when it could never rule the regex out.
    std::vector<std::string> short_atoms;
    std::uint64_t short_atom_table = 0;
    // Only when `atoms` is empty: a run of byte classes every match holds
    // (class_gate.h), if the pattern has one worth a search.
    std::shared_ptr<const ClassGate> class_gate;
  };
  const Entry& Get(std::string_view pattern, bool ignore_case, const Budgets& budgets);
  std::size_t size() const { return entries_.size(); }
  // Forgets every entry (content already loaded keeps its regexes alive).
  void Clear() { entries_.clear(); }

 private:
  std::map<std::tuple<std::string, bool, std::uint32_t>, Entry> entries_;
};

}  // namespace chanval::interp
