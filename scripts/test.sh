#!/usr/bin/env bash
# The test command: install what is missing, build, run every test (unit, spec suite, WASI
# programs against node, host API and demo, benchmark quick pass). Ends with CTest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The benchmarks' real programs (sources from Debian, bench/real/README.md): without them the
# quick pass runs the other workloads and says which it skipped.
bench/real/setup || echo "test: bench/real/setup failed; the quick pass skips the real programs"
scripts/build.sh
cd build
ctest --output-on-failure -j2 --timeout 900
