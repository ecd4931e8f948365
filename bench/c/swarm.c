// A particle system written to be vectorized (issue 18): 8,192 particles in structure-of-arrays
// form pulled by a moving attractor, with drag, gravity, bounces off the floor and walls, ageing
// and respawn, and a colour fade per particle. Every loop is straight-line per particle (the
// branches are selects), so clang -O3 -msimd128 turns it into f32x4/i32x4 code and gcc -O3
// into SSE2; built without -msimd128 it is the scalar build of the same source. Each lane does
// exactly the scalar operations (no reductions in floating point), so every build computes the
// same bits.
#include <math.h>  // sqrtf: correctly rounded everywhere (sin and cos are not: no libm calls)

#include "bench.h"

#define PARTICLES 8192
#define WIDTH 640.0f
#define HEIGHT 480.0f
#define MAX_LIFE 6.0f

static float px[PARTICLES], py[PARTICLES], vx[PARTICLES], vy[PARTICLES], life[PARTICLES];
static int32_t alpha[PARTICLES];

static void spawn_all(void) {
  uint32_t seed = 7;
  for (int i = 0; i < PARTICLES; i++) {
    px[i] = (float)(bench_rand(&seed) % 6400) * 0.1f;
    py[i] = (float)(bench_rand(&seed) % 4800) * 0.1f;
    vx[i] = (float)((int32_t)(bench_rand(&seed) % 2001) - 1000) * 0.05f;
    vy[i] = (float)((int32_t)(bench_rand(&seed) % 2001) - 1000) * 0.05f;
    life[i] = (float)(bench_rand(&seed) % 600) * 0.01f;
  }
}

// One step: forces, integration, collisions with the box, ageing; dead particles come back at
// the emitter with a velocity made from their index (no random numbers: the loop stays pure).
static void step(float ax, float ay, float dt) {
  const float drag = 0.995f, gravity = 40.0f, strength = 90000.0f, bounce = 0.6f;
  for (int i = 0; i < PARTICLES; i++) {
    float dx = ax - px[i], dy = ay - py[i];
    float d2 = dx * dx + dy * dy + 100.0f;
    float inv = 1.0f / sqrtf(d2);
    float f = strength * inv * inv * inv * dt;
    float nvx = (vx[i] + dx * f) * drag;
    float nvy = (vy[i] + dy * f - gravity * dt) * drag;
    float nx = px[i] + nvx * dt, ny = py[i] + nvy * dt;
    nvy = ny < 0.0f ? -nvy * bounce : nvy;
    ny = ny < 0.0f ? -ny : ny;
    nvy = ny > HEIGHT ? -nvy * bounce : nvy;
    ny = ny > HEIGHT ? 2.0f * HEIGHT - ny : ny;
    nvx = ((nx < 0.0f) | (nx > WIDTH)) ? -nvx * bounce : nvx;
    nx = nx < 0.0f ? -nx : nx;
    nx = nx > WIDTH ? 2.0f * WIDTH - nx : nx;
    float age = life[i] - dt;
    int dead = age < 0.0f;
    float spread = (float)((i & 255) - 128);
    px[i] = dead ? WIDTH * 0.5f : nx;
    py[i] = dead ? 20.0f : ny;
    vx[i] = dead ? spread * 0.5f : nvx;
    vy[i] = dead ? 150.0f + (float)(i & 63) : nvy;
    life[i] = dead ? MAX_LIFE : age;
    alpha[i] = (int32_t)(age * (255.0f / MAX_LIFE)) & 255;
  }
}

static uint64_t swarm(int steps) {
  spawn_all();
  const float dt = 1.0f / 60.0f;
  // The attractor circles the middle of the box: a unit vector turned by a fixed angle each
  // step (multiplications only, so every build computes the same path).
  double c = 1.0, s = 0.0;
  const double turn_c = 0.99986111, turn_s = 0.016666;  // about 1/60 radian
  for (int n = 0; n < steps; n++) {
    double c2 = c * turn_c - s * turn_s;
    s = s * turn_c + c * turn_s;
    c = c2;
    step(WIDTH * 0.5f + 200.0f * (float)c, HEIGHT * 0.5f + 150.0f * (float)s, dt);
  }
  uint64_t h = 0;
  for (int i = 0; i < PARTICLES; i++) {
    uint32_t bits[4];
    memcpy(&bits[0], &px[i], 4);
    memcpy(&bits[1], &py[i], 4);
    memcpy(&bits[2], &vx[i], 4);
    memcpy(&bits[3], &vy[i], 4);
    h = bench_mix(h, ((uint64_t)bits[0] << 32) | bits[1]);
    h = bench_mix(h, ((uint64_t)bits[2] << 32) | bits[3]);
    h = bench_mix(h, (uint64_t)(uint32_t)alpha[i]);
  }
  return h;
}

BENCH_MAIN(swarm, 600, 4)
