#!/usr/bin/env python3
"""Runs a command and checks its exit code and output.

  expect.py [--exit N | --fail] [--out REGEX]... [--err REGEX]... [--no-out REGEX]... -- CMD...

--exit N: the exit code (default 0); --fail: any non-zero code. --out/--err: a regex that must
match stdout/stderr (multiline); --no-out: one that must not match stdout."""
import argparse
import re
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exit", type=int, default=0)
    ap.add_argument("--fail", action="store_true")
    ap.add_argument("--out", action="append", default=[])
    ap.add_argument("--err", action="append", default=[])
    ap.add_argument("--no-out", action="append", default=[])
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    print("$ " + " ".join(cmd))
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    problems = []
    if a.fail and r.returncode == 0:
        problems.append("exit code 0, expected a failure")
    if not a.fail and r.returncode != a.exit:
        problems.append("exit code %d, expected %d" % (r.returncode, a.exit))
    problems += ["stdout does not match %r" % rx for rx in a.out if not re.search(rx, r.stdout, re.M)]
    problems += ["stderr does not match %r" % rx for rx in a.err if not re.search(rx, r.stderr, re.M)]
    problems += ["stdout matches %r" % rx for rx in a.no_out if re.search(rx, r.stdout, re.M)]
    print("exit %d\n---- stdout\n%s---- stderr\n%s" % (r.returncode, r.stdout[-3000:], r.stderr[-3000:]))
    if problems:
        print("FAIL: " + "; ".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
