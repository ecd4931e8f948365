#!/usr/bin/env python3
"""What the rewind timeline costs the demo's scripts (issue 15's 5%, issue 16's timeline).

Runs glint-demo --headless on the scripted input, taking turns for --rounds rounds:
  off       no timeline (--rewind 0, glint-demo's default)
  faulting  --rewind 600 with every written page protected again at each frame
            (GLINT_OPEN_HOT_PAGES=0: a write fault at each page's first write in a frame)
  open      --rewind 600 as it runs by default (pages written frame after frame are left
            unprotected: runtime/src/snapshot/dirty_pages.cpp, protect_again)
  compare   --rewind 600 without the kernel's write tracking (GLINT_KERNEL_TRACKING=0: each
            record compares every page with the ring's copy; no fault, no system call)
and prints, per frame (medians over the rounds): the script time (thread CPU time in guest
calls), the page faults taken in guest calls (getrusage of the game thread), and for the
timeline its pages copied per frame, its record time and its memory.
CPU times do not count the time other processes ran, wall clock would. --base BUILD adds
another build's glint-demo without and with the timeline (what it prints: an older one may not
print faults, and may count the timeline's state hash calls as script time).

  bench/editor/timeline_cost.py [--build build] [--base BUILD] [--rounds 5] [--frames 600]"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CONFIGS = (
    ("off", ["--rewind", "0"], {}),
    ("faulting", ["--rewind", "600"], {"GLINT_OPEN_HOT_PAGES": "0"}),
    ("open", ["--rewind", "600"], {}),
    ("compare", ["--rewind", "600"], {"GLINT_KERNEL_TRACKING": "0"}),
)

PATTERNS = {
    "script ms": r"script time per frame: mean ([\d.]+) ms",
    "faults": r"script page faults per frame: mean ([\d.]+)",
    "record ms": r"a frame recorded in ([\d.]+) ms \(mean\)",
    "pages": r"([\d.]+) pages copied \(mean\)",
    "ring MiB": r"timeline: \d+ frames held, ([\d.]+) MiB",
}


def run(cmd, env_extra):
    env = dict(os.environ, **env_extra)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    out = r.stdout + r.stderr
    if r.returncode != 0:
        sys.exit("FAIL: %s exited %d:\n%s" % (" ".join(cmd), r.returncode, out[-3000:]))
    values = {}
    for name, pattern in PATTERNS.items():
        m = re.search(pattern, out, re.M)
        if m:
            values[name] = float(m.group(1))
    hash_line = re.search(r"state hash: (\w+)", out)
    values["hash"] = hash_line.group(1) if hash_line else "?"
    return values


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--frames", type=int, default=600)
    ap.add_argument("--base", help="another build to compare with")
    a = ap.parse_args()
    common = ["--headless", "--no-audio", "--frames", str(a.frames), "--input",
              os.path.join(ROOT, "demo_game", "demo_input.txt")]
    configs = [(name, [os.path.join(a.build, "demo_game", "glint-demo")] + common + args, env)
               for name, args, env in CONFIGS]
    if a.base:
        base = [os.path.join(a.base, "demo_game", "glint-demo")] + common
        configs += [("base off", base + ["--rewind", "0"], {}),
                    ("base 600", base + ["--rewind", "600"], {})]
    results = {name: [] for name, _, _ in configs}
    for r in range(a.rounds):
        line = []
        for name, cmd, env in configs:
            v = run(cmd, env)
            results[name].append(v)
            line.append("%s %.3f ms, %.1f faults" % (name, v["script ms"], v.get("faults", -1)))
        print("round %d/%d: %s" % (r + 1, a.rounds, "; ".join(line)), flush=True)
    hashes = {v["hash"] for vs in results.values() for v in vs}
    if len(hashes) != 1:
        sys.exit("FAIL: the runs ended in different states: %s" % sorted(hashes))

    def med(name, key):
        vs = [v[key] for v in results[name] if key in v]
        return statistics.median(vs) if vs else float("nan")

    print()
    print("per frame, medians of %d rounds (%d frames each)" % (a.rounds, a.frames))
    print("%-10s %10s %8s %8s %8s %10s %9s" % ("", "script ms", "/ off", "faults", "pages",
                                               "record ms", "ring MiB"))
    off = med("off", "script ms")
    for name, _, _ in configs:
        print("%-10s %10.3f %8.3f %8.1f %8.1f %10.3f %9.1f" % (
            name, med(name, "script ms"), med(name, "script ms") / off, med(name, "faults"),
            med(name, "pages"), med(name, "record ms"), med(name, "ring MiB")))
    for a_name, b_name in (("open", "off"), ("faulting", "off"), ("base 600", "base off")):
        if b_name in results:
            ratios = [x["script ms"] / y["script ms"]
                      for x, y in zip(results[a_name], results[b_name])]
            print("%s / %s per round: %s" % (a_name, b_name,
                                             ", ".join("%.3f" % x for x in ratios)))


main()
