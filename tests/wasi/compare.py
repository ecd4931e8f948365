#!/usr/bin/env python3
"""Runs a WASI program under `glint run` and under node's WASI, and requires the same stdout and
the same exit code.

  compare.py --glint GLINT --node NODE --wasm FILE [--exit N | --trap] [--dir] [--env K=V]...
             [--stdin FILE] [--out REGEX]... [--glint-err REGEX]... [-- ARGS...]
  compare.py --glint GLINT --wasm FILE --escape

--exit N: the exit code both must return (default 0). --trap: both must fail (non-zero); their
error text differs, so only glint's stderr is checked (--glint-err). --dir: each run gets a fresh
empty temp dir preopened as /sandbox; afterwards both dirs must hold the same files.
--out: a regex stdout must match (so two empty outputs do not pass). --escape: the sandbox
check, glint only (node's sandbox rules differ): see programs/escape.c."""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

GUEST_DIR = "/sandbox"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(cmd, stdin_data):
    print("$ " + " ".join(cmd))
    r = subprocess.run(cmd, input=stdin_data, capture_output=True, timeout=120)
    return r


def tree(root):
    """Every file and directory under root, with file contents: what the guest left behind."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for d in dirs:
            out[os.path.join(rel, d) + "/"] = None
        for f in files:
            path = os.path.join(dirpath, f)
            if os.path.islink(path):
                out[os.path.join(rel, f)] = "-> " + os.readlink(path)
                continue
            with open(path, "rb") as fh:
                out[os.path.join(rel, f)] = fh.read()
    return out


def check_node(node):
    path = shutil.which(node) if node else None
    if not path:
        fail("node was not found: these tests compare glint with node's WASI (node:wasi, "
             "node 20 or newer). scripts/setup.sh installs node.")
    version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.strip()
    major = int(re.match(r"v(\d+)", version).group(1)) if version.startswith("v") else 0
    if major < 20:
        fail("node %s is too old: node:wasi with version 'preview1' needs node 20 or newer "
             "(scripts/setup.sh installs it)" % version)
    return path


def compare(a):
    node = check_node(a.node)
    runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_wasi.mjs")
    stdin_data = open(a.stdin, "rb").read() if a.stdin else b""
    results, trees = [], []
    for name in ("glint", "node"):
        with tempfile.TemporaryDirectory(prefix="glint-wasi-%s-" % name) as tmp:
            opts = ["--dir", tmp + "::" + GUEST_DIR] if a.dir else []
            for kv in a.env:
                opts += ["--env", kv]
            if name == "glint":
                cmd = [a.glint, "run"] + opts + [a.wasm] + a.args
            else:
                cmd = [node, "--no-warnings", runner] + opts + [a.wasm] + a.args
            r = run(cmd, stdin_data)
            results.append(r)
            trees.append(tree(tmp) if a.dir else {})
    g, n = results
    problems = []
    if g.stdout != n.stdout:
        problems.append("stdout differs between glint and node")
    if a.trap:
        if g.returncode == 0 or n.returncode == 0:
            problems.append("expected both to fail: glint exit %d, node exit %d"
                            % (g.returncode, n.returncode))
    else:
        for name, r in (("glint", g), ("node", n)):
            if r.returncode != a.exit:
                problems.append("%s exit code %d, expected %d" % (name, r.returncode, a.exit))
    for rx in a.out:
        if not re.search(rx, g.stdout.decode(errors="replace"), re.M):
            problems.append("stdout does not match %r" % rx)
    for rx in a.glint_err:
        if not re.search(rx, g.stderr.decode(errors="replace"), re.M):
            problems.append("glint's stderr does not match %r" % rx)
    if trees[0] != trees[1]:
        problems.append("the preopened dirs differ afterwards: glint %s, node %s"
                        % (sorted(trees[0]), sorted(trees[1])))
    for name, r in (("glint", g), ("node", n)):
        print("---- %s: exit %d, %d bytes of stdout" % (name, r.returncode, len(r.stdout)))
        if problems:
            print(r.stdout.decode(errors="replace")[-4000:])
        print("stderr: " + r.stderr.decode(errors="replace")[-2000:])
    if problems:
        fail("; ".join(problems))
    print("ok: same stdout (%d bytes) and exit code %d" % (len(g.stdout), g.returncode))


def escape(a):
    with tempfile.TemporaryDirectory(prefix="glint-escape-") as tmp:
        box, outside = os.path.join(tmp, "box"), os.path.join(tmp, "outside")
        os.makedirs(os.path.join(box, "sub"))
        os.makedirs(outside)
        secret = "TOP-SECRET-%d" % os.getpid()
        with open(os.path.join(outside, "secret.txt"), "w") as f:
            f.write(secret)
        with open(os.path.join(box, "inside.txt"), "w") as f:
            f.write("inside")
        os.symlink("../outside", os.path.join(box, "link_dir"))
        os.symlink("../outside/secret.txt", os.path.join(box, "link_file"))
        os.symlink("/etc", os.path.join(box, "link_abs"))
        os.symlink("../../outside/secret.txt", os.path.join(box, "sub", "up_out"))
        os.symlink("loop", os.path.join(box, "loop"))
        os.symlink("inside.txt", os.path.join(box, "link_in"))
        os.symlink("../inside.txt", os.path.join(box, "sub", "up"))
        os.symlink("sub", os.path.join(box, "link_sub"))
        os.symlink("link_sub/up", os.path.join(box, "link_chain"))
        before = tree(tmp)
        # Twice: with the kernel's openat2 (RESOLVE_BENEATH), and walking component by
        # component as on kernels without it.
        problems = []
        for how, env in (("openat2", {}), ("component walk", {"GLINT_WASI_NO_OPENAT2": "1"})):
            print("---- %s" % how)
            r = subprocess.run([a.glint, "run", "--dir", box + "::" + GUEST_DIR, a.wasm, GUEST_DIR],
                               input=b"", capture_output=True, timeout=120,
                               env=dict(os.environ, **env))
            out = r.stdout.decode(errors="replace")
            print(out)
            print("stderr: " + r.stderr.decode(errors="replace"))
            if r.returncode != 0:
                problems.append("%s: exit code %d (escapes plus broken links)" % (how, r.returncode))
            if "ESCAPED" in out or secret in out:
                problems.append("%s: the guest got out of its preopen" % how)
            if "BROKEN" in out:
                problems.append("%s: a symlink inside the preopen was not followed" % how)
            if "inside.txt opens: yes" not in out or "sub/../inside.txt opens: yes" not in out:
                problems.append("%s: files inside the preopen did not open" % how)
            refused = len(re.findall(r"^refused ", out, re.M))
            followed = len(re.findall(r"^followed ", out, re.M))
            if refused < 22 or followed < 5:
                problems.append("%s: %d refused and %d followed reported, expected 22 and 5"
                                % (how, refused, followed))
            if tree(tmp) != before:
                problems.append("%s: the guest changed files: %s"
                                % (how, sorted(set(tree(tmp)) ^ set(before))))
        if problems:
            fail("; ".join(problems))
        print("ok: %d escape attempts refused, %d inside links followed, both ways"
              % (refused, followed))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--glint", required=True)
    ap.add_argument("--node")
    ap.add_argument("--wasm", required=True)
    ap.add_argument("--exit", type=int, default=0)
    ap.add_argument("--trap", action="store_true")
    ap.add_argument("--dir", action="store_true")
    ap.add_argument("--escape", action="store_true")
    ap.add_argument("--env", action="append", default=[])
    ap.add_argument("--stdin")
    ap.add_argument("--out", action="append", default=[])
    ap.add_argument("--glint-err", action="append", default=[])
    ap.add_argument("args", nargs="*")
    a = ap.parse_args()
    if a.escape:
        escape(a)
    else:
        compare(a)


if __name__ == "__main__":
    main()
