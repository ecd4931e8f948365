// Deep recursion: naive Fibonacci and the Takeuchi function. Almost nothing but calls, returns
// and a compare per call, so it measures the cost of a wasm call frame.
#include "bench.h"

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static int32_t tak(int32_t x, int32_t y, int32_t z) {
  if (y >= x) return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static uint64_t run(int n) {
  uint64_t sum = bench_mix(0, fib((uint32_t)n));
  // tak(x, y, z) grows quickly with x - z; scale it with n as well.
  sum = bench_mix(sum, (uint32_t)tak(n / 2 + 2, n / 4 + 2, n / 8));
  return sum;
}

BENCH_MAIN(run, 37, 20)
