// `glint-bench measure`: the embedding-level numbers of issue 4, printed as one JSON object.
// Every timing is the median of several repetitions (the machines are small and shared); the
// loops that run guest code count the thread's CPU time.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "glint/wasi.h"
#include "harness.h"

namespace bench {
namespace {

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "glint-bench: " << what << "\n";
  std::exit(1);
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::shared_ptr<const glint::Module> load(const std::string& path) {
  auto m = glint::Module::load_file(path);
  if (!m) fail(path + ": " + m.error().to_string());
  return *m;
}

size_t rss_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return size_t(resident) * size_t(sysconf(_SC_PAGESIZE));
}

std::string name_of(const std::string& path) { return std::filesystem::path(path).stem().string(); }

// Decode + validate + translate, the whole of Module::load, in MB/s of code section.
std::string measure_load(const std::string& path, int reps) {
  std::vector<uint8_t> bytes = read_file(path);
  std::vector<double> load_ms, validate_ms;
  size_t code_bytes = 0;
  for (int r = 0; r < reps; r++) {
    uint64_t t0 = now_ns();
    auto m = glint::Module::load(bytes);
    uint64_t t1 = now_ns();
    if (!m) fail(path + ": " + m.error().to_string());
    code_bytes = (*m)->code_size();
    auto v = glint::Module::validate(bytes);
    uint64_t t2 = now_ns();
    load_ms.push_back(double(t1 - t0) / 1e6);
    validate_ms.push_back(double(t2 - t1) / 1e6);
  }
  double ms = median(load_ms);
  char out[512];
  std::snprintf(out, sizeof out,
                "{\"module\": \"%s\", \"module_bytes\": %zu, \"code_bytes\": %zu, "
                "\"load_ms\": %.3f, \"validate_only_ms\": %.3f, \"mb_per_s\": %.1f}",
                name_of(path).c_str(), bytes.size(), code_bytes, ms, median(validate_ms),
                double(code_bytes) / 1e6 / (ms / 1e3));
  return out;
}

// Linker::instantiate of the small module (import resolution, memory, table, segments).
double measure_instantiate_us(std::shared_ptr<const glint::Module> module, int count) {
  std::vector<double> us;
  while (int(us.size()) < count) {
    glint::Store store;  // a fresh store per 100 instances keeps the store's own growth out
    // A fresh linker too: Linker caches its host Functions by Store address, and a new Store
    // may reuse a destroyed one's address.
    glint::Linker linker;
    add_host_step(linker);
    for (int i = 0; i < 100; i++) {
      uint64_t t0 = now_ns();
      auto inst = linker.instantiate(store, module);
      uint64_t t1 = now_ns();
      if (!inst) fail("instantiate: " + inst.error().to_string());
      us.push_back(double(t1 - t0) / 1e3);
    }
  }
  return median(us);
}

// A wasm loop calling bench.host_step n times, against the same loop with the work inline.
std::string measure_host_call(std::shared_ptr<const glint::Module> module, uint32_t n, int reps) {
  glint::Store store;
  glint::Linker linker;
  add_host_step(linker);
  auto inst = linker.instantiate(store, module);
  if (!inst) fail("instantiate: " + inst.error().to_string());
  auto call_loop = (*inst)->typed<uint32_t(uint32_t)>("call_loop");
  auto inline_loop = (*inst)->typed<uint32_t(uint32_t)>("inline_loop");
  if (!call_loop || !inline_loop) fail("small module lacks call_loop/inline_loop");
  uint32_t expect = 1;
  for (uint32_t i = 0; i < n; i++) expect = host_step(expect ^ i);

  // Thread CPU time, and the call's cost taken per round (calls minus inline, back to back),
  // so a busy machine or a drifting clock speed meets both loops of a round alike.
  std::vector<double> with_calls, inline_only, per_call;
  for (int r = 0; r < reps; r++) {
    uint64_t t0 = thread_cpu_ns();
    auto a = (*call_loop)(n);
    uint64_t t1 = thread_cpu_ns();
    auto b = (*inline_loop)(n);
    uint64_t t2 = thread_cpu_ns();
    if (!a || !b || *a != expect || *b != expect) fail("host call loop computed a wrong result");
    with_calls.push_back(double(t1 - t0) / n);
    inline_only.push_back(double(t2 - t1) / n);
    per_call.push_back(with_calls.back() - inline_only.back());
  }
  char out[256];
  std::snprintf(out, sizeof out,
                "{\"calls\": %u, \"ns_per_iteration\": %.2f, \"inline_ns_per_iteration\": %.2f, "
                "\"ns_per_call\": %.2f}",
                n, median(with_calls), median(inline_only), median(per_call));
  return out;
}

// RSS growth for `count` more instances of the small module in one store.
double measure_kib_per_instance(std::shared_ptr<const glint::Module> module, int count) {
  glint::StoreConfig config;  // room for them all: the default limits are one game's
  config.limits.max_instances = uint32_t(count) + 1;
  config.limits.max_store_memory_pages = UINT64_MAX;
  glint::Store store(config);
  glint::Linker linker;
  add_host_step(linker);
  if (!linker.instantiate(store, module)) fail("instantiate failed");  // warm-up
  size_t before = rss_bytes();
  for (int i = 0; i < count; i++)
    if (!linker.instantiate(store, module)) fail("instantiate failed");
  size_t after = rss_bytes();
  return double(after - before) / 1024.0 / count;
}

// One whole WASI run of a workload (output discarded): the thread's CPU time in ms; fuel on
// or off. The run makes no thread of its own (the module is translated before).
double run_workload_cpu_ms(std::shared_ptr<const glint::Module> module, const std::string& path,
                           bool quick, bool fuel) {
  int devnull = open("/dev/null", O_WRONLY);
  glint::wasi::Config config;
  config.args = {name_of(path)};
  if (quick) config.args.push_back("quick");
  config.stdout_fd = devnull;
  glint::Store store;
  if (fuel) store.set_fuel(uint64_t(1) << 62);
  glint::Linker linker;
  glint::wasi::add_to_linker(linker, config);
  uint64_t t0 = thread_cpu_ns();
  auto code = glint::wasi::run_command(store, linker, module);
  uint64_t t1 = thread_cpu_ns();
  close(devnull);
  if (!code || *code != 0) fail(path + " did not run cleanly");
  return double(t1 - t0) / 1e6;
}

// Fuel's cost: the runs alternate off and on (which goes first swapped each round), and the
// overhead is the median over rounds of on/off within the round, not a ratio of two medians
// taken apart: run to run the machine moves a workload by several percent, far more than fuel
// costs, and a round's two runs meet about the same machine. The spread (quartiles of the
// rounds' ratios) says how far to trust it.
std::string measure_fuel(const std::string& path, bool quick, int rounds) {
  auto module = load(path);
  std::vector<double> off, on, ratio;
  for (int r = 0; r < rounds; r++) {
    double ms[2];  // [off, on]
    for (bool fuel : {r % 2 == 1, r % 2 == 0})
      ms[fuel] = run_workload_cpu_ms(module, path, quick, fuel);
    off.push_back(ms[0]);
    on.push_back(ms[1]);
    ratio.push_back(ms[1] / ms[0]);
  }
  std::vector<double> sorted = ratio;
  std::sort(sorted.begin(), sorted.end());
  double q1 = sorted[sorted.size() / 4], q3 = sorted[sorted.size() * 3 / 4];
  char out[320];
  std::snprintf(out, sizeof out,
                "{\"workload\": \"%s\", \"rounds\": %d, \"off_ms\": %.2f, \"on_ms\": %.2f, "
                "\"overhead_pct\": %.2f, \"quartiles_pct\": [%.2f, %.2f]}",
                name_of(path).c_str(), rounds, median(off), median(on), (median(ratio) - 1) * 100.0,
                (q1 - 1) * 100.0, (q3 - 1) * 100.0);
  return out;
}

}  // namespace

int measure_load_only(const std::string& large_wasm, bool quick) {
  std::printf("%s\n", measure_load(large_wasm, quick ? 3 : 15).c_str());
  return 0;
}

int measure(const MeasureOptions& o) {
  auto small = load(o.small_wasm);
  // Memory first, on a fresh heap: what the large module's loads leave freed in the allocator
  // (its code is built on two threads, so in two arenas) would otherwise blur the RSS delta.
  double kib = measure_kib_per_instance(small, 1000);
  std::string load_json = measure_load(o.large_wasm, o.quick ? 3 : 15);
  double instantiate_us = measure_instantiate_us(small, o.quick ? 200 : 2000);
  std::string host_json = measure_host_call(small, o.quick ? 100000 : 10000000, o.quick ? 1 : 5);
  std::string fuel_json = measure_fuel(o.fuel_workload, o.quick, o.quick ? 1 : 21);
  std::printf(
      "{\n  \"load\": %s,\n  \"instantiate_us\": %.2f,\n  \"host_call\": %s,\n"
      "  \"kib_per_instance\": %.1f,\n  \"fuel\": %s\n}\n",
      load_json.c_str(), instantiate_us, host_json.c_str(), kib, fuel_json.c_str());
  return 0;
}

}  // namespace bench
