#!/usr/bin/env python3
"""Draws and synthesizes the demo game's assets (our own, procedural; committed, rerun to
regenerate). Standard library only: zlib/struct write the PNG, wave writes the WAVs.

  python3 assets/tools/make_assets.py        # writes into assets/

sprites.png + sprites.atlas  a 128x112 atlas: 16x16 frames (the FRAMES table below; the game's
                             C and Rust code use the same frame numbers), then two 64x64 floor
                             blocks (frames 56 and 57)
*.wav                        sound effects, 22050 Hz mono 16-bit
music.wav                    an 8-second chiptune loop (A minor: Am F C G)
"""
import math
import os
import random
import struct
import wave
import zlib

OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RATE = 22050
CELL = 16
COLS = 8

# ---- PNG ---------------------------------------------------------------------------------------


def write_png(path, w, h, pixels):
    """pixels[y][x] = (r, g, b, a)."""
    raw = b"".join(b"\0" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


# ---- Drawing helpers: a 16x16 canvas, shapes as predicates, an outline pass ---------------------

CLEAR = (0, 0, 0, 0)
OUTLINE = (18, 14, 28, 255)


class Canvas:
    def __init__(self):
        self.px = [[CLEAR] * CELL for _ in range(CELL)]

    def fill(self, inside, color):
        """Sets every pixel whose center satisfies inside(x, y); color may be a function."""
        for y in range(CELL):
            for x in range(CELL):
                if inside(x + 0.5, y + 0.5):
                    self.px[y][x] = color(x + 0.5, y + 0.5) if callable(color) else color

    def outline(self, color=OUTLINE):
        """A 1-pixel dark border around the opaque shape, so sprites read on any floor."""
        solid = [[p[3] > 128 for p in row] for row in self.px]
        for y in range(CELL):
            for x in range(CELL):
                if solid[y][x]:
                    continue
                near = any(0 <= x + dx < CELL and 0 <= y + dy < CELL and solid[y + dy][x + dx]
                           for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)))
                if near:
                    self.px[y][x] = color
        return self


def disc(cx, cy, r):
    return lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def ellipse(cx, cy, rx, ry):
    return lambda x, y: ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1


def rect(x0, y0, x1, y1):
    return lambda x, y: x0 <= x <= x1 and y0 <= y <= y1


def polygon(points):
    def inside(x, y):
        hit = False
        for i in range(len(points)):
            (x1, y1), (x2, y2) = points[i], points[i - 1]
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                hit = not hit
        return hit
    return inside


def shade(base, cx=8, cy=8, r=7, light=0.35):
    """Lit from the top left: brighter toward (-1, -1), darker toward the bottom right."""
    def color(x, y):
        d = ((x - cx) * -0.7 + (y - cy) * -0.7) / r
        k = 1 + light * max(-1.0, min(1.0, d))
        return tuple(max(0, min(255, int(c * k))) for c in base[:3]) + (255,)
    return color


# ---- The sprites -------------------------------------------------------------------------------


def player(frame):
    c = Canvas()
    flame = 3.5 if frame == 0 else 1.5  # the flame flickers between two lengths
    c.fill(polygon([(5, 6), (flame, 8), (5, 10)]), (255, 170, 40, 255))
    c.fill(polygon([(5, 7), (flame + 1.2, 8), (5, 9)]), (255, 240, 160, 255))
    c.fill(polygon([(14.5, 8), (4, 1.5), (6.5, 8), (4, 14.5)]), shade((70, 170, 255)))
    c.fill(polygon([(14.5, 8), (7, 5), (7, 11)]), shade((225, 240, 255)))
    c.fill(ellipse(9.5, 8, 1.8, 1.3), (40, 60, 120, 255))
    c.fill(disc(9.1, 7.6, 0.6), (200, 255, 255, 255))
    return c.outline()


def chaser(frame):
    c = Canvas()
    phase = 0 if frame == 0 else math.pi / 8  # spikes turn between frames

    def spiky(x, y):
        a = math.atan2(y - 8, x - 8)
        return math.hypot(x - 8, y - 8) <= 4.6 + 2.0 * max(0.0, math.cos(8 * (a + phase))) ** 3
    c.fill(spiky, (150, 20, 40, 255))
    c.fill(disc(8, 8, 4.6), shade((235, 60, 60), r=5))
    for ey in (6, 10):  # angry eyes looking ahead (right)
        c.fill(ellipse(9.8, ey, 1.3, 1.1), (255, 250, 230, 255))
        c.fill(disc(10.4, ey, 0.6), (20, 0, 0, 255))
    c.fill(rect(8.5, 4.2, 11, 4.8), (90, 0, 20, 255))
    c.fill(rect(8.5, 11.2, 11, 11.8), (90, 0, 20, 255))
    return c.outline()


def shooter(frame):
    c = Canvas()
    c.fill(rect(9, 6.5, 15, 9.5), shade((150, 150, 170), r=4))  # the cannon, pointing right
    c.fill(rect(13.5, 6, 15, 10), (90, 90, 110, 255))
    c.fill(polygon([(8, 2), (13, 5), (13, 11), (8, 14), (3, 11), (3, 5)]),
           shade((150, 70, 210), r=6))
    glow = (255, 120, 255, 255) if frame == 0 else (255, 230, 255, 255)  # charging blink
    c.fill(disc(8, 8, 2.4), (60, 10, 80, 255))
    c.fill(disc(8, 8, 1.6), glow)
    return c.outline()


def swarmer(frame):
    c = Canvas()
    spread = 4.0 if frame == 0 else 2.2  # wings flap
    wing = (200, 255, 220, 170)
    c.fill(ellipse(6.5, 8 - spread, 2.5, 1.8), wing)
    c.fill(ellipse(6.5, 8 + spread, 2.5, 1.8), wing)
    c.fill(ellipse(8, 8, 4.2, 2.6), shade((250, 210, 40), r=4))
    c.fill(rect(5.5, 5.8, 6.3, 10.2), (120, 80, 10, 255))  # stripes
    c.fill(rect(7.5, 5.5, 8.3, 10.5), (120, 80, 10, 255))
    c.fill(disc(11, 7, 0.8), (20, 20, 20, 255))
    c.fill(disc(11, 9, 0.8), (20, 20, 20, 255))
    return c.outline()


def brute(frame):
    c = Canvas()
    rx, ry = (6.8, 6.0) if frame == 0 else (6.0, 6.8)  # squash and stretch
    c.fill(ellipse(8, 8.5, rx, ry), shade((80, 200, 90), r=7, light=0.45))
    c.fill(ellipse(5.5, 5.5, 1.6, 1.0), (200, 255, 200, 255))  # wet highlight
    for ey in (6, 11):
        c.fill(disc(10.5, ey, 1.5), (255, 255, 255, 255))
        c.fill(disc(11.2, ey, 0.8), (10, 40, 10, 255))
    c.fill(rect(12.5, 7.5, 13.3, 9.5), (20, 70, 30, 255))  # mouth
    return c.outline()


def player_bullet(_):
    c = Canvas()
    c.fill(ellipse(8, 8, 5.5, 2.2), (60, 200, 255, 255))
    c.fill(ellipse(9, 8, 3.5, 1.1), (230, 255, 255, 255))
    return c


def enemy_bullet(_):
    c = Canvas()
    c.fill(disc(8, 8, 3.6), (255, 60, 170, 255))
    c.fill(disc(7.5, 7.5, 1.8), (255, 220, 240, 255))
    return c.outline()


def heart(_, color=(240, 50, 80), empty=False):
    c = Canvas()

    lobes = (disc(5.3, 6.2, 3.1), disc(10.7, 6.2, 3.1))
    point = polygon([(2.3, 7.2), (13.7, 7.2), (8, 14)])

    def inside(x, y):
        return lobes[0](x, y) or lobes[1](x, y) or point(x, y)
    if empty:
        c.fill(inside, (50, 45, 60, 255))
    else:
        c.fill(inside, shade(color, r=6))
        c.fill(ellipse(5.5, 6, 1.2, 0.9), (255, 210, 220, 255))
    return c.outline()


def bolt(_):
    c = Canvas()
    c.fill(disc(8, 8, 7), (40, 40, 80, 200))
    c.fill(polygon([(9.5, 2), (4.5, 9), (8, 9), (6.5, 14), (11.5, 7), (8, 7)]), (255, 230, 60, 255))
    return c.outline()


def gem(_):
    c = Canvas()
    c.fill(polygon([(8, 2), (13, 7), (8, 14), (3, 7)]), shade((60, 230, 160), r=6, light=0.5))
    c.fill(polygon([(8, 3), (10.5, 7), (8, 7), (5.5, 7)]), (200, 255, 230, 255))
    return c.outline()


def particle(_):
    c = Canvas()

    def soft(x, y):
        a = max(0.0, 1 - math.hypot(x - 8, y - 8) / 5)
        return (255, 255, 255, int(255 * min(1.0, a * 1.6)))
    c.fill(disc(8, 8, 5), soft)
    return c


def floor_tile(variant):
    c = Canvas()
    rng = random.Random(variant)  # fixed noise per variant
    for y in range(CELL):
        for x in range(CELL):
            n = rng.randint(-4, 4)
            c.px[y][x] = (30 + n, 34 + n, 52 + n, 255)
    for i in range(CELL):  # panel seams: a dark top-left edge, a light bottom-right one
        c.px[0][i] = c.px[i][0] = (20, 22, 36, 255)
        c.px[CELL - 1][i] = c.px[i][CELL - 1] = (42, 47, 68, 255)
    if variant == 1:  # rivets
        for x, y in ((3, 3), (12, 3), (3, 12), (12, 12)):
            c.px[y][x] = (70, 76, 100, 255)
            c.px[y + 1][x + 1] = (16, 18, 30, 255)
    if variant == 2:  # a vent
        for y in range(5, 11, 2):
            for x in range(4, 12):
                c.px[y][x] = (16, 18, 30, 255)
                c.px[y + 1][x] = (44, 50, 72, 255)
    return c


def wall(_):
    c = Canvas()
    for y in range(CELL):
        for x in range(CELL):
            stripe = ((x + y) // 4) % 2 == 0
            c.px[y][x] = (200, 160, 30, 255) if stripe else (40, 36, 44, 255)
    for i in range(CELL):
        c.px[0][i] = c.px[i][0] = (120, 110, 90, 255)
        c.px[CELL - 1][i] = c.px[i][CELL - 1] = (15, 12, 20, 255)
    return c


def crosshair(_):
    c = Canvas()
    ring = lambda x, y: 4.5 <= math.hypot(x - 8, y - 8) <= 5.6
    c.fill(ring, (255, 255, 255, 255))
    c.fill(lambda x, y: (abs(x - 8) < 0.6 and (y < 4 or y > 12)) or
           (abs(y - 8) < 0.6 and (x < 4 or x > 12)), (255, 255, 255, 255))
    return c


def spawn_marker(_):
    c = Canvas()

    def dashed(x, y):
        a = math.atan2(y - 8, x - 8)
        return 5.5 <= math.hypot(x - 8, y - 8) <= 7.2 and math.cos(6 * a) > -0.2
    c.fill(dashed, (255, 70, 70, 255))
    c.fill(disc(8, 8, 1.5), (255, 70, 70, 255))
    return c


def shield(_):
    c = Canvas()
    c.fill(lambda x, y: 6 <= math.hypot(x - 8, y - 8) <= 7.5, (120, 220, 255, 200))
    return c


# Frame number = index in this list (row by row, 8 per row).
FRAMES = [
    ("player_0", player, 0), ("player_1", player, 1),
    ("chaser_0", chaser, 0), ("chaser_1", chaser, 1),
    ("shooter_0", shooter, 0), ("shooter_1", shooter, 1),
    ("swarmer_0", swarmer, 0), ("swarmer_1", swarmer, 1),
    ("brute_0", brute, 0), ("brute_1", brute, 1),
    ("player_bullet", player_bullet, 0), ("enemy_bullet", enemy_bullet, 0),
    ("heart", heart, 0), ("bolt", bolt, 0), ("gem", gem, 0), ("particle", particle, 0),
    ("floor_0", floor_tile, 0), ("floor_1", floor_tile, 1), ("floor_2", floor_tile, 2),
    ("wall", wall, 0), ("crosshair", crosshair, 0), ("spawn_marker", spawn_marker, 0),
    ("heart_empty", lambda f: heart(f, empty=True), 0), ("shield", shield, 0),
]


# Below the 16x16 cells: two 64x64 floor blocks (4x4 floor tiles each, in different
# arrangements), so the game draws its floor with a few dozen sprites instead of hundreds.
BLOCK = 64
FLOOR_BLOCKS = [[0, 0, 1, 0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 2, 1],
                [0, 1, 0, 0, 0, 0, 0, 2, 2, 0, 1, 0, 0, 0, 0, 0]]


def write_atlas():
    rows = (len(FRAMES) + COLS - 1) // COLS
    w, h = COLS * CELL, rows * CELL + BLOCK
    pixels = [[CLEAR] * w for _ in range(h)]
    for i, (_, draw, arg) in enumerate(FRAMES):
        ox, oy = (i % COLS) * CELL, (i // COLS) * CELL
        canvas = draw(arg)
        for y in range(CELL):
            pixels[oy + y][ox:ox + CELL] = canvas.px[y]
    tiles = [floor_tile(v) for v in range(3)]
    for b, layout in enumerate(FLOOR_BLOCKS):
        for t, variant in enumerate(layout):
            ox, oy = b * BLOCK + (t % 4) * CELL, rows * CELL + (t // 4) * CELL
            for y in range(CELL):
                pixels[oy + y][ox:ox + CELL] = tiles[variant].px[y]
    write_png(os.path.join(OUT, "sprites.png"), w, h, pixels)
    with open(os.path.join(OUT, "sprites.atlas"), "w") as f:
        f.write("# The demo game's sprites, 16x16 frames row by row (assets/tools/make_assets.py)\n")
        f.write("grid 16 16\n")
        for i, (name, _, _) in enumerate(FRAMES):
            f.write("# %2d %s\n" % (i, name))
        cells = COLS * (h // CELL)  # the grid also cuts the floor blocks into cells
        for b in range(len(FLOOR_BLOCKS)):
            f.write("frame %d %d %d %d  # %d floor_block_%d\n" %
                    (b * BLOCK, rows * CELL, BLOCK, BLOCK, cells + b, b))


# ---- Sounds ------------------------------------------------------------------------------------


def write_wav(name, samples):
    data = struct.pack("<%dh" % len(samples),
                       *(max(-32767, min(32767, int(s * 32767))) for s in samples))
    with wave.open(os.path.join(OUT, name), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data)


def osc(kind, phase):
    """One oscillator sample; phase in cycles."""
    p = phase % 1.0
    if kind == "square":
        return 1.0 if p < 0.5 else -1.0
    if kind == "triangle":
        return 4 * abs(p - 0.5) - 1
    if kind == "saw":
        return 2 * p - 1
    return math.sin(2 * math.pi * p)


def sweep(kind, f0, f1, seconds, volume=0.5, decay=4.0):
    """A tone gliding from f0 to f1 Hz with an exponential fade."""
    out, phase, n = [], 0.0, int(seconds * RATE)
    for i in range(n):
        t = i / n
        phase += (f0 + (f1 - f0) * t) / RATE
        out.append(osc(kind, phase) * volume * math.exp(-decay * t) * min(1.0, (n - i) / 200))
    return out


def noise(seconds, volume=0.5, decay=5.0, smooth=0.0, seed=1):
    """White noise through a one-pole low-pass (smooth near 1 = darker), fading out."""
    rng = random.Random(seed)
    out, level, n = [], 0.0, int(seconds * RATE)
    for i in range(n):
        level = level * smooth + rng.uniform(-1, 1) * (1 - smooth)
        out.append(level * volume * math.exp(-decay * i / n))
    return out


def mix(*tracks):
    n = max(len(t) for t in tracks)
    return [sum(t[i] for t in tracks if i < len(t)) for i in range(n)]


def notes(kind, freqs, step, volume=0.4):
    out = []
    for f in freqs:
        out += sweep(kind, f, f, step, volume, decay=2.0)
    return out


def write_sounds():
    write_wav("shoot.wav", sweep("square", 1100, 420, 0.09, 0.25, decay=3))
    write_wav("enemy_shot.wav", sweep("triangle", 700, 1300, 0.12, 0.45, decay=3))
    write_wav("hit.wav", mix(noise(0.06, 0.5, decay=4, smooth=0.3),
                             sweep("square", 300, 180, 0.06, 0.2)))
    write_wav("explode.wav", mix(noise(0.45, 0.8, decay=6, smooth=0.75, seed=2),
                                 sweep("sine", 160, 40, 0.35, 0.6, decay=5)))
    write_wav("pickup.wav", notes("square", [880, 1175, 1760], 0.05, 0.25))
    write_wav("hurt.wav", mix(sweep("saw", 420, 90, 0.3, 0.4, decay=3),
                              noise(0.15, 0.3, decay=6, seed=3)))
    write_wav("wave.wav", notes("triangle", [523, 659, 784, 1047], 0.09, 0.5))
    write_wav("gameover.wav", notes("square", [392, 311, 262, 196], 0.25, 0.3))


# ---- Music: 4 bars at 120 bpm (8 s), one chord per bar, loops seamlessly ------------------------


def note_hz(semitones_from_a4):
    return 440.0 * 2 ** (semitones_from_a4 / 12)


def write_music():
    beat = 0.5  # seconds
    n = int(16 * beat * RATE)
    out = [0.0] * n
    # Chords as semitones from A4: Am, F, C, G (root, third, fifth).
    chords = [(0, 3, 7), (-4, 0, 3), (3, 7, 10), (-2, 2, 5)]

    def add(start, seconds, fn):
        s0 = int(start * RATE)
        for i in range(int(seconds * RATE)):
            if s0 + i < n:
                out[s0 + i] += fn(i / RATE)

    for bar, chord in enumerate(chords):
        t0 = bar * 4 * beat
        for e in range(8):  # bass: eighth notes on the root, two octaves down
            f = note_hz(chord[0] - 24 + (12 if e % 4 == 3 else 0))
            add(t0 + e * beat / 2, beat / 2 * 0.9,
                lambda t, f=f: osc("triangle", f * t) * 0.30 * math.exp(-3 * t))
        for s in range(16):  # arpeggio: sixteenth notes up and down the chord, an octave up
            tone = chord[[0, 1, 2, 1][s % 4]] + 12
            add(t0 + s * beat / 4, beat / 4 * 0.8,
                lambda t, f=note_hz(tone): osc("square", f * t) * 0.07 * math.exp(-8 * t))
        for b in range(4):  # kick on the beat, hi-hat between
            add(t0 + b * beat, 0.15,
                lambda t: math.sin(2 * math.pi * (50 * t + 400 * t * math.exp(-30 * t))) *
                0.45 * math.exp(-18 * t))
            hat = noise(0.05, 0.12, decay=8, smooth=0.0, seed=bar * 4 + b)
            add(t0 + b * beat + beat / 2, 0.05, lambda t, h=hat: h[min(len(h) - 1, int(t * RATE))])
    write_wav("music.wav", [max(-1.0, min(1.0, s)) for s in out])


def main():
    write_atlas()
    write_sounds()
    write_music()
    print("wrote sprites.png, sprites.atlas and the sounds into", OUT)


if __name__ == "__main__":
    main()
