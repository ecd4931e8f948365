// Float work with data-dependent loop exits: the Mandelbrot set, 320 pixels wide with up to 1000
// iterations per pixel; the size argument is the number of rows. Stresses f64 multiply/add/compare
// in a tight loop with few memory accesses (all locals).
#include "bench.h"

#define W 320
#define H 240
#define MAX_ITER 1000

static uint32_t render(double cx, double cy, double scale, int rows, uint16_t* out) {
  uint32_t total = 0;
  for (int y = 0; y < rows; y++) {
    double ci = cy + (y - rows / 2) * scale;
    for (int x = 0; x < W; x++) {
      double cr = cx + (x - W / 2) * scale;
      double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
      int n = 0;
      while (n < MAX_ITER && zr2 + zi2 <= 4.0) {
        zi = 2 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        n++;
      }
      out[y * W + x] = (uint16_t)n;
      total += (uint32_t)n;
    }
  }
  return total;
}

static uint16_t image[W * H];

static uint64_t run(int rows) {
  if (rows > H) rows = H;
  uint32_t total = render(-0.6, 0.0, 3.0 / W, rows, image);
  uint64_t sum = bench_mix(0, total);
  for (int i = 0; i < W * rows; i += 97) sum = bench_mix(sum, image[i]);
  return sum;
}

BENCH_MAIN(run, H, 4)
