// Breakpoints and stepping by patching translated code (glint/debug.h).
//
// A patch replaces the handler address in an instruction's first cell with the Breakpoint
// handler; the table below remembers the address it replaced. When the Breakpoint handler runs,
// debug_stop() decides whether this store stops there, calls its debug handler, and returns the
// replaced address for the interpreter to continue with. Stepping patches every instruction of
// the functions the step may stop in (begin_step) and filters stops by frame depth; each stop
// takes those patches back. Nothing here runs unless a patched instruction does.
#include "debug/debugger.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <unordered_map>

#include "debug/operand_stack.h"
#include "decode/module.h"
#include "glint/debug.h"
#include "glint/glint.h"

namespace glint {
namespace detail {
namespace {

struct Patch {
  const void* original = nullptr;  // the handler the patch replaced
  const Module* module = nullptr;
  uint32_t breakpoint_offset = 0;  // as set_breakpoint returned it
  bool breakpoint = false;         // set by set_breakpoint
  bool step = false;               // set while a step is in progress
};

// Process-wide, like the code it patches (modules are shared between stores and threads).
std::mutex g_mutex;
std::unordered_map<const Cell*, Patch> g_patches;

Cell& writable(const Cell* c) {
  // Translated code is immutable except for these patches of an instruction's first cell.
  return *const_cast<Cell*>(c);
}

Patch& patch(const Cell* at, const Module& module) {
  auto [it, fresh] = g_patches.try_emplace(at);
  if (fresh) {
    it->second.original = at->op;
    it->second.module = &module;
    writable(at).op = handler_table()[size_t(IOp::Breakpoint)];
  }
  return it->second;
}

void unpatch_if_unused(std::unordered_map<const Cell*, Patch>::iterator it) {
  if (it->second.breakpoint || it->second.step) return;
  writable(it->first).op = it->second.original;
  g_patches.erase(it);
}

void patch_function(const CompiledFunc& f, const Module& module) {
  for (const OffsetEntry& e : f.offsets) patch(&f.code[e.code_index], module).step = true;
}

// Patches what a step can stop in. Into: any function of the modules on the call stack. Over:
// the functions on the call stack (a call stepped over runs unpatched, at full speed, unless
// it recurses). Out: the callers' functions.
void begin_step(Vm& vm, DebugAction action) {
  vm.step = action;
  vm.step_frame = vm.frame;
  Frame* f = action == DebugAction::StepOut ? vm.frame - 1 : vm.frame;
  for (; f->func; --f) {
    const Module& module = f->inst->module();
    if (action != DebugAction::StepInto) {
      patch_function(*f->func, module);
      continue;
    }
    for (const CompiledFunc& g : module.compiled().funcs) patch_function(g, module);
  }
}

void end_stepping() {
  for (auto it = g_patches.begin(); it != g_patches.end();) {
    auto next = std::next(it);
    it->second.step = false;
    unpatch_if_unused(it);
    it = next;
  }
}

// The instruction to stop at for a breakpoint at `offset`: the first one in code order with
// the smallest wasm offset >= offset in the function whose body holds `offset`.
const Cell* instruction_at(const Module& module, uint32_t offset, uint32_t& taken) {
  const ModuleDesc& d = module.desc();
  for (size_t i = 0; i < d.bodies.size(); i++) {
    if (offset < d.bodies[i].code_begin || offset >= d.bodies[i].code_end) continue;
    const CompiledFunc& f = module.compiled().funcs[i];
    const OffsetEntry* best = nullptr;
    for (const OffsetEntry& e : f.offsets)
      if (e.wasm_offset >= offset && (!best || e.wasm_offset < best->wasm_offset)) best = &e;
    if (!best) return nullptr;
    taken = best->wasm_offset;
    return &f.code[best->code_index];
  }
  return nullptr;
}

// The frame's locals as the wasm code sees them at `at`, where the translator's deferred
// additions may leave a slot behind its value (CompiledFunc::local_lags).
void frame_locals(const Frame& f, const Cell* at, DebugFrame& df) {
  for (uint32_t i = 0; i < f.func->local_types.size(); i++) {
    uint64_t bits = f.fp[i];
    const LocalLag* lag = f.func->lag_at(i, at);
    if (lag && !lag->dead) bits = uint32_t(bits + lag->delta);
    df.locals.push_back({f.func->local_types[i], bits});
    df.dead.push_back(lag && lag->dead);
  }
}

DebugStop describe_stop(const Vm& vm, const Cell* pc, DebugStop::Reason reason) {
  DebugStop stop;
  stop.reason = reason;
  for_each_wasm_frame(vm, pc, [&](const Frame& f, uint32_t code_offset, const Cell* at) {
    DebugFrame df;
    df.instance = f.inst;
    df.func_index = f.func->func_index;
    df.func_name = f.inst->module().function_name(df.func_index);
    df.code_offset = code_offset;
    frame_locals(f, at, df);
    frame_operand_stack(f, at, !stop.frames.empty(), df);
    stop.frames.push_back(std::move(df));
  });
  return stop;
}

bool step_stops_here(const Vm& vm) {
  switch (vm.step) {
    case DebugAction::StepInto:
      return true;
    case DebugAction::StepOver:
      return vm.frame <= vm.step_frame;
    case DebugAction::StepOut:
      return vm.frame < vm.step_frame;
    default:
      return false;
  }
}

// Calls the store's debug handler at a stop and sets up what it asks for next; false if it
// ended the call (vm.trap_message says why).
bool stop_here(Vm& vm, const Cell* pc, DebugStop::Reason reason) {
  DebugAction action = DebugAction::Abort;
  std::string failure;
  vm.stop_pc = pc;
  try {  // the handler is the embedder's code: its exception ends the call, not the store
    action = vm.debug_handler(describe_stop(vm, pc, reason));
  } catch (const std::exception& e) {
    failure = std::string("the debug handler threw: ") + e.what();
  } catch (...) {
    failure = "the debug handler threw";
  }
  vm.stop_pc = nullptr;
  std::lock_guard lock(g_mutex);
  end_stepping();
  if (action == DebugAction::Continue || action == DebugAction::Abort)
    vm.step = DebugAction::Continue;
  else
    begin_step(vm, action);
  if (action != DebugAction::Abort) return true;
  vm.trap_message = failure.empty() ? "stopped by the debugger" : failure;
  return false;
}

}  // namespace

const void* debug_stop(Vm& vm, const Cell* pc) {
  const void* original;
  bool breakpoint;
  {
    std::lock_guard lock(g_mutex);
    auto it = g_patches.find(pc);
    // Cleared by another thread after this one read the patched cell: the cell is restored.
    if (it == g_patches.end()) return pc->op;
    original = it->second.original;
    breakpoint = it->second.breakpoint;
  }
  if (!vm.debug_handler || !(breakpoint || step_stops_here(vm))) return original;
  auto reason = vm.pausing   ? DebugStop::Reason::Pause
                : breakpoint ? DebugStop::Reason::Breakpoint
                             : DebugStop::Reason::Step;
  vm.pausing = false;
  return stop_here(vm, pc, reason) ? original : nullptr;
}

const void* debug_stop_on_resume(Vm& vm, const Cell* pc) {
  const void* original = pc->op;
  {
    std::lock_guard lock(g_mutex);
    if (auto it = g_patches.find(pc); it != g_patches.end()) original = it->second.original;
  }
  if (!vm.debug_handler) return original;
  return stop_here(vm, pc, DebugStop::Reason::Pause) ? original : nullptr;
}

void debug_pause(Vm& vm) {
  if (!vm.debug_handler) return;
  std::lock_guard lock(g_mutex);
  end_stepping();
  begin_step(vm, DebugAction::StepInto);
  vm.pausing = true;
}

void step_past_call_end(Vm& vm, const Module& module) {
  if ((vm.step != DebugAction::StepOver && vm.step != DebugAction::StepOut) ||
      vm.frame >= vm.step_frame)
    return;
  std::lock_guard lock(g_mutex);
  vm.step = DebugAction::StepInto;
  for (const CompiledFunc& f : module.compiled().funcs) patch_function(f, module);
}

size_t patched_instructions() {
  std::lock_guard lock(g_mutex);
  return g_patches.size();
}

void forget_patches(const Module& module) {
  std::lock_guard lock(g_mutex);
  std::erase_if(g_patches, [&](const auto& p) { return p.second.module == &module; });
}

}  // namespace detail

Result<uint32_t> set_breakpoint(const Module& module, uint32_t code_offset) {
  uint32_t taken = 0;
  const detail::Cell* at = detail::instruction_at(module, code_offset, taken);
  if (!at)
    return Error{ErrorKind::Invalid, "no instruction at or after offset " +
                                         std::to_string(code_offset) + " in a function body"};
  std::lock_guard lock(detail::g_mutex);
  detail::Patch& p = detail::patch(at, module);
  p.breakpoint = true;
  p.breakpoint_offset = taken;
  return taken;
}

Result<uint32_t> function_code_offset(const Module& module, std::string_view name) {
  const detail::ModuleDesc& d = module.desc();
  auto defined = [&](uint32_t func_index) -> Result<uint32_t> {
    if (func_index < d.num_imported_funcs)
      return Error{ErrorKind::Usage, "function '" + std::string(name) + "' is imported"};
    return d.bodies[func_index - d.num_imported_funcs].code_begin;
  };
  uint32_t count = uint32_t(d.func_space.size());
  for (uint32_t i = 0; i < count; i++)
    if (module.function_name(i) == name) return defined(i);
  for (const auto& e : d.exports)
    if (e.kind == ExternKind::Func && e.name == name) return defined(e.index);
  return Error{ErrorKind::Usage, "no function named '" + std::string(name) + "'"};
}

bool clear_breakpoint(const Module& module, uint32_t code_offset) {
  uint32_t taken = 0;
  const detail::Cell* at = detail::instruction_at(module, code_offset, taken);
  std::lock_guard lock(detail::g_mutex);
  auto it = detail::g_patches.find(at);
  if (!at || it == detail::g_patches.end() || !it->second.breakpoint) return false;
  it->second.breakpoint = false;
  detail::unpatch_if_unused(it);
  return true;
}

std::vector<uint32_t> breakpoints(const Module& module) {
  std::vector<uint32_t> offsets;
  std::lock_guard lock(detail::g_mutex);
  for (const auto& [cell, p] : detail::g_patches)
    if (p.module == &module && p.breakpoint) offsets.push_back(p.breakpoint_offset);
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

void Store::set_debug_handler(DebugHandler handler) {
  vm_->debug_handler = std::move(handler);
  vm_->step = DebugAction::Continue;
}

}  // namespace glint
