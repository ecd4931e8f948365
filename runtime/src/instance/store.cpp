// The Store and calls from the host into wasm: arguments go onto the VM stack, an entry frame
// marks the host boundary, and the interpreter runs until that frame's Halt.
#include <sys/mman.h>

#include <algorithm>
#include <map>

#include "debug/debugger.h"
#include "debug/source_info.h"
#include "decode/module.h"
#include "execute/vm.h"
#include "glint/glint.h"

namespace glint {
namespace detail {

Vm::Vm(Store& s, const StoreConfig& c) : store(s) {
  size_t slots = std::max<size_t>(c.stack_bytes / sizeof(uint64_t), 1024),
         depth = size_t(c.max_call_depth) + 2;
  auto map = [](size_t bytes) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
  };
  stack = {static_cast<uint64_t*>(map(slots * sizeof(uint64_t))), Unmap{slots * sizeof(uint64_t)}};
  frames = {static_cast<Frame*>(map(depth * sizeof(Frame))), Unmap{depth * sizeof(Frame)}};
  // Zeros: every Frame null, as Frame{} is.
  stack_top = stack.get();
  stack_end = stack.get() + slots;
  frame = frames.get();
  frame_end = frames.get() + depth;
}

const Cell* halt_code() {
  static Cell code[1] = {{handler_table()[size_t(IOp::Halt)]}};
  return code;
}

Trap make_trap(const Vm& vm) {
  Trap t;
  t.kind = vm.trap_kind;
  t.message = vm.trap_message.empty() ? to_string(vm.trap_kind) : vm.trap_message;
  t.exit_code = vm.exit_code;
  // A deep recursion repeats the same frames: look each place up once. The guest's own exit
  // is no error, and needs no source lines.
  std::map<std::pair<const Module*, uint32_t>, std::vector<TraceFrame>> seen;
  for_each_wasm_frame(vm, vm.trap_pc, [&](const Frame& f, uint32_t code_offset, const Cell* at) {
    TraceFrame tf;
    if (at == vm.trap_later_access && t.backtrace.empty())
      code_offset = f.func->later_access_offset(at, vm.trap_access);
    const Module& m = f.inst->module();
    tf.module = m.name();
    tf.func_index = f.func->func_index;
    tf.func_name = m.function_name(tf.func_index);
    tf.code_offset = code_offset;
    if (t.kind == TrapKind::Exit) {
      t.backtrace.push_back(std::move(tf));
      return;
    }
    auto [it, fresh] = seen.try_emplace({&m, code_offset});
    if (fresh) add_trace_frames(m, std::move(tf), it->second);
    t.backtrace.insert(t.backtrace.end(), it->second.begin(), it->second.end());
  });
  return t;
}

void Unmap::operator()(void* p) const {
  if (p) munmap(p, bytes);
}

static Error trap_error(Trap t) {
  Error e{ErrorKind::Trap, t.message};
  e.trap = std::move(t);
  return e;
}

static Error host_trap(Caller& c) {
  TrapError pending = c.pending.value_or(TrapError{});
  Trap t;
  t.kind = pending.kind;
  t.message = pending.message.empty() ? to_string(t.kind) : std::move(pending.message);
  t.exit_code = pending.exit_code;
  return trap_error(std::move(t));
}

Result<void> check_call_entry(Store& store) {
  Vm& vm = store.vm();
  auto trap = [](TrapKind kind) {
    Trap t;
    t.kind = kind;
    t.message = to_string(kind);
    return trap_error(std::move(t));
  };
  if (store.interrupt_.exchange(false)) return trap(TrapKind::Interrupted);
  if (vm.fuel_enabled && --vm.fuel < 0) {
    vm.fuel = 0;
    return trap(TrapKind::OutOfFuel);
  }
  return {};
}

Result<void> call_raw(Store& store, Function* f, uint64_t* slots) {
  Vm& vm = store.vm();
  if (f->host_) {
    Caller caller(store, nullptr);
    if (!f->host_->thunk(caller, slots, f->host_->data.get())) return host_trap(caller);
    return {};
  }
  const CompiledFunc* code = f->code_;
  uint64_t* base = vm.stack_top;
  Trap exhausted;
  exhausted.kind = TrapKind::StackExhausted;
  exhausted.message = to_string(TrapKind::StackExhausted);
  if (base + code->frame_slots > vm.stack_end || vm.frame + 2 >= vm.frame_end)
    return trap_error(exhausted);
  if (auto r = check_call_entry(store); !r) return r;

  size_t nparams = slot_count(f->type().params), nresults = slot_count(f->type().results);
  std::copy_n(slots, nparams, base);
  std::fill(base + nparams, base + code->zeroed_slots, 0);
  Frame* entry = ++vm.frame;
  *entry = Frame{nullptr, f->instance_, base, nullptr};
  Frame* callee = ++vm.frame;
  *callee = Frame{code, f->instance_, base, halt_code()};
  // A pause asked for before this call stops at its first instruction: the interpreter's
  // checks would see it only at the first call or loop back-edge, and a short function may
  // have neither.
  if (store.pause_.load(std::memory_order_relaxed) && store.pause_.exchange(false)) debug_pause(vm);
  auto result = run_call(vm, entry, code->code.data(), vm.stack_top);
  if (result) std::copy_n(base, nresults, slots);
  return result;
}

std::vector<Value> typed_results(const FuncType& t, const uint64_t* slots) {
  std::vector<Value> out;
  size_t s = 0;
  for (ValType rt : t.results) {
    uint64_t bits = (rt == ValType::I32 || rt == ValType::F32) ? uint32_t(slots[s]) : slots[s];
    s++;
    out.push_back(Value{rt, bits, rt == ValType::V128 ? slots[s++] : 0});
  }
  return out;
}

Result<void> run_call(Vm& vm, Frame* entry, const Cell* pc, uint64_t* saved_top) {
  vm.trap_message.clear();
  vm.trap_later_access = nullptr;
  vm.exit_code = 0;
  bool ok = interpret(vm, pc);
  Result<void> result;
  if (!ok) result = trap_error(make_trap(vm));
  const Module& module = entry->inst->module();
  drop_caught(vm, entry);
  vm.frame = entry - 1;
  vm.stack_top = saved_top;
  step_past_call_end(vm, module);
  return result;
}

}  // namespace detail

Store::Store(StoreConfig config)
    : limits_(config.limits), vm_(std::make_unique<detail::Vm>(*this, config)) {
  memory_budget_.max_pages = limits_.max_store_memory_pages;
}
Store::~Store() = default;

void Store::set_fuel(uint64_t fuel) {
  vm_->fuel_enabled = true;
  vm_->fuel = int64_t(std::min<uint64_t>(fuel, uint64_t(INT64_MAX)));
}
void Store::clear_fuel() { vm_->fuel_enabled = false; }
std::optional<uint64_t> Store::fuel() const {
  if (!vm_->fuel_enabled) return std::nullopt;
  return uint64_t(std::max<int64_t>(vm_->fuel, 0));
}

Memory* Store::new_memory(MemoryType type) {
  return own<Memory>(type, limits_.max_memory_pages, &memory_budget_);
}
Table* Store::new_table(TableType type, Value init) {
  Table* t = own<Table>(type, init.bits);
  t->max_elements_ = limits_.max_table_elements;
  return t;
}
Global* Store::new_global(GlobalType type, Value init) { return own<Global>(type, init); }
Tag* Store::new_tag(FuncType type, std::string name) {
  return own<Tag>(std::move(type), std::move(name));
}
Function* Store::function_for(const std::shared_ptr<HostFunc>& host) {
  Function*& f = host_functions_[host.get()];
  if (!f) {
    owned_.push_back(host);
    f = own<Function>();
    f->host_ = host.get();
    f->type_ = &host->type;
    f->type_id_ = detail::intern_func_type(host->type);
  }
  return f;
}

Function* Store::new_function(HostFunc func) {
  auto* h = own<HostFunc>(std::move(func));
  auto* f = own<Function>();
  f->host_ = h;
  f->type_ = &h->type;
  f->type_id_ = detail::intern_func_type(h->type);
  return f;
}

Result<std::vector<Value>> Store::call(Function* f, std::span<const Value> args) {
  const FuncType& t = f->type();
  if (args.size() != t.params.size())
    return detail::usage_error("function '" + f->name() + "' takes " +
                               std::to_string(t.params.size()) + " arguments, got " +
                               std::to_string(args.size()));
  std::vector<uint64_t> slots(std::max(slot_count(t.params), slot_count(t.results)) + 1);
  size_t s = 0;
  for (size_t i = 0; i < args.size(); i++) {
    if (args[i].type != t.params[i])
      return detail::usage_error("argument " + std::to_string(i) + " of '" + f->name() +
                                 "' must be " + to_string(t.params[i]) + ", got " +
                                 to_string(args[i].type));
    slots[s++] = args[i].bits;
    if (args[i].type == ValType::V128) slots[s++] = args[i].hi;
  }
  auto r = detail::call_raw(*this, f, slots.data());
  if (!r) return r.error();
  return detail::typed_results(t, slots.data());
}

std::optional<Extern> Instance::get_export(std::string_view name) const {
  auto it = exports_.find(name);
  if (it == exports_.end()) return std::nullopt;
  return it->second;
}
Function* Instance::func(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->func() : nullptr;
}
Memory* Instance::memory(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->memory() : nullptr;
}
Memory* Instance::memory() const { return mem0_; }
Global* Instance::global(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->global() : nullptr;
}
Table* Instance::table(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->table() : nullptr;
}
Tag* Instance::tag(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->tag() : nullptr;
}

Result<std::vector<Value>> Instance::invoke(std::string_view name, std::span<const Value> args) {
  Function* f = func(name);
  if (!f) return detail::usage_error("no exported function '" + std::string(name) + "'");
  return store_->call(f, args);
}

}  // namespace glint
