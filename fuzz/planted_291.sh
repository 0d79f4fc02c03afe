#!/usr/bin/env bash
# Time-to-find for the planted channel-file-291 bug (Magma style): a build of
# the gate without its supplied-count check and without the execution step
# (tests/planted/validator_2024.cpp linked in place of those two seams), fuzzed from the generated seeds only (which do
# not contain the reproduction). Prints seconds to the first finding per
# run, and the median.
#   fuzz/planted_291.sh [RUNS=3] [LIMIT_SECONDS=300]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}; limit=${2:-300}
bin=$root/build/fuzz-planted
if [ ! -x "$bin/fuzz/fuzz_structured" ]; then
  cmake --preset fuzz -B "$bin" -DCHANVAL_PLANTED_SOURCE="$root/tests/planted/validator_2024.cpp" -DCHANVAL_TESTS=OFF >/dev/null
  cmake --build "$bin" --target fuzz_soundness fuzz_structured fuzz_seeds >/dev/null
fi
for t in fuzz_soundness fuzz_structured; do
  times=()
  for r in $(seq 1 "$runs"); do
    work=$(mktemp -d); mkdir -p "$work/corpus" "$work/art"
    start=$(date +%s.%N)
    "$bin/fuzz/$t" -seed="$r" -max_total_time="$limit" -max_len=16384 -artifact_prefix="$work/art/" \
      -dict="$root/fuzz/channel.dict" "$work/corpus" "$bin/fuzz-seeds/${t#fuzz_}" > "$work/log" 2>&1
    end=$(date +%s.%N)
    if ls "$work/art" | grep -q crash && grep -q SOUNDNESS "$work/log"; then
      s=$(echo "$end - $start" | bc); times+=("$s")
      echo "$t run $r: found in ${s}s: $(grep -m1 SOUNDNESS "$work/log")"
    else
      times+=("$limit+"); echo "$t run $r: not found within ${limit}s"
    fi
    rm -rf "$work"
  done
  printf '%s median: %s s\n' "$t" "$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (runs + 1) / 2 ))p")"
done
