#!/usr/bin/env bash
# build_corpus.sh CHANVAL MAKE_MALFORMED SOURCE_DIR OUT_DIR
# Builds every JSON example of corpus/ into OUT_DIR, and the malformed set
# into OUT_DIR/malformed. The CLI tests and the fuzz seeds start from here.
set -euo pipefail
chanval=$1; make_malformed=$2; src=$3; out=$4
rm -rf "$out"; mkdir -p "$out/malformed"
for f in "$src"/corpus/content/*.json "$src"/corpus/cf291/*.json; do
  "$chanval" build "$f" -o "$out/$(basename "$f" .json).chan" 2>/dev/null
done
"$make_malformed" "$out/malformed"
echo "built $(ls "$out"/*.chan | wc -l) channel files and $(ls "$out"/malformed | wc -l) malformed ones in $out"
