#!/usr/bin/env bash
# Builds everything and runs every test: the release build's ctest suite,
# the same suite under ASan+UBSan, and a short libFuzzer smoke run of every
# fuzz target. Installs what it needs first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
jobs=$(nproc)

echo "== release build + ctest"
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs"

echo "== ASan+UBSan build + ctest"
cmake --preset asan >/dev/null
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs"

if [ -x fuzz/run.sh ]; then
  echo "== fuzz smoke (libFuzzer, ASan+UBSan)"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j "$jobs"
  FUZZ_SECONDS=${FUZZ_SECONDS:-5} bash fuzz/run.sh --smoke
fi
