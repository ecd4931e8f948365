// Shared by every C workload: the size argument, a monotonic clock, a small PRNG, a hash for the
// checksum, and BENCH_MAIN, which wraps the workload's kernel in a main() printing the two lines
// that bench/run reads:
//   checksum: <16 hex digits>     must be identical natively and under every wasm engine
//   time_ns: <integer>            time spent in the workload's kernel (start-up excluded)
// Only fixed-width integer types are used for anything that feeds the checksum, so the x86-64
// (LP64) and wasm32 (ILP32) builds compute the same bits.
#pragma once
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

// The workload size: full without an argument, quick for "quick" (bench/run --quick), else N.
static inline int bench_size(int argc, char** argv, int full_size, int quick_size) {
  if (argc < 2) return full_size;
  return strcmp(argv[1], "quick") == 0 ? quick_size : atoi(argv[1]);
}

static inline uint64_t bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// xorshift32: cheap on both 32- and 64-bit targets. The state must not be 0.
static inline uint32_t bench_rand(uint32_t* state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

// Folds one 64-bit value into a running checksum (a multiply-xorshift mix).
static inline uint64_t bench_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdull;
  return h ^ (h >> 32);
}

static inline uint64_t bench_mix_double(uint64_t h, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bench_mix(h, bits);
}

// Folds a byte string into the checksum, 8 bytes at a time (the last word zero-padded).
static inline uint64_t bench_mix_bytes(uint64_t h, const void* data, size_t size) {
  const unsigned char* bytes = (const unsigned char*)data;
  for (size_t i = 0; i < size; i += 8) {
    uint64_t word = 0;
    memcpy(&word, bytes + i, size - i < 8 ? size - i : 8);
    h = bench_mix(h, word);
  }
  return h;
}

static inline void bench_report(uint64_t checksum, uint64_t start_ns) {
  uint64_t elapsed = bench_now_ns() - start_ns;
  printf("checksum: %016" PRIx64 "\ntime_ns: %" PRIu64 "\n", checksum, elapsed);
}

// Every workload ends with BENCH_MAIN(kernel, FULL, QUICK), where `uint64_t kernel(int size)`
// does all the work and returns the checksum.
//
// Debian's wasm-interp has no WASI, so for it the workload is built a second time as a reactor
// (-DBENCH_INTERP=1 full size, =2 quick size) whose one export, bench_checksum(), takes no
// arguments and returns the checksum; `wasm-interp --run-all-exports` prints it.
#ifdef BENCH_INTERP
#define BENCH_MAIN(kernel, full_size, quick_size)                                \
  __attribute__((export_name("bench_checksum"))) uint64_t bench_checksum(void) { \
    return kernel(BENCH_INTERP == 2 ? (quick_size) : (full_size));               \
  }
#else
#define BENCH_MAIN(kernel, full_size, quick_size)                 \
  int main(int argc, char** argv) {                               \
    int size = bench_size(argc, argv, (full_size), (quick_size)); \
    uint64_t start = bench_now_ns();                              \
    uint64_t checksum = kernel(size);                             \
    bench_report(checksum, start);                                \
    return 0;                                                     \
  }
#endif
