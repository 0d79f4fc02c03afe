#!/usr/bin/env bash
# Runs every fuzz target of the `fuzz` preset for a while and reports.
#   fuzz/run.sh --smoke            FUZZ_SECONDS (default 5) per target, one core: CI
#   fuzz/run.sh [SECONDS] [JOBS]   longer runs, -fork=JOBS (default: all cores)
# Each target starts from its generated seeds, corpus/regressions/<target>/,
# the merged corpus corpus/fuzz/<target>/ of its last long run, and its
# working corpus build/fuzz-corpus/<target>/, into which new coverage
# is merged. Prints exec/s, coverage and findings per target; exits 1 if any
# target found a crash, leak, timeout or oracle violation (artifacts in
# build/fuzz-artifacts/<target>/).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/fuzz/targets.sh"
bin=${FUZZ_BUILD:-$root/build/fuzz}
if [ "${1:-}" = "--smoke" ]; then
  seconds=${FUZZ_SECONDS:-5}; jobs=1
else
  seconds=${1:-60}; jobs=${2:-$(nproc)}
fi
only=${FUZZ_ONLY:-$FUZZ_TARGETS}
found=0; passed=0; failed=0
printf '%-18s %8s %10s %8s %6s %s\n' target seconds exec/s cov ft findings
for t in $only; do
  exe="$bin/fuzz/$t"
  [ -x "$exe" ] || { echo "missing $exe: run 'cmake --build --preset fuzz' first"; exit 2; }
  corpus="$root/build/fuzz-corpus/$t"; art="$root/build/fuzz-artifacts/$t"; log="$root/build/fuzz-logs/$t.log"
  mkdir -p "$corpus" "$art" "$(dirname "$log")"
  dirs=("$corpus" "$bin/fuzz-seeds/$(seeds_of "$t")")
  [ -d "$root/corpus/regressions/$t" ] && dirs+=("$root/corpus/regressions/$t")
  # The merged corpus of the last long run: replayed here under the fuzz
  # build, where the digest check is compiled out, so its byte-level inputs
  # reach past the digest (the release and ASan replays stop most at it).
  [ -d "$root/corpus/fuzz/$t" ] && dirs+=("$root/corpus/fuzz/$t")
  flags=(-max_total_time="$seconds" -dict="$root/fuzz/$(dict_of "$t")" -artifact_prefix="$art/"
         -print_final_stats=1 -timeout=25 -rss_limit_mb=2560)
  len=$(sed -n 's/^max_len = //p' "$root/fuzz/$t.options"); [ -n "$len" ] && flags+=(-max_len="$len")
  [ "$jobs" -gt 1 ] && flags+=(-fork="$jobs" -ignore_crashes=0)
  "$exe" "${flags[@]}" "${dirs[@]}" > "$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  findings=$(ls -A "$art" | wc -l)
  if [ $rc != 0 ] || [ "$findings" != 0 ]; then
    found=1; failed=$((failed + 1))
    echo "FINDING in $t (exit $rc): $(ls "$art" | head -3)"; grep -E "ERROR|SOUNDNESS|DIFFERENTIAL|LAYERS|Assertion" "$log" | head -5
  fi
  [ $rc = 0 ] && [ "$findings" = 0 ] && passed=$((passed + 1))
  printf '%-18s %8s %10s %8s %6s %s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$findings"
  # New inputs were added to the working corpus as found; minimise it.
  if [ "${1:-}" != "--smoke" ] && [ $rc = 0 ]; then
    rm -rf "$corpus.min"; mkdir -p "$corpus.min"
    "$exe" -merge=1 ${len:+-max_len=$len} "$corpus.min" "$corpus" >> "$log" 2>&1 && rm -rf "$corpus" && mv "$corpus.min" "$corpus"
  fi
done
echo "fuzz: $passed passed, $failed failed"
exit $found
