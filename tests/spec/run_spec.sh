#!/usr/bin/env bash
# CTest driver for the spec suite: runs `glint spec` over the official core test suite (SIMD
# included) and the proposals' folders Glint implements.
# The suite's location comes from $GLINT_TESTSUITE (default given by CMake); absent => FAIL.
set -euo pipefail
glint="$1"
suite="${GLINT_TESTSUITE:-$2}"
if [ ! -d "$suite" ] || ! ls "$suite"/*.wast >/dev/null 2>&1; then
  echo "error: WebAssembly spec test suite not found at '$suite'."
  echo "Set GLINT_TESTSUITE to a folder of .wast files (the project expects ../shared/wasm-testsuite)."
  exit 1
fi
proposals=(tail-call extended-const relaxed-simd multi-memory exception-handling memory64)
dirs=("$suite")
for p in "${proposals[@]}"; do
  if [ ! -d "$suite/proposals/$p" ]; then
    echo "error: proposal tests not found at '$suite/proposals/$p'."
    exit 1
  fi
  dirs+=("$suite/proposals/$p")
done
echo "spec suite: $suite (and proposals: ${proposals[*]})"
exec "$glint" spec -v "${dirs[@]}"
