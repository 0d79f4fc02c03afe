#!/usr/bin/env bash
# The main job on the bundled default: build the bundled release of channel
# files from their JSON sources and gate it with `chanval check` against the
# bundled fleet of sensor manifests. The release carries the channel-file-291
# reproduction, so the gate rejects it: exit status 1 means "release blocked".
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target chanval >/dev/null
chanval=build/release/cli/chanval
out=build/release-files
rm -rf "$out"; mkdir -p "$out"
echo "== building the bundled release (corpus/content/*.json, corpus/cf291/channel-291.json)"
for src in corpus/content/*.json corpus/cf291/channel-291.json; do
  "$chanval" build "$src" -o "$out/$(basename "$src" .json).chan"
done
echo
echo "== chanval check $out/*.chan   (fleet: corpus/fleet + the current build)"
set +e
"$chanval" check "$out"/*.chan
status=$?
set -e
echo
echo "== chanval diff: the review of channel 291 against the release before it (User was a wildcard)"
"$chanval" diff corpus/cf291/channel-291-wildcard.json corpus/cf291/channel-291.json
echo
case $status in
  0) echo "release PASSED the gate (exit 0)";;
  1) echo "release BLOCKED by the gate (exit 1): see the rejected file above";;
  *) echo "gate could not run (exit $status)";;
esac
exit $status
