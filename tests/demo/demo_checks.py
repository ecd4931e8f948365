#!/usr/bin/env python3
"""Gameplay checks of the demo game, headless, through glint-demo's --query output.

  demo_checks.py GLINT_DEMO SCENARIO

Scenarios compare runs that differ only in their scripted input, so they hold whatever the
game's starting numbers are:
  moves     holding Right (or D) ends with a larger player x than idling; Left with a smaller
            one; Down (or S) with a larger player y
  shoot     firing while circling kills enemies: kills > 0, the score rose, and the arena (C)
            and enemies (Rust) modules agree on the kill count
  game_over an idle player reaches game over within 3600 frames (60 s of game time)
  restart   after game over, Enter starts a fresh round: not over, full health, score 0, the
            player back at the start, a new first wave
  seed      different seeds give different state hashes; the same seed the same hash; drawing
            (skipped with --render-last) does not change the game state
  simd GLINT GUEST_DIR SCALAR_ARENA
            the demo's arena.wasm uses SIMD (glint inspect), the scalar build of its sources
            does not, and the scripted session gives the same state hash with either
Runs use --render-last (no drawing but on the last frame) unless a scenario says otherwise.
"""
import os
import re
import subprocess
import sys
import tempfile


QUERIES = ["player_x", "player_y", "score", "kills", "enemies_killed", "game_over",
           "game_over_frame", "restarts", "round_steps", "hp", "wave", "enemies"]


def run(demo, frames, script="", extra=("--render-last",), modules=()):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write(script)
        path = f.name
    try:
        cmd = [demo, "--headless", "--no-audio", "--frames", str(frames), "--input", path]
        for q in QUERIES:
            cmd += ["--query", q]
        cmd += list(extra) + list(modules)
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
        for keys, query, sign in ((("Right", "D"), "player_x", 1), (("Left",), "player_x", -1),
                                  (("Down", "S"), "player_y", 1)):
            for key in keys:
                moved = run(demo, 90, "10 %s down\n70 %s up\n" % (key, key))
                ok &= check((moved[query] - idle[query]) * sign > 10,
                            "%s: %s %g vs idle %g" % (key, query, moved[query], idle[query]))
    elif scenario == "shoot":
        idle = run(demo, 600)
        script = open(os.path.join(os.path.dirname(__file__), "..", "..", "demo_game",
                                   "demo_input.txt")).read()
        played = run(demo, 600, script)
        ok &= check(idle["kills"] == 0 and idle["score"] == 0, "idle: no kills, score 0")
        ok &= check(played["kills"] > 0, "playing: %g kills" % played["kills"])
        ok &= check(played["score"] >= 50 * played["kills"] > 0,
                    "the score rose with the kills: %g" % played["score"])
        ok &= check(played["kills"] == played["enemies_killed"],
                    "arena counts %g kills, enemies %g" % (played["kills"],
                                                          played["enemies_killed"]))
    elif scenario == "game_over":
        start = run(demo, 2)
        idle = run(demo, 3600)
        ok &= check(start["game_over"] == 0 and start["hp"] > 0, "not over at the start")
        ok &= check(idle["game_over"] == 1 and idle["hp"] == 0,
                    "an idle player's game is over after 3600 frames (at frame %g)" %
                    idle["game_over_frame"])
    elif scenario == "restart":
        start = run(demo, 2)
        over = run(demo, 3600)
        f = int(over["game_over_frame"])
        ok &= check(over["game_over"] == 1 and f > 0, "game over at frame %d" % f)
        press = "%d Return down\n%d Return up\n" % (f + 60, f + 64)
        still = run(demo, f + 120)
        again = run(demo, f + 120, press)
        ok &= check(still["game_over"] == 1, "without Enter the game stays over")
        ok &= check(again["game_over"] == 0 and again["restarts"] == 1,
                    "Enter restarted: game_over %g, restarts %g" % (again["game_over"],
                                                                    again["restarts"]))
        ok &= check(again["hp"] == start["hp"] and again["score"] == 0 and again["wave"] <= 1,
                    "a fresh round: hp %g, score %g, wave %g" % (again["hp"], again["score"],
                                                                 again["wave"]))
        ok &= check(again["round_steps"] < 90 and again["player_x"] == start["player_x"],
                    "the round is %g steps old, player x %g" % (again["round_steps"],
                                                              again["player_x"]))
    elif scenario == "seed":
        a = run(demo, 300, extra=["--render-last", "--seed", "1"])
        b = run(demo, 300, extra=["--render-last", "--seed", "1"])
        c = run(demo, 300, extra=["--render-last", "--seed", "2"])
        drawn = run(demo, 300, extra=["--seed", "1"])
        ok &= check(a["hash"] == b["hash"], "same seed, same hash %s" % a["hash"])
        ok &= check(a["hash"] != c["hash"], "another seed, another hash %s" % c["hash"])
        ok &= check(a["hash"] == drawn["hash"], "drawing every frame or not, same hash")
    elif scenario == "simd":
        glint, guests, scalar_arena = sys.argv[3:6]
        arena = os.path.join(guests, "arena.wasm")

        def features(path):
            out = subprocess.run([glint, "inspect", path], capture_output=True, text=True).stdout
            m = re.search(r"^features: (.*)$", out, re.M)
            return m.group(1).split(", ") if m else []
        ok &= check("simd" in features(arena), "arena.wasm uses SIMD: %s" % features(arena))
        ok &= check("simd" not in features(scalar_arena),
                    "its scalar build does not: %s" % features(scalar_arena))
        script = open(os.path.join(os.path.dirname(__file__), "..", "..", "demo_game",
                                   "demo_input.txt")).read()
        enemies = os.path.join(guests, "enemies.wasm")
        simd = run(demo, 600, script, modules=[arena, enemies])
        scalar = run(demo, 600, script, modules=[scalar_arena, enemies])
        ok &= check(simd["hash"] == scalar["hash"] and simd["kills"] > 0,
                    "same state hash with either build: %s, %s (%g kills)" %
                    (simd["hash"], scalar["hash"], simd["kills"]))
    else:
        sys.exit("unknown scenario " + scenario)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
