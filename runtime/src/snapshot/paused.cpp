// Snapshots of a call paused in the debugger, and resuming one (in this process or another).
//
// At a stop the call's whole state is the VM stack and the frame array (runtime/DESIGN.md,
// "Calls and the VM stack"): nothing lives on the C stack but the interpreter, which is
// re-entered at the stopped instruction. Frames hold pointers (code, slots, return address);
// a snapshot holds them as a function index, a cell index in its code and a slot offset, and
// resuming checks each against the module before anything runs, so a damaged file cannot
// send the interpreter into the middle of an instruction.
#include <algorithm>

#include "compile/code.h"
#include "debug/debugger.h"
#include "decode/module.h"
#include "execute/vm.h"
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "snapshot/state.h"

namespace glint {
namespace detail {
namespace {

const CompiledFunc* defined_func(const Instance& inst, uint32_t func_index) {
  const ModuleDesc& m = inst.module().desc();
  if (func_index < m.num_imported_funcs || func_index >= m.func_space.size()) return nullptr;
  return &inst.module().compiled().funcs[func_index - m.num_imported_funcs];
}

// Reference-typed locals hold Function pointers in the process, indices in a snapshot.
void convert_locals(const Instance& inst, const CompiledFunc& f, uint64_t* fp, bool to_index,
                    const FuncIndex* funcs) {
  for (uint32_t i = 0; i < f.local_types.size(); i++) {
    if (f.local_types[i] != ValType::FuncRef) continue;
    uint64_t& slot = fp[f.slot_of_local(i)];  // after a v128 local, not at i
    if (to_index) {
      auto r = funcs->to_index(slot);
      slot = r ? *r : 0;
    } else {
      slot = slot <= inst.funcs_.size() ? to_ref(inst, slot) : 0;
    }
  }
}

// The instruction that starts at `code_index`, or null if none does.
const OffsetEntry* instruction_at(const CompiledFunc& f, uint32_t code_index) {
  auto it = std::lower_bound(f.offsets.begin(), f.offsets.end(), code_index,
                             [](const OffsetEntry& e, uint32_t i) { return e.code_index < i; });
  return it != f.offsets.end() && it->code_index == code_index ? &*it : nullptr;
}

// A caller's resume position: the start of an instruction right after a wasm call.
bool after_call(const Instance& inst, const CompiledFunc& f, uint32_t code_index) {
  const OffsetEntry* e = instruction_at(f, code_index);
  if (!e || e == f.offsets.data()) return false;
  const std::vector<uint8_t>& bytes = inst.module().desc().bytes;
  uint32_t call_at = (e - 1)->wasm_offset;
  return call_at < bytes.size() && (bytes[call_at] == 0x10 || bytes[call_at] == 0x11);
}

Result<void> check_paused(const Instance& inst, const PausedCall& p, size_t max_slots,
                          size_t max_frames) {
  auto bad = [](std::string why) { return snapshot_error("paused call: " + why); };
  if (p.frames.empty()) return bad("no frames");
  if (p.frames.size() > max_frames) return bad("deeper than this store's call stack");
  if (p.slots.size() > max_slots) return bad("larger than this store's VM stack");
  if (p.frames[0].func_index != p.entry_func || p.frames[0].fp != 0)
    return bad("the outermost frame is not the entry call");
  uint64_t prev_fp = 0;
  for (size_t i = 0; i < p.frames.size(); i++) {
    const PausedFrame& pf = p.frames[i];
    const CompiledFunc* f = defined_func(inst, pf.func_index);
    std::string where = "frame " + std::to_string(i);
    if (!f) return bad(where + ": function " + std::to_string(pf.func_index) + " is not defined");
    bool innermost = i + 1 == p.frames.size();
    if (innermost ? !instruction_at(*f, pf.code_index) : !after_call(inst, *f, pf.code_index))
      return bad(where + " ('" + inst.module().function_name(pf.func_index) + "'): code position " +
                 std::to_string(pf.code_index) +
                 (innermost ? " is not an instruction" : " is not right after a call"));
    if (pf.fp < prev_fp || pf.fp + f->frame_slots > p.slots.size())
      return bad(where + ": its slots do not fit the saved stack");
    if (innermost && pf.fp + f->frame_slots != p.slots.size())
      return bad("the saved stack does not end with the innermost frame");
    prev_fp = pf.fp;
  }
  return {};
}

// The exceptions the paused call's catches took (Vm::caught), by tag index: a `rethrow` after
// the resume throws the same exception. Entries of catches already left are kept too (the Vm
// keeps them until a catch at or above theirs is entered), so the state is the same either way.
Result<void> capture_caught(const Instance& inst, const Vm& vm, const Frame* entry, PausedCall& p) {
  auto first = uint32_t(entry - vm.frames.get()) + 1;  // the outermost frame of the call
  for (const CaughtException& c : vm.caught) {
    if (c.frame < first) continue;
    const Tag* tag = c.exception.tag;
    auto it = std::find(inst.tags_.begin(), inst.tags_.end(), tag);
    std::string in = "capture_paused: frame " + std::to_string(c.frame - first) +
                     " is in a catch of an exception ";
    if (!tag || it == inst.tags_.end())
      return snapshot_error(in + "whose tag is not one of this instance's");
    for (ValType t : tag->type().params)
      if (is_ref(t))
        return snapshot_error(in + "that holds a reference (tag " + tag->name() +
                              "), which a snapshot cannot keep");
    p.caught.push_back(PausedCatch{c.frame - first, c.level, uint32_t(it - inst.tags_.begin()),
                                   c.exception.values});
  }
  return {};
}

// The saved caught exceptions fit the call and the module (before they go back into the Vm).
Result<void> check_caught(const Instance& inst, const PausedCall& p) {
  for (const PausedCatch& c : p.caught) {
    std::string what = "paused call: a caught exception";
    if (c.frame >= p.frames.size()) return snapshot_error(what + " of a frame it does not have");
    if (c.tag >= inst.tags_.size())
      return snapshot_error(what + " has tag " + std::to_string(c.tag) +
                            ", which the module lacks");
    size_t slots = 0;
    for (ValType t : inst.tags_[c.tag]->type().params) slots += t == ValType::V128 ? 2 : 1;
    if (c.values.size() != slots)
      return snapshot_error(what + " has " + std::to_string(c.values.size()) +
                            " value slots, its tag " + std::to_string(slots));
  }
  return {};
}

}  // namespace
}  // namespace detail

using namespace detail;

Result<void> capture_paused(const Instance& inst, Snapshot& out) {
  const Vm& vm = inst.store().vm();
  if (!vm.stop_pc)
    return snapshot_error("capture_paused: the store is not stopped in its debug handler");
  if (vm.stop_at_trap)
    return snapshot_error(
        "capture_paused: the call is stopped at a trap, which it cannot go on "
        "from");
  if (auto r = capture(inst, out); !r) return r;
  const Frame* entry = vm.frame;
  while (entry->func) --entry;
  if (entry - 1 != vm.frames.get())
    return snapshot_error(
        "the paused call was made by a host function called from wasm: only a call made "
        "directly by the host can be saved");
  PausedCall p;
  const uint64_t* base = entry->fp;
  FuncIndex funcs(inst);
  for (const Frame* f = entry + 1; f <= vm.frame; ++f) {
    if (f->inst != &inst)
      return snapshot_error("the paused call runs code of another instance ('" +
                            f->inst->module().function_name(f->func->func_index) + "')");
    const Cell* at = f == vm.frame ? vm.stop_pc : (f + 1)->ret_pc;
    p.frames.push_back(PausedFrame{f->func->func_index, uint32_t(at - f->func->code.data()),
                                   uint64_t(f->fp - base)});
  }
  p.entry_func = p.frames[0].func_index;
  const uint64_t* end = vm.frame->fp + vm.frame->func->frame_slots;
  p.slots.assign(base, end);
  for (size_t i = 0; i < p.frames.size(); i++) {
    const Frame& f = entry[1 + i];
    convert_locals(inst, *f.func, p.slots.data() + p.frames[i].fp, true, &funcs);
  }
  p.loop_reg = vm.loop_reg;
  if (auto r = capture_caught(inst, vm, entry, p); !r) return r;
  out.paused = std::move(p);
  return {};
}

Result<std::vector<Value>> resume_paused(Instance& inst, const Snapshot& snap) {
  if (!snap.paused) return snapshot_error("the snapshot holds no paused call");
  const PausedCall& p = *snap.paused;
  Store& store = inst.store();
  Vm& vm = store.vm();
  uint64_t* base = vm.stack_top;
  size_t room = size_t(vm.stack_end - base), depth = size_t(vm.frame_end - vm.frame) - 2;
  if (auto r = check_paused(inst, p, room, depth); !r) return r.error();
  if (auto r = check_caught(inst, p); !r) return r.error();
  if (auto r = check_state(inst, snap); !r) return r.error();
  if (auto r = check_call_entry(store); !r) return r.error();
  if (auto r = restore(inst, snap); !r) return r.error();

  std::copy(p.slots.begin(), p.slots.end(), base);
  Frame* entry = ++vm.frame;
  *entry = Frame{nullptr, &inst, base, nullptr};
  const Cell* ret = halt_code();
  for (const PausedFrame& pf : p.frames) {
    const CompiledFunc* f = defined_func(inst, pf.func_index);
    convert_locals(inst, *f, base + pf.fp, false, nullptr);
    *++vm.frame = Frame{f, &inst, base + pf.fp, ret};
    ret = f->code.data() + pf.code_index;
  }
  const Cell* pc = ret;  // the innermost frame's position
  vm.loop_reg = p.loop_reg;
  auto first = uint32_t(entry - vm.frames.get()) + 1;
  for (const PausedCatch& c : p.caught)
    vm.caught.push_back({first + c.frame, c.level, Exception{inst.tags_[c.tag], c.values}});
  const void* op = debug_stop_on_resume(vm, pc);
  if (!op) {
    drop_caught(vm, entry);
    vm.frame = entry - 1;
    Error e{ErrorKind::Trap, vm.trap_message};
    e.trap = Trap{TrapKind::Interrupted, vm.trap_message, {}, 0};
    return e;
  }
  // An instruction that reads the integer accumulator starts with its slot form (see
  // interpret()), and the register with the slot's value, which the stop it was paused at
  // wrote there (restore_accumulator_slot).
  if (int cell = int_accumulator_cell(op)) vm.iacc = vm.frame->fp[pc[cell].i];
  op = without_accumulator(op);  // the handler to start with (see interpret())
  if (op != pc->op) {
    vm.resume_pc = pc;
    vm.resume_op = op;
  }
  if (auto r = run_call(vm, entry, pc, base); !r) return r.error();
  return typed_results(inst.module().desc().func_type(p.entry_func), base);
}

}  // namespace glint
