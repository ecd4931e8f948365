#!/usr/bin/env python3
"""Differential testing: modules made by wasm_gen run in Glint (glint-difftool) and in a reference;
the reports (each export's result or trap kind, a memory hash after each call, the globals) must
be equal, NaNs compared as NaN.

  diff.py --difftool build/tests/fuzz/glint-difftool [--count N | --seconds S] [--first SEED]
          [--reference v8|wabt] [--features LIST]

--reference v8 (default): node's V8 (diff_run.mjs), on modules with the proposals it runs the
same way (--features default "v8": SIMD, tail calls, exception handling, memory64; wasm_gen.h),
so a trap can also be an uncaught exception.
--reference wabt: wabt's `wasm-interp --run-all-exports`, on modules that report themselves
(`glint-difftool gen-wabt`, GenOptions::self_report) with its proposals (default "wabt": SIMD,
tail calls, memory64, multi-memory); Glint runs the same modules (`glint-difftool run-wabt`),
and wabt's trap messages are read as the spec's wording.

Prints each mismatch (seed, both lines; the module stays in --keep DIR) and a summary line
"diff (REFERENCE, features F): N modules, C calls, M mismatches"; exits 1 on any mismatch."""
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


# wabt's trap messages (before any ": detail") in the spec's wording, which Glint prints.
WABT_TRAPS = {
    "unreachable executed": "unreachable",
    "undefined table index": "undefined element",
    "uninitialized table element": "uninitialized element",
    "indirect call signature mismatch": "indirect call type mismatch",
}


def wabt_line(line):
    head, sep, message = line.partition(" => error: ")
    if not sep:
        return line
    message = message.split(":")[0]
    return head + sep + WABT_TRAPS.get(message, message)


def run_v8(a, files):
    """The Glint and V8 reports of a batch of modules."""
    glint = subprocess.run([a.difftool, "run"] + files, capture_output=True, text=True)
    # node 20 has memory64 behind a flag (harmless for modules without it)
    node = subprocess.run([a.node, "--experimental-wasm-memory64",
                           os.path.join(HERE, "diff_run.mjs")] + files,
                          capture_output=True, text=True)
    if node.returncode != 0:
        sys.exit("diff: node failed:\n" + node.stderr)
    return glint, reports(node.stdout)


def run_wabt(a, files):
    """The Glint and wasm-interp reports of a batch of self-reporting modules. A wasm-interp that
    fails (it has asserted on modules it took) leaves its message in the report: a mismatch."""
    glint = subprocess.run([a.difftool, "run-wabt"] + files, capture_output=True, text=True)
    out = {}
    for f in files:
        r = subprocess.run([a.wasm_interp, "--enable-tail-call", "--enable-memory64",
                            "--enable-multi-memory", "--run-all-exports", f],
                           capture_output=True, text=True)
        lines = [wabt_line(x) for x in r.stdout.splitlines()]
        if r.returncode != 0:
            lines.append("wasm-interp failed (exit %d): %s" % (r.returncode, r.stderr.strip()[-300:]))
        out[os.path.basename(f)] = lines
    return glint, out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--difftool", required=True)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seconds", type=float, help="run batches until this much time has passed")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--keep", default="diff-mismatches", help="where mismatching modules go")
    ap.add_argument("--reference", choices=["v8", "wabt"], default="v8")
    ap.add_argument("--wasm-interp", default=shutil.which("wasm-interp") or "wasm-interp")
    ap.add_argument("--features", help="wasm_gen features (comma list, 'v8', 'wabt', 'none'; "
                    "default: the reference's)")
    a = ap.parse_args()
    features = a.features or a.reference

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
            gen = "gen" if a.reference == "v8" else "gen-wabt"
            subprocess.run([a.difftool, gen, str(seed), str(n), d, features], check=True)
            files = [os.path.join(d, "%d.wasm" % s) for s in range(seed, seed + n)]
            glint, v = (run_v8 if a.reference == "v8" else run_wabt)(a, files)
            g = reports(glint.stdout)
            for s in range(seed, seed + n):
                name = "%d.wasm" % s
                gl, vl = g.get(name), v.get(name)
                if gl is None or vl is None:
                    sys.exit("diff: no report for %s (glint stderr: %s)" % (name, glint.stderr[-2000:]))
                for line in gl:
                    parts = line.split(" ")
                    if line.startswith("f"):  # v8: "fN: ok ...", "fN: trap KIND ..."
                        calls += 1
                        outcomes[" ".join(parts[1:3]) if parts[1] == "trap" else parts[1]] += 1
                    elif line.startswith("c"):  # wabt: "cN() => i32:5", "cN() => error: ..."
                        calls += 1
                        head, sep, trap = line.partition(" => error: ")
                        outcomes["trap " + trap if sep else "ok"] += 1
                if gl != vl:
                    mismatches += 1
                    os.makedirs(a.keep, exist_ok=True)
                    shutil.copy(os.path.join(d, name), os.path.join(a.keep, name))
                    print("MISMATCH seed %d (module kept in %s):" % (s, a.keep))
                    for x, y in zip(gl + [""] * len(vl), vl + [""] * len(gl)):
                        if x != y:
                            print("  glint: %s\n  %-6s %s" % (x, a.reference + ":", y))
                            break
        seed += n
        modules += n
    elapsed = time.time() - start
    print("outcomes: " + ", ".join("%s %d" % kv for kv in sorted(outcomes.items())))
    print("diff (%s, features %s): %d modules (seeds %d..%d), %d calls, %d mismatches, %.0f s"
          % (a.reference, features, modules, a.first, seed - 1, calls, mismatches, elapsed))
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
