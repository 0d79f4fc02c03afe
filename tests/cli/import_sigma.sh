#!/usr/bin/env bash
# import_sigma.sh CHANVAL SIGMA_DIR: `chanval import-sigma` on real rules, read
# in place. One SigmaHQ regression rule is imported, built and run against
# its events; every Windows rule is imported per template type (>= 95% of the
# supported categories must import) and the files must pass `chanval check`
# with the bundled fleet; bad input exits non-zero with the reason.
# Exit 77 (skipped) when the Sigma data is absent.
set -uo pipefail
chanval=$1; sigma=$2; fail=0
[ -d "$sigma/rules/windows" ] || { echo "SKIP: no Sigma rules at $sigma"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }

# One rule, end to end through the CLI.
rule="$sigma/rules/windows/registry/registry_set/registry_set_disable_administrative_share.yml"
events=$(ls "$sigma"/regression_data/rules/windows/registry/registry_set/registry_set_disable_administrative_share/*.json)
"$chanval" import-sigma "$rule" -o "$tmp/one.json" --build "$tmp/one.chan" >"$tmp/one.out" || bad "import of $rule"
grep -q "1 rule files: 1 imported, 0 skipped" "$tmp/one.out" || bad "summary: $(cat "$tmp/one.out")"
grep -q '"rule_id": "c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e"' "$tmp/one.json" || bad "rule id not kept in the metadata"
out=$("$chanval" run "$tmp/one.chan" --events "$events") || bad "run exit $?"
grep -q "Disable Administrative Share Creation at Startup): 2 matches" <<<"$out" || bad "run: $out"

# Every Windows rule, one channel file per template type.
"$chanval" import-sigma -q "$sigma/rules" "$sigma/rules-emerging-threats" "$sigma/rules-threat-hunting" \
  --per-type "$tmp/all" --min-sensor 7.10 --tests "$tmp/tests" >"$tmp/all.out" || bad "bulk import exit $?"
cat "$tmp/all.out"
pct=$(sed -n 's/.*supported categories: .* (\([0-9.]*\)%).*/\1/p' "$tmp/all.out")
[ -n "$pct" ] && awk -v p="$pct" 'BEGIN { exit !(p >= 95) }' || bad "import rate ${pct:-?}% is under 95%"
"$chanval" check "$tmp"/all/*.chan >"$tmp/check.out" 2>&1 || { bad "check of the imported rules"; grep -v '^warning' "$tmp/check.out" | head -20; }
tail -1 "$tmp/check.out"
# Imported content arrives with its evidence: a content test per rule with
# SigmaHQ regression events, each of which must pass on every build.
ntests=$(ls "$tmp"/tests/*.test.yml 2>/dev/null | wc -l)
[ "$ntests" -ge 90 ] || bad "only $ntests content tests written from SigmaHQ's regression data"
"$chanval" test -q "$tmp"/tests/*.test.yml >"$tmp/test.out" 2>&1 || { bad "content tests of the imported rules"; head -20 "$tmp/test.out"; }
tail -1 "$tmp/test.out"

# Bad input: a missing path is a usage error; a broken rule is skipped with its reason.
"$chanval" import-sigma "$tmp/nope.yml" -o "$tmp/x.json" >/dev/null 2>&1; [ $? = 2 ] || bad "missing path should exit 2"
printf 'title: broken\ndetection: [\n' >"$tmp/broken.yml"
out=$("$chanval" import-sigma "$tmp/broken.yml" -o "$tmp/x.json" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "skip $tmp/broken.yml: rule (no id): invalid-yaml" <<<"$out" || bad "broken rule: exit $rc: $out"
[ -e "$tmp/x.json" ] && bad "nothing may be written when no rule imports"
out=$("$chanval" import-sigma --strict "$rule" "$tmp/broken.yml" -o "$tmp/y.json" 2>&1); rc=$?
[ $rc = 1 ] || bad "--strict with a skipped rule should exit 1, got $rc"
[ $fail = 0 ] && echo "import-sigma: all checks passed"
exit $fail
