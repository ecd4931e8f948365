// The WebAssembly 2.0 validator: module-level rules, then every function body with the
// operand/control stack algorithm of the spec's appendix. Messages use the spec tests' wording.
#include "validate/validator.h"

#include <algorithm>
#include <set>

#include "decode/instr.h"

namespace glint::detail {
namespace {

constexpr ValType kUnknown = ValType(0);  // a stack-polymorphic operand after unreachable code

[[noreturn]] void invalid(const std::string& what, size_t offset) {
  throw ValidateError(what, offset);
}

class ModuleValidator {
 public:
  ModuleValidator(const ModuleDesc& m, BodyListener* listener) : m_(m), listener_(listener) {}
  void run();

 private:
  void limits(const Limits& l, uint64_t max, const char* what, size_t off);
  void const_expr(const ConstExpr& e, ValType want);
  void check_func(uint32_t idx, size_t off) {
    if (idx >= m_.func_space.size()) invalid("unknown function " + std::to_string(idx), off);
  }
  void body(uint32_t defined_index);

  const ModuleDesc& m_;
  BodyListener* listener_;
  std::set<uint32_t> declared_funcs_;  // may appear in ref.func inside bodies
  friend class BodyValidator;
};

void ModuleValidator::limits(const Limits& l, uint64_t max, const char* what, size_t off) {
  if (l.min > max || (l.max && *l.max > max))
    invalid(std::string(what) == "memory" ? "memory size must be at most 65536 pages (4GiB)"
                                          : "table size must be at most 2^32-1 entries",
            off);
  if (l.max && l.min > *l.max) invalid("size minimum must not be greater than maximum", off);
}

void ModuleValidator::const_expr(const ConstExpr& e, ValType want) {
  std::vector<ValType> stack;
  for (const auto& ci : e.instrs) {
    switch (Op(ci.op)) {
      case Op::I32Const:
        stack.push_back(ValType::I32);
        break;
      case Op::I64Const:
        stack.push_back(ValType::I64);
        break;
      case Op::F32Const:
        stack.push_back(ValType::F32);
        break;
      case Op::F64Const:
        stack.push_back(ValType::F64);
        break;
      case Op::RefNull:
        stack.push_back(ValType(ci.bits));
        break;
      case Op::RefFunc:
        check_func(uint32_t(ci.bits), ci.offset);
        stack.push_back(ValType::FuncRef);
        break;
      case Op::GlobalGet:
        // In 2.0 a constant expression may only read imported, immutable globals.
        if (ci.bits >= m_.num_imported_globals)
          invalid("unknown global " + std::to_string(ci.bits), ci.offset);
        if (m_.global_space[ci.bits].mut) invalid("constant expression required", ci.offset);
        stack.push_back(m_.global_space[ci.bits].type);
        break;
      default:
        invalid("constant expression required", ci.offset);
    }
  }
  if (stack.size() != 1 || stack[0] != want) invalid("type mismatch", e.offset);
}

// ---- function bodies ---------------------------------------------------------------------

// A block's parameter or result types: none, one value type (kept inline), or a function
// type's list (pointing into the module, which outlives validation). Copies never allocate:
// blocks are frequent, and this keeps loading fast.
class TypeList {
 public:
  TypeList() = default;
  explicit TypeList(ValType t) : one_(t), n_(1) {}
  explicit TypeList(const std::vector<ValType>& ts) : list_(ts.data()), n_(uint32_t(ts.size())) {}
  size_t size() const { return n_; }
  const ValType* begin() const { return list_ ? list_ : &one_; }
  const ValType* end() const { return begin() + n_; }
  ValType operator[](size_t i) const { return begin()[i]; }
  bool operator==(const TypeList& o) const {
    return std::equal(begin(), end(), o.begin(), o.end());
  }

 private:
  const ValType* list_ = nullptr;
  ValType one_ = ValType::I32;
  uint32_t n_ = 0;
};

struct Ctrl {
  Op op;
  TypeList params, results;
  size_t height;
  bool unreachable = false;
  const TypeList& labels() const { return op == Op::Loop ? params : results; }
};

class BodyValidator {
 public:
  BodyValidator(const ModuleValidator& mv, uint32_t defined_index)
      : mv_(mv),
        m_(mv.m_),
        body_(m_.bodies[defined_index]),
        type_(m_.types[m_.funcs[defined_index]]) {
    locals_ = type_.params;
    locals_.insert(locals_.end(), body_.locals.begin(), body_.locals.end());
  }
  void run();

 private:
  [[noreturn]] void fail(const std::string& what) { invalid(what, off_); }
  void push(ValType t) { stack_.push_back(t); }
  void push(const TypeList& ts) { stack_.insert(stack_.end(), ts.begin(), ts.end()); }
  void push(const std::vector<ValType>& ts) { push(TypeList(ts)); }
  ValType pop() {
    Ctrl& c = ctrl_.back();
    if (stack_.size() == c.height) {
      if (c.unreachable) return kUnknown;
      fail("type mismatch");
    }
    ValType t = stack_.back();
    stack_.pop_back();
    return t;
  }
  ValType pop(ValType want) {
    ValType t = pop();
    if (t != want && t != kUnknown && want != kUnknown) fail("type mismatch");
    return t == kUnknown ? want : t;
  }
  void pop(const TypeList& ts) {
    for (size_t i = ts.size(); i-- > 0;) pop(ts[i]);
  }
  void pop(const std::vector<ValType>& ts) { pop(TypeList(ts)); }
  void push_ctrl(Op op, TypeList params, TypeList results) {
    ctrl_.push_back({op, params, results, stack_.size()});
    push(params);
  }
  Ctrl pop_ctrl() {
    if (ctrl_.empty()) fail("unexpected end");
    pop(ctrl_.back().results);
    if (stack_.size() != ctrl_.back().height) fail("type mismatch");
    Ctrl c = std::move(ctrl_.back());
    ctrl_.pop_back();
    return c;
  }
  // Checks the top of the stack against ts without popping (each br_table target).
  void check_top(const TypeList& ts) {
    const Ctrl& c = ctrl_.back();
    size_t available = stack_.size() - c.height;
    for (size_t k = 0; k < ts.size(); k++) {
      ValType want = ts[ts.size() - 1 - k];
      if (k >= available) {
        if (c.unreachable) continue;
        fail("type mismatch");
      }
      ValType t = stack_[stack_.size() - 1 - k];
      if (t != want && t != kUnknown && want != kUnknown) fail("type mismatch");
    }
  }
  void unreachable() {
    stack_.resize(ctrl_.back().height);
    ctrl_.back().unreachable = true;
  }
  const Ctrl& label(uint32_t depth) {
    if (depth >= ctrl_.size()) fail("unknown label");
    return ctrl_[ctrl_.size() - 1 - depth];
  }
  void block_type(const BlockType& bt, TypeList& params, TypeList& results) {
    params = results = TypeList();
    if (bt.kind == BlockType::Value) results = TypeList(bt.value);
    if (bt.kind == BlockType::Index) {
      if (bt.index >= m_.types.size()) fail("unknown type");
      params = TypeList(m_.types[bt.index].params);
      results = TypeList(m_.types[bt.index].results);
    }
  }
  ValType local(uint32_t i) {
    if (i >= locals_.size()) fail("unknown local " + std::to_string(i));
    return locals_[i];
  }
  const GlobalType& global(uint32_t i) {
    if (i >= m_.global_space.size()) fail("unknown global " + std::to_string(i));
    return m_.global_space[i];
  }
  const TableType& table(uint32_t i) {
    if (i >= m_.table_space.size()) fail("unknown table " + std::to_string(i));
    return m_.table_space[i];
  }
  void memory() {
    if (m_.memory_space.empty()) fail("unknown memory 0");
  }
  void elem(uint32_t i) {
    if (i >= m_.elems.size()) fail("unknown elem segment " + std::to_string(i));
  }
  void data(uint32_t i) {
    if (!m_.data_count) fail("data count section required");
    if (i >= *m_.data_count) fail("unknown data segment " + std::to_string(i));
  }
  void memarg(const Instr& in, uint32_t natural_log2) {
    memory();
    if (in.a > natural_log2) fail("alignment must not be larger than natural");
  }
  void load(const Instr& in, uint32_t log2, ValType t) {
    memarg(in, log2);
    pop(ValType::I32);
    push(t);
  }
  void store(const Instr& in, uint32_t log2, ValType t) {
    memarg(in, log2);
    pop(t);
    pop(ValType::I32);
  }
  void unop(ValType in, ValType out) {
    pop(in);
    push(out);
  }
  void binop(ValType in, ValType out) {
    pop(in);
    pop(in);
    push(out);
  }
  void instr(const Instr& in);
  void numeric(Op op);

  const ModuleValidator& mv_;
  const ModuleDesc& m_;
  const FuncBody& body_;
  const FuncType& type_;
  std::vector<ValType> locals_;
  std::vector<ValType> stack_;
  std::vector<Ctrl> ctrl_;
  size_t off_ = 0;
};

void BodyValidator::run() {
  Reader r(m_.bytes.data() + body_.code_begin, body_.code_end - body_.code_begin, body_.code_begin);
  std::vector<uint32_t> scratch;
  push_ctrl(Op::Block, TypeList(), TypeList(type_.results));
  BodyListener* listener = mv_.listener_;
  while (!ctrl_.empty()) {
    if (r.done()) invalid("unexpected end of section or function", r.offset());
    Instr in = read_instr(r, scratch);
    off_ = in.offset;
    instr(in);
    if (listener) listener->instr(in);
  }
  if (!r.done()) invalid("unexpected end of section or function", r.offset());
}

void BodyValidator::instr(const Instr& in) {
  using V = ValType;
  TypeList params, results;
  switch (in.op) {
    case Op::Unreachable:
      unreachable();
      break;
    case Op::Nop:
      break;
    case Op::Block:
    case Op::Loop:
      block_type(in.block, params, results);
      pop(params);
      push_ctrl(in.op, params, results);
      break;
    case Op::If:
      block_type(in.block, params, results);
      pop(V::I32);
      pop(params);
      push_ctrl(Op::If, params, results);
      break;
    case Op::Else: {
      if (ctrl_.empty() || ctrl_.back().op != Op::If) fail("else without if");
      Ctrl c = pop_ctrl();
      push_ctrl(Op::Else, c.params, c.results);
      break;
    }
    case Op::End: {
      Ctrl c = pop_ctrl();
      // An `if` without `else` must have matching params and results (the else is implicit).
      if (c.op == Op::If && !(c.params == c.results)) fail("type mismatch");
      push(c.results);
      break;
    }
    case Op::Br:
      pop(label(in.a).labels());
      unreachable();
      break;
    case Op::BrIf: {
      pop(V::I32);
      const TypeList& ts = label(in.a).labels();
      pop(ts);
      push(ts);
      break;
    }
    case Op::BrTable: {
      pop(V::I32);
      size_t arity = label(in.a).labels().size();
      for (uint32_t d : *in.table) {
        if (label(d).labels().size() != arity) fail("type mismatch");
        check_top(label(d).labels());  // each target's types must fit the operands
      }
      pop(label(in.a).labels());
      unreachable();
      break;
    }
    case Op::Return:
      pop(type_.results);
      unreachable();
      break;
    case Op::Call: {
      if (in.a >= m_.func_space.size()) fail("unknown function " + std::to_string(in.a));
      const FuncType& t = m_.func_type(in.a);
      pop(t.params);
      push(t.results);
      break;
    }
    case Op::CallIndirect: {
      if (table(in.b).elem != V::FuncRef) fail("type mismatch");
      if (in.a >= m_.types.size()) fail("unknown type");
      pop(V::I32);
      const FuncType& t = m_.types[in.a];
      pop(t.params);
      push(t.results);
      break;
    }
    case Op::Drop:
      pop();
      break;
    case Op::Select: {
      pop(V::I32);
      ValType a = pop(), b = pop();
      if (is_ref(a) || is_ref(b)) fail("type mismatch");
      if (a != b && a != kUnknown && b != kUnknown) fail("type mismatch");
      push(a == kUnknown ? b : a);
      break;
    }
    case Op::SelectT:
      pop(V::I32);
      pop(in.type);
      pop(in.type);
      push(in.type);
      break;
    case Op::LocalGet:
      push(local(in.a));
      break;
    case Op::LocalSet:
      pop(local(in.a));
      break;
    case Op::LocalTee: {
      ValType t = local(in.a);
      pop(t);
      push(t);
      break;
    }
    case Op::GlobalGet:
      push(global(in.a).type);
      break;
    case Op::GlobalSet: {
      const GlobalType& g = global(in.a);
      if (!g.mut) fail("global is immutable");
      pop(g.type);
      break;
    }
    case Op::TableGet: {
      ValType t = table(in.a).elem;
      pop(V::I32);
      push(t);
      break;
    }
    case Op::TableSet: {
      ValType t = table(in.a).elem;
      pop(t);
      pop(V::I32);
      break;
    }
    case Op::I32Load:
      load(in, 2, V::I32);
      break;
    case Op::I64Load:
      load(in, 3, V::I64);
      break;
    case Op::F32Load:
      load(in, 2, V::F32);
      break;
    case Op::F64Load:
      load(in, 3, V::F64);
      break;
    case Op::I32Load8S:
    case Op::I32Load8U:
      load(in, 0, V::I32);
      break;
    case Op::I32Load16S:
    case Op::I32Load16U:
      load(in, 1, V::I32);
      break;
    case Op::I64Load8S:
    case Op::I64Load8U:
      load(in, 0, V::I64);
      break;
    case Op::I64Load16S:
    case Op::I64Load16U:
      load(in, 1, V::I64);
      break;
    case Op::I64Load32S:
    case Op::I64Load32U:
      load(in, 2, V::I64);
      break;
    case Op::I32Store:
      store(in, 2, V::I32);
      break;
    case Op::I64Store:
      store(in, 3, V::I64);
      break;
    case Op::F32Store:
      store(in, 2, V::F32);
      break;
    case Op::F64Store:
      store(in, 3, V::F64);
      break;
    case Op::I32Store8:
      store(in, 0, V::I32);
      break;
    case Op::I32Store16:
      store(in, 1, V::I32);
      break;
    case Op::I64Store8:
      store(in, 0, V::I64);
      break;
    case Op::I64Store16:
      store(in, 1, V::I64);
      break;
    case Op::I64Store32:
      store(in, 2, V::I64);
      break;
    case Op::MemorySize:
      memory();
      push(V::I32);
      break;
    case Op::MemoryGrow:
      memory();
      unop(V::I32, V::I32);
      break;
    case Op::I32Const:
      push(V::I32);
      break;
    case Op::I64Const:
      push(V::I64);
      break;
    case Op::F32Const:
      push(V::F32);
      break;
    case Op::F64Const:
      push(V::F64);
      break;
    case Op::RefNull:
      push(in.type);
      break;
    case Op::RefIsNull: {
      ValType t = pop();
      if (t != kUnknown && !is_ref(t)) fail("type mismatch");
      push(V::I32);
      break;
    }
    case Op::RefFunc:
      if (in.a >= m_.func_space.size()) fail("unknown function " + std::to_string(in.a));
      if (!mv_.declared_funcs_.count(in.a)) fail("undeclared function reference");
      push(V::FuncRef);
      break;
    case Op::MemoryInit:
      memory();
      data(in.a);
      pop(V::I32);
      pop(V::I32);
      pop(V::I32);
      break;
    case Op::DataDrop:
      data(in.a);
      break;
    case Op::MemoryCopy:
    case Op::MemoryFill:
      memory();
      pop(V::I32);
      pop(in.op == Op::MemoryFill ? V::I32 : V::I32);
      pop(V::I32);
      break;
    case Op::TableInit: {
      ValType t = table(in.b).elem;
      elem(in.a);
      if (m_.elems[in.a].type != t) fail("type mismatch");
      pop(V::I32);
      pop(V::I32);
      pop(V::I32);
      break;
    }
    case Op::ElemDrop:
      elem(in.a);
      break;
    case Op::TableCopy: {
      ValType dst = table(in.a).elem, src = table(in.b).elem;
      if (dst != src) fail("type mismatch");
      pop(V::I32);
      pop(V::I32);
      pop(V::I32);
      break;
    }
    case Op::TableGrow: {
      ValType t = table(in.a).elem;
      pop(V::I32);
      pop(t);
      push(V::I32);
      break;
    }
    case Op::TableSize:
      table(in.a);
      push(V::I32);
      break;
    case Op::TableFill: {
      ValType t = table(in.a).elem;
      pop(V::I32);
      pop(t);
      pop(V::I32);
      break;
    }
    default:
      numeric(in.op);
      break;
  }
}

// Numeric instructions are ranges of the opcode space with one signature each.
void BodyValidator::numeric(Op op) {
  using V = ValType;
  uint16_t o = uint16_t(op);
  if (op == Op::I32Eqz) return unop(V::I32, V::I32);
  if (o >= 0x46 && o <= 0x4F) return binop(V::I32, V::I32);
  if (op == Op::I64Eqz) return unop(V::I64, V::I32);
  if (o >= 0x51 && o <= 0x5A) return binop(V::I64, V::I32);
  if (o >= 0x5B && o <= 0x60) return binop(V::F32, V::I32);
  if (o >= 0x61 && o <= 0x66) return binop(V::F64, V::I32);
  if (o >= 0x67 && o <= 0x69) return unop(V::I32, V::I32);
  if (o >= 0x6A && o <= 0x78) return binop(V::I32, V::I32);
  if (o >= 0x79 && o <= 0x7B) return unop(V::I64, V::I64);
  if (o >= 0x7C && o <= 0x8A) return binop(V::I64, V::I64);
  if (o >= 0x8B && o <= 0x91) return unop(V::F32, V::F32);
  if (o >= 0x92 && o <= 0x98) return binop(V::F32, V::F32);
  if (o >= 0x99 && o <= 0x9F) return unop(V::F64, V::F64);
  if (o >= 0xA0 && o <= 0xA6) return binop(V::F64, V::F64);
  switch (op) {
    case Op::I32WrapI64:
      return unop(V::I64, V::I32);
    case Op::I32TruncF32S:
    case Op::I32TruncF32U:
      return unop(V::F32, V::I32);
    case Op::I32TruncF64S:
    case Op::I32TruncF64U:
      return unop(V::F64, V::I32);
    case Op::I64ExtendI32S:
    case Op::I64ExtendI32U:
      return unop(V::I32, V::I64);
    case Op::I64TruncF32S:
    case Op::I64TruncF32U:
      return unop(V::F32, V::I64);
    case Op::I64TruncF64S:
    case Op::I64TruncF64U:
      return unop(V::F64, V::I64);
    case Op::F32ConvertI32S:
    case Op::F32ConvertI32U:
      return unop(V::I32, V::F32);
    case Op::F32ConvertI64S:
    case Op::F32ConvertI64U:
      return unop(V::I64, V::F32);
    case Op::F32DemoteF64:
      return unop(V::F64, V::F32);
    case Op::F64ConvertI32S:
    case Op::F64ConvertI32U:
      return unop(V::I32, V::F64);
    case Op::F64ConvertI64S:
    case Op::F64ConvertI64U:
      return unop(V::I64, V::F64);
    case Op::F64PromoteF32:
      return unop(V::F32, V::F64);
    case Op::I32ReinterpretF32:
      return unop(V::F32, V::I32);
    case Op::I64ReinterpretF64:
      return unop(V::F64, V::I64);
    case Op::F32ReinterpretI32:
      return unop(V::I32, V::F32);
    case Op::F64ReinterpretI64:
      return unop(V::I64, V::F64);
    case Op::I32Extend8S:
    case Op::I32Extend16S:
      return unop(V::I32, V::I32);
    case Op::I64Extend8S:
    case Op::I64Extend16S:
    case Op::I64Extend32S:
      return unop(V::I64, V::I64);
    case Op::I32TruncSatF32S:
    case Op::I32TruncSatF32U:
      return unop(V::F32, V::I32);
    case Op::I32TruncSatF64S:
    case Op::I32TruncSatF64U:
      return unop(V::F64, V::I32);
    case Op::I64TruncSatF32S:
    case Op::I64TruncSatF32U:
      return unop(V::F32, V::I64);
    case Op::I64TruncSatF64S:
    case Op::I64TruncSatF64U:
      return unop(V::F64, V::I64);
    default:
      fail(std::string("unexpected instruction ") + op_name(op));
  }
}

void ModuleValidator::body(uint32_t defined_index) {
  if (listener_) listener_->begin_body(defined_index);
  BodyValidator(*this, defined_index).run();
  if (listener_) listener_->end_body();
}

void ModuleValidator::run() {
  for (const auto& im : m_.imports) {
    switch (im.kind) {
      case ExternKind::Func:
        if (im.func_type >= m_.types.size()) invalid("unknown type", im.offset);
        break;
      case ExternKind::Table:
        limits(im.table.limits, 0xFFFFFFFFull, "table", im.offset);
        break;
      case ExternKind::Memory:
        limits(im.memory.limits, 65536, "memory", im.offset);
        break;
      case ExternKind::Global:
        break;
    }
  }
  for (uint32_t t : m_.funcs)
    if (t >= m_.types.size()) invalid("unknown type", 0);
  for (const auto& t : m_.tables) limits(t.limits, 0xFFFFFFFFull, "table", 0);
  for (const auto& mem : m_.memories) limits(mem.limits, 65536, "memory", 0);
  if (m_.memory_space.size() > 1) invalid("multiple memories", 0);

  // Functions referenced outside bodies are "declared": ref.func may name them in code.
  for (const auto& g : m_.globals)
    for (const auto& ci : g.init.instrs)
      if (Op(ci.op) == Op::RefFunc) declared_funcs_.insert(uint32_t(ci.bits));
  for (const auto& e : m_.elems)
    for (const auto& init : e.init)
      for (const auto& ci : init.instrs)
        if (Op(ci.op) == Op::RefFunc) declared_funcs_.insert(uint32_t(ci.bits));
  for (const auto& ex : m_.exports)
    if (ex.kind == ExternKind::Func) declared_funcs_.insert(ex.index);

  for (const auto& g : m_.globals) const_expr(g.init, g.type.type);
  std::set<std::string> names;
  for (const auto& ex : m_.exports) {
    if (!names.insert(ex.name).second) invalid("duplicate export name", ex.offset);
    size_t n = 0;
    switch (ex.kind) {
      case ExternKind::Func:
        n = m_.func_space.size();
        break;
      case ExternKind::Table:
        n = m_.table_space.size();
        break;
      case ExternKind::Memory:
        n = m_.memory_space.size();
        break;
      case ExternKind::Global:
        n = m_.global_space.size();
        break;
    }
    if (ex.index >= n)
      invalid(std::string("unknown ") + to_string(ex.kind) + " " + std::to_string(ex.index),
              ex.offset);
  }
  if (m_.start) {
    check_func(*m_.start, 0);
    const FuncType& t = m_.func_type(*m_.start);
    if (!t.params.empty() || !t.results.empty()) invalid("start function", 0);
  }
  for (const auto& e : m_.elems) {
    if (e.mode == SegmentMode::Active) {
      if (e.table >= m_.table_space.size())
        invalid("unknown table " + std::to_string(e.table), e.section_offset);
      const_expr(e.offset, ValType::I32);
      if (m_.table_space[e.table].elem != e.type) invalid("type mismatch", e.section_offset);
    }
    for (const auto& init : e.init) const_expr(init, e.type);
  }
  for (const auto& d : m_.datas) {
    if (d.mode != SegmentMode::Active) continue;
    if (d.memory >= m_.memory_space.size())
      invalid("unknown memory " + std::to_string(d.memory), d.section_offset);
    const_expr(d.offset, ValType::I32);
  }
  for (uint32_t i = 0; i < m_.bodies.size(); i++) body(i);
}

}  // namespace

void validate_module(const ModuleDesc& m, BodyListener* listener) {
  ModuleValidator(m, listener).run();
}

}  // namespace glint::detail
