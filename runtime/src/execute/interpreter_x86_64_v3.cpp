// The interpreter a second time, for x86-64-v3 CPUs (AVX2, BMI1/2, LZCNT, MOVBE: Intel since
// 2013, AMD since 2015), in namespace glint::detail::x86_64_v3. The process runs this copy when
// the CPU has them (execute/cpu.cpp, runtime/DESIGN.md "CPU variants").
//
// Why a pragma after interpreter.cpp's headers and not -march=x86-64-v3 for this file: the
// headers' inline functions (simd.h's lane operations, std:: templates) are emitted by both
// copies under the same symbol name, and the linker keeps one of them for the whole program;
// built for x86-64-v3, that one could crash an older CPU. So they stay baseline here too, and
// only what interpreter.cpp defines itself (run() and its helpers, which nothing else calls) is
// built for the newer CPU. Inlined into it, a header's function is compiled for the newer CPU
// all the same: the SSE4.1 lane functions inline into their handlers here, _mm_set1 splats
// become vpbroadcast, every SSE instruction gets its 3-operand VEX form, and the scalar
// handlers get lzcnt/tzcnt/popcnt, shlx/shrx/sarx and andn.
//
// And where x86-64-v3 has a shorter sequence than simd.h's, this copy's `simd::` is
// execute/simd_v3.h, which has it (pcmpgtq, pabsb, pmovsx, pblendvb, ...).
//
// Not FMA, which x86-64-v3 also has: wasm rounds every operator on its own (the runtime builds
// with -ffp-contract=off, which the pragma keeps), so there is nothing for it to do.
// clang (the fuzz build) has no GCC target pragma: this copy is then baseline code too.
#define GLINT_INTERPRETER x86_64_v3
#define GLINT_INTERPRETER_NAME "x86-64-v3"
#if defined(__GNUC__) && !defined(__clang__)
#define GLINT_INTERPRETER_TARGET _Pragma("GCC target(\"avx2,bmi,bmi2,lzcnt,popcnt,movbe\")")
#else
#define GLINT_INTERPRETER_TARGET
#endif
#include "execute/simd_v3.h"
namespace glint::detail::x86_64_v3 {
namespace simd = simd_v3;
}
#include "execute/interpreter.cpp"
