// Float work: double-precision matrix multiply (160x160, i-k-j loop order so the inner loop
// streams rows), with the product fed back as the next input. Stresses f64 multiply-add, loads,
// stores and loop overhead; native code vectorizes this loop, an interpreter cannot.
#include "bench.h"

#define DIM 160

static double a[DIM][DIM], b[DIM][DIM], c[DIM][DIM];

static void multiply(void) {
  for (int i = 0; i < DIM; i++) {
    for (int j = 0; j < DIM; j++) c[i][j] = 0.0;
    for (int k = 0; k < DIM; k++) {
      double aik = a[i][k];
      for (int j = 0; j < DIM; j++) c[i][j] += aik * b[k][j];
    }
  }
}

static uint64_t run(int reps) {
  uint32_t seed = 0x77u;
  for (int i = 0; i < DIM; i++)
    for (int j = 0; j < DIM; j++) {
      a[i][j] = (double)(bench_rand(&seed) % 1000) / 1000.0;
      b[i][j] = (double)(bench_rand(&seed) % 1000) / 1000.0 - 0.5;
    }

  uint64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    multiply();
    // Next input: the product, scaled back into [-1, 1] so values stay finite.
    double maxabs = 1e-300;
    for (int i = 0; i < DIM; i++)
      for (int j = 0; j < DIM; j++) {
        double v = c[i][j] < 0 ? -c[i][j] : c[i][j];
        if (v > maxabs) maxabs = v;
      }
    double scale = 1.0 / maxabs;
    for (int i = 0; i < DIM; i++)
      for (int j = 0; j < DIM; j++) a[i][j] = c[i][j] * scale;
    sum = bench_mix_double(sum, c[r % DIM][(r * 7) % DIM]);
    sum = bench_mix_double(sum, maxabs);
  }
  return sum;
}

BENCH_MAIN(run, 60, 1)
