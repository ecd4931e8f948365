// The VM stack and call frames of one Store. Wasm-to-wasm calls never recurse on the C
// stack: a call pushes a Frame here and the interpreter jumps to the callee's code.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compile/code.h"
#include "glint/glint.h"

namespace glint::detail {

// One activation of a wasm function. A frame with func == nullptr marks an entry from the
// host (Store::call / host function calling back into wasm).
struct Frame {
  const CompiledFunc* func = nullptr;
  Instance* inst = nullptr;
  uint64_t* fp = nullptr;        // slot 0 of this frame (its first parameter)
  const Cell* ret_pc = nullptr;  // where the caller resumes
};

// Exception handling (execute/exceptions.cpp): an exception is its tag and its values (in
// slots, as the tag's parameters take them).
struct Exception {
  const Tag* tag = nullptr;
  std::vector<uint64_t> values;
};
// An exception a catch took, kept for `rethrow` while that catch may run: the frame (its index
// in Vm::frames) and the catch's nesting level in its function. Vm::caught is ordered by
// (frame, level); a catch entered drops the entries at or above its own.
struct CaughtException {
  uint32_t frame = 0, level = 0;
  Exception exception;
};

// Releases memory the Vm mapped (its stack and frames).
struct Unmap {
  size_t bytes = 0;
  void operator()(void* p) const;
};

struct Vm {
  explicit Vm(Store& s, const StoreConfig& c);

  Store& store;
  // The VM stack and the frame array are mapped memory: the kernel zeroes their pages when
  // first used, so a new Store does not write its 10 MB up front (a vector's zero fill took
  // 10-18 ms in a fresh process, which every hot reload paid for its new store; calloc is no
  // better once malloc keeps freed blocks of that size on its heap).
  std::unique_ptr<uint64_t[], Unmap> stack;
  std::unique_ptr<Frame[], Unmap> frames;  // frames[0] is a sentinel never returned to
  uint64_t* stack_top = nullptr;           // first free slot: where a host entry puts its arguments
  uint64_t* stack_end = nullptr;
  Frame* frame = nullptr;  // the innermost frame
  Frame* frame_end = nullptr;

  // The loop register while the interpreter is out (a debug stop): run() keeps it in a
  // variable of its own and puts it here when it leaves, so that resuming in a loop finds it.
  uint64_t loop_reg = 0;
  uint64_t stop_loop_reg = 0;  // the stopped call's loop register while the debugger runs
  // The integer accumulator when run() left at a trap or a debug stop, and what it starts with
  // when it resumes at resume_pc. At an instruction that reads it (execute/iacc_iops.def), its
  // producer may not have written the slot (execute/slotless_iops.def): interpret() writes it
  // there before anything looks at the frame (restore_accumulator_slot).
  uint64_t iacc = 0;

  bool fuel_enabled = false;
  int64_t fuel = 0;  // remaining, when enabled

  // Set when execution traps; read by make_trap().
  TrapKind trap_kind = TrapKind::Unreachable;
  const Cell* trap_pc = nullptr;
  // Where a fused instruction that makes several memory accesses trapped at a later one than
  // its first (trap_access: 1 for the second; their wasm offsets are in
  // CompiledFunc::later_accesses): a trap at trap_pc is that one if the two are equal. Cleared
  // when a call from the host begins.
  const Cell* trap_later_access = nullptr;
  uint32_t trap_access = 1;
  std::string trap_message;
  int exit_code = 0;

  Exception thrown;                     // the exception being thrown
  uint8_t throwing = 0;                 // 1: a Throw left the interpreter, 2: a Rethrow
  std::vector<CaughtException> caught;  // for rethrow (see CaughtException)

  // The debugger (debug/debugger.cpp): the store's handler, and the step in progress, which
  // began in step_frame.
  //
  // While the debug handler runs (`stopped`), the interpreter is out: `frame` is the stopped
  // frame, frames[1..] down to it are the call stack (each caller resumes at the next
  // frame's ret_pc), `stop_pc` is the instruction about to run (at a trap stop, the one that
  // trapped) and `loop_reg` holds the loop register. Everything a debugger shows of a stop
  // comes from these; nothing else holds state of the stopped call.
  DebugHandler debug_handler;
  bool at_debug_stop = false;  // the interpreter left at a patched instruction...
  // ...and comes back to run it: run() starts at resume_pc with resume_op (the handler the
  // patch replaced, or the slot form of an accumulator form: without_accumulator).
  const Cell* resume_pc = nullptr;
  const void* resume_op = nullptr;
  DebugAction step = DebugAction::Continue;
  const Frame* step_frame = nullptr;
  // Where the step began (the stop it was asked at), if it did at a stop: the later internal
  // instructions of that wasm instruction, which run next, do not stop it.
  const Cell* step_pc = nullptr;
  bool pausing = false;           // the step in progress is a pause (Store::pause())
  bool break_on_trap = false;     // Store::set_break_on_trap
  bool stopped = false;           // in the debug handler
  const Cell* stop_pc = nullptr;  // while the debug handler runs: where the code stopped
  bool stop_at_trap = false;      // ...at a trap: not a place a saved call can resume from
  uint64_t stop_id = 0;  // counts stops: a DebugFrame may write its frame while this is its id
  // A step by line (DebugAction::StepIntoLine/StepOverLine): the line it began on, in the
  // module whose line table it is; the step runs on until the code reaches another line.
  const Module* step_module = nullptr;
  uint32_t step_file = 0, step_line = 0;
  bool step_by_line = false;
  // Its place and the calls of the inlined functions around it, innermost first, as (file,
  // line) of the line tables: a step over runs through the inlined calls its line makes.
  std::vector<std::pair<uint32_t, uint32_t>> step_places;
};

// Runs from `pc` in the innermost frame until the entry frame's Halt. Returns false on a trap,
// with the trap recorded in vm (trap_kind, trap_pc, trap_message).
bool interpret(Vm& vm, const Cell* pc);

// The handler a run() that starts at an instruction with handler `op` runs it with: `op`, or
// for an accumulator form (execute/acc_iops.def) its slot form, which reads the same value
// from its slot.
const void* without_accumulator(const void* op);

// Calls visit(frame, code_offset, at) for each wasm frame, innermost first, out to the nearest
// entry from the host; `at` is where the frame stopped, the innermost one at `pc`. A caller
// stopped at its call: it resumes after the call instruction, so the cell before belongs to it.
template <class Visit>
void for_each_wasm_frame(const Vm& vm, const Cell* pc, Visit&& visit) {
  for (const Frame* f = vm.frame; f->func; --f) {
    const Cell* at = f == vm.frame ? pc : pc - 1;
    visit(*f, f->func->wasm_offset_at(at), at);
    pc = f->ret_pc;
  }
}

// What every call from the host checks first: an interrupt asked for, fuel left (costs 1).
Result<void> check_call_entry(Store& store);
// Runs a call from the host whose frames are pushed (the entry frame at `entry`, from `pc`),
// then pops them and puts the stack top back at `saved_top`. Results are at entry->fp.
Result<void> run_call(Vm& vm, Frame* entry, const Cell* pc, uint64_t* saved_top);
// A call's results, typed, from the slots they were returned in.
std::vector<Value> typed_results(const FuncType& t, const uint64_t* slots);
// One cell holding Halt: the return address of a call from the host.
const Cell* halt_code();

// Builds the embedder-facing trap (with backtrace) from the VM state at a trap, for the frames
// of the current call from the host.
Trap make_trap(const Vm& vm);

// Exception handling (execute/exceptions.cpp). A throw sets vm.thrown, then find_handler
// looks for a catch from `pc` in vm.frame outwards, to the nearest entry from the host. Found:
// the catch's frame is vm.frame, its values are in place, and the catch's code is returned.
// Not found: nullptr, with nothing unwound (a backtrace shows where it was thrown) and
// vm.trap_message naming the tag and values.
const Cell* find_handler(Vm& vm, const Cell* pc);
// The Throw or Rethrow at `pc` (vm.throwing says which) left the interpreter: sets vm.thrown
// from it, then find_handler.
const Cell* throw_exception(Vm& vm, const Cell* pc);
// A call from the host whose entry frame is `entry` is over: its caught exceptions go.
void drop_caught(Vm& vm, const Frame* entry);

// Slow paths shared by the interpreter (execute/bulk.cpp). Each returns false and sets
// vm.trap_kind on a trap.
// `mem`, `dst_mem`, `src_mem`: indices in the instance's memories (multi-memory).
bool memory_fill(Vm& vm, Instance* inst, uint32_t mem, uint64_t d, uint32_t val, uint64_t n);
bool memory_copy(Vm& vm, Instance* inst, uint32_t dst_mem, uint32_t src_mem, uint64_t d, uint64_t s,
                 uint64_t n);
bool memory_init(Vm& vm, Instance* inst, uint32_t mem, uint32_t seg, uint64_t d, uint64_t s,
                 uint64_t n);
bool table_fill(Vm& vm, Instance* inst, uint32_t t, uint64_t i, uint64_t val, uint64_t n);
bool table_copy(Vm& vm, Instance* inst, uint32_t dt, uint32_t st, uint64_t d, uint64_t s,
                uint64_t n);
bool table_init(Vm& vm, Instance* inst, uint32_t t, uint32_t seg, uint64_t d, uint64_t s,
                uint64_t n);

}  // namespace glint::detail
