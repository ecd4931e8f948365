// glint-bench: `run` executes a benchmark workload under Glint with the bench.host_step import
// bound (bench/run uses it for the hostcall workload); `measure` prints the embedding-level
// numbers (load throughput, instantiate time, host call cost, memory per instance, fuel cost);
// `load` only the load throughput (bench/run runs it again pinned to one core).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "harness.h"

static int usage() {
  std::fprintf(stderr,
               "usage: glint-bench run FILE.wasm [ARGS...]\n"
               "       glint-bench measure [--quick] --large FILE --small FILE --fuel FILE\n"
               "       glint-bench load [--quick] FILE.wasm\n");
  return 2;
}

int main(int argc, char** argv) {
  if (argc < 3) return usage();
  std::string cmd = argv[1];
  if (cmd == "run")
    return bench::run_command(argv[2], std::vector<std::string>(argv + 3, argv + argc));
  if (cmd == "load") {
    bool quick = argc == 4 && std::strcmp(argv[2], "--quick") == 0;
    if (argc != (quick ? 4 : 3)) return usage();
    return bench::measure_load_only(argv[argc - 1], quick);
  }
  if (cmd != "measure") return usage();
  bench::MeasureOptions o;
  for (int i = 2; i < argc; i++) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--quick")
      o.quick = true;
    else if (arg == "--large" && has_value)
      o.large_wasm = argv[++i];
    else if (arg == "--small" && has_value)
      o.small_wasm = argv[++i];
    else if (arg == "--fuel" && has_value)
      o.fuel_workload = argv[++i];
    else
      return usage();
  }
  if (o.large_wasm.empty() || o.small_wasm.empty() || o.fuel_workload.empty()) return usage();
  return bench::measure(o);
}
