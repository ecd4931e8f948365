#!/usr/bin/env python3
"""Runs a program (glint, glint-demo, ...) and checks its exit code and what it printed.
Shared by the CLI, host API and demo tests.

  check_run.py [--exit N | --fail] [--out REGEX]... [--err REGEX]... [--no-out REGEX]...
               [--query NAME OP VALUE]... [--same-hash] [--max-script-ms MS]
               [--cleanup PATH]... -- PROGRAM ARGS...

--exit N: the exit code (default 0); --fail: any non-zero code. --out/--err: a regex that must match stdout/stderr (multiline). --query: a `NAME = value` line
on stdout compared with OP (==, !=, <, <=, >, >=). --same-hash: run twice; the `state hash:`
lines must be equal (and present as the last line). --max-script-ms: the mean script time per
frame must be below MS. Prints both runs' output on failure."""
import argparse
import operator
import os
import re
import subprocess
import sys

OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
       ">": operator.gt, ">=": operator.ge}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exit", type=int, default=0)
    ap.add_argument("--fail", action="store_true")
    ap.add_argument("--out", action="append", default=[])
    ap.add_argument("--err", action="append", default=[])
    ap.add_argument("--no-out", action="append", default=[])
    ap.add_argument("--query", nargs=3, action="append", default=[])
    ap.add_argument("--same-hash", action="store_true")
    ap.add_argument("--max-script-ms", type=float)
    ap.add_argument("--cleanup", action="append", default=[])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    for p in a.cleanup:
        if os.path.exists(p):
            os.remove(p)

    runs = [subprocess.run(cmd, capture_output=True, text=True, timeout=600)]
    if a.same_hash:
        runs.append(subprocess.run(cmd, capture_output=True, text=True, timeout=600))
    r = runs[0]
    problems = []
    if a.fail and r.returncode == 0:
        problems.append("exit code 0, expected a failure")
    if not a.fail and r.returncode != a.exit:
        problems.append("exit code %d, expected %d" % (r.returncode, a.exit))
    for rx in a.out:
        if not re.search(rx, r.stdout, re.M):
            problems.append("stdout does not match %r" % rx)
    for rx in a.no_out:
        if re.search(rx, r.stdout, re.M):
            problems.append("stdout matches %r" % rx)
    for rx in a.err:
        if not re.search(rx, r.stderr, re.M):
            problems.append("stderr does not match %r" % rx)
    for name, op, value in a.query:
        m = re.search(r"^%s = (\S+)$" % re.escape(name), r.stdout, re.M)
        if not m:
            problems.append("no '%s = ...' line" % name)
            continue
        got, want = float(m.group(1)), float(value)
        if not OPS[op](got, want):
            problems.append("%s = %s, expected %s %s" % (name, m.group(1), op, value))
        else:
            print("ok: %s = %s (%s %s)" % (name, m.group(1), op, value))
    if a.max_script_ms is not None:
        # The sanitizer build sets GLINT_TIME_SCALE: its code runs several times slower, and
        # the budget is about the release build.
        limit_ms = a.max_script_ms * float(os.environ.get("GLINT_TIME_SCALE", "1"))
        m = re.search(r"script time per frame: mean ([\d.]+) ms", r.stdout)
        if not m:
            problems.append("no script time line")
        elif float(m.group(1)) >= limit_ms:
            problems.append("mean script time %s ms >= %s ms" % (m.group(1), limit_ms))
        else:
            print("ok: mean script time %s ms < %s ms" % (m.group(1), limit_ms))
    if a.same_hash:
        hashes = []
        for run in runs:
            lines = run.stdout.strip().splitlines()
            last = lines[-1] if lines else ""
            hashes.append(last if last.startswith("state hash: ") else None)
        if None in hashes:
            problems.append("the last line is not 'state hash: HEX'")
        elif hashes[0] != hashes[1]:
            problems.append("two runs differ: %s vs %s" % (hashes[0], hashes[1]))
        else:
            print("ok: both runs end with %s" % hashes[0])
    if problems:
        for i, run in enumerate(runs):
            print("---- run %d: %s\n---- stdout:\n%s---- stderr:\n%s" %
                  (i + 1, " ".join(cmd), run.stdout, run.stderr))
        for p in problems:
            print("FAIL: " + p)
        return 1
    print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "(no output)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
