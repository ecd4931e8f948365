#!/usr/bin/env bash
# The test command: install what is missing, build, run every test (unit, spec suite, WASI
# programs against node, host API and demo, benchmark quick pass), then the runtime's tests in
# the sanitizer build and the fuzz targets (60 s each). Ends with CTest's summary.
#   scripts/test.sh --sanitize-all   the whole suite in the sanitizer build instead (build-sanitize/,
#                                   everything built with ASan + UBSan; no release build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The benchmarks' real programs (sources from Debian, bench/real/README.md): without them the
# quick pass runs the other workloads and says which it skipped.
bench/real/setup || echo "test: bench/real/setup failed; the quick pass skips the real programs"
if [ "${1:-}" = "--sanitize-all" ]; then
  scripts/build.sh --sanitize
  cd build-sanitize
  # GLINT_TIME_SCALE: the tests' script-time budgets are about the release build.
  GLINT_TIME_SCALE=8 exec ctest --output-on-failure -j2 --timeout 3600
fi
scripts/build.sh
(cd build && ctest --output-on-failure -j2 --timeout 900)
# The runtime's own tests again under AddressSanitizer (with leak checks) and UBSan: the unit
# tests and the spec suite (the whole suite there: --sanitize-all; the fuzz targets' committed
# inputs run in the fuzz build below). GLINT_SANITIZE_CI=0 skips this part.
if [ "${GLINT_SANITIZE_CI:-1}" != 0 ]; then
  scripts/build.sh --sanitize glint_unit_tests glint
  (cd build-sanitize && GLINT_TIME_SCALE=8 ctest --output-on-failure -j2 --timeout 1800 \
    -R '^(unit|spec)$')
fi
# The libFuzzer targets (the fuzz build: clang 14, ASan + UBSan + coverage; tests/fuzz/README.md):
# each on its committed inputs, then each for 60 s from the committed corpus, two at a time.
# GLINT_FUZZ_CI=0 skips this part.
if [ "${GLINT_FUZZ_CI:-1}" != 0 ]; then
  scripts/build.sh --fuzz
  (cd build-fuzz && ctest --output-on-failure -j2 -R '^fuzz_')
fi
