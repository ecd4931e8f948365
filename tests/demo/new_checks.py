#!/usr/bin/env python3
"""glint new NAME --lang c|rust: the project builds (CMake, or cargo offline) into a module
that glint-demo runs, with the build recipe glint-demo --watch reads.

  new_checks.py GLINT GLINT_DEMO
"""
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, cwd, expect=0):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if expect is not None and r.returncode != expect:
        sys.exit("FAIL: %s exited %d\n%s\n%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
    return r


def check(cond, message):
    print(("ok: " if cond else "FAIL: ") + message)
    return bool(cond)


def plays(demo, wasm, tmp):
    out = run([demo, "--headless", "--no-audio", "--frames", "60", "--query", "steps", wasm],
              tmp).stdout
    return "steps = 60" in out and "state hash:" in out


def main():
    glint, demo = sys.argv[1], sys.argv[2]
    ok = True
    tmp = tempfile.mkdtemp(prefix="glint_new_")
    try:
        run([glint, "new", "cgame", "--lang", "c"], tmp)
        run(["cmake", "-S", "cgame", "-B", "cgame/build"], tmp)
        run(["cmake", "--build", "cgame/build"], tmp)
        wasm = os.path.join(tmp, "cgame", "build", "cgame.wasm")
        recipe = open(wasm + ".build").read() if os.path.exists(wasm + ".build") else ""
        ok &= check("command " in recipe and "/cgame/src/game.c" in recipe,
                    "C: built, with its recipe:\n" + recipe)
        ok &= check(plays(demo, wasm, tmp), "C: glint-demo runs it 60 steps")

        r = run([glint, "new", "rgame", "--lang", "rust"], tmp)
        cargo = r.stdout.split("&& ")[1].split(" build")[0]
        run([cargo, "build", "--offline"], os.path.join(tmp, "rgame"))
        wasm = os.path.join(tmp, "rgame", "target", "wasm32-wasi", "debug", "rgame.wasm")
        if not os.path.exists(wasm):
            wasm = wasm.replace("wasm32-wasi", "wasm32-wasip1")
        recipe = open(wasm + ".build").read() if os.path.exists(wasm + ".build") else ""
        ok &= check("build --offline" in recipe and "/rgame/src/lib.rs" in recipe,
                    "Rust: built with cargo offline, with its recipe:\n" + recipe)
        ok &= check(plays(demo, wasm, tmp), "Rust: glint-demo runs it 60 steps")

        r = run([glint, "new", "cgame"], tmp, expect=1)
        ok &= check("already exists" in r.stderr, "an existing folder: " + r.stderr.strip())
        r = run([glint, "new", "Bad-Name"], tmp, expect=2)
        ok &= check("lower-case" in r.stderr, "a bad name: " + r.stderr.strip())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
