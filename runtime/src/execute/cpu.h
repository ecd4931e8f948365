// What the CPU running Glint has, beyond baseline x86-64: the SIMD handlers use SSE4.1
// (execute/simd.h), so a module with SIMD code is refused at load on a CPU without it; and the
// runtime has a second copy of the interpreter for x86-64-v3 CPUs (execute/interpreters.h).
#pragma once

namespace glint::detail {

struct CpuFeatures {
  bool sse41 = false;
  bool x86_64_v3 = false;  // AVX2, BMI1, BMI2, LZCNT, MOVBE (and the OS saves AVX registers)
};

// Detected once, at first use. The environment variable GLINT_CPU makes Glint act as on an
// older CPU: GLINT_CPU=sse4.1 (the baseline interpreter, SIMD allowed) or GLINT_CPU=baseline
// (the baseline interpreter, SIMD refused). A CPU does not gain features this way.
const CpuFeatures& cpu_features();
// For tests: pretend the CPU has these features (until set again). The interpreter copy the
// process runs stays the one chosen from the CPU at start (execute/interpreters.h).
void set_cpu_features(const CpuFeatures& features);

}  // namespace glint::detail
