#!/usr/bin/env bash
# event_memory.sh CHANVAL MAX_RSS BUILT_DIR: `run` and `check --events` stream
# events in constant memory: 10^6 events, a 3 GiB sparse file (one line of
# NULs) and lines of unclosed brackets each stay within 64 MiB of the same
# command on an empty events file. Not under sanitizers (their runtimes own
# the resident size).
set -uo pipefail
cv=$1; max_rss=$2; built=$3; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
chan=$built/process_creation.chan
limit_kb=$((64 * 1024))

: >"$tmp/empty.jsonl"
yes '{"EventID": 1, "Image": "C:\\Windows\\System32\\cmd.exe", "CommandLine": "cmd.exe /c whoami", "User": "CORP\\a"}' \
  | head -n 1000000 >"$tmp/million.jsonl"
truncate -s 3G "$tmp/sparse.jsonl"
# The reader's worst case per byte: brackets that never close, each one
# recorded until the walk passes it (8 MiB on one line, then 4 lines of
# just under kMaxEventBytes each).
{ printf '{"EventID": 1, "a": '; head -c $((8 << 20)) /dev/zero | tr '\0' '['; printf '\n{"EventID": 1}\n'
  for _ in 1 2 3 4; do printf '{'; head -c $(((1 << 20) - 16)) /dev/zero | tr '\0' '['; printf '\n'; done
} >"$tmp/brackets.jsonl"

rss() {  # prints the peak RSS in KiB of: chanval ARGS...
  "$max_rss" "$cv" "$@" 2>&1 >/dev/null | sed -n 's/^max_rss_kb //p' | tail -1
}
for cmd in run check; do
  if [ $cmd = run ]; then args=("run" "-q" "$chan" "--events"); else args=("check" "$chan" "--events"); fi
  base=$(rss "${args[@]}" "$tmp/empty.jsonl")
  for f in million sparse brackets; do
    got=$(rss "${args[@]}" "$tmp/$f.jsonl")
    echo "$cmd $f: peak ${got} KiB, empty events ${base} KiB"
    if [ -z "$got" ] || [ -z "$base" ] || [ $((got - base)) -gt $limit_kb ]; then
      echo "FAIL: $cmd on $f.jsonl grew by more than $limit_kb KiB"; fail=1
    fi
  done
done
out=$("$cv" run -q "$chan" --events "$tmp/million.jsonl" 2>&1)
grep -q "summary: 1000000 events (0 bad" <<<"$out" || { echo "FAIL: run on a million events: $out"; fail=1; }
exit $fail
