#!/usr/bin/env bash
# Builds the libraries the fuzz targets link — FlatBuffers, RE2, fmt,
# yaml-cpp, simdjson, libsodium — from source with the fuzzing build's own
# $CC $CXX $CFLAGS $CXXFLAGS (so with -stdlib=libc++ under OSS-Fuzz), as
# static libraries in one prefix, the way OSS-Fuzz projects build their
# dependencies. Distribution packages are built against libstdc++; linking
# them into a libc++ build fails on every std::string in their APIs.
#
# usage: fuzz/build_deps.sh SOURCES PREFIX
#   SOURCES holds one source tree per library, found by name: flatbuffers*,
#   re2*, fmt* (or fmtlib*), yaml-cpp*, simdjson*, libsodium*. The Dockerfile
#   clones each upstream at the pinned tag below; fuzz/libcxx_build.sh takes
#   the same versions from Debian 12's source packages.
# Pinned versions (Debian 12's, which the main build uses too):
#   flatbuffers v2.0.8, re2 2022-06-01, fmt 9.1.0, yaml-cpp 0.7.0,
#   simdjson v3.0.1, libsodium 1.0.18-RELEASE.
# flatc, a build-time code generator, is built for the host without the
# fuzzing flags: it is run, never fuzzed or linked.
set -euo pipefail
sources=$(cd "${1:?usage: build_deps.sh SOURCES PREFIX}" && pwd)
prefix=${2:?usage: build_deps.sh SOURCES PREFIX}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
: "${CC:?}" "${CXX:?}" "${CFLAGS:=}" "${CXXFLAGS:=}"
jobs=${JOBS:-$(nproc)}
work=${DEPS_WORK:-$prefix/.build}
mkdir -p "$work"

tree() {  # the one source tree whose name starts with $1
  local found=() d
  for d in "$sources"/$1*/; do [ -d "$d" ] && found+=("${d%/}"); done
  if [ ${#found[@]} -ne 1 ]; then
    echo "build_deps.sh: expected one source tree $sources/$1*, found ${#found[@]}" >&2
    exit 2
  fi
  echo "${found[0]}"
}

# A CMake project, static, installed into the prefix; extra -D options follow.
cmake_dep() {
  local name=$1 src=$2
  shift 2
  echo "build_deps.sh: $name"
  cmake -S "$src" -B "$work/$name" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    "$@" > "$work/$name.log" 2>&1 || { tail -30 "$work/$name.log"; exit 1; }
  cmake --build "$work/$name" -j "$jobs" >> "$work/$name.log" 2>&1 || { tail -30 "$work/$name.log"; exit 1; }
  cmake --install "$work/$name" >> "$work/$name.log" 2>&1 || { tail -30 "$work/$name.log"; exit 1; }
}

flatbuffers=$(tree flatbuffers)
# flatc for the host: no fuzzing flags, the compiler's default library.
CFLAGS= CXXFLAGS= cmake_dep flatc "$flatbuffers" -DCMAKE_C_FLAGS= -DCMAKE_CXX_FLAGS= \
  -DFLATBUFFERS_BUILD_TESTS=OFF -DFLATBUFFERS_BUILD_FLATLIB=OFF -DFLATBUFFERS_BUILD_FLATHASH=OFF \
  -DFLATBUFFERS_BUILD_FLATC=ON
cmake_dep flatbuffers "$flatbuffers" -DFLATBUFFERS_BUILD_TESTS=OFF -DFLATBUFFERS_BUILD_FLATC=OFF \
  -DFLATBUFFERS_BUILD_FLATHASH=OFF -DFLATBUFFERS_BUILD_FLATLIB=ON
cmake_dep fmt "$(tree fmt)" -DFMT_TEST=OFF -DFMT_DOC=OFF
cmake_dep yaml-cpp "$(tree yaml-cpp)" -DYAML_CPP_BUILD_TESTS=OFF -DYAML_CPP_BUILD_TOOLS=OFF \
  -DYAML_CPP_BUILD_CONTRIB=OFF -DYAML_BUILD_SHARED_LIBS=OFF
cmake_dep simdjson "$(tree simdjson)" -DSIMDJSON_DEVELOPER_MODE=OFF -DSIMDJSON_ENABLE_THREADS=OFF

# RE2 2022-06-01: its Makefile installs re2.pc, which chanval finds it by.
re2=$(tree re2)
echo "build_deps.sh: re2"
rm -rf "$work/re2" && cp -r "$re2" "$work/re2"
# Debian's +dfsg source drops the generated Unicode and Perl-class tables:
# REBUILD_TABLES makes them (perl, python3 and Debian's unicode-data).
rebuild=()
[ -f "$work/re2/re2/perl_groups.cc" ] || rebuild=(REBUILD_TABLES=1)
make -C "$work/re2" -j "$jobs" CXX="$CXX" CXXFLAGS="$CXXFLAGS -O2 -fPIC" prefix="$prefix" "${rebuild[@]}" static-install \
  > "$work/re2.log" 2>&1 || { tail -30 "$work/re2.log"; exit 1; }

# libsodium: autotools. A git tag (and Debian's orig tarball) has no
# configure script yet: autogen.sh makes it.
sodium=$(tree libsodium)
echo "build_deps.sh: libsodium"
rm -rf "$work/libsodium" && cp -r "$sodium" "$work/libsodium"
(
  cd "$work/libsodium"
  [ -x configure ] || ./autogen.sh -s
  ./configure --prefix="$prefix" --libdir="$prefix/lib" --disable-shared --enable-static --disable-pie \
    CC="$CC" CFLAGS="$CFLAGS -O2"
  make -j "$jobs" install
) > "$work/libsodium.log" 2>&1 || { tail -30 "$work/libsodium.log"; exit 1; }

echo "build_deps.sh: installed into $prefix"
