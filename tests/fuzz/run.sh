#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS, starting from the committed corpus and regression
# inputs, and prints its executions per second, total executions, coverage and corpus size.
#   tests/fuzz/run.sh SECONDS [--build DIR] [--jobs N] [TARGET...]
# (targets: load run host snapshot)
# Needs the fuzz build (scripts/build.sh --fuzz; DIR defaults to build-fuzz/).
# New corpus entries go to DIR/fuzz-corpus/TARGET, crashes to DIR/fuzz-artifacts/ (copy them
# to tests/fuzz/regressions/TARGET/ once fixed). Exits non-zero if any target found a crash,
# a leak or a timeout.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:?usage: run.sh SECONDS [--build DIR] [--jobs N] [TARGET...]}"
shift
build="$here/../../build-fuzz"
jobs=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(load run host snapshot)

run_one() {
  local t="$1" bin="$build/tests/fuzz/fuzz_$1"
  local corpus="$build/fuzz-corpus/$t" artifacts="$build/fuzz-artifacts/$t"
  local log="$build/fuzz-logs/$t.log"
  mkdir -p "$corpus" "$artifacts" "$build/fuzz-logs"
  if [ ! -x "$bin" ]; then
    echo "fuzz $t: no $bin (build it with scripts/build.sh --fuzz)"
    return 1
  fi
  # -timeout: one input may take this long (the machine may be busy); -rss_limit_mb: the
  # target's memory, as a console would cap it.
  "$bin" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$here/corpus/$t" "$here/regressions/$t" \
    >"$log" 2>&1
  local rc=$?
  local execs per_sec cov
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  per_sec=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${seconds} s, ${execs:-?} executions, ${per_sec:-?}/s, $cov, 0 crashes"
  else
    echo "fuzz $t: FAILED (exit $rc) after ${execs:-?} executions; log: $log"
    grep -E '^==[0-9]+==ERROR|SUMMARY|runtime error|Test unit written|^fuzz' "$log" | head -20
  fi
  return $rc
}

status=0
if [ "$jobs" -gt 1 ]; then
  pids=()
  for t in "${targets[@]}"; do
    run_one "$t" &
    pids+=($!)
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  done
  for p in "${pids[@]}"; do wait "$p" || status=1; done
else
  for t in "${targets[@]}"; do run_one "$t" || status=1; done
fi
exit $status
