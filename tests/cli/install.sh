#!/usr/bin/env bash
# install.sh BUILD_DIR SOURCE_DIR BUILT_DIR: `cmake --install` lays out bin/,
# share/chanval/fleet and the docs; the installed binary checks a file from
# another folder with no reference to the source or build tree.
set -uo pipefail
build=$1; src=$2; built=$3; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null || { echo "FAIL: cmake --install"; exit 1; }
cv=$tmp/prefix/bin/chanval
[ -x "$cv" ] || bad "no bin/chanval"
ls "$tmp/prefix/share/chanval/fleet"/sensor-7.10.json >/dev/null || bad "no share/chanval/fleet"
grep -q "chanval check --help" "$tmp/prefix/share/doc/chanval/chanval-help.txt" || bad "no --help docs"
# (A sanitizer build names its sources for its reports: not checked there.)
if ! grep -qa "AddressSanitizer" "$cv"; then
  for tree in "$src" "$build"; do
    ! grep -qaF "$tree" "$cv" || bad "the installed binary names $tree"
  done
fi
mkdir "$tmp/work"; cp "$built/pipe_created.chan" "$built/channel-291.chan" "$tmp/work/"
out=$(cd / && env -u CHANVAL_FLEET "$cv" check "$tmp/work/pipe_created.chan" 2>&1) || bad "installed check: $out"
grep -q "PASS .*pipe_created.chan: 2 instances, 4 sensor builds" <<<"$out" || bad "installed check: $out"
out=$(cd / && env -u CHANVAL_FLEET "$cv" check "$tmp/work/channel-291.chan" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "CV104" <<<"$out" || bad "installed check of 291: exit $rc: $out"
# Moved away from its share/: a clear error, not a guess.
cp "$cv" "$tmp/lonely-chanval"
out=$(env -u CHANVAL_FLEET "$tmp/lonely-chanval" check "$tmp/work/pipe_created.chan" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "no fleet: .* is not a folder" <<<"$out" || bad "binary without share/: exit $rc: $out"
out=$(CHANVAL_FLEET="$src/corpus/fleet" "$tmp/lonely-chanval" check "$tmp/work/pipe_created.chan" 2>&1) || bad "CHANVAL_FLEET: $out"
exit $fail
