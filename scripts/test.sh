#!/usr/bin/env bash
# The test command: install what is missing, build, run every test (unit, spec suite, WASI
# programs against node, host API and demo, benchmark quick pass), then the runtime's tests in
# the sanitizer build and the fuzz targets (60 s each). Ends with CTest's summary.
#   scripts/test.sh --sanitize-all   the whole suite in the sanitizer build instead (build-sanitize/,
#                                   everything built with ASan + UBSan; no release build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The sanitizer and fuzz builds need neither the benchmarks' sources nor the release build, so
# they build from here on in the background at the lowest CPU priority (nice 19): they take
# only the CPU time the phases in front leave idle (downloads, links, tests waiting on a
# process, tests that run alone). The fuzz build starts when the sanitizer build is done, and
# goes on while the sanitizer tests run; each test phase waits for its build. Their output goes
# to build-logs/{sanitize,fuzz}.log, shown if they fail. (setsid: a process group of their own,
# so that stop_background ends what they started too.)
# setsid also makes a session, and with it a scheduler autogroup, of their own: where the kernel
# groups by session (/proc/sys/kernel/sched_autogroup_enabled), nice only ranks a process within
# its group and the groups share the CPU equally, so the builds took half of it from the release
# build and tests, nice 19 or not. The group's own nice, set in /proc/self/autogroup (rate-limited
# for non-root, hence the retries), ranks them below the rest.
# shellcheck disable=SC2016  # expanded by the background shells
lowest_group='[ -e /proc/self/autogroup ] && for _ in 1 2 3 4 5; do
                 echo 19 2>/dev/null >/proc/self/autogroup && break; sleep 0.2; done'
sanitize_build='' fuzz_build=''
stop_background() {
  local pid
  for pid in $sanitize_build $fuzz_build; do kill -- "-$pid" 2>/dev/null || true; done
}
trap stop_background EXIT
if [ "${1:-}" != "--sanitize-all" ]; then
  mkdir -p build-logs
  rm -f build-logs/sanitize.done
  if [ "${GLINT_SANITIZE_CI:-1}" != 0 ]; then
    # shellcheck disable=SC2016  # $? is the child's
    setsid nice -n 19 bash -c "$lowest_group"'
                               scripts/build.sh --sanitize glint_unit_tests glint; rc=$?
                               touch build-logs/sanitize.done; exit $rc' \
      >build-logs/sanitize.log 2>&1 &
    sanitize_build=$!
  else
    touch build-logs/sanitize.done
  fi
  if [ "${GLINT_FUZZ_CI:-1}" != 0 ]; then
    setsid nice -n 19 bash -c "$lowest_group"'
                               until [ -e build-logs/sanitize.done ]; do sleep 2; done
                               exec scripts/build.sh --fuzz' >build-logs/fuzz.log 2>&1 &
    fuzz_build=$!
  fi
fi
# Waits for the background build NAME (sanitize, fuzz) whose process id is PID; stops with its
# log's end if it failed.
wait_build() {
  local name=$1 pid=$2 rc=0
  wait "$pid" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "test: the $name build failed (build-logs/$name.log):" >&2
    tail -n 40 "build-logs/$name.log" >&2
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
# The runtime's own tests again under AddressSanitizer (with leak checks) and UBSan: the unit
# tests and the spec suite (the whole suite there: --sanitize-all; the fuzz targets' committed
# inputs run in the fuzz build below). GLINT_SANITIZE_CI=0 skips this part.
if [ "${GLINT_SANITIZE_CI:-1}" != 0 ]; then
  wait_build sanitize "$sanitize_build"
  (cd build-sanitize && GLINT_TIME_SCALE=8 ctest --output-on-failure -j2 --timeout 1800 \
    -R '^(unit|spec)$')
fi
# The libFuzzer targets (the fuzz build: clang 14, ASan + UBSan + coverage; tests/fuzz/README.md):
# each on its committed inputs, then each for 60 s from the committed corpus, two at a time.
# GLINT_FUZZ_CI=0 skips this part.
if [ "${GLINT_FUZZ_CI:-1}" != 0 ]; then
  wait_build fuzz "$fuzz_build"
  (cd build-fuzz && ctest --output-on-failure -j2 -R '^fuzz_')
fi
