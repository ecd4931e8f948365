// What the CPU running Glint has, beyond baseline x86-64: the SIMD handlers use SSE4.1
// (execute/simd.h), so a module with SIMD code is refused at load on a CPU without it.
#pragma once

namespace glint::detail {

struct CpuFeatures {
  bool sse41 = false;
};

// Detected once, at first use. Setting the environment variable GLINT_CPU=baseline makes Glint
// act as on a baseline x86-64 CPU (no SSE4.1), to test the refusal.
const CpuFeatures& cpu_features();
// For tests: pretend the CPU has these features (until set again).
void set_cpu_features(const CpuFeatures& features);

}  // namespace glint::detail
