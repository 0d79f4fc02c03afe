#!/usr/bin/env bash
# OSS-Fuzz / ClusterFuzzLite build: uses $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE and writes the targets, <target>_seed_corpus.zip,
# <target>.dict and <target>.options to $OUT. Works locally with the
# variables set by hand (fuzz/README.md).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
: "${CXX:?}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
. "$src/fuzz/targets.sh"
work=${WORK:-$(mktemp -d)}
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION" \
  -DCHANVAL_FUZZ=ON -DCHANVAL_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DCHANVAL_BENCH=OFF -DCHANVAL_TESTS=OFF
cmake --build "$work/build" --target $FUZZ_TARGETS fuzz_seeds
mkdir -p "$OUT"
for t in $FUZZ_TARGETS; do
  cp "$work/build/fuzz/$t" "$OUT/$t"
  cp "$src/fuzz/$(dict_of "$t")" "$OUT/$t.dict"
  cp "$src/fuzz/$t.options" "$OUT/$t.options"
  seeds="$work/build/fuzz-seeds/$(seeds_of "$t")"
  regressions="$src/corpus/regressions/$t"
  rm -f "$OUT/${t}_seed_corpus.zip"
  (cd "$seeds" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    (cd "$regressions" && zip -q -j "$OUT/${t}_seed_corpus.zip" ./*)
  fi
done
echo "built $(echo $FUZZ_TARGETS | wc -w) targets into $OUT"
