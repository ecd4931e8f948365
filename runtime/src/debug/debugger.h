// The debugger's side of the interpreter and the store (debug/debugger.cpp; the public API is
// glint/debug.h).
#pragma once
#include <cstddef>

#include "execute/vm.h"

namespace glint::detail {

// At a patched instruction (the interpreter left with vm.frame current): stops there if
// this store's debugger wants to, and returns the handler the patch replaced, to run next; null
// if the debugger ended the call (trap Interrupted).
const void* debug_stop(Vm& vm, const Cell* pc);
// A call resumed from a paused snapshot (snapshot/paused.cpp) begins with a stop (reason
// Pause) at `pc`, where it was paused, so the debugger can step on from there. Returns the
// handler to run at pc; null if the debugger ended the call.
const void* debug_stop_on_resume(Vm& vm, const Cell* pc);
// At the end of a call from the host: a step over or out of its last wasm frame becomes a
// step into, which stops at the next instruction of `module` that runs.
void step_past_call_end(Vm& vm, const Module& module);
// At a trap (vm.trap_pc, vm.frame current): with break on trap on, stops in the debug handler
// (reason Trap) before the call unwinds.
void debug_trap_stop(Vm& vm);
// A pause was requested (the interpreter's budget check, with vm.frame current): steps into
// the next instruction of a module on the call stack, which stops with reason Pause.
void debug_pause(Vm& vm);
// The handler of the instruction at `pc`, seen through a debugger patch (the one the patch
// replaced).
const void* debug_original_handler(const Cell* pc);
// How many instructions are patched, process-wide (for tests).
size_t patched_instructions();
// Drops the patch records of a module being destroyed.
void forget_patches(const Module& module);

}  // namespace glint::detail
