// Breakpoints and stepping, at wasm instructions and at source lines (glint/source.h).
//
//   glint::add_breakpoint(*module, "player.c:42");          // or a function name, or "0x1a2"
//   store.set_debug_handler([](glint::DebugStop& s) {
//     show(s.frames[0].source, glint::frame_variables(s.frames[0]));
//     return glint::DebugAction::StepOverLine;
//   });
//
// The handler runs on the thread running the wasm code, and the code waits until it returns: a
// debugger UI on another thread may inspect and write the stop (set_variable(), set_local(),
// write_memory()) while the handler waits for its answer.
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
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/error.h"
#include "glint/source.h"
#include "glint/types.h"

namespace glint {

class Module;
class Instance;
namespace detail {
struct Vm;
struct Frame;
}  // namespace detail

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
  // itself, stops before that addition ran), and in a caller whose call needed code of its own
  // before it (argument copies). A step stops once per wasm instruction, where it begins.
  std::vector<Value> stack;
  bool has_stack = false;
  // Where the frame is in the source (glint/source.h: source_locations()): the innermost
  // place first, then the calls it was inlined through. Empty without DWARF line info.
  std::vector<SourceLoc> source;

  // Internal: the live frame while the stop lasts, for set_local() and set_variable().
  detail::Vm* vm_ = nullptr;
  const detail::Frame* frame_ = nullptr;
  uint64_t stop_id_ = 0;
};

struct DebugStop {
  enum class Reason {
    Breakpoint,
    Step,
    Pause,  // Store::pause()
    Trap,   // Store::set_break_on_trap(): at the instruction that trapped, before it unwinds
  };
  Reason reason = Reason::Breakpoint;
  std::vector<DebugFrame> frames;  // innermost first, down to the host's call into wasm
  std::vector<int> breakpoints;    // reason Breakpoint: the ids (add_breakpoint) that stopped
  std::optional<Trap> trap;        // reason Trap: the trap the call returns when it goes on
};

// What the debug handler asks for next.
enum class DebugAction {
  Continue,  // run to the next breakpoint
  StepInto,  // stop at the next instruction, in this function or one it calls
  StepOver,  // stop at the next instruction in this function (or its caller, after a return)
  StepOut,   // stop at the next instruction in a caller (right after the call returns)
  Abort,     // end the call with a trap (TrapKind::Interrupted)
  // By source line: run until the code reaches the start of another line (a line table row
  // marked as a statement). Into: in this function or one it calls that has lines (a call
  // into code without lines runs through). Over: in this function, or its caller after it
  // returns. In code without line info they step one instruction, like StepInto/StepOver.
  StepIntoLine,
  StepOverLine,
};
// At a stop with reason Trap, every action ends the call with that trap.

// Called at each stop, on the thread running the wasm code. It may read the instances'
// memories, and write them and the stopped frames' locals through the functions below; it
// must not call into the same store. If it throws, the call ends with a trap (Interrupted)
// whose message carries the exception's.
using DebugHandler = std::function<DebugAction(DebugStop&)>;

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

// Breakpoints the way a person sets them: at a source line, a function, or an offset, with a
// condition. Each has an id; set_breakpoint()'s offsets above are separate from them.
struct BreakCondition {
  // Stop only from the Nth time the breakpoint is reached with its test true (0 or 1: every
  // time). The count goes on across stops and stores.
  uint32_t hit_count = 0;
  // "" or "PATH OP NUMBER": a variable path as find_variable() takes it ("hp", "p->pos.x",
  // "$2" for wasm local 2), one of == != < <= > >=, and an integer or float constant. A test
  // whose variable is not available where the breakpoint is counts as false.
  std::string test;
  // Removed at its first stop: "run to here" is a once breakpoint and Continue.
  bool once = false;
};
struct Breakpoint {
  int id = 0;
  const Module* module = nullptr;
  std::string where;              // as given to add_breakpoint
  std::vector<uint32_t> offsets;  // the instructions it stops at
  std::string file;               // the source line it stops at, where known: the line asked
  uint32_t line = 0;              // for, or the next one with code
  BreakCondition condition;
  uint32_t hits = 0;  // how many times it was reached with its test true
};
// `where`: "FILE:LINE" (the file's full name or its end: "player.c:42", as find_line() takes
// it), a function name (as Module::function_name gives it, or an export name: its first
// instruction), or a byte offset ("0x1a2", "418"). An error says why none was found; the
// breakpoint stops nowhere else than `offsets`.
Result<Breakpoint> add_breakpoint(const Module& module, std::string_view where,
                                  BreakCondition condition = {});
bool remove_breakpoint(int id);  // false if there is none with that id
// Every breakpoint added and not removed (of every module), by id.
std::vector<Breakpoint> list_breakpoints();

// Writes while stopped (in the debug handler, or from another thread while it waits): the
// code goes on with the new value. Each returns an error if the stop is over or the target
// does not exist or fit, and changes nothing then.
// A wasm local of a stopped frame (its parameters first); frame.locals shows the new value.
Result<void> set_local(DebugFrame& frame, uint32_t local, Value value);
// A source variable (a path as find_variable() takes it) to `value`: an integer, a float,
// "true"/"false", an enumerator's name, or an address for a pointer. Wherever the variable
// lives: linear memory, a wasm local, a global. A variable whose value the code only computes
// (not stored anywhere) cannot be written.
Result<void> set_variable(DebugFrame& frame, std::string_view path, std::string_view value,
                          size_t inline_depth = 0);
// A global of the instance, by its index in the module's global space (mutable ones only).
Result<void> set_global(const Instance& instance, uint32_t global, Value value);
// Bytes of the instance's memory 0 (bounds-checked).
Result<void> write_memory(const Instance& instance, uint64_t address,
                          std::span<const uint8_t> bytes);

}  // namespace glint
