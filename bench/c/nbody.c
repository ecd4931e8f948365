// Float work with square roots: an all-pairs gravity simulation of 100 bodies (softened, so
// close encounters stay finite), integrated with semi-implicit Euler. Stresses f64 arithmetic,
// sqrt, division and struct-of-arrays access.
#include <math.h>

#include "bench.h"

#define BODIES 100

static double px[BODIES], py[BODIES], pz[BODIES];
static double vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static void step(double dt) {
  for (int i = 0; i < BODIES; i++) {
    double ax = 0, ay = 0, az = 0;
    for (int j = 0; j < BODIES; j++) {
      double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      double d2 = dx * dx + dy * dy + dz * dz + 0.01;  // softening; j == i adds nothing
      double inv = 1.0 / (d2 * sqrt(d2));
      double f = mass[j] * inv;
      ax += dx * f;
      ay += dy * f;
      az += dz * f;
    }
    vx[i] += ax * dt;
    vy[i] += ay * dt;
    vz[i] += az * dt;
  }
  for (int i = 0; i < BODIES; i++) {
    px[i] += vx[i] * dt;
    py[i] += vy[i] * dt;
    pz[i] += vz[i] * dt;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
    }
  }
  return e;
}

static uint64_t run(int steps) {
  uint32_t seed = 0xb0d1e5u;
  for (int i = 0; i < BODIES; i++) {
    px[i] = (double)(bench_rand(&seed) % 2001) / 100.0 - 10.0;
    py[i] = (double)(bench_rand(&seed) % 2001) / 100.0 - 10.0;
    pz[i] = (double)(bench_rand(&seed) % 2001) / 100.0 - 10.0;
    vx[i] = vy[i] = vz[i] = 0;
    mass[i] = 0.5 + (double)(bench_rand(&seed) % 100) / 100.0;
  }

  uint64_t sum = bench_mix_double(0, energy());
  for (int s = 0; s < steps; s++) {
    step(0.001);
    if (s % 100 == 0) sum = bench_mix_double(sum, px[s % BODIES]);
  }
  sum = bench_mix_double(sum, energy());
  return sum;
}

BENCH_MAIN(run, 1500, 5)
