#!/usr/bin/env python3
"""Hot reload of the demo game, headless: glint-demo --reload FRAME=PATH.

  reload_checks.py GLINT_DEMO SCENARIO CLANG SDK_DIR RUSTC RUST_TARGET RLIB

The test copies the demo's sources, builds the copy (the "old" build, which the game starts
with) and an edited copy (the "new" build), from the same folder so that paths compiled into
them (Rust's panic locations) are alike, as when a user edits a file in place.

Scenarios:
  same   reloading an identical build of each module at frame 300 changes nothing: the state
         hash after 600 frames is the one of a run without reloads (all state carried over)
  c      arena.c with kills scoring ten times the points, swapped in at frame 300: the score is
         the score at 300 plus ten times what the next 300 frames scored; kills and wave as
         without the edit; the old state was kept
  rust   enemies.rs with hits doing double damage, swapped in at frame 300: the state hash
         differs and more enemies die than without it; the score at 300 is kept
  c_layout  a field added to the struct of a global array (pickups.c's Pickup) and a longer
         string literal, so every address after them moves: the state is migrated through
         DWARF, the game goes on as without the edit (score, kills, wave), and the reload says
         what changed ("Pickup: field `spin` added, size 16 -> 20")
  rust_layout  a field added to enemies.rs's State (held in a static): migrated, the state hash
         is the one without the edit; then a field added to Enemy (its objects are in a Vec on
         the heap): refused, saying so and what changed, and the old code runs on
  retro  the c edit with --retro 100 --reload 300=NEW: at frame 300 the game goes back to 200,
         swaps the new build in there and runs frames 201..300 again with the recorded input:
         the score is the score at 200 plus ten times what frames 201..600 scored
  watch  glint-demo --watch on a copy of the demo, with a build recipe that builds the copy:
         a compile error in main.c shows the compiler's message and keeps the old code; the
         fix is rebuilt and swapped in with the state kept, saying how long after the save;
         CMake wrote the demo's own recipe (arena.wasm.build)
"""
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT = os.path.join(HERE, "..", "..", "demo_game", "demo_input.txt")
GUEST_SRC = os.path.join(HERE, "..", "..", "demo_game", "guest")
ARENA_SOURCES = ["main.c", "player.c", "shots.c", "pickups.c", "fx.c", "waves.c", "hud.c"]


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit("FAIL: %s exited %d\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


class Builds:
    def __init__(self, tools, root, copy=True):
        self.tools = tools
        self.clang, self.sdk, self.rustc, self.target, self.rlib = tools
        self.src = os.path.join(root, "src")  # edited in place between builds
        if copy:
            shutil.copytree(GUEST_SRC, self.src)

    def edit(self, name, old, new):
        path = os.path.join(self.src, name)
        text = open(path).read()
        assert old in text, old
        open(path, "w").write(text.replace(old, new))

    def build(self, out_dir):
        """Both modules, as demo_game/guest/CMakeLists.txt builds them."""
        return self.build_arena(out_dir), self.build_enemies(out_dir)

    def build_arena(self, out_dir):
        os.makedirs(out_dir, exist_ok=True)
        objs = []
        for s in ARENA_SOURCES:
            obj = os.path.join(out_dir, s + ".o")
            run([self.clang, "--target=wasm32-wasi", "-O2", "-g", "-I" + self.sdk, "-Wall",
                 "-Wextra", "-Werror", "-c", os.path.join(self.src, s), "-o", obj])
            objs.append(obj)
        arena = os.path.join(out_dir, "arena.wasm")
        run([self.clang, "--target=wasm32-wasi", "-mexec-model=reactor"] + objs + ["-o", arena])
        return arena

    def build_enemies(self, out_dir):
        enemies = os.path.join(out_dir, "enemies.wasm")
        run([self.rustc, "--edition", "2021", "--target", self.target, "--crate-type", "cdylib",
             "-C", "opt-level=2", "--extern", "glint_api=" + self.rlib, "-D", "warnings", "-g",
             os.path.join(self.src, "enemies.rs"), "-o", enemies])
        return enemies


QUERIES = ["score", "kills", "wave", "enemies_killed"]


def play(demo, frames, modules, *extra):
    cmd = [demo, "--headless", "--no-audio", "--render-last", "--frames", str(frames), "--input",
           INPUT] + list(extra)
    for q in QUERIES:
        cmd += ["--query", q]
    out = run(cmd + list(modules)).stdout
    values = {k: float(v) for k, v in re.findall(r"^(\w+) = (-?[\d.e+-]+)$", out, re.M)}
    values["hash"] = re.search(r"^state hash: (\w+)$", out, re.M).group(1)
    values["out"] = out
    return values


def check(cond, message):
    print(("ok: " if cond else "FAIL: ") + message)
    return bool(cond)


class Console:
    """glint-demo's stdout, read line by line as it comes."""

    def __init__(self, proc):
        self.lines, self.seen = queue.Queue(), []
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text, timeout=300):
        """The first line (from now on) holding `text`, or None after `timeout` seconds."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                line = self.lines.get(timeout=max(0.0, end - time.time()))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return line
        return None


def watch(demo, tools, tmp):
    """glint-demo --watch: a source edit is rebuilt by the module's build recipe and swapped in
    while the game runs; a compile error keeps the old code, with the compiler's message."""
    ok = True
    recipe = os.path.join(os.path.dirname(demo), "guest", "arena.wasm.build")
    text = open(recipe).read() if os.path.exists(recipe) else ""
    ok &= check("--target demo_arena" in text and re.search(r"^source .*/main\.c$", text, re.M),
                "CMake wrote the demo's recipe: %s" % recipe)
    b = Builds(tools, tmp)
    game = os.path.join(tmp, "game")
    arena, enemies = b.build(game)
    sources = ARENA_SOURCES + ["arena.h", "protocol.h"]
    with open(arena + ".build", "w") as f:
        f.write("dir %s\ncommand %s %s build_arena %s %s %s\n" % (
            tmp, sys.executable, os.path.abspath(__file__), game, tmp, " ".join(tools)))
        f.writelines("source %s\n" % os.path.join(b.src, s) for s in sources)
    cmd = [demo, "--headless", "--no-audio", "--render-last", "--watch", "--frames", "36000",
           "--input", INPUT] + sum((["--query", q] for q in QUERIES), []) + [arena, enemies]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = Console(proc)
    try:
        line = out.wait_for("watching 'arena'", 30)
        ok &= check(line and "%d source(s)" % len(sources) in line, "watched: %s" % line)
        line = out.wait_for("watching 'enemies'", 5)
        ok &= check(line and "no build recipe" in line, "no recipe: %s" % line)

        b.edit("main.c", "    game.score += k->points;\n", "    game.score += k->points *;\n")
        line = out.wait_for("build of 'arena' failed")
        ok &= check(line and "the old code runs on" in line, "a compile error: %s" % line)
        ok &= check(any("main.c" in l and "error:" in l for l in out.seen),
                    "the compiler's message shown: %s" % next(
                        (l for l in out.seen if "error:" in l), "none"))

        b.edit("main.c", "    game.score += k->points *;\n",
               "    game.score += k->points * 10;\n")
        line = out.wait_for("reloaded 'arena'")
        ok &= check(line and "state kept" in line and "after the save" in line,
                    "fixed: swapped in: %s" % line)
        print("time from save to new code running: %s" % (
            re.search(r"running ([\d.]+ s) after the save", line or "") or [None, "?"])[1])

        shutil.copy(enemies, enemies + ".tmp")  # the same build, written by another tool
        os.replace(enemies + ".tmp", enemies)
        line = out.wait_for("'enemies' is the same build", 30)
        ok &= check(line is not None, "a module file rewritten with the same build: %s" % line)
        proc.send_signal(signal.SIGINT)
        ok &= check(out.wait_for("state hash:", 30) is not None and proc.wait(30) == 0,
                    "Ctrl-C ends the run with its outputs, exit status 0")
    finally:
        if proc.poll() is None:
            proc.kill()
    return ok


def main():
    if sys.argv[1] == "build_arena":  # the watch scenario's build recipe runs this
        out_dir, root, tools = sys.argv[2], sys.argv[3], sys.argv[4:9]
        Builds(tools, root, copy=False).build_arena(out_dir)
        return 0
    demo, scenario, tools = sys.argv[1], sys.argv[2], sys.argv[3:8]
    ok = True
    tmp = tempfile.mkdtemp(prefix="glint_reload_")
    if scenario == "watch":
        try:
            return 0 if watch(demo, tools, tmp) else 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    try:
        b = Builds(tools, tmp)
        old = b.build(os.path.join(tmp, "old"))
        at300 = play(demo, 300, old)
        plain = play(demo, 600, old)
        if scenario == "same":
            new = b.build(os.path.join(tmp, "new"))
            r = play(demo, 600, old, "--reload", "300=" + new[0], "--reload", "300=" + new[1])
            ok &= check(r["out"].count("state kept") == 2, "both modules reloaded, state kept")
            ok &= check(r["hash"] == plain["hash"],
                        "state hash %s, without reloads %s" % (r["hash"], plain["hash"]))
        elif scenario == "c":
            b.edit("main.c", "    game.score += k->points;\n",
                   "    game.score += k->points * 10;\n")
            new = b.build(os.path.join(tmp, "new"))
            r = play(demo, 600, old, "--reload", "300=" + new[0])
            ok &= check("frame 300: reloaded 'arena'" in r["out"] and "state kept" in r["out"],
                        "arena reloaded at frame 300, state kept")
            want = at300["score"] + 10 * (plain["score"] - at300["score"])
            ok &= check(plain["score"] > at300["score"], "the last 300 frames score points")
            ok &= check(r["score"] == want, "score %g = %g + 10 x %g" % (
                r["score"], at300["score"], plain["score"] - at300["score"]))
            ok &= check(r["kills"] == plain["kills"] and r["wave"] == plain["wave"],
                        "kills %g and wave %g as without the edit" % (r["kills"], r["wave"]))
        elif scenario == "retro":
            b.edit("main.c", "    game.score += k->points;\n",
                   "    game.score += k->points * 10;\n")
            new = b.build(os.path.join(tmp, "new"))
            at200 = play(demo, 200, old)
            r = play(demo, 600, old, "--retro", "100", "--reload", "300=" + new[0])
            ok &= check("frame 300: reloaded 'arena'" in r["out"] and
                        "the last 100 frames ran again with it" in r["out"],
                        "at frame 300, arena reloaded 100 frames back and frames 201..300 re-run")
            want = at200["score"] + 10 * (plain["score"] - at200["score"])
            ok &= check(plain["score"] > at300["score"] > at200["score"],
                        "frames 201..300 and 301..600 score points")
            ok &= check(r["score"] == want, "score %g = %g (at 200) + 10 x %g" % (
                r["score"], at200["score"], plain["score"] - at200["score"]))
            ok &= check(r["kills"] == plain["kills"] and r["wave"] == plain["wave"],
                        "kills %g and wave %g as without the edit" % (r["kills"], r["wave"]))
        elif scenario == "rust":
            b.edit("enemies.rs", "            e.hp -= b.damage;\n",
                   "            e.hp -= b.damage * 2;\n")
            new = b.build(os.path.join(tmp, "new"))
            r = play(demo, 600, old, "--reload", "300=" + new[1])
            ok &= check("frame 300: reloaded 'enemies'" in r["out"] and "state kept" in r["out"],
                        "enemies reloaded at frame 300, state kept")
            ok &= check(r["enemies_killed"] > plain["enemies_killed"],
                        "double damage: %g enemies killed, %g without the edit" % (
                            r["enemies_killed"], plain["enemies_killed"]))
            ok &= check(r["score"] >= at300["score"] and r["kills"] == r["enemies_killed"],
                        "the score at 300 (%g) kept; both modules count %g kills" % (
                            at300["score"], r["kills"]))
        elif scenario == "c_layout":
            b.edit("pickups.c", "  float x, y, life;\n} Pickup;",
                   "  float x, y, life;\n  float spin;  // new\n} Pickup;")
            b.edit("pickups.c", "(Pickup){kind, x, y, LIFE}", "(Pickup){kind, x, y, LIFE, 0}")
            b.edit("main.c", '"WASD/arrows move, Space or mouse shoots, Enter restarts"',
                   '"WASD or the arrows move, Space or the mouse shoots, Enter restarts"')
            new = b.build(os.path.join(tmp, "new"))
            r = play(demo, 600, old, "--reload", "300=" + new[0])
            out = r["out"]
            ok &= check("frame 300: reloaded 'arena'" in out and "state kept" in out,
                        "arena reloaded at frame 300, state kept")
            ok &= check("the data layout moved; state migrated through DWARF" in out and
                        "Pickup: field `spin` added, size 16 -> 20" in out,
                        "migrated, saying what changed")
            ok &= check(all(r[q] == plain[q] for q in ("score", "kills", "wave")),
                        "score %g, kills %g, wave %g as without the edit" % (
                            r["score"], r["kills"], r["wave"]))
        elif scenario == "rust_layout":
            b.edit("enemies.rs", "    kills: Vec<u8>,\n    damage: i32,\n}",
                   "    kills: Vec<u8>,\n    damage: i32,\n    #[allow(dead_code)]\n"
                   "    reloads: u32,\n}")
            b.edit("enemies.rs", "            damage: 0,\n", "            damage: 0,\n"
                   "            reloads: 0,\n")
            new = b.build(os.path.join(tmp, "new"))
            r = play(demo, 600, old, "--reload", "300=" + new[1])
            ok &= check("frame 300: reloaded 'enemies'" in r["out"] and "state kept" in r["out"] and
                        "State: field `reloads` added" in r["out"],
                        "enemies reloaded, State migrated field by field")
            ok &= check(r["hash"] == plain["hash"], "state hash %s as without the edit" % r["hash"])
            b.edit("enemies.rs", "    crowd: Crowd, // its neighbourhood",
                   "    #[allow(dead_code)]\n    armor: f32,\n    crowd: Crowd, // its neighbourhood")
            b.edit("enemies.rs", "            crowd:", "            armor: 0.0,\n            crowd:")
            heap = b.build(os.path.join(tmp, "heap"))
            r = play(demo, 600, old, "--reload", "300=" + heap[1])
            out = r["out"]
            ok &= check("not reloaded 'enemies'" in out and
                        "points to heap objects of" in out and
                        "Enemy: field `armor` added, size" in out,
                        "Enemy in the heap: refused, saying what changed:\n" +
                        "\n".join(l for l in out.splitlines() if l.startswith(("frame", "  "))))
            ok &= check(r["hash"] == plain["hash"], "the old code ran on: hash %s" % r["hash"])
        else:
            sys.exit("unknown scenario " + scenario)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
