#!/usr/bin/env bash
# pre_commit.sh CHANVAL SOURCE_DIR BUILT_DIR: the hooks of
# .pre-commit-hooks.yaml, run by Debian's pre-commit in a scratch content
# repository (`pre-commit try-repo` on this checkout): a good channel file and
# source pass; channel file 291 and a source that does not build are refused.
# Exit 77 (skipped) without pre-commit or git, or outside a git checkout.
set -uo pipefail
cv=$1; src=$2; built=$3; fail=0
command -v pre-commit >/dev/null && command -v git >/dev/null || { echo "SKIP: pre-commit or git not installed"; exit 77; }
git -C "$src" rev-parse --git-dir >/dev/null 2>&1 || { echo "SKIP: $src is not a git checkout"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
export PATH="$(cd "$(dirname "$cv")" && pwd):$PATH" PRE_COMMIT_HOME="$tmp/cache" HOME="$tmp" GIT_CONFIG_NOSYSTEM=1
git config --global user.email ci@example.invalid; git config --global user.name ci
git config --global --add safe.directory '*'
repo=$tmp/content
git init -q "$repo"
cp "$built/pipe_created.chan" "$repo/"
cp "$src/corpus/content/process_creation.json" "$repo/process_creation.chan.json"
git -C "$repo" add . && git -C "$repo" commit -qm base

run_hook() {  # HOOK FILE...: pre-commit's exit code; output in $tmp/hook.out
  (cd "$repo" && pre-commit try-repo "$src" "$1" --files "${@:2}") >"$tmp/hook.out" 2>&1
}
run_hook chanval-check pipe_created.chan || bad "chanval-check on a good file: $(cat "$tmp/hook.out")"
run_hook chanval-build-check process_creation.chan.json || bad "chanval-build-check on a good source: $(cat "$tmp/hook.out")"

cp "$built/channel-291.chan" "$repo/"
run_hook chanval-check channel-291.chan && bad "chanval-check passed channel file 291"
grep -q "CV104" "$tmp/hook.out" || bad "chanval-check output: $(cat "$tmp/hook.out")"
cp "$src/corpus/cf291/channel-291.json" "$repo/channel-291.chan.json"
run_hook chanval-build-check channel-291.chan.json && bad "chanval-build-check passed the 291 source"
grep -q "CV104" "$tmp/hook.out" || bad "chanval-build-check output: $(cat "$tmp/hook.out")"
printf '{"channel": 1, "instances": [ {"id": "x"} ]}\n' >"$repo/broken.chan.json"
run_hook chanval-build-check broken.chan.json && bad "chanval-build-check passed a source that does not build"
grep -q "CV029" "$tmp/hook.out" || bad "build failure output: $(cat "$tmp/hook.out")"
exit $fail
