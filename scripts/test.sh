#!/usr/bin/env bash
# The test command: install what is missing, build, run every test (unit, spec suite, WASI
# programs against node, host API and demo, benchmark quick pass), then the runtime's tests in
# the sanitizer build (the fuzz build) and the fuzz targets (30 s each). Ends with CTest's
# summary.
#   scripts/test.sh --sanitize-all   the whole suite in the sanitizer build instead (build-sanitize/,
#                                   everything built with ASan + UBSan; no release build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# One sanitizer build serves both sanitizer phases: the fuzz build (build-fuzz/: clang 14,
# ASan + UBSan + libFuzzer coverage) builds the unit tests and the CLI too, and the sanitizer
# tests run there (a separate g++ sanitizer build cost 665 CPU s more; tests/README.md). It
# needs neither the benchmarks' sources nor the release build, so it builds from here on in
# the background at the lowest CPU priority (nice 19): it takes only the CPU time the phases in
# front leave idle (downloads, links, tests waiting on a process, tests that run alone). Each
# test phase waits for it. Its output goes to build-logs/fuzz.log, shown if it fails. (setsid:
# a process group of its own, so that stop_background ends what it started too.)
# setsid also makes a session, and with it a scheduler autogroup, of its own: where the kernel
# groups by session (/proc/sys/kernel/sched_autogroup_enabled), nice only ranks a process within
# its group and the groups share the CPU equally, so the build took half of it from the release
# build and tests, nice 19 or not. The group's own nice, set in /proc/self/autogroup (rate-limited
# for non-root, hence the retries), ranks it below the rest.
# shellcheck disable=SC2016  # expanded by the background shells
lowest_group='[ -e /proc/self/autogroup ] && for _ in 1 2 3 4 5; do
                 echo 19 2>/dev/null >/proc/self/autogroup && break; sleep 0.2; done'
fuzz_build=''
stop_background() {
  if [ -n "$fuzz_build" ]; then kill -- "-$fuzz_build" 2>/dev/null || true; fi
}
trap stop_background EXIT
if [ "${1:-}" != "--sanitize-all" ] &&
  { [ "${GLINT_SANITIZE_CI:-1}" != 0 ] || [ "${GLINT_FUZZ_CI:-1}" != 0 ]; }; then
  mkdir -p build-logs
  setsid nice -n 19 bash -c "$lowest_group"'
                             exec scripts/build.sh --fuzz' >build-logs/fuzz.log 2>&1 &
  fuzz_build=$!
fi
# Waits for the background fuzz build, if it is still running; stops with its log's end if it
# failed.
wait_fuzz_build() {
  local rc=0
  [ -n "$fuzz_build" ] || return 0
  wait "$fuzz_build" || rc=$?
  fuzz_build=''
  if [ $rc -ne 0 ]; then
    echo "test: the fuzz build failed (build-logs/fuzz.log):" >&2
    tail -n 40 build-logs/fuzz.log >&2
    exit $rc
  fi
}
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
# The runtime's own tests again under AddressSanitizer (with leak checks) and UBSan, in the fuzz
# build: the unit tests and the spec suite (the whole suite in the g++ sanitizer build:
# --sanitize-all). The unit tests' source-level questions go to the release build's DWARF plugin
# (runtime/CMakeLists.txt says why). GLINT_SANITIZE_CI=0 skips this part.
# The libFuzzer targets (the fuzz build: clang 14, ASan + UBSan + coverage; tests/fuzz/README.md):
# each on its committed inputs, then each for GLINT_FUZZ_SECONDS (30 s) from the committed
# corpus. GLINT_FUZZ_CI=0 skips this part.
# One CTest run for both, two tests at a time: the fuzz targets fill the core that the spec
# suite, the shorter of the two sanitizer tests, leaves idle while `unit` runs on.
sanitizer_tests=()
if [ "${GLINT_SANITIZE_CI:-1}" != 0 ]; then sanitizer_tests+=(unit spec); fi
if [ "${GLINT_FUZZ_CI:-1}" != 0 ]; then sanitizer_tests+=('fuzz_.*'); fi
if [ ${#sanitizer_tests[@]} -gt 0 ]; then
  wait_fuzz_build
  (cd build-fuzz && GLINT_TIME_SCALE=8 ctest --output-on-failure -j2 --timeout 1800 \
    -R "^($(IFS='|'; echo "${sanitizer_tests[*]}"))\$")
fi
