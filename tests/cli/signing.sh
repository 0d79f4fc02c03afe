#!/usr/bin/env bash
# signing.sh CHANVAL BUILT_DIR SOURCE_DIR: keygen, check --sign (only files
# that pass), verify (each failure its own message, exit 1; usage exit 2),
# and run --key refusing a file changed after signing.
set -uo pipefail
cv=$1; built=$2; src=$3; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
expect() {  # NAME EXIT REGEX -- COMMAND...
  local name=$1 want=$2 regex=$3; shift 4
  local out got
  out=$("$@" 2>&1); got=$?
  [ "$got" = "$want" ] && grep -Eq -- "$regex" <<<"$out" || bad "$name: exit $got (want $want): $out"
}
cp "$built/pipe_created.chan" "$built/channel-291.chan" "$tmp/"
f=$tmp/pipe_created.chan

expect keygen 0 "wrote .*key \(secret, mode 0600\)" -- "$cv" keygen -o "$tmp/key"
[ "$(stat -c %a "$tmp/key")" = 600 ] || bad "secret key mode $(stat -c %a "$tmp/key")"
expect keygen_no_overwrite 2 "exists; a key is never overwritten" -- "$cv" keygen -o "$tmp/key"
"$cv" keygen -o "$tmp/other" 2>/dev/null || bad "second keygen"

# Only the file that passes gets a verdict.
expect sign 1 "signed .*pipe_created.chan: .*pipe_created.chan.sig" -- \
  "$cv" check "$f" "$tmp/channel-291.chan" --sign "$tmp/key"
[ -s "$f.sig" ] || bad "no signature for the passing file"
[ ! -e "$tmp/channel-291.chan.sig" ] || bad "a rejected file was signed"
expect sign_bad_key 2 "is not a chanval secret key" -- "$cv" check "$f" --sign "$tmp/key.pub"

expect verify_ok 0 "^OK .*verdict pass by chanval .* for sensor builds 7.9 7.10 7.11 7.12" -- "$cv" verify "$f" --key "$tmp/key.pub"
expect verify_fleet_ok 0 "^OK" -- "$cv" verify "$f" --key "$tmp/key.pub" --fleet "$src/corpus/fleet"
expect verify_other_fleet 1 "made against another fleet.*fleet-mismatch" -- \
  "$cv" verify "$f" --key "$tmp/key.pub" --fleet "$src/corpus/fleet" --no-current-build
expect verify_wrong_key 1 "not among the trusted keys \(untrusted-key\)" -- "$cv" verify "$f" --key "$tmp/other.pub"
expect verify_two_keys 0 "^OK" -- "$cv" verify "$f" --key "$tmp/other.pub" --key "$tmp/key.pub"
expect verify_missing 1 "no signature: .*does not exist or is empty \(missing-signature\)" -- "$cv" verify "$tmp/channel-291.chan" --key "$tmp/key.pub"
cp "$f" "$tmp/copy.chan"; head -c 200 "$f.sig" >"$tmp/copy.chan.sig"
expect verify_truncated 1 "is not a chanval verdict .*\(malformed-signature\)" -- "$cv" verify "$tmp/copy.chan" --key "$tmp/key.pub"
head -c 10000 /dev/zero | tr '\0' a >"$tmp/copy.chan.sig"
expect verify_oversized 1 "is not a chanval verdict .*\(malformed-signature\)" -- "$cv" verify "$tmp/copy.chan" --key "$tmp/key.pub"
sed 's/^verdict: pass/verdict: pasS/' "$f.sig" >"$tmp/copy.chan.sig"
expect verify_altered 1 "was altered \(bad-signature\)" -- "$cv" verify "$tmp/copy.chan" --key "$tmp/key.pub"
cp "$f.sig" "$tmp/channel-291.chan.sig"
expect verify_other_file 1 "verdict is for other bytes.*\(file-mismatch\)" -- "$cv" verify "$tmp/channel-291.chan" --key "$tmp/key.pub"
expect verify_no_key 2 "key is required" -- "$cv" verify "$f"
expect verify_bad_key_file 2 "is not a chanval public key" -- "$cv" verify "$f" --key "$tmp/key"

# One byte flipped after signing: the sensor side refuses before parsing.
expect run_signed 0 "summary: " -- "$cv" run "$f" --key "$tmp/key.pub" --events "$src/corpus/events/pipe_created.jsonl"
printf '\x01' | dd of="$tmp/copy.chan" bs=1 seek=300 conv=notrunc 2>/dev/null
cp "$f.sig" "$tmp/copy.chan.sig"
expect run_flipped 1 "the sensor refuses .*copy.chan: file-mismatch .*nothing was parsed" -- \
  "$cv" run "$tmp/copy.chan" --key "$tmp/key.pub" --events "$src/corpus/events/pipe_created.jsonl"
expect verify_flipped 1 "file-mismatch" -- "$cv" verify "$tmp/copy.chan" --key "$tmp/key.pub"
cp "$built/channel-291.chan" "$tmp/unsigned.chan"
expect run_unsigned 1 "missing-signature" -- "$cv" run "$tmp/unsigned.chan" --key "$tmp/other.pub" --events "$src/corpus/events/pipe_created.jsonl"
exit $fail
