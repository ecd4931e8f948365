// `glint-bench run`: like `glint run`, plus the bench.host_step import of the hostcall workload.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "glint/wasi.h"
#include "harness.h"

namespace bench {

void add_host_step(glint::Linker& linker) {
  linker.func("bench", "host_step", [](uint32_t x) -> uint32_t { return host_step(x); });
}

int run_command(const std::string& file, const std::vector<std::string>& args) {
  auto module = glint::Module::load_file(file);
  if (!module) {
    std::cerr << "error: " << module.error().to_string() << "\n";
    return 1;
  }
  glint::wasi::Config config;
  config.args.push_back(std::filesystem::path(file).filename().string());
  config.args.insert(config.args.end(), args.begin(), args.end());
  glint::Store store;
  glint::Linker linker;
  glint::wasi::add_to_linker(linker, config);
  add_host_step(linker);
  auto code = glint::wasi::run_command(store, linker, *module);
  std::fflush(stdout);
  if (!code) {
    std::cerr << "error: " << code.error().to_string() << "\n";
    return 134;
  }
  return *code;
}

uint64_t now_ns() {
  return uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::steady_clock::now().time_since_epoch())
                      .count());
}

uint64_t thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return uint64_t(t.tv_sec) * 1000000000u + uint64_t(t.tv_nsec);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace bench
