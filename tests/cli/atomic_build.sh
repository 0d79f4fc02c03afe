#!/usr/bin/env bash
# atomic_build.sh CHANVAL SOURCE_DIR: a failed build leaves the previous
# output untouched and no temporary file behind.
set -uo pipefail
chanval=$1; src=$2; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$chanval" build "$src/corpus/content/pipe_created.json" -o "$tmp/out.chan" 2>/dev/null || exit 1
before=$(sha256sum < "$tmp/out.chan")
printf '{\n  "channel": 1,\n  "instances": [ {"id": "x"} ]\n}\n' > "$tmp/bad.json"
out=$("$chanval" build "$tmp/bad.json" -o "$tmp/out.chan" 2>&1); rc=$?
[ $rc = 1 ] || { echo "FAIL: exit $rc"; exit 1; }
grep -q "line 3" <<<"$out" || { echo "FAIL: no line number: $out"; exit 1; }
[ "$(sha256sum < "$tmp/out.chan")" = "$before" ] || { echo "FAIL: output changed"; exit 1; }
[ "$(ls -A "$tmp" | wc -l)" = 2 ] || { echo "FAIL: stray files: $(ls -A "$tmp")"; exit 1; }
"$chanval" build "$tmp/bad.json" -o "$tmp/never.chan" 2>/dev/null
[ ! -e "$tmp/never.chan" ] || { echo "FAIL: wrote a file on error"; exit 1; }
echo "failed builds write nothing"
