// What Glint chose for the CPU it runs on (runtime/DESIGN.md, "CPU variants").
#pragma once
#include <string_view>

namespace glint {

// Which copy of the interpreter this process runs, chosen once from the CPU: "x86-64-v3" on
// CPUs with AVX2, BMI1/2, LZCNT and MOVBE, "x86-64" on others. The environment variable
// GLINT_CPU=sse4.1 or GLINT_CPU=baseline selects "x86-64" on any CPU.
std::string_view interpreter_variant();

// Whether modules with SIMD code load: the CPU has SSE4.1 (and GLINT_CPU is not "baseline").
bool simd_supported();

}  // namespace glint
