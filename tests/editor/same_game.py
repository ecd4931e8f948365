#!/usr/bin/env python3
"""Runs glint-demo headless and the editor (scripted: one game step per UI frame) on the same
input for the same number of frames; their state hashes must be equal: the editor runs the same
game, step for step, with its debugger attached.

  same_game.py FRAMES INPUT GLINT_DEMO [--rewind AT:TO PNG_PROBE] -- EDITOR_COMMAND...

The editor's script is added. With --rewind, the editor plays to frame AT (a screenshot at frame
TO on the way: rewind_first.png), goes back AT - TO frames on its rewind timeline (a screenshot
with the timeline panel: rewind_timeline.png, whose game view must be rewind_first.png's, pixel
for pixel), saves frames TO..AT as a replay (glint-demo --replay must find it identical), and
plays on from TO to FRAMES (rewind_resumed.png): the game it ends with must be the same too."""
import os
import re
import subprocess
import sys
import tempfile


def state_hash(cmd, with_output=False):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"^state hash: ([0-9a-f]{16})$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        sys.exit("FAIL: %s exited %d without a state hash:\n%s\n%s"
                 % (cmd[0], r.returncode, r.stdout[-2000:], r.stderr[-2000:]))
    times = re.search(r"script time per frame: mean ([\d.]+) ms", r.stdout)
    print("%s: state hash %s, script time per frame %s ms"
          % (os.path.basename(cmd[0]) if "xvfb" not in cmd[0] else "glint-editor", m.group(1),
             times.group(1) if times else "?"))
    return (m.group(1), r.stdout) if with_output else m.group(1)


def main():
    frames, input_file, demo = sys.argv[1], sys.argv[2], sys.argv[3]
    options = sys.argv[4:sys.argv.index("--")]
    editor = sys.argv[sys.argv.index("--") + 1:]
    commands = "frames %s\n" % frames
    rewind = options[:1] == ["--rewind"]
    if rewind:
        at, to = (int(x) for x in options[1].split(":"))
        png_probe = options[2]
        for f in ("rewind_first.png", "rewind_timeline.png", "rewind_resumed.png", "range.glrp"):
            if os.path.exists(f):
                os.remove(f)
        commands = ("frames %d\ntimeline hold\nscreenshot rewind_first.png\ntimeline resume\n"
                    "frames %d\ntimeline\n"
                    "timeline back %d\npanel Timeline\nscreenshot rewind_timeline.png\n"
                    "timeline save %d %d range.glrp\ntimeline resume\nframes %d\n"
                    "timeline hold\nscreenshot rewind_resumed.png\n"
                    % (to, at - to, at - to, to, at, int(frames) - to))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as script:
        script.write(commands + "quit\n")
    try:
        a = state_hash([demo, "--headless", "--no-audio", "--frames", frames, "--input", input_file])
        b, out = state_hash(editor + ["--input", input_file, "--script", script.name], True)
    finally:
        os.remove(script.name)
    if a != b:
        sys.exit("FAIL: the editor's state hash differs from glint-demo's")
    print("ok: the same game")
    if rewind:
        check_rewind(demo, png_probe, out, at - to)


def check_rewind(demo, png_probe, out, frames):
    """The game view of the frame gone back to is the one shown when it was played; the range
    saved replays identically."""
    m = re.search(r"^screenshot: rewind_first\.png \(game view: (\d+) (\d+) (\d+) (\d+)\)$", out,
                  re.M)
    if not m:
        sys.exit("FAIL: no game view place in the editor's output:\n" + out[-2000:])
    x, y, w, h = (int(v) for v in m.groups())
    region = [str(x + 2), str(y + 2), str(w - 4), str(h - 4)]  # inside the picture's edges
    r = subprocess.run([png_probe, "rewind_timeline.png", "--same-region", "rewind_first.png"] +
                       region, capture_output=True, text=True)
    print(r.stdout.strip())
    if r.returncode != 0:
        sys.exit("FAIL: the game view after going back is not the frame as it was played")
    r = subprocess.run([demo, "--no-audio", "--replay", "range.glrp"], capture_output=True,
                       text=True, timeout=600)
    print(r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr)
    if "replay: %d frames identical" % frames not in r.stdout:
        sys.exit("FAIL: the range saved from the timeline does not replay identically:\n" +
                 r.stdout[-1000:] + r.stderr[-1000:])


main()
