#!/usr/bin/env python3
"""Snapshots and replays of the demo game, headless, through glint-demo.

  snapshot_checks.py GLINT_DEMO SCENARIO [GUEST_DIR WASM_CLANG SDK_DIR]

Scenarios:
  continue   300 frames, --save-snapshot, then --load-snapshot and 300 more in a new process:
             the state hash of one 600-frame run (with the same --input file throughout)
  bad_files  truncated, bit-flipped, another game's, newer-format and not-a-snapshot files:
             each refused with its reason, exit status 1, no frame run
  replay     --record 600 frames, --replay: "replay: 600 frames identical"
  rewind     --rewind 600 --seek 400=280 --seek 500=450 (back on the timeline twice, playing
             on each time) ends with the state hash of a plain 600-frame run; a seek to a frame
             no longer held is refused with the range held; --record-range 300:550 (across the
             second seek) replays identically with --replay, a range no longer held is refused
  divergence the arena module rebuilt with one seeded change (kills += 7 at step 200):
             --replay names frame 200, the arena module and the memory of `game`
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT = os.path.join(HERE, "..", "..", "demo_game", "demo_input.txt")
GUEST_SRC = os.path.join(HERE, "..", "..", "demo_game", "guest")
ARENA_SOURCES = ["main.c", "player.c", "shots.c", "pickups.c", "fx.c", "waves.c", "hud.c"]


def run(cmd, expect_exit=0):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if expect_exit is not None and r.returncode != expect_exit:
        sys.exit("FAIL: %s exited %d, expected %d\n%s\n%s" % (" ".join(cmd), r.returncode,
                                                             expect_exit, r.stdout, r.stderr))
    return r


def state_hash(out):
    m = re.search(r"^state hash: (\w+)$", out, re.M)
    return m.group(1) if m else None


def check(cond, message):
    print(("ok: " if cond else "FAIL: ") + message)
    return cond


def demo_cmd(demo, frames, *extra):
    return [demo, "--headless", "--no-audio", "--render-last", "--frames", str(frames),
            "--input", INPUT] + list(extra)


def build_arena(clang, sdk, out_dir, edit=None):
    """The arena module from a copy of its sources, edited by `edit`, built as CMake does."""
    src = os.path.join(out_dir, "src")
    shutil.copytree(GUEST_SRC, src)
    if edit:
        edit(src)
    objs = []
    for s in ARENA_SOURCES:
        obj = os.path.join(src, s + ".o")
        run([clang, "--target=wasm32-wasi", "-O2", "-g", "-I" + sdk, "-c",
             os.path.join(src, s), "-o", obj])
        objs.append(obj)
    out = os.path.join(out_dir, "arena.wasm")
    run([clang, "--target=wasm32-wasi", "-mexec-model=reactor"] + objs + ["-o", out])
    return out


def main():
    demo, scenario = sys.argv[1], sys.argv[2]
    ok = True
    tmp = tempfile.mkdtemp(prefix="glint_snapshot_")
    try:
        snap = os.path.join(tmp, "s300.glsnap")
        if scenario == "continue":
            whole = state_hash(run(demo_cmd(demo, 600)).stdout)
            first = run(demo_cmd(demo, 300, "--save-snapshot", snap))
            second = run(demo_cmd(demo, 300, "--load-snapshot", snap))
            ok &= check("snapshot loaded: " in second.stdout and "frame 300" in second.stdout,
                        "the second run starts at frame 300")
            ok &= check(state_hash(first.stdout) != whole, "300 frames differ from 600")
            ok &= check(state_hash(second.stdout) == whole,
                        "300 + 300 frames: %s, 600 frames: %s" % (state_hash(second.stdout),
                                                                  whole))
        elif scenario == "bad_files":
            run(demo_cmd(demo, 30, "--save-snapshot", snap))
            good = open(snap, "rb").read()
            other = os.path.join(tmp, "other.glsnap")
            guest_dir = sys.argv[3]
            run(demo_cmd(demo, 5, "--save-snapshot", other, os.path.join(guest_dir,
                                                                          "arena.wasm")))
            flipped = bytearray(good)
            flipped[len(good) // 2] ^= 4
            newer = bytearray(good)
            newer[8] = 9  # the format version
            cases = [
                ("truncated", good[:len(good) - 10], r"truncated: the header says \d+ bytes"),
                ("bit flip", bytes(flipped), r"checksum mismatch: the file is damaged"),
                ("newer format", bytes(newer), r"format version 9 is newer than this build"),
                ("not a snapshot", b"hello, world" * 10, r"not a Glint snapshot or replay file"),
                ("another game", open(other, "rb").read(),
                 r"the snapshot is of a game with the modules arena; this game has arena, "
                 r"enemies"),
            ]
            for name, data, reason in cases:
                path = os.path.join(tmp, "bad.glsnap")
                open(path, "wb").write(data)
                r = run(demo_cmd(demo, 10, "--load-snapshot", path), expect_exit=1)
                ok &= check(re.search(r"--load-snapshot .*bad.glsnap: " + reason, r.stderr)
                            is not None and "state hash" not in r.stdout,
                            "%s: refused, exit 1: %s" % (name, r.stderr.strip()[-160:]))
            r = run(demo_cmd(demo, 10, "--load-snapshot", os.path.join(tmp, "none.glsnap")),
                    expect_exit=1)
            ok &= check("cannot open" in r.stderr, "a missing file: " + r.stderr.strip())
        elif scenario == "replay":
            rec = os.path.join(tmp, "run.glrp")
            recorded = run(demo_cmd(demo, 600, "--record", rec))
            ok &= check("record: " in recorded.stdout, "the run was recorded")
            r = run([demo, "--no-audio", "--replay", rec])
            ok &= check("replay: 600 frames identical" in r.stdout, r.stdout.strip()[-80:])
            r = run([demo, "--no-audio", "--replay", os.path.join(tmp, "none.glrp")],
                    expect_exit=1)
            ok &= check("cannot open" in r.stderr, "a missing replay: " + r.stderr.strip())
        elif scenario == "rewind":
            plain = state_hash(run(demo_cmd(demo, 600)).stdout)
            part = os.path.join(tmp, "part.glrp")
            r = run(demo_cmd(demo, 600, "--rewind", "600", "--seek", "400=280", "--seek",
                             "500=450", "--record-range", "300:550=" + part))
            ok &= check("record-range: %s (" % part in r.stdout and "frames 300..550)" in r.stdout,
                        "frames 300..550 saved")
            rr = run([demo, "--no-audio", "--replay", part])
            ok &= check("replay: 250 frames identical" in rr.stdout,
                        "the range replays: " + rr.stdout.strip()[-80:])
            ok &= check("frame 400: back to frame 280 (the timeline holds 0..400)" in r.stdout and
                        "frame 500: back to frame 450" in r.stdout, "went back twice")
            ok &= check(state_hash(r.stdout) == plain,
                        "rewound and played on: state hash %s, without %s" % (
                            state_hash(r.stdout), plain))
            held = re.search(r"^timeline: 600 frames held, ([\d.]+) MiB.*$", r.stdout, re.M)
            ok &= check(held is not None, held.group(0) if held else "no timeline line")
            r = run(demo_cmd(demo, 100, "--rewind", "60", "--record-range", "10:90=" + part),
                    expect_exit=1)
            ok &= check("--record-range 10:90=%s: frames 10 to 90 are not in the timeline (it "
                        "holds frames 41..100)" % part in r.stderr,
                        "a range no longer held: " + r.stderr.strip()[-120:])
            r = run(demo_cmd(demo, 600, "--rewind", "60", "--seek", "400=100"))
            ok &= check("frame 100 is not in the timeline (it holds frames 341..400)" in r.stderr,
                        "a frame no longer held: " + r.stderr.strip().splitlines()[-1])
            ok &= check(state_hash(r.stdout) == plain, "and play went on")
        elif scenario == "divergence":
            clang, sdk = sys.argv[4], sys.argv[5]
            guest_dir = sys.argv[3]
            rec = os.path.join(tmp, "run.glrp")
            run(demo_cmd(demo, 400, "--record", rec))

            def seed(src):
                path = os.path.join(src, "main.c")
                text = open(path).read()
                marker = "GLINT_EXPORT(update) void update(float dt) {\n  game.step++;\n"
                assert marker in text
                text = text.replace(marker, marker + "  if (game.step == 200) game.kills += 7;\n")
                open(path, "w").write(text)

            arena = build_arena(clang, sdk, os.path.join(tmp, "seeded"), seed)
            r = run([demo, "--no-audio", "--replay", rec, arena,
                     os.path.join(guest_dir, "enemies.wasm")], expect_exit=3)
            out = r.stdout
            ok &= check("replay: frame 200 differs" in out, "found at frame 200")
            ok &= check("modules that differ: arena\n" in out, "in the arena module")
            ok &= check(re.search(r"arena: memory 0x[0-9a-f]+\.\.0x[0-9a-f]+ \(\d+ bytes\): "
                                  r"game\.kills$", out, re.M) is not None,
                        "named game.kills: " + out.strip()[-300:])
        else:
            sys.exit("unknown scenario " + scenario)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
