#!/usr/bin/env bash
# Installs the Debian packages chanval builds with — only those missing — so a
# fresh machine needs no manual step. Used by both README commands and .ci/run.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  clang-14 libclang-rt-14-dev llvm-14
  flatbuffers-compiler libflatbuffers-dev
  libcli11-dev libfmt-dev doctest-dev
  libre2-dev libsodium-dev libssl-dev libsimdjson-dev libyaml-cpp-dev
  libbenchmark-dev zip bc
  git pre-commit
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
