#!/usr/bin/env python3
"""The editor's numbers of issue 15, measured on the demo game with its DWARF:

  script   the demo's script time per frame (thread CPU time in the guest calls, as both tools
           print it) in glint-demo --headless and in glint-editor (under Xvfb, scripted, one game
           step per UI frame, no breakpoint set): within 5%. Both with the rewind timeline
           (--rewind 600, the editor's default) and both without (--rewind 0, glint-demo's
           default): the timeline's write tracking costs the scripts a page fault at each
           page's first write in a frame, so only like compares with like. And glint-demo in a
           window (under Xvfb): like the editor, it draws between game frames, so each frame's
           guest code starts with caches the drawing used; headless, frames run back to back
  open     opening the demo in the editor (loading both modules, reading their DWARF, running
           init), wall clock and CPU time of the game thread: under 200 ms
  step     steps by source line (over a call, into one, out of it; C and Rust), from the UI's
           click to the stop it shows, wall clock, and the game thread's CPU time: under 5 ms

Runs take turns (demo, editor, editor stepping) for --rounds rounds; medians are printed. The
wall-clock numbers count the time other processes ran on a busy machine; the CPU times do not.

  bench/editor/editor_bench.py [--build build] [--rounds 5] [--frames 600] [--steps 10]"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]


def run(cmd, script_text=None):
    script = None
    if script_text is not None:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write(script_text)
            script = f.name
        cmd = cmd + ["--script", script]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    finally:
        if script:
            os.remove(script)
    out = r.stdout + r.stderr
    if r.returncode != 0:
        sys.exit("FAIL: %s exited %d:\n%s" % (" ".join(cmd), r.returncode, out[-3000:]))
    return out


def number(pattern, text, what):
    m = re.search(pattern, text, re.M)
    if not m:
        sys.exit("FAIL: no %s in the output:\n%s" % (what, text[-3000:]))
    return [float(g) for g in m.groups()]


def step_script(frames, steps):
    lines = ["frames %d" % frames, "break main.c:137"]
    for _ in range(steps):  # C: over a call, into one, out of it; one game frame each
        lines += ["continue", "wait stop", "step over", "step into", "step out"]
    lines += ["delete all", "break enemies.rs:456"]
    for _ in range(steps):  # Rust: over a line that calls an inlined function, in a loop
        lines += ["continue", "wait stop", "step over"]
    lines += ["delete all", "continue", "frames 1", "quit"]
    return "\n".join(lines) + "\n"


def summary(name, values, unit, target=None):
    med = statistics.median(values)
    line = "%-44s median %8.3f %s  (min %.3f, max %.3f, n=%d)" % (
        name, med, unit, min(values), max(values), len(values))
    if target is not None:
        line += "  %s %s %s" % ("ok: under" if med < target else "OVER", target, unit)
    print(line)
    return med


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--frames", type=int, default=600)
    ap.add_argument("--steps", type=int, default=10)
    a = ap.parse_args()
    demo = [os.path.join(a.build, "demo_game", "glint-demo"), "--headless", "--no-audio"]
    editor = XVFB + [os.path.join(a.build, "editor", "glint-editor"), "--no-audio"]
    game_input = ["--input", os.path.join(ROOT, "demo_game", "demo_input.txt")]
    frames = "frames %d\nquit\n" % a.frames
    script_re = r"script time per frame: mean ([\d.]+) ms"
    open_re = r"opened \d+ module\(s\) in ([\d.]+) ms, ([\d.]+) ms of CPU"
    step_re = r"\(the step took ([\d.]+) ms, ([\d.]+) ms of CPU\)"

    demo_ms, editor_ms, open_wall, open_cpu, step_wall, step_cpu = [], [], [], [], [], []
    demo_rw_ms, editor_rw_ms, window_ms = [], [], []  # with the timeline; glint-demo windowed
    for r in range(a.rounds):
        demo_ms += number(script_re, run(demo + ["--frames", str(a.frames)] + game_input),
                          "script time")
        window_ms += number(script_re, run(XVFB + demo[:1] + ["--no-audio", "--frames",
                                                          str(a.frames)] + game_input),
                            "script time")
        out = run(editor + ["--rewind", "0"] + game_input, frames)
        editor_ms += number(script_re, out, "script time")
        demo_rw_ms += number(script_re, run(demo + ["--frames", str(a.frames), "--rewind", "600"]
                                            + game_input), "script time")
        out = run(editor + ["--rewind", "600"] + game_input, frames)
        editor_rw_ms += number(script_re, out, "script time")
        w, c = number(open_re, out, "open time")
        open_wall.append(w)
        open_cpu.append(c)
        out = run(editor + game_input, step_script(120, a.steps))
        steps = re.findall(step_re, out)
        if len(steps) != 4 * a.steps:
            sys.exit("FAIL: %d steps measured, %d expected:\n%s" % (len(steps), 4 * a.steps,
                                                                   out[-3000:]))
        step_wall += [float(s[0]) for s in steps]
        step_cpu += [float(s[1]) for s in steps]
        print("round %d/%d: script %.3f / %.3f ms per frame (demo / editor), with the "
              "timeline %.3f / %.3f, open %.0f ms (%.0f of CPU), steps: max %.2f ms (%.2f of CPU)"
              % (r + 1, a.rounds, demo_ms[-1], editor_ms[-1], demo_rw_ms[-1], editor_rw_ms[-1],
                 w, c,
                 max(float(s[0]) for s in steps), max(float(s[1]) for s in steps)),
              flush=True)

    print()
    for what, demo_v, editor_v in (("", demo_ms, editor_ms),
                                   (", --rewind 600", demo_rw_ms, editor_rw_ms)):
        d = summary("script per frame, glint-demo --headless" + what, demo_v, "ms")
        e = summary("script per frame, glint-editor (attached)" + what, editor_v, "ms")
        ratio = e / d
        print("%-44s %8.3f  %s" % ("editor / demo (medians)", ratio,
                                   "ok: within 5%" if abs(ratio - 1) <= 0.05 else "OVER 5%"))
    w = summary("script per frame, glint-demo in a window", window_ms, "ms")
    ratio = statistics.median(editor_ms) / w
    print("%-44s %8.3f  %s" % ("editor / demo in a window (medians)", ratio,
                               "ok: within 5%" if abs(ratio - 1) <= 0.05 else "OVER 5%"))
    print("%-44s %8.3f" % ("timeline on / off, glint-demo (medians)",
                           statistics.median(demo_rw_ms) / statistics.median(demo_ms)))
    summary("open the demo with DWARF, wall clock", open_wall, "ms", 200)
    summary("open the demo with DWARF, game thread CPU", open_cpu, "ms", 200)
    summary("step by line, wall clock (click to stop)", step_wall, "ms", 5)
    summary("step by line, game thread CPU", step_cpu, "ms", 5)
    print("%-44s %8.3f ms (wall), %.3f ms (CPU)" % ("slowest step", max(step_wall),
                                                    max(step_cpu)))


main()
