#!/usr/bin/env bash
# Configures and builds everything into build/ (Release).
#   scripts/build.sh --sanitize [TARGET...]
#                                 the sanitizer build instead, into build-sanitize/: everything
#                                 (or only the TARGETs) with ASan + UBSan (g++)
#   scripts/build.sh --fuzz       the libFuzzer targets (tests/fuzz/), the unit tests and the CLI,
#                                 into build-fuzz/: clang 14, ASan + UBSan + libFuzzer coverage
#                                 (CI's sanitizer tests run there: one sanitizer build, not two)
set -euo pipefail
cd "$(dirname "$0")/.."
# -O1 -g1 in both: reports name files and lines, and the suite runs fast enough.
opt=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
     -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG")
if [ "${1:-}" = "--sanitize" ]; then
  shift
  cmake -S . -B build-sanitize -G Ninja "${opt[@]}" -DGLINT_SANITIZE=ON >/dev/null
  cmake --build build-sanitize -j"$(nproc)" ${1:+--target "$@"}
  exit
fi
if [ "${1:-}" = "--fuzz" ]; then
  cmake -S . -B build-fuzz -G Ninja "${opt[@]}" -DGLINT_SANITIZE=ON -DGLINT_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
  cmake --build build-fuzz -j"$(nproc)" --target fuzz_load fuzz_run fuzz_host fuzz_snapshot \
    glint_unit_tests glint
  exit
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
