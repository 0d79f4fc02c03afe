#!/usr/bin/env bash
# OSS-Fuzz / ClusterFuzzLite build: uses $CC $CXX $CFLAGS $CXXFLAGS
# $LIB_FUZZING_ENGINE and writes the targets, <target>_seed_corpus.zip,
# <target>.dict and <target>.options to $OUT. Works locally with the
# variables set by hand (fuzz/README.md).
#
# With $CHANVAL_DEPS_SOURCES (the Dockerfile sets it), the libraries are
# first built from those sources with the same flags (fuzz/build_deps.sh)
# and only they are used: no distribution package is linked, so the build
# holds under -stdlib=libc++. Without it, the installed packages are used.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
: "${CC:=cc}" "${CXX:?}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
. "$src/fuzz/targets.sh"
work=${WORK:-$(mktemp -d)}
deps_options=()
if [ -n "${CHANVAL_DEPS_SOURCES:-}" ]; then
  deps=$work/deps
  CC=$CC CXX=$CXX CFLAGS=$CFLAGS CXXFLAGS=$CXXFLAGS "$src/fuzz/build_deps.sh" "$CHANVAL_DEPS_SOURCES" "$deps"
  export PKG_CONFIG_LIBDIR=$deps/lib/pkgconfig  # only the prefix's .pc files
  # SHA-256 from libsodium: OpenSSL is not among the libraries built here,
  # and the digest's speed does not matter to a fuzz target.
  deps_options=(-DCMAKE_PREFIX_PATH="$deps" "-DCMAKE_IGNORE_PREFIX_PATH=/usr;/usr/local" -DCHANVAL_SHA256=sodium
                -DPKG_CONFIG_EXECUTABLE="$(command -v pkg-config)" -DCMAKE_FIND_PACKAGE_PREFER_CONFIG=ON)
fi
cmake -S "$src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION" \
  -DCHANVAL_FUZZ=ON -DCHANVAL_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DCHANVAL_BENCH=OFF -DCHANVAL_TESTS=OFF \
  -DCHANVAL_CLI=OFF "${deps_options[@]}"
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
