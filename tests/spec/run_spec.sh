#!/usr/bin/env bash
# CTest driver for the spec suite: runs `glint spec` over the official core test suite.
# The suite's location comes from $GLINT_TESTSUITE (default given by CMake); absent => FAIL.
set -euo pipefail
glint="$1"
suite="${GLINT_TESTSUITE:-$2}"
if [ ! -d "$suite" ] || ! ls "$suite"/*.wast >/dev/null 2>&1; then
  echo "error: WebAssembly spec test suite not found at '$suite'."
  echo "Set GLINT_TESTSUITE to a folder of .wast files (the project expects ../shared/wasm-testsuite)."
  exit 1
fi
echo "spec suite: $suite"
exec "$glint" spec -v "$suite"
