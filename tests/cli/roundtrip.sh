#!/usr/bin/env bash
# roundtrip.sh CHANVAL DIR: build → dump → build is byte-identical for every file.
set -euo pipefail
chanval=$1; dir=$2; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
for f in "$dir"/*.chan; do
  "$chanval" dump "$f" > "$tmp/src.json"
  "$chanval" build "$tmp/src.json" -o "$tmp/again.chan" 2>/dev/null
  cmp "$f" "$tmp/again.chan"
  n=$((n + 1))
done
[ "$n" -ge 8 ] || { echo "only $n files"; exit 1; }
echo "$n files round-trip byte-identically"
