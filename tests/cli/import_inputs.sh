#!/usr/bin/env bash
# import_inputs.sh CHANVAL SOURCE_DIR: import-sigma on hostile inputs, using
# the project's own rules (corpus/sigma): duplicate keys are skipped, I/O
# errors exit 2 and write nothing, symlinks do not lead out of a searched
# folder, outputs are all-or-nothing, instance ids never wrap.
set -uo pipefail
cv=$1; src=$2; fail=0
tmp=$(mktemp -d); trap 'chmod -R u+rw "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
rule=$src/corpus/sigma/encoded_powershell.yml

# Duplicate keys: each kind is skipped with the key and its line.
dup() {  # NAME SED-EXPRESSION KEY LINE
  sed "$2" "$rule" >"$tmp/$1.yml"
  out=$("$cv" import-sigma "$tmp/$1.yml" -o "$tmp/$1.json" 2>&1); rc=$?
  [ $rc = 1 ] && grep -q "skip $tmp/$1.yml: rule 9d3e4f00-0c1a-4d6e-9a51-3b7c2f1e0a01: duplicate-key: key '$3' appears twice in one map (again at line $4)" <<<"$out" \
    || bad "duplicate $1: exit $rc: $out"
  [ ! -e "$tmp/$1.json" ] || bad "duplicate $1: output written"
}
dup selection '/^    filter_main_parent:/i\    selection_flags:\n        CommandLine|contains: x' selection_flags 27
dup field '/^        ParentImage|startswith/a\        ParentImage|startswith: Vendor2' 'ParentImage|startswith' 29
dup logsource '/^level:/i\logsource:\n    product: linux' logsource 32
dup condition '/^    condition:/a\    condition: selection_img' condition 32

# I/O errors exit 2 and write nothing; a file that is only too large is a skip.
out=$("$cv" import-sigma "$rule" /proc/self/mem -o "$tmp/io.json" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "cannot read /proc/self/mem" <<<"$out" && grep -q "could not be read; nothing written" <<<"$out" \
  || bad "unreadable rule: exit $rc: $out"
[ ! -e "$tmp/io.json" ] || bad "unreadable rule: output written"
if [ "$(id -u)" != 0 ]; then
  cp "$rule" "$tmp/noperm.yml"; chmod 000 "$tmp/noperm.yml"
  "$cv" import-sigma "$tmp/noperm.yml" -o "$tmp/np.json" >/dev/null 2>&1; [ $? = 2 ] || bad "a rule without read permission should exit 2"
fi
{ cat "$rule"; head -c 1100000 /dev/zero | tr '\0' '#'; } >"$tmp/large.yml"
out=$("$cv" import-sigma "$tmp/large.yml" -o "$tmp/large.json" 2>&1); rc=$?
[ $rc = 1 ] && grep -q "too-large: larger than 1048576 bytes" <<<"$out" || bad "too large: exit $rc: $out"

# A symlink out of the searched folder is named in a skip line, not read.
mkdir -p "$tmp/rules" "$tmp/elsewhere"
cp "$rule" "$tmp/rules/in.yml"; cp "$rule" "$tmp/elsewhere/secret.yml"
ln -s "$tmp/elsewhere/secret.yml" "$tmp/rules/out.yml"
ln -s in.yml "$tmp/rules/inside-link.yml"
out=$("$cv" import-sigma "$tmp/rules" -o "$tmp/links.json" 2>&1); rc=$?
grep -q "skip $tmp/rules/out.yml: rule (not read): symlink-outside-folder" <<<"$out" \
  && grep -q "3 rule files: 2 imported, 1 skipped" <<<"$out" || bad "symlink out of the folder: exit $rc: $out"

# -o J --build C: a failure staging C leaves J unwritten too.
mkdir "$tmp/a-folder"
out=$("$cv" import-sigma "$rule" -o "$tmp/j.json" --build "$tmp/a-folder" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "will not write onto a folder" <<<"$out" || bad "--build onto a folder: exit $rc: $out"
[ ! -e "$tmp/j.json" ] || bad "-o J was written although --build C failed"
echo '{"old": true}' >"$tmp/keep.json"
"$cv" import-sigma "$rule" -o "$tmp/keep.json" --build "$tmp/a-folder" >/dev/null 2>&1
grep -q '"old": true' "$tmp/keep.json" || bad "-o J was replaced although --build C failed"
"$cv" import-sigma "$rule" -o "$tmp/j.json" --build "$tmp/c.chan" >/dev/null || bad "-o J --build C"
[ -s "$tmp/j.json" ] && [ -s "$tmp/c.chan" ] || bad "-o J --build C did not write both"
[ -z "$(find "$tmp" -name '.*.tmp.*')" ] || bad "temporary files left behind: $(find "$tmp" -name '.*.tmp.*')"

# Instance ids never wrap past 2^32 - 1.
out=$("$cv" import-sigma "$rule" "$src/corpus/sigma/run_key_script.yml" --first-id 4294967295 -o "$tmp/wrap.json" 2>&1); rc=$?
[ $rc = 2 ] && grep -q "leaves room for 1 instance ids, and 2 rules were imported; nothing written" <<<"$out" \
  || bad "--first-id wrap: exit $rc: $out"
[ ! -e "$tmp/wrap.json" ] || bad "--first-id wrap: output written"
"$cv" import-sigma "$rule" --first-id 4294967295 -o "$tmp/last.json" >/dev/null || bad "--first-id 4294967295 with one rule"
grep -q '"id": 4294967295' "$tmp/last.json" || bad "the last id is not 4294967295"

exit $fail
