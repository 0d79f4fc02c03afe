#!/usr/bin/env bash
# Proves the OSS-Fuzz build here: every fuzz target built with clang,
# -stdlib=libc++ and ASan+UBSan by fuzz/build.sh, its libraries built from
# source by fuzz/build_deps.sh at the versions the Dockerfile pins — taken
# from Debian 12's source packages, since this machine reaches Debian's
# archive and not the libraries' upstreams. Then each target runs its seed
# corpus once, and must use libc++ (not libstdc++).
#
# usage: fuzz/libcxx_build.sh [OUT]   (default: build/oss-fuzz/out)
# Installs what it needs (clang 14, libc++ 14, autotools) and enables
# Debian's deb-src entries for `apt-get source`. Takes 30-35 minutes on
# 2 cores; it is its own job, not part of scripts/test.sh (fuzz/README.md).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/build/oss-fuzz/out}
work=${WORK:-$src/build/oss-fuzz/work}
mkdir -p "$out" "$work"
out=$(cd "$out" && pwd)
work=$(cd "$work" && pwd)

sudo_if() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(clang-14 g++ libc++-14-dev libc++abi-14-dev libclang-rt-14-dev dpkg-dev autoconf automake libtool
          cmake ninja-build pkg-config zip unzip perl python3 unicode-data)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_if apt-get update -qq
  sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Dockerfile's pinned versions, as Debian 12 packages them.
sources=(re2=20220601+dfsg-1 fmtlib=9.1.0+ds1-2 yaml-cpp=0.7.0+dfsg-8 flatbuffers=2.0.8+dfsg1-2
         simdjson=3.0.1-1 libsodium=1.0.18-1+deb12u1)
deps_src=$work/sources
if [ ! -f "$deps_src/.complete" ]; then
  if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    sudo_if tee /etc/apt/sources.list.d/chanval-deb-src.sources >/dev/null <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  sudo_if apt-get update -qq
  rm -rf "$deps_src" && mkdir -p "$deps_src"
  (cd "$deps_src" && apt-get source -qq "${sources[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
  (cd "$deps_src" && rm -f ./*.dsc ./*.tar.* && touch .complete)
fi

# OSS-Fuzz's ASan+UBSan flags (base-builder's, trimmed to what clang 14 has).
sanitizers="-fsanitize=address,undefined -fsanitize-address-use-after-scope -fno-sanitize-recover=undefined"
export CC=clang-14 CXX=clang++-14
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only $sanitizers -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS -stdlib=libc++"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
# Local only, never in build.sh: Debian's libFuzzer runtime is built
# against libstdc++ (its objects call std::__cxx11::basic_string), and
# clang with -stdlib=libc++ does not search GCC's library folder, so the
# runtime gets libstdc++ by path. chanval's own code and libraries still
# use libc++ alone. OSS-Fuzz's runtime is built with its own libc++.
export LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE $(g++ -print-file-name=libstdc++.so)"
export OUT=$out WORK=$work CHANVAL_DEPS_SOURCES=$deps_src
# The entry point ClusterFuzzLite runs, with the repository where the
# Dockerfile puts it ($SRC/chanval).
mkdir -p "$work/src" && ln -sfn "$src" "$work/src/chanval"
SRC=$work/src bash "$src/.clusterfuzzlite/build.sh"

# Each target: libc++, and one pass over its seed corpus without a finding.
. "$src/fuzz/targets.sh"
status=0
for t in $FUZZ_TARGETS; do
  if ! ldd "$out/$t" | grep -q 'libc++\.so'; then
    echo "FAIL $t: not linked against libc++"; status=1; continue
  fi
  seeds=$work/seeds/$t
  rm -rf "$seeds" && mkdir -p "$seeds"
  unzip -q -o "$out/${t}_seed_corpus.zip" -d "$seeds"
  if (cd "$out" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 \
        "./$t" -runs=0 -dict="$t.dict" "$seeds" > "$work/$t.log" 2>&1); then
    echo "ok   $t: $(ls "$seeds" | wc -l) seeds, $(du -h "$out/$t" | cut -f1)"
  else
    echo "FAIL $t: see $work/$t.log"; tail -5 "$work/$t.log"; status=1
  fi
done
echo "libcxx_build.sh: $((SECONDS / 60)) min $((SECONDS % 60)) s"
exit $status
