#!/usr/bin/env python3
"""Runs glint-demo headless and the editor (scripted: one game step per UI frame) on the same
input for the same number of frames; their state hashes must be equal: the editor runs the same
game, step for step, with its debugger attached.

  same_game.py FRAMES INPUT GLINT_DEMO -- EDITOR_COMMAND...   (the editor's script is added)"""
import os
import re
import subprocess
import sys
import tempfile


def state_hash(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    m = re.search(r"^state hash: ([0-9a-f]{16})$", r.stdout, re.M)
    if r.returncode != 0 or not m:
        sys.exit("FAIL: %s exited %d without a state hash:\n%s\n%s"
                 % (cmd[0], r.returncode, r.stdout[-2000:], r.stderr[-2000:]))
    times = re.search(r"script time per frame: mean ([\d.]+) ms", r.stdout)
    print("%s: state hash %s, script time per frame %s ms"
          % (os.path.basename(cmd[0]) if "xvfb" not in cmd[0] else "glint-editor", m.group(1),
             times.group(1) if times else "?"))
    return m.group(1)


def main():
    frames, input_file, demo = sys.argv[1], sys.argv[2], sys.argv[3]
    editor = sys.argv[sys.argv.index("--") + 1:]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as script:
        script.write("frames %s\nquit\n" % frames)
    try:
        a = state_hash([demo, "--headless", "--no-audio", "--frames", frames, "--input", input_file])
        b = state_hash(editor + ["--input", input_file, "--script", script.name])
    finally:
        os.remove(script.name)
    if a != b:
        sys.exit("FAIL: the editor's state hash differs from glint-demo's")
    print("ok: the same game")


main()
