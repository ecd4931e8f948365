#!/usr/bin/env python3
"""Differential testing: modules made by wasm_gen run in Glint (glint-difftool) and in node's V8
(diff_run.mjs); the reports (each export's result or trap kind, a memory hash after each call,
the globals) must be equal, NaNs compared as NaN.

  diff.py --difftool build/tests/fuzz/glint-difftool [--count N | --seconds S] [--first SEED]
          [--features LIST]

The modules use the proposals V8 runs the same way (--features, default "v8": SIMD, tail calls,
exception handling, memory64; wasm_gen.h), so a trap can also be an uncaught exception.

Prints each mismatch (seed, both lines; the module stays in --keep DIR) and a summary line
"diff: N modules, C calls, T traps, M mismatches"; exits 1 on any mismatch."""
import argparse
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def reports(lines):
    """Splits a report stream into {module name: [lines]}."""
    out, current = {}, None
    for line in lines.splitlines():
        if line.startswith("module "):
            current = line[len("module "):]
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--difftool", required=True)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seconds", type=float, help="run batches until this much time has passed")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--keep", default="diff-mismatches", help="where mismatching modules go")
    ap.add_argument("--features", default="v8", help="wasm_gen features (comma list, 'v8', 'none')")
    a = ap.parse_args()

    start = time.time()
    seed, modules, calls, mismatches = a.first, 0, 0, 0
    outcomes = collections.Counter()
    while True:
        if a.seconds is None and modules >= a.count:
            break
        if a.seconds is not None and time.time() - start >= a.seconds:
            break
        n = a.batch if a.seconds is not None else min(a.batch, a.count - modules)
        with tempfile.TemporaryDirectory() as d:
            subprocess.run([a.difftool, "gen", str(seed), str(n), d, a.features], check=True)
            files = [os.path.join(d, "%d.wasm" % s) for s in range(seed, seed + n)]
            glint = subprocess.run([a.difftool, "run"] + files, capture_output=True, text=True)
            # node 20 has memory64 behind a flag (harmless for modules without it)
            node = subprocess.run([a.node, "--experimental-wasm-memory64",
                                   os.path.join(HERE, "diff_run.mjs")] + files,
                                  capture_output=True, text=True)
            if node.returncode != 0:
                sys.exit("diff: node failed:\n" + node.stderr)
            g, v = reports(glint.stdout), reports(node.stdout)
            for s in range(seed, seed + n):
                name = "%d.wasm" % s
                gl, vl = g.get(name), v.get(name)
                if gl is None or vl is None:
                    sys.exit("diff: no report for %s (glint stderr: %s)" % (name, glint.stderr[-2000:]))
                for line in gl:
                    parts = line.split(" ")
                    if line.startswith("f"):
                        calls += 1
                        outcomes[" ".join(parts[1:3]) if parts[1] == "trap" else parts[1]] += 1
                if gl != vl:
                    mismatches += 1
                    os.makedirs(a.keep, exist_ok=True)
                    shutil.copy(os.path.join(d, name), os.path.join(a.keep, name))
                    print("MISMATCH seed %d (module kept in %s):" % (s, a.keep))
                    for x, y in zip(gl + [""] * len(vl), vl + [""] * len(gl)):
                        if x != y:
                            print("  glint: %s\n  v8:    %s" % (x, y))
                            break
        seed += n
        modules += n
    elapsed = time.time() - start
    print("outcomes: " + ", ".join("%s %d" % kv for kv in sorted(outcomes.items())))
    print("diff: %d modules (seeds %d..%d), %d calls, %d mismatches, %.0f s"
          % (modules, a.first, seed - 1, calls, mismatches, elapsed))
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
