// Instantiation: resolve imports by name and type, create the instance's objects, run the
// active segments in order and the start function, as the spec's instantiate does.
#include "compile/code.h"
#include "decode/module.h"
#include "decode/opcodes.h"
#include "execute/vm.h"
#include "glint/glint.h"
#include "instance/limits.h"
#include "snapshot/state.h"

namespace glint {

using detail::ModuleDesc;

Linker& Linker::func_raw(std::string module, std::string name, HostFunc f) {
  entries_[{std::move(module), std::move(name)}] =
      Entry{std::nullopt, std::make_shared<HostFunc>(std::move(f))};
  return *this;
}

Linker& Linker::func_dynamic(std::string module, std::string name, FuncType type, DynamicFunc f) {
  struct Dyn {
    FuncType type;
    DynamicFunc fn;
  };
  HostFunc h;
  h.type = type;
  h.name = module + "." + name;
  h.data = std::make_shared<Dyn>(Dyn{type, std::move(f)});
  h.thunk = [](Caller& caller, uint64_t* slots, void* data) -> bool {
    auto* d = static_cast<Dyn*>(data);
    std::vector<Value> args, results(d->type.results.size());
    size_t s = 0;
    for (ValType t : d->type.params) {
      args.push_back({t, slots[s++]});
      if (t == ValType::V128) args.back().hi = slots[s++];
    }
    for (size_t i = 0; i < results.size(); i++) results[i] = Value::zero(d->type.results[i]);
    try {
      d->fn(caller, args, results);
    } catch (TrapError& e) {
      caller.pending = std::move(e);
      return false;
    } catch (const std::exception& e) {
      caller.pending = TrapError{std::string("host function threw: ") + e.what()};
      return false;
    }
    s = 0;
    for (const Value& v : results) {
      slots[s++] = v.bits;
      if (v.type == ValType::V128) slots[s++] = v.hi;
    }
    return true;
  };
  return func_raw(std::move(module), std::move(name), std::move(h));
}

Linker& Linker::define(std::string module, std::string name, Extern e) {
  entries_[{std::move(module), std::move(name)}] = Entry{e, nullptr};
  return *this;
}

Linker& Linker::define_instance(std::string module, const Instance& inst) {
  for (const auto& [name, e] : inst.exports_) define(module, name, e);
  return *this;
}

namespace {

std::string limits_str(const Limits& l) {
  return std::to_string(l.min) + (l.max ? ".." + std::to_string(*l.max) : "..");
}

std::string describe(const detail::Import& im, const ModuleDesc& m) {
  switch (im.kind) {
    case ExternKind::Func:
      return "func " + m.types[im.func_type].to_string();
    case ExternKind::Table:
      return std::string("table ") + to_string(im.table.elem) + " " + limits_str(im.table.limits);
    case ExternKind::Memory:
      return std::string("memory ") + (im.memory.is64 ? "i64 " : "") + limits_str(im.memory.limits);
    case ExternKind::Global:
      return std::string("global ") + (im.global.mut ? "mut " : "") + to_string(im.global.type);
    case ExternKind::Tag:
      return "tag " + m.types[im.tag_type].to_string();
  }
  return "?";
}

std::string describe(const Extern& e) {
  switch (e.kind) {
    case ExternKind::Func:
      return "func " + e.func()->type().to_string();
    case ExternKind::Table: {
      Table* t = e.table();
      Limits l{t->size(), t->type().limits.max};
      return std::string("table ") + to_string(t->type().elem) + " " + limits_str(l);
    }
    case ExternKind::Memory: {
      Memory* mem = e.memory();
      return std::string("memory ") + (mem->type().is64 ? "i64 " : "") +
             limits_str(Limits{mem->pages(), mem->type().limits.max});
    }
    case ExternKind::Global: {
      const GlobalType& g = e.global()->type();
      return std::string("global ") + (g.mut ? "mut " : "") + to_string(g.type);
    }
    case ExternKind::Tag:
      return "tag " + e.tag()->type().to_string();
  }
  return "?";
}

// Import subtyping on limits: at least as large, and a maximum at least as tight.
bool limits_match(uint64_t actual_min, const std::optional<uint64_t>& actual_max,
                  const Limits& want) {
  if (actual_min < want.min) return false;
  if (!want.max) return true;
  return actual_max && *actual_max <= *want.max;
}

bool import_matches(const detail::Import& im, const ModuleDesc& m, const Extern& e) {
  if (e.kind != im.kind) return false;
  switch (im.kind) {
    case ExternKind::Func:
      return e.func()->type() == m.types[im.func_type];
    case ExternKind::Table: {
      Table* t = e.table();
      return t->type().elem == im.table.elem &&
             limits_match(t->size(), t->type().limits.max, im.table.limits);
    }
    case ExternKind::Memory: {
      Memory* mem = e.memory();
      return mem->type().is64 == im.memory.is64 &&
             limits_match(mem->pages(), mem->type().limits.max, im.memory.limits);
    }
    case ExternKind::Global: {
      const GlobalType& g = e.global()->type();
      return g.type == im.global.type && g.mut == im.global.mut;
    }
    case ExternKind::Tag:
      return e.tag()->type() == m.types[im.tag_type];
  }
  return false;
}

// A constant expression's value (validated: the stack holds one value of the right type at
// its end). Extended constant expressions add, subtract and multiply i32s and i64s.
Value eval_const(const detail::ConstExpr& e, const Instance& inst) {
  using detail::Op;
  std::vector<Value> stack;
  auto push = [&](Value v) { stack.push_back(v); };
  auto pop = [&] {
    Value v = stack.back();
    stack.pop_back();
    return v;
  };
  for (const auto& ci : e.instrs) {
    switch (Op(ci.op)) {
      case Op::GlobalGet:
        push(inst.globals_[ci.bits]->get());
        break;
      case Op::RefFunc:
        push(Value::funcref(inst.funcs_[ci.bits]));
        break;
      case Op::RefNull:
        push(Value::null(ValType(ci.bits)));
        break;
      case Op::I32Const:
        push(Value::i32(int32_t(uint32_t(ci.bits))));
        break;
      case Op::I64Const:
        push(Value::i64(int64_t(ci.bits)));
        break;
      case Op::F32Const:
        push(Value::f32_bits(uint32_t(ci.bits)));
        break;
      case Op::F64Const:
        push(Value::f64_bits(ci.bits));
        break;
      case Op::V128Const:
        push(Value::v128(ci.bits, ci.hi));
        break;
      default: {  // i32/i64 add, sub, mul
        Value b = pop(), a = pop();
        uint64_t x = a.bits, y = b.bits;
        uint64_t r = Op(ci.op) == Op::I32Add || Op(ci.op) == Op::I64Add   ? x + y
                     : Op(ci.op) == Op::I32Sub || Op(ci.op) == Op::I64Sub ? x - y
                                                                          : x * y;
        push(a.type == ValType::I32 ? Value::i32(int32_t(uint32_t(r))) : Value::i64(int64_t(r)));
        break;
      }
    }
  }
  return pop();
}

// A tag's name for messages: its export name (with the module's name, if it has one), else
// "tag[N]".
std::string tag_name(const ModuleDesc& m, uint32_t index) {
  std::string prefix = m.module_name.empty() ? "" : m.module_name + ".";
  for (const auto& ex : m.exports)
    if (ex.kind == ExternKind::Tag && ex.index == index) return prefix + ex.name;
  return prefix + "tag[" + std::to_string(index) + "]";
}

Error trap_during_init(TrapKind kind) {
  Trap t;
  t.kind = kind;
  t.message = to_string(kind);
  Error e{ErrorKind::Trap, t.message};
  e.trap = std::move(t);
  return e;
}

}  // namespace

namespace detail {
Value const_value(const ConstExpr& e, const Instance& inst) { return eval_const(e, inst); }

std::vector<uint64_t> elem_segment_values(const Instance& inst, uint32_t segment) {
  std::vector<uint64_t> values;
  for (const auto& e : inst.module().desc().elems[segment].init)
    values.push_back(eval_const(e, inst).bits);
  return values;
}
}  // namespace detail

// The imports in the module's order, each checked against its import's type.
Result<std::vector<Extern>> Linker::resolve_imports(Store& store, const ModuleDesc& m) const {
  std::vector<Extern> resolved;
  for (const auto& im : m.imports) {
    auto it = entries_.find({im.module, im.name});
    if (it == entries_.end())
      return Error{ErrorKind::Link, "unknown import: '" + im.module + "." + im.name + "' (" +
                                        describe(im, m) + ") is not defined"};
    // (A host function's Function is the store's, made once and kept: not the instance's.)
    Extern e = it->second.host ? Extern::of(store.function_for(it->second.host)) : *it->second.ext;
    if (!import_matches(im, m, e))
      return Error{ErrorKind::Link, "incompatible import type for '" + im.module + "." + im.name +
                                        "': expected " + describe(im, m) + ", got " + describe(e)};
    resolved.push_back(e);
  }
  return resolved;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> module) const {
  const ModuleDesc& m = module->desc();
  if (auto e = detail::check_instance_limits(m, store)) return *e;
  auto imports = resolve_imports(store, m);
  if (!imports) return imports.error();
  // A failure before the active segments run drops what was made here: nothing outside the
  // instance has seen it. After that, a trap keeps the objects (as the spec's instantiation
  // does: earlier segment writes stay, and an imported table may now hold this instance's
  // functions). Either way only a successful instantiation counts toward max_instances.
  size_t owned_before = store.owned_count();
  auto made = make_instance(store, std::move(module), *imports);
  if (!made) {
    store.drop_owned_since(owned_before);
    return made.error();
  }
  Instance* inst = *made;
  if (auto e = run_initializers(store, *inst)) return *e;
  store.instances_++;
  return inst;
}

// The instance's own objects (functions, globals, tables, memories) and its exports.
Result<Instance*> Linker::make_instance(Store& store, std::shared_ptr<const Module> module,
                                        const std::vector<Extern>& imports) const {
  const ModuleDesc& m = module->desc();
  const detail::CompiledModule& cm = module->compiled();
  auto* inst = store.own<Instance>();
  inst->store_ = &store;
  inst->module_ = module;
  for (const Extern& e : imports) {
    switch (e.kind) {
      case ExternKind::Func:
        inst->funcs_.push_back(e.func());
        break;
      case ExternKind::Table:
        inst->tables_.push_back(e.table());
        break;
      case ExternKind::Memory:
        inst->memories_.push_back(e.memory());
        break;
      case ExternKind::Global:
        inst->globals_.push_back(e.global());
        break;
      case ExternKind::Tag:
        inst->tags_.push_back(e.tag());
        break;
    }
  }

  for (uint32_t i = 0; i < m.funcs.size(); i++) {
    auto* f = store.own<Function>();
    f->type_ = &m.types[m.funcs[i]];
    f->type_id_ = cm.type_ids[m.funcs[i]];
    f->instance_ = inst;
    f->code_ = &cm.funcs[i];
    f->frame_slots_ = cm.funcs[i].frame_slots;
    f->num_params_ = cm.funcs[i].num_params;
    f->zeroed_slots_ = cm.funcs[i].zeroed_slots;
    f->entry_ = cm.funcs[i].code.data();
    f->index_ = m.num_imported_funcs + i;
    inst->funcs_.push_back(f);
  }
  for (const auto& g : m.globals)
    inst->globals_.push_back(store.own<Global>(g.type, eval_const(g.init, *inst)));
  for (uint32_t i = 0; i < m.tags.size(); i++)
    inst->tags_.push_back(store.own<Tag>(m.types[m.tags[i]], tag_name(m, m.num_imported_tags + i)));
  for (const auto& t : m.tables) {
    inst->tables_.push_back(store.own<Table>(t, 0));
    inst->tables_.back()->max_elements_ = store.limits().max_table_elements;
  }
  try {
    for (const auto& mt : m.memories)
      inst->memories_.push_back(
          store.own<Memory>(mt, store.limits().max_memory_pages, &store.memory_budget_));
  } catch (const std::bad_alloc&) {
    return Error{ErrorKind::Link, "cannot allocate the module's memory"};
  }
  inst->mem0_ = inst->memories_.empty() ? nullptr : inst->memories_[0];
  for (const auto& ex : m.exports) {
    Extern e;
    switch (ex.kind) {
      case ExternKind::Func:
        e = Extern::of(inst->funcs_[ex.index]);
        break;
      case ExternKind::Table:
        e = Extern::of(inst->tables_[ex.index]);
        break;
      case ExternKind::Memory:
        e = Extern::of(inst->memories_[ex.index]);
        break;
      case ExternKind::Global:
        e = Extern::of(inst->globals_[ex.index]);
        break;
      case ExternKind::Tag:
        e = Extern::of(inst->tags_[ex.index]);
        break;
    }
    inst->exports_.emplace(ex.name, e);
  }
  for (uint32_t i = 0; i < m.elems.size(); i++)
    inst->elem_values_.push_back(detail::elem_segment_values(*inst, i));
  inst->dropped_datas_.assign(m.datas.size(), false);
  return inst;
}

// Active segments, elements first, then data, each in order (a trap leaves earlier writes),
// then the start function.
std::optional<Error> Linker::run_initializers(Store& store, Instance& instance) const {
  Instance* inst = &instance;
  const ModuleDesc& m = inst->module().desc();
  detail::Vm& vm = store.vm();
  for (uint32_t i = 0; i < m.elems.size(); i++) {
    const auto& seg = m.elems[i];
    if (seg.mode == detail::SegmentMode::Active) {
      uint32_t offset = uint32_t(eval_const(seg.offset, *inst).bits);
      if (!detail::table_init(vm, inst, seg.table, i, offset, 0, seg.init.size()))
        return trap_during_init(vm.trap_kind);
    }
    if (seg.mode != detail::SegmentMode::Passive) inst->elem_values_[i].clear();
  }
  for (uint32_t i = 0; i < m.datas.size(); i++) {
    const auto& seg = m.datas[i];
    if (seg.mode != detail::SegmentMode::Active) continue;
    uint64_t offset = eval_const(seg.offset, *inst).bits;  // an i32's is zero-extended
    if (!detail::memory_init(vm, inst, seg.memory, i, offset, 0, seg.data_size))
      return trap_during_init(vm.trap_kind);
    inst->dropped_datas_[i] = true;
  }
  if (m.start) {
    uint64_t none[1];
    auto r = detail::call_raw(store, inst->funcs_[*m.start], none);
    if (!r) return r.error();
  }
  return std::nullopt;
}

}  // namespace glint
