#!/usr/bin/env python3
"""Writes the small assets the host API tests use (committed; rerun to regenerate):
sprites.png (four 16x16 frames: ship, ball, star, coin), sprites.atlas, beep.wav."""
import math
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "assets")


def write_png(path, w, h, pixels):
    """pixels: rows of (r, g, b, a) tuples."""
    raw = b"".join(b"\0" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def frame_pixel(frame, x, y):
    cx, cy = x - 7.5, y - 7.5
    r = math.hypot(cx, cy)
    clear = (0, 0, 0, 0)
    if frame == 0:  # ship: a triangle pointing up, with a window
        if y >= 2 and abs(cx) <= (y - 2) * 0.5 and y <= 14:
            return (250, 250, 255, 255) if r < 2 else (90, 200, 255, 255)
        return clear
    if frame == 1:  # ball: red disc with a highlight
        if r < 7:
            return (255, 230, 230, 255) if math.hypot(cx + 2, cy + 2) < 2 else (230, 60, 70, 255)
        return clear
    if frame == 2:  # star: five points
        a = math.atan2(cy, cx)
        edge = 3 + 4.5 * (0.5 + 0.5 * math.cos(5 * (a + math.pi / 2))) ** 2
        return (255, 220, 60, 255) if r < edge else clear
    # coin: ring with a mark
    if r < 7:
        return (140, 90, 10, 255) if (r > 5.5 or abs(cx) < 1) else (240, 180, 40, 255)
    return clear


def main():
    os.makedirs(HERE, exist_ok=True)
    w, h = 64, 16
    rows = [[frame_pixel(x // 16, x % 16, y) for x in range(w)] for y in range(h)]
    write_png(os.path.join(HERE, "sprites.png"), w, h, rows)
    with open(os.path.join(HERE, "sprites.atlas"), "w") as f:
        f.write("# four 16x16 frames: ship, ball, star, coin\ngrid 16 16\n")
    rate, n = 22050, 2205  # 0.1 s, mono 16-bit
    samples = [int(12000 * math.sin(2 * math.pi * 660 * i / rate)) for i in range(n)]
    data = struct.pack("<%dh" % n, *samples)
    with open(os.path.join(HERE, "beep.wav"), "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt ")
        f.write(struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16))
        f.write(b"data" + struct.pack("<I", len(data)) + data)


if __name__ == "__main__":
    main()
