// Host calls: a trivial imported function (bench.host_step, x -> 3x + 1) called 10 million times
// from a loop. Measures the engine's wasm-to-host transition. The host side is
// glint::Linker::func in glint-bench, a JS function under node, and hostcall_host.c natively.
#include "bench.h"

#ifdef __wasm__
__attribute__((import_module("bench"), import_name("host_step"))) uint32_t host_step(uint32_t x);
#else
uint32_t host_step(uint32_t x);
#endif

static uint64_t run(int calls) {
  uint32_t acc = 1;
  for (int i = 0; i < calls; i++) acc = host_step(acc ^ (uint32_t)i);
  return bench_mix(0, acc);
}

BENCH_MAIN(run, 10000000, 10000)
