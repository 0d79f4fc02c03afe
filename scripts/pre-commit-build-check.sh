#!/usr/bin/env bash
# pre-commit-build-check.sh SOURCE.json...: the `chanval-build-check` hook
# (.pre-commit-hooks.yaml). Builds each source into a temporary folder and
# runs `chanval check` on the results; exits non-zero if any source does not
# build or any built file is rejected. Uses $CHANVAL, else chanval on PATH.
set -uo pipefail
cv=${CHANVAL:-chanval}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
built=(); rc=0
for src in "$@"; do
  out="$tmp/$(basename "${src%.json}").chan"
  [ -e "$out" ] && out="$tmp/${#built[@]}-$(basename "${src%.json}").chan"
  if "$cv" build "$src" -o "$out"; then built+=("$out"); else rc=1; fi
done
if ((${#built[@]})); then "$cv" check "${built[@]}" || rc=1; fi
exit $rc
