#!/usr/bin/env bash
# adversarial.sh CHANVAL MAKE_ADVERSARIAL SOURCE_DIR OUT_DIR: issue 10's
# adversarial content through the real CLI. Each shape is built and gated
# with the bundled fleet and must get its verdict and code; what passes must
# run without a fault; the committed small sources must equal the generator's.
set -uo pipefail
chanval=$1; make_adversarial=$2; src=$3; out=$4; fail=0
rm -rf "$out"; mkdir -p "$out"
"$make_adversarial" "$out" || exit 1
for committed in "$src"/corpus/adversarial/*.json; do
  if ! cmp -s "$committed" "$out/$(basename "$committed")"; then
    echo "FAIL: $committed differs from make_adversarial's output"; fail=1
  fi
done
while read -r name want code; do
  "$chanval" build "$out/$name.json" -o "$out/$name.chan" >/dev/null || { echo "FAIL: build $name"; fail=1; continue; }
  report=$("$chanval" check -v "$out/$name.chan" 2>&1); got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: $name: exit $got, want $want"; echo "$report" | head -5; fail=1; fi
  if [ "$code" != "-" ] && ! grep -q "$code" <<<"$report"; then echo "FAIL: $name: no $code"; fail=1; fi
  # Every build reports the loader's bound and memory figure.
  n=$(grep -c "resources: sensor 7\.1[012]: cost bound [0-9]* of [0-9]* units per event.*memory" <<<"$report")
  if [ "$n" != 3 ]; then echo "FAIL: $name: $n resource lines"; fail=1; fi
done < "$out/expected"

# Finding 1, proven safe by run: every instance's literal in one event, on
# every build in range, no fault (the budget was overrun before the memo).
events="$out/every-literal.jsonl"
line=""; for i in $(seq 0 99); do line+="lit${i}x "; done
printf '{"EventID": 1, "CommandLine": "%s"}\n' "$line" > "$events"
for sensor in 7.10 7.11 7.12; do
  got=$("$chanval" run "$out/repeated-references.chan" --events "$events" --sensor "$sensor" 2>&1) || {
    echo "FAIL: run repeated-references --sensor $sensor"; echo "$got" | tail -3; fail=1; }
  grep -q "FAULT" <<<"$got" && { echo "FAIL: fault on $sensor"; fail=1; }
done

# Issue 12: an IOC on Hashes, found by the sampled scan in any case, as the reference finds it.
printf '{"EventID": 1, "Image": "c:\\\\x\\\\a.exe", "Hashes": "SHA1=00,imphash=3d4392a18bb23c56d311a2d64b6e5ba0"}\n' > "$out/ioc.jsonl"
for mode in "" --reference; do
  got=$("$chanval" run "$out/hash-iocs.chan" --events "$out/ioc.jsonl" $mode 2>&1)
  grep -q "match instance 7300" <<<"$got" || { echo "FAIL: hash IOC not matched ($mode)"; echo "$got"; fail=1; }
done

# Issue 12: SNAKE's regex through its class gate, as the reference (no gate)
# finds it; and the gates' quadratic value (a's, then the byte each run ends
# in), where every gate stops at its reads and RE2 decides: no fault.
sha=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
printf '{"EventID": 1, "CommandLine": "jpsetup.exe %s 0123456789abcdef"}\n' "$sha" > "$out/snake.jsonl"
printf '{"EventID": 1, "CommandLine": "%sz"}\n' "$(printf 'a%.0s' $(seq 1 4000))" >> "$out/snake.jsonl"
for mode in "" --reference; do
  got=$("$chanval" run "$out/class-gates.chan" --events "$out/snake.jsonl" $mode 2>&1)
  grep -q "match instance 7400" <<<"$got" || { echo "FAIL: SNAKE not matched ($mode)"; echo "$got"; fail=1; }
  n=$(grep -c "match instance 74" <<<"$got")
  [ "$n" = 17 ] || { echo "FAIL: $n of 17 class-gate matches ($mode)"; echo "$got" | head; fail=1; }
  grep -q "FAULT" <<<"$got" && { echo "FAIL: class gates fault ($mode)"; fail=1; }
done

# Finding 4: the long-s spelling matches in both evaluators, with the same result.
printf '{"EventID": 1, "CommandLine": "x \xc5\xbfekurl\xc5\xbfa::logonpa\xc5\xbf\xc5\xbfwords"}\n' > "$out/fold.jsonl"
for mode in "" --reference; do
  got=$("$chanval" run "$out/fold-partners.chan" --events "$out/fold.jsonl" $mode 2>&1)
  grep -q "match instance 6000" <<<"$got" || { echo "FAIL: fold partner not matched ($mode)"; echo "$got"; fail=1; }
done
exit $fail
