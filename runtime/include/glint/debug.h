// Breakpoints and stepping.
//
//   glint::set_breakpoint(*module, offset);                // offset: a wasm instruction's byte
//   store.set_debug_handler([](const glint::DebugStop& s) { // offset in the module binary
//     show(s.frames[0].func_name, s.frames[0].code_offset, s.frames[0].locals);
//     return glint::DebugAction::StepOver;
//   });
//
// A breakpoint replaces one handler address in the module's translated code with the
// Breakpoint handler, which calls the debug handler and then runs the instruction it replaced.
// So code runs exactly as fast with the debug API compiled in and nothing set: no handler
// checks for a debugger (runtime/DESIGN.md, "Debugging costs nothing when off").
//
// Limits, by design of patching:
// - Breakpoints belong to the module's code, shared by all its instances: every instance in
//   every store stops there (a store without a debug handler runs on at once). Set and clear
//   them while no other thread runs the module.
// - Steps are process-wide too: step in one store at a time. So is a pause (Store::pause()),
//   which is a step into the next instruction of a module on the call stack.
// - Stops are at wasm instructions that have code of their own. `local.get` and constants fold
//   into the instruction that uses them, and some pairs fuse into one (a compare and its
//   branch): a breakpoint there moves to the next instruction with code, and set_breakpoint
//   returns the offset it took.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "glint/error.h"
#include "glint/types.h"

namespace glint {

class Module;
class Instance;

// One wasm function activation, as a debugger shows it.
struct DebugFrame {
  const Instance* instance = nullptr;
  uint32_t func_index = 0;
  std::string func_name;      // from the name section, or "func[N]"
  uint32_t code_offset = 0;   // innermost frame: the instruction about to run; callers: the call
  std::vector<Value> locals;  // parameters, then declared locals
  // Per local: true where the function overwrites it before reading it again. Its value then
  // no longer matters, and at a loop's header it may be out of date: the translator leaves a
  // pointer bump that nothing reads out of the branch back to the loop.
  std::vector<bool> dead;
  // The wasm operand stack, bottom first: the values the instruction about to run and the
  // ones after it will take; in a caller, what lies below the arguments of its call.
  // has_stack is false where it cannot be shown: where a value on it was never computed (an
  // instruction that took over the one before it, a load that does its address addition
  // itself, stops before that addition ran), and at the second of two step stops within one
  // wasm instruction whose translation needed two internal instructions (a deferred addition
  // emitted before a branch), or a call whose arguments needed copies of their own.
  std::vector<Value> stack;
  bool has_stack = false;
};

struct DebugStop {
  enum class Reason { Breakpoint, Step, Pause };  // Pause: Store::pause()
  Reason reason = Reason::Breakpoint;
  std::vector<DebugFrame> frames;  // innermost first, down to the host's call into wasm
};

// What the debug handler asks for next.
enum class DebugAction {
  Continue,  // run to the next breakpoint
  StepInto,  // stop at the next instruction, in this function or one it calls
  StepOver,  // stop at the next instruction in this function (or its caller, after a return)
  StepOut,   // stop at the next instruction in a caller
  Abort,     // end the call with a trap (TrapKind::Interrupted)
};

// Called at each stop, on the thread running the wasm code. It may read the instances'
// memories; it must not call into the same store. If it throws, the call ends with a trap
// (Interrupted) whose message carries the exception's.
using DebugHandler = std::function<DebugAction(const DebugStop&)>;

// Breakpoint at the wasm instruction at `code_offset` (bytes from the start of the module
// binary), or at the next instruction with code in the same function. Returns the offset of the
// instruction it stops at; an error if the offset is not inside a function body.
Result<uint32_t> set_breakpoint(const Module& module, uint32_t code_offset);
// The offset of the first instruction of a function defined in the module, found by its name
// (as Module::function_name gives it) or, failing that, its export name: where a breakpoint on
// "the function" goes.
Result<uint32_t> function_code_offset(const Module& module, std::string_view name);
// Removes the breakpoint that set_breakpoint(code_offset) set; false if there was none.
bool clear_breakpoint(const Module& module, uint32_t code_offset);
// The offsets (as set_breakpoint returned them) of the module's breakpoints, in order.
std::vector<uint32_t> breakpoints(const Module& module);

}  // namespace glint
