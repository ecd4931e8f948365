// The interpreter is in the runtime twice (runtime/DESIGN.md, "CPU variants"): interpreter.cpp
// built for baseline x86-64, and interpreter_x86_64_v3.cpp, which compiles the same file again
// for CPUs with AVX2, BMI1/2, LZCNT and MOVBE, under a namespace of its own. Each copy has its
// own handlers; a process runs one copy only, chosen once from the CPU (execute/cpu.cpp), so
// every handler address in compiled code, in a debugger's patch or in a resumed call is one of
// that copy's. The plain entry points (interpret() in vm.h, handler_table() in compile/code.h,
// without_accumulator()) are the chosen copy's.
#pragma once

namespace glint::detail {

struct Vm;
union Cell;

struct Interpreter {
  const char* name;  // "x86-64" or "x86-64-v3"
  bool (*interpret)(Vm& vm, const Cell* pc);
  const void* const* (*handler_table)();
  const void* (*without_accumulator)(const void* op);
};

namespace baseline {
extern const Interpreter kInterpreter;  // interpreter.cpp
}
namespace x86_64_v3 {
extern const Interpreter kInterpreter;  // interpreter_x86_64_v3.cpp
}

// The copy this process runs: chosen at the first call, never changed after.
const Interpreter& interpreter();

}  // namespace glint::detail
