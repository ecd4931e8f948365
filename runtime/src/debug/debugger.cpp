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
#include <tuple>
#include <unordered_map>

#include "debug/operand_stack.h"
#include "debug/patches.h"
#include "debug/source_info.h"
#include "decode/module.h"
#include "glint/debug.h"
#include "glint/glint.h"

namespace glint {
namespace detail {

std::mutex g_patch_mutex;
std::unordered_map<const Cell*, Patch> g_patches;

static Cell& writable(const Cell* c) {
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
  if (it->second.breakpoint || it->second.step || !it->second.user.empty()) return;
  writable(it->first).op = it->second.original;
  g_patches.erase(it);
}

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

namespace {

void patch_function(const CompiledFunc& f, const Module& module) {
  for (const OffsetEntry& e : f.offsets) patch(&f.code[e.code_index], module).step = true;
}

// Patches the first instruction of every function of `module`, which every call runs first: a
// step into stops there, and patches the rest of the function then (enter_function_stepping).
void patch_entries(const Module& module) {
  for (const CompiledFunc& f : module.compiled().funcs) patch(f.code.data(), module).step = true;
}

// Patches what a step can stop in (every internal instruction: a jump may land on any). Over: the
// functions on the call stack (a call stepped over runs unpatched, at full speed, unless it
// recurses). Out: the callers' functions. Into: the functions on the call stack, and the entry of
// every function of their modules.
void begin_step(Vm& vm, DebugAction action, const Cell* pc) {
  vm.step = action;
  vm.step_frame = vm.frame;
  vm.step_pc = pc;
  Frame* f = action == DebugAction::StepOut ? vm.frame - 1 : vm.frame;
  std::vector<const Module*> entries_patched;
  for (; f->func; --f) {
    const Module& module = f->inst->module();
    patch_function(*f->func, module);
    if (action != DebugAction::StepInto ||
        std::find(entries_patched.begin(), entries_patched.end(), &module) != entries_patched.end())
      continue;
    patch_entries(module);
    entries_patched.push_back(&module);
  }
}

// A step into arrived at a function's first instruction: the rest of it may stop too.
void enter_function_stepping(Vm& vm, const Cell* pc) {
  const CompiledFunc& f = *vm.frame->func;
  if (vm.step != DebugAction::StepInto || pc != f.code.data()) return;
  std::lock_guard lock(g_patch_mutex);
  patch_function(f, vm.frame->inst->module());
}

void end_stepping() {
  for (auto it = g_patches.begin(); it != g_patches.end();) {
    auto next = std::next(it);
    it->second.step = false;
    unpatch_if_unused(it);
    it = next;
  }
}

// The frame's locals as the wasm code sees them at `at`, where the translator's deferred
// additions may leave a slot behind its value (CompiledFunc::local_lags, which name locals by
// their slots). A v128 local takes two slots.
void frame_locals(const Frame& f, const Cell* at, DebugFrame& df) {
  for (uint32_t i = 0; i < f.func->local_types.size(); i++) {
    uint32_t s = f.func->slot_of_local(i);
    ValType t = f.func->local_types[i];
    uint64_t bits = f.fp[s];
    const LocalLag* lag = f.func->lag_at(s, at);
    if (lag && !lag->dead) bits = uint32_t(bits + lag->delta);
    df.locals.push_back({t, bits, t == ValType::V128 ? f.fp[s + 1] : 0});
    df.dead.push_back(lag && lag->dead);
  }
}

DebugFrame describe_frame(Vm& vm, const Frame& f, uint32_t code_offset, const Cell* at,
                          bool caller) {
  DebugFrame df;
  df.instance = f.inst;
  df.func_index = f.func->func_index;
  df.func_name = f.inst->module().function_name(df.func_index);
  df.code_offset = code_offset;
  frame_locals(f, at, df);
  frame_operand_stack(f, at, caller, df);
  df.source = source_locations(f.inst->module(), code_offset);
  df.vm_ = &vm;
  df.frame_ = &f;
  df.stop_id_ = vm.stop_id;
  return df;
}

DebugStop describe_stop(Vm& vm, const Cell* pc, DebugStop::Reason reason) {
  DebugStop stop;
  stop.reason = reason;
  for_each_wasm_frame(vm, pc, [&](const Frame& f, uint32_t code_offset, const Cell* at) {
    stop.frames.push_back(describe_frame(vm, f, code_offset, at, !stop.frames.empty()));
  });
  return stop;
}

// --- stepping by line ---------------------------------------------------------------------

uint32_t function_start(const Module& module, const CompiledFunc& f) {
  const ModuleDesc& d = module.desc();
  return d.bodies[f.func_index - d.num_imported_funcs].code_begin;
}

// True if no instruction with code of f's function lies in [begin, offset): the code at
// `offset` is the first that runs of a line starting at `begin`.
bool first_of_line(const CompiledFunc& f, uint32_t begin, uint32_t offset) {
  return std::none_of(f.offsets.begin(), f.offsets.end(), [&](const OffsetEntry& e) {
    return e.wasm_offset >= begin && e.wasm_offset < offset;
  });
}

// The jump that ends a try's body (or a catch, before the next one) is at the offset of the
// `catch` or `catch_all` after it, on the catch's line: a step by line does not stop there, as
// that catch does not run.
bool ends_try_body(const Module& module, uint32_t offset) {
  const std::vector<uint8_t>& bytes = module.desc().bytes;
  return offset < bytes.size() && (bytes[offset] == 0x07 || bytes[offset] == 0x19);
}

// The first instruction of a catch: where an exception thrown in the try's body lands.
bool starts_catch(const CompiledFunc& f, const Cell* pc) {
  auto at = uint32_t(pc - f.code.data());
  for (const ExceptionHandler& h : f.handlers)
    for (const CatchClause& c : h.clauses)
      if (c.target == at) return true;
  return false;
}

using Places = std::vector<std::pair<uint32_t, uint32_t>>;

// The (file, line) places of line_chain(): the code's own, then the inlined calls around it.
Places places_at(const Module& module, uint32_t offset) {
  Places out;
  for (const LineRow& r : line_chain(module, offset)) out.push_back({r.file, r.line});
  return out;
}

// Where a step by line began: the frame and the line it was on (line 0: no line there, so the
// step goes by instruction). A step over that begins at the entry of inlined code (where a
// breakpoint at the line of its call stops) begins on the line of the call: it runs the call.
void begin_line_step(Vm& vm, const Cell* pc, bool over) {
  const Frame& f = *vm.frame;
  const Module& module = f.inst->module();
  uint32_t offset = f.func->wasm_offset_at(pc);
  auto row = line_row(module, offset);
  vm.step_by_line = true;
  vm.step_module = &module;
  vm.step_file = row ? row->file : 0;
  vm.step_line = row && row->is_stmt ? row->line : 0;
  vm.step_places.clear();
  if (!vm.step_line) return;
  std::vector<LineRow> chain = line_chain(module, offset);
  size_t entered = 0;  // inlined calls whose code begins here (their first instruction)
  while (over && entered + 1 < chain.size() && chain[entered + 1].begin <= offset &&
         first_of_line(*f.func, chain[entered + 1].begin, offset))
    ++entered;
  for (size_t i = entered; i < chain.size(); i++)
    vm.step_places.push_back({chain[i].file, chain[i].line});
  if (entered) std::tie(vm.step_file, vm.step_line) = vm.step_places[0];
}

// A step over by line treats a call of an inlined function as the call it is: true where the
// code is of a function inlined (at any depth) into the line the step began on. Back in the
// function that inlined the one it began in, in the middle of the line of the call, it goes
// on to that line's end, as after a return: the step is then on that line.
bool in_call_of_the_line(Vm& vm, const Module& module, uint32_t offset) {
  Places& start = vm.step_places;
  if (start.empty()) return false;
  Places here = places_at(module, offset);
  if (here.size() >= start.size()) return here[here.size() - start.size()] == start[0];
  if (here.empty() || here[0] != start[start.size() - here.size()]) return false;
  start = std::move(here);
  std::tie(vm.step_file, vm.step_line) = start[0];
  return true;
}

// A step by line stops at the first instruction of another line (a statement row). Returned
// to a caller in the middle of its line, it runs on to the caller's next line.
bool line_step_stops(Vm& vm, const Cell* pc) {
  const Frame& f = *vm.frame;
  const Module& module = f.inst->module();
  uint32_t offset = f.func->wasm_offset_at(pc);
  auto row = line_row(module, offset);
  bool statement = row && row->line && row->is_stmt && !ends_try_body(module, offset);
  if (vm.frame > vm.step_frame)  // in a call (step into): its first line after the prologue
    return statement && offset >= function_body_start(module, function_start(module, *f.func));
  if (vm.frame < vm.step_frame) {  // returned (or an exception came) from the frame it began in
    if (statement && (first_of_line(*f.func, row->begin, offset) || starts_catch(*f.func, pc)))
      return true;
    vm.step_frame = vm.frame;
    vm.step_module = &module;
    vm.step_file = row ? row->file : 0;
    vm.step_line = row ? row->line : 0;
    vm.step_places = vm.step_line ? places_at(module, offset) : Places{};
    return !row || !row->line;
  }
  if (vm.step_line == 0) return true;
  if (!statement ||
      (&module == vm.step_module && row->file == vm.step_file && row->line == vm.step_line))
    return false;
  return vm.step != DebugAction::StepOver || !in_call_of_the_line(vm, module, offset);
}

// True if `pc` is a later internal instruction of the wasm instruction the step began at, run
// since: a wasm instruction may take several (lazy operands put in slots, a deferred addition
// emitted before a branch, then the branch; a br_table's stubs), each with the instruction's
// offset. The step stopped at the first, where the instruction begins and the operand stack is
// shown; it stops again only at another instruction, or this one run again (a loop back to its
// first). Reaching pc from elsewhere (a jump into the middle) is a stop: the step began in
// another instruction then.
bool continues_step_start(const Vm& vm, const Cell* pc) {
  const Cell* from = vm.step_pc;
  if (!from || vm.frame != vm.step_frame || pc <= from) return false;
  const CompiledFunc& f = *vm.frame->func;
  const Cell* code = f.code.data();
  if (from < code || pc >= code + f.code.size()) return false;
  auto entry = [&](const Cell* c) {
    return std::lower_bound(f.offsets.begin(), f.offsets.end(), uint32_t(c - code),
                            [](const OffsetEntry& e, uint32_t i) { return e.code_index < i; });
  };
  auto first = entry(from), last = entry(pc);
  if (first == f.offsets.end() || last == f.offsets.end() || first->code_index != from - code ||
      last->code_index != pc - code)
    return false;
  return std::all_of(first, last + 1,
                     [&](const OffsetEntry& e) { return e.wasm_offset == first->wasm_offset; });
}

bool step_stops_here(Vm& vm, const Cell* pc) {
  if (continues_step_start(vm, pc)) return false;
  bool depth = false;
  switch (vm.step) {
    case DebugAction::StepInto:
      depth = true;
      break;
    case DebugAction::StepOver:
      depth = vm.frame <= vm.step_frame;
      break;
    case DebugAction::StepOut:
      depth = vm.frame < vm.step_frame;
      break;
    default:
      break;
  }
  return depth && (!vm.step_by_line || line_step_stops(vm, pc));
}

// Calls the store's debug handler for a stop; returns its action, or Abort with
// vm.trap_message set if it threw.
DebugAction call_handler(Vm& vm, DebugStop& stop) {
  vm.stopped = true;
  DebugAction action = DebugAction::Abort;
  try {  // the handler is the embedder's code: its exception ends the call, not the store
    action = vm.debug_handler(stop);
  } catch (const std::exception& e) {
    vm.trap_message = std::string("the debug handler threw: ") + e.what();
  } catch (...) {
    vm.trap_message = "the debug handler threw";
  }
  vm.stopped = false;
  vm.stop_id++;  // the stop's frames may no longer write
  return action;
}

// Calls the store's debug handler at a stop and sets up what it asks for next; false if it
// ended the call (vm.trap_message says why).
bool stop_here(Vm& vm, const Cell* pc, DebugStop::Reason reason, std::vector<int> breakpoints) {
  vm.stop_pc = pc;
  DebugStop stop = describe_stop(vm, pc, reason);
  stop.breakpoints = std::move(breakpoints);
  vm.trap_message.clear();
  DebugAction action = call_handler(vm, stop);
  vm.stop_pc = nullptr;
  std::lock_guard lock(g_patch_mutex);
  end_stepping();
  vm.step = DebugAction::Continue;
  vm.step_by_line = false;
  if (action == DebugAction::StepIntoLine || action == DebugAction::StepOverLine) {
    begin_line_step(vm, pc, action == DebugAction::StepOverLine);
    begin_step(vm,
               action == DebugAction::StepIntoLine ? DebugAction::StepInto : DebugAction::StepOver,
               pc);
  } else if (action != DebugAction::Continue && action != DebugAction::Abort) {
    begin_step(vm, action, pc);
  }
  if (action != DebugAction::Abort) return true;
  if (vm.trap_message.empty()) vm.trap_message = "stopped by the debugger";
  return false;
}

}  // namespace

const void* debug_stop(Vm& vm, const Cell* pc) {
  const void* original;
  bool breakpoint;
  std::vector<int> user;
  {
    std::lock_guard lock(g_patch_mutex);
    auto it = g_patches.find(pc);
    // Cleared by another thread after this one read the patched cell: the cell is restored.
    if (it == g_patches.end()) return pc->op;
    original = it->second.original;
    breakpoint = it->second.breakpoint;
    user = it->second.user;
  }
  if (!vm.debug_handler) return original;
  enter_function_stepping(vm, pc);
  bool step = step_stops_here(vm, pc);
  if (!user.empty()) {
    user = breakpoints_that_stop(user, [&] {
      const Frame& f = *vm.frame;
      return describe_frame(vm, f, f.func->wasm_offset_at(pc), pc, false);
    });
  }
  if (!breakpoint && user.empty() && !step) return original;
  auto reason = vm.pausing                    ? DebugStop::Reason::Pause
                : breakpoint || !user.empty() ? DebugStop::Reason::Breakpoint
                                              : DebugStop::Reason::Step;
  vm.pausing = false;
  return stop_here(vm, pc, reason, std::move(user)) ? original : nullptr;
}

const void* debug_original_handler(const Cell* pc) {
  std::lock_guard lock(g_patch_mutex);
  auto it = g_patches.find(pc);
  return it == g_patches.end() ? pc->op : it->second.original;
}

const void* debug_stop_on_resume(Vm& vm, const Cell* pc) {
  const void* original = pc->op;
  {
    std::lock_guard lock(g_patch_mutex);
    if (auto it = g_patches.find(pc); it != g_patches.end()) original = it->second.original;
  }
  if (!vm.debug_handler) return original;
  return stop_here(vm, pc, DebugStop::Reason::Pause, {}) ? original : nullptr;
}

void debug_trap_stop(Vm& vm) {
  if (!vm.debug_handler || vm.trap_kind == TrapKind::Exit) return;
  Trap trap = make_trap(vm);
  vm.stop_pc = vm.trap_pc;
  vm.stop_at_trap = true;
  DebugStop stop = describe_stop(vm, vm.trap_pc, DebugStop::Reason::Trap);
  if (!stop.frames.empty() && !trap.backtrace.empty())  // a later access of a fused instruction
    stop.frames[0].code_offset = trap.backtrace[0].code_offset;
  stop.trap = std::move(trap);
  std::string message = std::move(vm.trap_message);
  call_handler(vm, stop);
  vm.stop_pc = nullptr;
  vm.stop_at_trap = false;
  vm.trap_message = std::move(message);  // the call returns the trap it stopped at
  std::lock_guard lock(g_patch_mutex);
  end_stepping();
  vm.step = DebugAction::Continue;
  vm.step_by_line = false;
}

void debug_pause(Vm& vm) {
  if (!vm.debug_handler) return;
  std::lock_guard lock(g_patch_mutex);
  end_stepping();
  vm.step_by_line = false;
  begin_step(vm, DebugAction::StepInto, nullptr);
  vm.pausing = true;
}

void step_past_call_end(Vm& vm, const Module& module) {
  if ((vm.step != DebugAction::StepOver && vm.step != DebugAction::StepOut) ||
      vm.frame >= vm.step_frame)
    return;
  std::lock_guard lock(g_patch_mutex);
  vm.step = DebugAction::StepInto;
  vm.step_line = 0;  // a step by line stops at the first line of the next call
  vm.step_frame = vm.frame;
  vm.step_pc = nullptr;
  patch_entries(module);
}

size_t patched_instructions() {
  std::lock_guard lock(g_patch_mutex);
  return g_patches.size();
}

void forget_patches(const Module& module) {
  std::lock_guard lock(g_patch_mutex);
  std::erase_if(g_patches, [&](const auto& p) { return p.second.module == &module; });
  forget_breakpoints(module);
}

}  // namespace detail

Result<uint32_t> set_breakpoint(const Module& module, uint32_t code_offset) {
  uint32_t taken = 0;
  const detail::Cell* at = detail::instruction_at(module, code_offset, taken);
  if (!at)
    return Error{ErrorKind::Invalid, "no instruction at or after offset " +
                                         std::to_string(code_offset) + " in a function body"};
  std::lock_guard lock(detail::g_patch_mutex);
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
  std::lock_guard lock(detail::g_patch_mutex);
  auto it = detail::g_patches.find(at);
  if (!at || it == detail::g_patches.end() || !it->second.breakpoint) return false;
  it->second.breakpoint = false;
  detail::unpatch_if_unused(it);
  return true;
}

std::vector<uint32_t> breakpoints(const Module& module) {
  std::vector<uint32_t> offsets;
  std::lock_guard lock(detail::g_patch_mutex);
  for (const auto& [cell, p] : detail::g_patches)
    if (p.module == &module && p.breakpoint) offsets.push_back(p.breakpoint_offset);
  std::sort(offsets.begin(), offsets.end());
  return offsets;
}

void Store::set_debug_handler(DebugHandler handler) {
  vm_->debug_handler = std::move(handler);
  vm_->step = DebugAction::Continue;
  vm_->step_by_line = false;
}

void Store::set_break_on_trap(bool on) { vm_->break_on_trap = on; }

}  // namespace glint
