#!/usr/bin/env bash
# content_tests.sh CHANVAL SOURCE_DIR: `chanval test` passes the bundled
# content tests (corpus/tests/), writes JUnit XML, fails a wrong expectation
# on every build, names a build that cannot supply the field read (the 291
# reproduction on 7.10), and refuses malformed test files with exit 2.
set -uo pipefail
cv=$1; src=$2; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }

out=$("$cv" test -q "$src"/corpus/tests/*.test.yml --junit "$tmp/junit.xml" 2>&1) || bad "bundled content tests: $out"
grep -q "passed, 0 failed" <<<"$out" || bad "bundled summary: $out"
grep -q '<testsuites name="chanval test" tests="[0-9]*" failures="0">' "$tmp/junit.xml" || bad "junit: $(head -3 "$tmp/junit.xml")"
grep -q '<testcase classname=".*pipe_created.test.yml" name="sensor 7.10: instance 7001 matches cobalt_strike_pipe"/>' \
  "$tmp/junit.xml" || bad "junit testcase missing"

# A wrong expectation fails on each build, exit 1, and JUnit records it.
cat >"$tmp/wrong.test.yml" <<EOT
content: $src/corpus/content/pipe_created.json
events:
  lsass: {EventID: 17, PipeName: '\\lsass'}
expect:
  - {instance: 7001, match: [lsass]}
EOT
out=$("$cv" test "$tmp/wrong.test.yml" --junit "$tmp/wrong.xml" 2>&1); rc=$?
[ $rc = 1 ] && [ "$(grep -c '^FAIL .*instance 7001 matches lsass: no match$' <<<"$out")" = 4 ] || bad "wrong expectation: exit $rc: $out"
grep -q '<failure message="no match"/>' "$tmp/wrong.xml" || bad "junit failure missing"

# The 291 reproduction: the User criterion cannot match where User is not supplied.
cat >"$tmp/cf291.test.yml" <<EOT
content: $src/corpus/cf291/channel-291.json
events:
  system_winsock: {EventID: 17, PipeName: '\\winsock_1', User: 'NT AUTHORITY\\SYSTEM'}
expect:
  - {instance: 29104, match: [system_winsock]}
EOT
out=$("$cv" test "$tmp/cf291.test.yml" 2>&1); rc=$?
[ $rc = 1 ] || bad "291 test: exit $rc"
grep -q "^ok   .*sensor 7.11: instance 29104 matches system_winsock" <<<"$out" || bad "291 on 7.11: $out"
grep -q "^FAIL .*sensor 7.10: instance 29104 matches system_winsock: evaluation faulted: input out of bounds at field 7 (sensor 7.10 supplies 7 inputs to pipe_created; the instance reads field 7)" <<<"$out" \
  || bad "291 on 7.10 not named as unsupplied: $out"
out=$("$cv" test "$tmp/cf291.test.yml" --fleet "$src/corpus/fleet" 2>&1 | grep -c "sensor 7.12") 
[ "$out" = 1 ] || bad "--fleet: the compiled-in current build should still be included"

# Malformed test files: exit 2 with what is wrong.
expect2() {  # NAME REGEX CONTENT
  printf '%s\n' "$3" >"$tmp/$1.yml"
  local out rc
  out=$("$cv" test "$tmp/$1.yml" 2>&1); rc=$?
  [ $rc = 2 ] && grep -Eq -- "$2" <<<"$out" || bad "$1: exit $rc: $out"
}
expect2 no_content "'content' .* is required" "expect: [{instance: 1}]"
expect2 no_expect "'expect' .* is required" "content: $src/corpus/content/pipe_created.json"
expect2 unknown_key "unknown key 'expected'" "content: x
expected: []"
expect2 bad_event "event 'e': EventID missing or not a number" "content: $src/corpus/content/pipe_created.json
events: {e: {PipeName: x}}
expect: [{instance: 7001, match: [e]}]"
expect2 bad_sensor "sensor 'seven' is not MAJOR.MINOR" "content: $src/corpus/content/pipe_created.json
sensors: [seven]
expect: [{instance: 7001}]"
expect2 missing_content "does not load" "content: nope.chan
expect: [{instance: 7001, match: [e]}]"
expect2 empty_expectation "names no events" "content: $src/corpus/content/pipe_created.json
expect: [{instance: 7001}]"
expect2 not_yaml "yaml-cpp|error" "content: [unclosed"
out=$("$cv" test "$tmp/absent.yml" 2>&1); [ $? = 2 ] || bad "absent test file should exit 2: $out"
# Names and instances that do not exist are failures, not passes.
cat >"$tmp/names.test.yml" <<EOT
content: $src/corpus/content/pipe_created.json
sensors: ["7.12", "7.3"]
events:
  e: {EventID: 17, PipeName: x}
expect:
  - {instance: 7001, no_match: [missing]}
  - {instance: 9999, no_match: [e]}
EOT
out=$("$cv" test "$tmp/names.test.yml" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "no event named 'missing'" <<<"$out" && grep -q "the file has no instance 9999" <<<"$out" \
  && grep -q "no manifest for sensor 7.3" <<<"$out" || bad "unknown names: exit $rc: $out"
exit $fail
