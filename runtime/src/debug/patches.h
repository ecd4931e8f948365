// The patch table shared by the debugger's files: which instructions' handlers are replaced by
// the Breakpoint handler, and why (debug/debugger.cpp has the design).
#pragma once
#include <functional>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "execute/vm.h"

namespace glint::detail {

struct Patch {
  const void* original = nullptr;  // the handler the patch replaced
  const Module* module = nullptr;
  uint32_t breakpoint_offset = 0;  // as set_breakpoint returned it
  bool breakpoint = false;         // set by set_breakpoint
  bool step = false;               // set while a step is in progress
  std::vector<int> user;           // the add_breakpoint ids that stop here
};

// Process-wide, like the code it patches (modules are shared between stores and threads).
// g_patch_mutex guards g_patches and the breakpoints of debug/breakpoints.cpp.
extern std::mutex g_patch_mutex;
extern std::unordered_map<const Cell*, Patch> g_patches;

// The patch of `at`, patching it if it is not yet.
Patch& patch(const Cell* at, const Module& module);
// Restores the instruction if nothing needs its patch any more.
void unpatch_if_unused(std::unordered_map<const Cell*, Patch>::iterator it);
// The instruction to stop at for a breakpoint at `offset`: the first one in code order with the
// smallest wasm offset >= offset in the function whose body holds `offset`; `taken` is its
// wasm offset. Null if `offset` is not in a function body.
const Cell* instruction_at(const Module& module, uint32_t offset, uint32_t& taken);

// debug/breakpoints.cpp: of the add_breakpoint ids at a stop, those whose condition holds now
// (counting their hits, removing once ones); `top` describes the stopped frame, called only
// for a breakpoint with a test.
std::vector<int> breakpoints_that_stop(const std::vector<int>& ids,
                                       const std::function<DebugFrame()>& top);
// Drops the breakpoints of a module being destroyed (with g_patch_mutex held).
void forget_breakpoints(const Module& module);
// Where a breakpoint on a function stops: after its prologue where the DWARF marks one (at
// -O0 the parameters are stored to the stack frame there), else its first instruction.
uint32_t function_body_start(const Module& module, uint32_t function_start);

}  // namespace glint::detail
