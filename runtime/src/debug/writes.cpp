// Writes while stopped (glint/debug.h): a frame's wasm locals, globals, memory, and source
// variables through DWARF. The code goes on with the new values.
//
// A local's slot is not always its value: a deferred addition may lag it behind (the slot is
// written as value - delta), and in a loop that keeps its counter in the loop register
// (RegLoad in execute/iops.def) the register holds the counter too, and is what the loop reads.
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "debug/patches.h"
#include "debug/source_info.h"

namespace glint {
namespace detail {
namespace {

Result<void> stop_is_live(const DebugFrame& frame) {
  if (!frame.vm_ || !frame.frame_ || !frame.vm_->stopped || frame.vm_->stop_id != frame.stop_id_)
    return Error{ErrorKind::Usage, "the stop is over: its frames can no longer be written"};
  return {};
}

// The cell frame f is at: the innermost frame's stop, or a caller's call.
const Cell* frame_pc(const Vm& vm, const Frame& f) {
  return &f == vm.frame ? vm.stop_pc : (&f + 1)->ret_pc - 1;
}

const void* handler_of(const Cell* c) {  // the handler, seen through a debugger patch
  auto it = g_patches.find(c);
  return it == g_patches.end() ? c->op : it->second.original;
}

// Whether the loop register holds local `local` at `pc`: pc is inside a loop whose RegLoad
// loads that local (it took the register), between its header and the BrInc that branches back.
bool register_holds(const CompiledFunc& f, uint32_t local, const Cell* pc) {
  const void* const* handlers = handler_table();
  const void* reg_load = handlers[size_t(IOp::RegLoad)];
  size_t first_incbr = size_t(IOp::BrIncI32Eq_ss_loop), last_incbr = first_incbr + 40;
  size_t at = size_t(pc - f.code.data());
  std::lock_guard lock(g_patch_mutex);
  for (size_t r = 0; r + 1 < f.code.size(); r++) {
    if (handler_of(&f.code[r]) != reg_load || f.code[r + 1].u != local) continue;
    const Cell* header = &f.code[r + 2];
    size_t end = 0;
    for (size_t j = r + 2; j + 3 < f.code.size(); j++) {
      const void* op = handler_of(&f.code[j]);
      for (size_t k = first_incbr; k < last_incbr; k++)
        if (op == handlers[k] && f.code[j + 3].target == header) end = j;
    }
    if (at >= r + 2 && at <= end) return true;
  }
  return false;
}

// "42", "-0x10", "2.5" as a value of wasm type t.
Result<Value> parse_value(std::string_view text, ValType t) {
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  Value v;
  switch (t) {
    case ValType::I32:
    case ValType::I64: {
      long long i = std::strtoll(s.c_str(), &end, 0);
      if (errno == ERANGE) {  // an unsigned 64-bit value
        errno = 0;
        i = static_cast<long long>(std::strtoull(s.c_str(), &end, 0));
      }
      v = t == ValType::I32 ? Value::i32(int32_t(i)) : Value::i64(int64_t(i));
      break;
    }
    case ValType::F32:
      v = Value::f32(std::strtof(s.c_str(), &end));
      break;
    case ValType::F64:
      v = Value::f64(std::strtod(s.c_str(), &end));
      break;
    default:
      return Error{ErrorKind::Usage, std::string("cannot write a ") + to_string(t)};
  }
  if (s.empty() || errno == ERANGE || *end != '\0')
    return Error{ErrorKind::Usage, "'" + s + "' is not a valid " + to_string(t)};
  return v;
}

}  // namespace
}  // namespace detail

Result<void> set_local(DebugFrame& frame, uint32_t local, Value value) {
  if (auto live = detail::stop_is_live(frame); !live) return live;
  if (local >= frame.locals.size())
    return Error{ErrorKind::Usage, "the frame has no wasm local " + std::to_string(local)};
  if (value.type != frame.locals[local].type)
    return Error{ErrorKind::Usage, "wasm local " + std::to_string(local) + " is " +
                                       to_string(frame.locals[local].type) + ", not " +
                                       to_string(value.type)};
  detail::Vm& vm = *frame.vm_;
  const detail::Frame& f = *frame.frame_;
  const detail::Cell* pc = detail::frame_pc(vm, f);
  uint64_t bits = value.bits;
  uint32_t slot = f.func->slot_of_local(local);  // the translator names locals by their slots
  if (const detail::LocalLag* lag = f.func->lag_at(slot, pc); lag && !lag->dead)
    bits = uint32_t(bits - lag->delta);
  uint64_t old = f.fp[slot];
  f.fp[slot] = bits;
  if (value.type == ValType::V128) f.fp[slot + 1] = value.hi;
  if (&f == vm.frame && vm.stop_loop_reg == old && detail::register_holds(*f.func, slot, pc))
    vm.loop_reg = vm.stop_loop_reg = bits;
  frame.locals[local] = value;
  return {};
}

Result<void> set_global(const Instance& instance, uint32_t global, Value value) {
  if (global >= instance.globals_.size())
    return Error{ErrorKind::Usage, "the instance has no global " + std::to_string(global)};
  Global& g = *instance.globals_[global];
  if (!g.type().mut)
    return Error{ErrorKind::Usage, "global " + std::to_string(global) + " is immutable"};
  if (value.type != g.type().type)
    return Error{ErrorKind::Usage, "global " + std::to_string(global) + " is " +
                                       to_string(g.type().type) + ", not " + to_string(value.type)};
  g.set(value);
  return {};
}

Result<void> write_memory(const Instance& instance, uint64_t address,
                          std::span<const uint8_t> bytes) {
  Memory* m = instance.memory();
  if (!m) return Error{ErrorKind::Usage, "the instance has no memory"};
  if (!m->in_bounds(address, bytes.size()))
    return Error{ErrorKind::Usage, std::to_string(bytes.size()) + " bytes at " +
                                       std::to_string(address) + " are out of bounds (memory has " +
                                       std::to_string(m->size()) + " bytes)"};
  std::memcpy(m->data() + address, bytes.data(), bytes.size());
  return {};
}

Result<void> set_variable(DebugFrame& frame, std::string_view path, std::string_view value,
                          size_t inline_depth) {
  if (auto live = detail::stop_is_live(frame); !live) return live;
  auto var = find_variable(frame, path, inline_depth);
  if (!var) return var.error();
  if (path.starts_with("$")) {  // a wasm local: the value as its wasm type takes it
    auto v = detail::parse_value(value, frame.locals[var->ref->wasm_index].type);
    if (!v) return v.error();
    return set_local(frame, var->ref->wasm_index, *v);
  }
  auto info = detail::source_info(frame.instance->module());
  if (!info) return Error{ErrorKind::Usage, "the module has no DWARF"};
  Result<detail::WritePlan> plan = Error{ErrorKind::Usage, "the DWARF could not be read"};
  {
    std::lock_guard lock(info->mutex);
    if (info->reader) plan = info->reader->plan_write(*var, value);
  }
  if (!plan) return plan.error();
  switch (plan->kind) {
    case detail::WritePlan::Memory:
      return write_memory(*frame.instance, plan->address, plan->bytes);
    case detail::WritePlan::Local:
      return set_local(frame, plan->index, plan->value);
    case detail::WritePlan::Global:
      return set_global(*frame.instance, plan->index, plan->value);
  }
  return {};
}

}  // namespace glint
