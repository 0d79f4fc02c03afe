#!/usr/bin/env bash
# malformed.sh CHANVAL DIR: each malformed file is rejected (exit 1) by check,
# inspect and dump, with the code its name carries (<case>.CVnnn.chan).
set -uo pipefail
chanval=$1; dir=$2; fail=0; n=0
for f in "$dir"/*.chan; do
  code=$(basename "$f" .chan); code=${code##*.}
  for cmd in check inspect dump; do
    out=$("$chanval" $cmd "$f" 2>&1); rc=$?
    if [ $rc != 1 ] || ! grep -q "$code" <<<"$out"; then
      echo "FAIL: chanval $cmd $f: exit $rc, expected 1 with $code"; echo "$out"; fail=1
    fi
  done
  n=$((n + 1))
done
[ "$n" -ge 25 ] || { echo "only $n malformed files"; fail=1; }
[ $fail = 0 ] && echo "$n malformed files rejected with their codes"
exit $fail
