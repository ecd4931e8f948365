#!/usr/bin/env python3
"""Gameplay checks of the demo game, headless, through glint-demo's --query output.

  demo_checks.py GLINT_DEMO SCENARIO

Scenarios compare runs that differ only in their scripted input, so they hold whatever the
game's starting numbers are:
  moves     holding Right ends with a larger player x than idling; Left with a smaller one
  game_over an idle player reaches game over within 3600 frames (60 s of game time)
  seed      different seeds give different state hashes; the same seed the same hash
"""
import os
import re
import subprocess
import sys
import tempfile


def run(demo, frames, script="", extra=()):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        cmd = [demo, "--headless", "--no-audio", "--frames", str(frames), "--input", path]
        cmd += ["--query", "player_x", "--query", "score", "--query", "game_over"] + list(extra)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    finally:
        os.unlink(path)
    if r.returncode != 0 or re.search(r"^error: ", r.stdout, re.M):
        sys.exit("FAIL: %s\n%s\n%s" % (" ".join(cmd), r.stdout, r.stderr))
    values = dict(re.findall(r"^(\w+) = (-?[\d.e+-]+)$", r.stdout, re.M))
    values = {k: float(v) for k, v in values.items()}
    values["hash"] = re.search(r"^state hash: (\w+)$", r.stdout, re.M).group(1)
    return values


def check(cond, message):
    print(("ok: " if cond else "FAIL: ") + message)
    return cond


def main():
    demo, scenario = sys.argv[1], sys.argv[2]
    ok = True
    if scenario == "moves":
        idle = run(demo, 90)
        right = run(demo, 90, "10 Right down\n70 Right up\n")
        left = run(demo, 90, "10 Left down\n70 Left up\n")
        ok &= check(right["player_x"] > idle["player_x"] + 10,
                    "Right: player_x %g > idle %g" % (right["player_x"], idle["player_x"]))
        ok &= check(left["player_x"] < idle["player_x"] - 10,
                    "Left: player_x %g < idle %g" % (left["player_x"], idle["player_x"]))
    elif scenario == "game_over":
        start = run(demo, 2)
        idle = run(demo, 3600)
        ok &= check(start["game_over"] == 0, "not over at the start")
        ok &= check(idle["game_over"] == 1, "an idle player's game is over after 3600 frames")
    elif scenario == "seed":
        a = run(demo, 300, extra=["--seed", "1"])
        b = run(demo, 300, extra=["--seed", "1"])
        c = run(demo, 300, extra=["--seed", "2"])
        ok &= check(a["hash"] == b["hash"], "same seed, same hash %s" % a["hash"])
        ok &= check(a["hash"] != c["hash"], "another seed, another hash %s" % c["hash"])
    else:
        sys.exit("unknown scenario " + scenario)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
