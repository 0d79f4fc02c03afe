#!/usr/bin/env bash
# special_files.sh CHANVAL BUILT_DIR SOURCE_DIR: FIFOs and devices never hang
# a command or get replaced by an output; standard output errors exit 2;
# `--events -` streams.
set -uo pipefail
cv=$1; built=$2; src=$3; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
events=$src/corpus/events/process_creation.jsonl
chan=$built/process_creation.chan

# expect NAME EXIT REGEX -- COMMAND...: within 20 s (a FIFO hung forever).
expect() {
  local name=$1 want=$2 regex=$3; shift 4
  local out got
  out=$(timeout 20 "$@" 2>&1 </dev/null); got=$?
  if [ "$got" != "$want" ] || ! grep -Eq -- "$regex" <<<"$out"; then
    printf 'FAIL %s: exit %s (want %s), output:\n%s\n' "$name" "$got" "$want" "$out"; fail=1
  fi
}

mkfifo "$tmp/fifo"
expect dump_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" dump "$tmp/fifo"
expect inspect_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" inspect "$tmp/fifo"
expect check_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" check "$tmp/fifo"
expect run_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" run "$tmp/fifo" --events "$events"
expect build_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" build "$tmp/fifo" -o "$tmp/out.chan"
expect run_events_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" run "$chan" --events "$tmp/fifo"
expect check_events_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" check "$chan" --events "$tmp/fifo"
expect run_events_device 2 "not a regular file \(a character device\)" -- "$cv" run "$chan" --events /dev/zero
mkdir "$tmp/fleet"; cp "$src"/corpus/fleet/*.json "$tmp/fleet/"; mkfifo "$tmp/fleet/sensor-9.9.json"
expect fleet_fifo 2 "CV301.*sensor-9.9.json.*a FIFO" -- "$cv" check --fleet "$tmp/fleet" "$chan"
expect import_fifo 2 "not a regular file \(a FIFO\)" -- "$cv" import-sigma "$tmp/fifo"
expect import_device 2 "not a regular file \(a character device\)" -- "$cv" import-sigma /dev/zero

# -o onto a device node or a FIFO writes in place and leaves the node.
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  for cmd in "check $chan -o $tmp/null" "manifest -o $tmp/null"; do
    $cv $cmd >/dev/null 2>&1
    [ -c "$tmp/null" ] || { echo "FAIL: chanval $cmd replaced the character device"; fail=1; }
  done
  "$cv" build "$src/corpus/content/pipe_created.json" -o "$tmp/null" >/dev/null 2>&1
  [ -c "$tmp/null" ] || { echo "FAIL: build -o replaced the character device"; fail=1; }
else
  echo "note: mknod not permitted here; the device test runs against a symlink to /dev/null only"
fi
ln -s /dev/null "$tmp/null-link"
"$cv" manifest -o "$tmp/null-link" || { echo "FAIL: manifest -o onto a symlink to /dev/null"; fail=1; }
[ -L "$tmp/null-link" ] || { echo "FAIL: manifest -o replaced a symlink"; fail=1; }
[ -c /dev/null ] || { echo "FAIL: /dev/null is no longer a device"; fail=1; }
expect fifo_no_reader 2 "no process reads the FIFO" -- "$cv" manifest -o "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" & reader=$!
sleep 0.2
"$cv" manifest -o "$tmp/fifo" || { echo "FAIL: manifest -o onto a FIFO with a reader"; fail=1; }
wait $reader
grep -q '"minor": 12' "$tmp/from-fifo" || { echo "FAIL: the FIFO's reader got no manifest"; fail=1; }
[ -p "$tmp/fifo" ] || { echo "FAIL: manifest -o replaced the FIFO"; fail=1; }
ln -s "$tmp/missing" "$tmp/dangling2"
expect dangling_symlink_refused 2 "symlink to a missing target" -- "$cv" manifest -o "$tmp/dangling2"
[ -L "$tmp/dangling2" ] && [ ! -e "$tmp/missing" ] || { echo "FAIL: a dangling symlink was written through"; fail=1; }
expect folder_output 2 "will not write onto a folder" -- "$cv" manifest -o "$tmp/fleet"

# Standard output that cannot be written: exit 2 with a message, every command.
for cmd in "manifest" "inspect $chan" "dump $chan" "check $chan" "run $chan --events $events" \
           "import-sigma $src/corpus/sigma/encoded_powershell.yml -o -"; do
  out=$($cv $cmd 2>&1 >/dev/full); got=$?
  if [ "$got" != 2 ] || ! grep -q "cannot write standard output" <<<"$out"; then
    printf 'FAIL: chanval %s > /dev/full: exit %s, output:\n%s\n' "$cmd" "$got" "$out"; fail=1
  fi
done

# --events - reads standard input as a stream, for run and check.
out=$("$cv" run "$chan" --events - <"$events" 2>&1)
grep -q "summary: 13 events" <<<"$out" || { printf 'FAIL: run --events -:\n%s\n' "$out"; fail=1; }
diff <("$cv" run "$chan" --events - <"$events" 2>&1) <("$cv" run "$chan" --events "$events" 2>&1 | sed "s|$events|standard input|") \
  | grep -v throughput | grep -q '^[<>]' && { echo "FAIL: run --events - differs from the file"; fail=1; }
out=$("$cv" check "$chan" --events - <"$events" 2>&1); got=$?
[ "$got" = 0 ] && grep -q "standard input:7: skipped bad event" <<<"$out" || { printf 'FAIL: check --events -:\n%s\n' "$out"; fail=1; }
# A pipe that stays open: the first match is printed before the writer ends.
{ head -1 "$events"; sleep 3; } | timeout 20 "$cv" run "$chan" --events - >"$tmp/live" 2>&1 &
sleep 1.5
grep -q "^line 1: match" "$tmp/live" || { echo "FAIL: run --events - held the first match until the pipe closed"; fail=1; }
wait

exit $fail
