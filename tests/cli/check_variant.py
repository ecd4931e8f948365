#!/usr/bin/env python3
"""Checks that `glint --version` names the interpreter copy the CPU check should choose, with the
kernel's view of the CPU (/proc/cpuinfo) as the independent answer: x86-64-v3 where it lists
avx2, bmi1, bmi2, abm (LZCNT) and movbe, x86-64 elsewhere; and that GLINT_CPU=sse4.1 and
GLINT_CPU=baseline select x86-64, with SIMD on and off.

  check_variant.py GLINT"""
import os
import re
import subprocess
import sys


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def version(glint, cpu):
    env = dict(os.environ)
    env.pop("GLINT_CPU", None)
    if cpu:
        env["GLINT_CPU"] = cpu
    out = subprocess.run([glint, "--version"], env=env, capture_output=True, text=True,
                         check=True).stdout
    variant = re.search(r"^interpreter: (\S+)$", out, re.M)
    simd = re.search(r"^simd: (\S+)", out, re.M)
    return (variant and variant.group(1), simd and simd.group(1))


def main():
    glint = sys.argv[1]
    flags = cpu_flags()
    v3 = {"avx2", "bmi1", "bmi2", "abm", "movbe"} <= flags
    sse41 = "sse4_1" in flags
    want = {
        None: ("x86-64-v3" if v3 else "x86-64", "yes" if sse41 else "no"),
        "sse4.1": ("x86-64", "yes" if sse41 else "no"),
        "baseline": ("x86-64", "no"),
    }
    failed = False
    for cpu, expected in want.items():
        got = version(glint, cpu)
        print(f"GLINT_CPU={cpu or '(unset)'}: interpreter {got[0]}, simd {got[1]}"
              f" (expected {expected[0]}, {expected[1]})")
        failed |= got != expected
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
