#!/usr/bin/env bash
# Line and branch coverage of interpreter/, validator/ and sigma/ from the test suite
# plus the fuzz seeds, regressions and (if present) the working corpora in
# build/fuzz-corpus/. Builds the `coverage` preset (clang source-based).
#   fuzz/coverage.sh            prints the llvm-cov report
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
b=build/coverage
cmake --preset coverage >/dev/null
cmake --build --preset coverage >/dev/null
rm -rf "$b/profiles"; mkdir -p "$b/profiles"
export LLVM_PROFILE_FILE="$root/$b/profiles/%p-%m.profraw"
# cli.install checks that an installed binary names no build path; a
# coverage build's mapping names every source file, so it is left out here.
ctest --test-dir "$b" -j "$(nproc)" -E '^cli\.install$' >/dev/null
. fuzz/targets.sh  # the one list of targets
for t in $FUZZ_TARGETS; do
  [ -d "build/fuzz-corpus/$t" ] && "$b/fuzz/$t" "build/fuzz-corpus/$t" >/dev/null 2>&1 || true
done
llvm-profdata-14 merge -sparse "$b"/profiles/*.profraw -o "$b/all.profdata"
objects=()
for exe in "$b"/tests/chanval_tests "$b"/cli/chanval "$b"/fuzz/fuzz_*; do objects+=(-object "$exe"); done
llvm-cov-14 report -instr-profile="$b/all.profdata" "${objects[@]:1}" \
  -ignore-filename-regex='(_generated\.h|/usr/|tests/|fuzz/|cli/|bench/)' \
  "$root/interpreter" "$root/validator" "$root/sigma"
