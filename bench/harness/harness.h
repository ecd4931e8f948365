// glint-bench: the embedding-level measurements of the benchmark suite (see bench/README.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "glint/glint.h"

namespace bench {

// The host function of the hostcall workload and of small.wat: x -> 3x + 1 (wrapping).
inline uint32_t host_step(uint32_t x) { return x * 3u + 1u; }
// Binds bench.host_step in `linker` with glint::Linker::func.
void add_host_step(glint::Linker& linker);

// `glint-bench run FILE [ARGS...]`: runs a WASI command with bench.host_step available.
int run_command(const std::string& file, const std::vector<std::string>& args);

struct MeasureOptions {
  bool quick = false;
  std::string large_wasm;     // load+validate+translate throughput
  std::string small_wasm;     // instantiate time, host calls, memory per instance
  std::string fuel_workload;  // a CPU-bound WASI command, run with and without fuel
};
// `glint-bench measure ...`: prints one JSON object with every measurement to stdout.
int measure(const MeasureOptions& options);
// `glint-bench load FILE`: prints the load measurement alone (one JSON object).
int measure_load_only(const std::string& large_wasm, bool quick);

// Monotonic time in nanoseconds, and the median of a sample.
uint64_t now_ns();
// CPU time of the calling thread: what a loop costs when the machine also runs other work
// (time while descheduled is not counted).
uint64_t thread_cpu_ns();
double median(std::vector<double> values);

}  // namespace bench
