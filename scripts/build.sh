#!/usr/bin/env bash
# Configures and builds everything into build/ (Release).
#   scripts/build.sh --sanitize   the sanitizer build instead, into build-sanitize/: clang 14
#                                 with ASan + UBSan, plus the libFuzzer targets (tests/fuzz/)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--sanitize" ]; then
  # -O1 -g1: reports name files and lines, the suite runs fast enough, and clang compiles it
  # in a few minutes (the interpreter at -O0, see runtime/CMakeLists.txt).
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGLINT_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  cmake --build build-sanitize -j"$(nproc)"
  exit
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
