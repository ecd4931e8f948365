#include "execute/cpu.h"

#include <cpuid.h>

#include <cstdlib>
#include <cstring>

#include "compile/code.h"
#include "execute/interpreters.h"
#include "execute/vm.h"
#include "glint/cpu.h"

namespace glint::detail {

// What the x86-64-v3 copy of the interpreter is built for (interpreter_x86_64_v3.cpp's
// target). __builtin_cpu_supports checks that the OS saves the AVX registers; clang 14 knows
// neither "lzcnt" nor "movbe" there, so those two come from CPUID.
static bool has_x86_64_v3() {
  unsigned eax, ebx, ecx, edx;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & bit_MOVBE)) return false;
  if (!__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) || !(ecx & bit_LZCNT)) return false;
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
         __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
}

static CpuFeatures detect() {
  CpuFeatures f;
  __builtin_cpu_init();
  f.sse41 = __builtin_cpu_supports("sse4.1");
  f.x86_64_v3 = has_x86_64_v3();
  const char* pretend = std::getenv("GLINT_CPU");
  if (pretend && std::strcmp(pretend, "sse4.1") == 0) f.x86_64_v3 = false;
  if (pretend && std::strcmp(pretend, "baseline") == 0) f = CpuFeatures{};
  return f;
}

static CpuFeatures& features() {
  static CpuFeatures f = detect();
  return f;
}

const CpuFeatures& cpu_features() { return features(); }
void set_cpu_features(const CpuFeatures& f) { features() = f; }

// From the CPU as detected, not from set_cpu_features: compiled code holds this copy's handler
// addresses, so the process must never switch.
const Interpreter& interpreter() {
  static const Interpreter& chosen =
      detect().x86_64_v3 ? x86_64_v3::kInterpreter : baseline::kInterpreter;
  return chosen;
}

bool interpret(Vm& vm, const Cell* pc) { return interpreter().interpret(vm, pc); }
const void* const* handler_table() { return interpreter().handler_table(); }
const void* without_accumulator(const void* op) { return interpreter().without_accumulator(op); }

}  // namespace glint::detail

std::string_view glint::interpreter_variant() { return detail::interpreter().name; }
bool glint::simd_supported() { return detail::cpu_features().sse41; }
