#!/usr/bin/env bash
# expect.sh EXIT REGEX [--not REGEX] -- COMMAND...
# Runs COMMAND; passes when it exits with EXIT and its combined output
# matches REGEX (extended, per line) and, if given, does not match --not.
set -u
want_exit=$1; want=$2; shift 2
unwanted=""
if [ "${1:-}" = "--not" ]; then unwanted=$2; shift 2; fi
[ "${1:-}" = "--" ] && shift
out=$("$@" 2>&1); got=$?
fail=0
if [ "$got" != "$want_exit" ]; then echo "FAIL: exit $got, expected $want_exit"; fail=1; fi
if ! grep -Eq -- "$want" <<<"$out"; then echo "FAIL: output does not match: $want"; fail=1; fi
if [ -n "$unwanted" ] && grep -Eq -- "$unwanted" <<<"$out"; then echo "FAIL: output matches: $unwanted"; fail=1; fi
if [ $fail = 1 ]; then printf -- '--- command: %s\n--- output:\n%s\n' "$*" "$out"; exit 1; fi
exit 0
