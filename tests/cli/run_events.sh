#!/usr/bin/env bash
# run_events.sh CHANVAL BUILT_DIR SOURCE_DIR: `chanval run` on each sample
# event file prints exactly the expected matches, with both evaluators.
set -uo pipefail
chanval=$1; built=$2; src=$3; fail=0
for exp in "$src"/corpus/events/expected/*.txt; do
  t=$(basename "$exp" .txt)
  for mode in "" --reference; do
    got=$("$chanval" run "$built/$t.chan" --events "$src/corpus/events/$t.jsonl" $mode 2>/dev/null | grep '^line ')
    if ! diff <(echo "$got") "$exp"; then echo "FAIL: $t $mode"; fail=1; fi
  done
done
exit $fail
