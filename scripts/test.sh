#!/usr/bin/env bash
# The test command: install what is missing, build, run every test (unit, spec suite, WASI
# programs against node, host API and demo, benchmark quick pass, fuzz inputs, differential
# quick run against V8). Then the same suite in the sanitizer build (ASan + UBSan, clang 14),
# which also runs each libFuzzer target for 60 seconds. Ends with CTest's summary of each.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
status=0
(cd build && ctest --output-on-failure -j2 --timeout 900) || status=1
echo "== the sanitizer build (build-sanitize/): ASan + UBSan, fuzz targets"
scripts/build.sh --sanitize
# GLINT_TIME_SCALE: instrumented code runs several times slower; the script-time budgets of
# the tests are about the release build.
(cd build-sanitize && GLINT_TIME_SCALE=8 ctest --output-on-failure -j2 --timeout 900) || status=1
exit $status
