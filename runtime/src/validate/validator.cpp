// The WebAssembly 2.0 validator: module-level rules, then every function body with the
// operand/control stack algorithm of the spec's appendix. Messages use the spec tests' wording.
#include "validate/validator.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <set>
#include <utility>

#include "decode/instr.h"

namespace glint::detail {
namespace {

constexpr ValType kUnknown = ValType(0);  // a stack-polymorphic operand after unreachable code

// Failures are out of line and cold so that building their message stays off the hot path.
[[noreturn, gnu::cold]] void invalid(const std::string& what, size_t offset) {
  throw ValidateError(what, offset);
}
[[noreturn, gnu::cold]] void invalid(const char* what, size_t offset) {
  throw ValidateError(what, offset);
}

// The module-level rules: everything but the function bodies.
class ModuleValidator {
 public:
  explicit ModuleValidator(const ModuleDesc& m) : m_(m) {}
  void run();
  std::set<uint32_t> take_declared_funcs() { return std::move(declared_funcs_); }

 private:
  void limits(const Limits& l, uint64_t max, const char* what, size_t off);
  void memory_limits(const MemoryType& t, size_t off) {
    if (!t.is64) return limits(t.limits, 65536, "memory", off);
    limits(t.limits, uint64_t(1) << 48, "memory64", off);
  }
  void const_expr(const ConstExpr& e, ValType want);
  // An exception tag's type: a function type whose results are empty.
  void tag_type(uint32_t type, size_t off) {
    if (type >= m_.types.size()) invalid("unknown type", off);
    if (!m_.types[type].results.empty()) invalid("non-empty tag result type", off);
  }
  void check_func(uint32_t idx, size_t off) {
    if (idx >= m_.func_space.size()) invalid("unknown function " + std::to_string(idx), off);
  }

  const ModuleDesc& m_;
  std::set<uint32_t> declared_funcs_;  // may appear in ref.func inside bodies
};

void ModuleValidator::limits(const Limits& l, uint64_t max, const char* what, size_t off) {
  if (l.min > max || (l.max && *l.max > max))
    invalid(std::string(what) == "memory"     ? "memory size must be at most 65536 pages (4GiB)"
            : std::string(what) == "memory64" ? "memory size must be at most 2^48 pages"
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
      case Op::V128Const:
        stack.push_back(ValType::V128);
        break;
      case Op::RefNull:
        stack.push_back(ValType(ci.bits));
        break;
      case Op::RefFunc:
        check_func(uint32_t(ci.bits), ci.offset);
        stack.push_back(ValType::FuncRef);
        break;
      // Extended constant expressions: i32 and i64 add, sub and mul.
      case Op::I32Add:
      case Op::I32Sub:
      case Op::I32Mul:
      case Op::I64Add:
      case Op::I64Sub:
      case Op::I64Mul: {
        ValType t = Op(ci.op) <= Op::I32Mul ? ValType::I32 : ValType::I64;
        if (stack.size() < 2 || stack.back() != t || stack[stack.size() - 2] != t)
          invalid("type mismatch", ci.offset);
        stack.pop_back();
        break;
      }
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

// The plain numeric instructions (arithmetic, comparisons, conversions) have no immediates and
// pop one or two operands of one type, then push one result. A table lookup replaces a switch
// over about 130 opcodes. arity == 0 marks everything else.
struct NumericSig {
  ValType operand = kUnknown, result = kUnknown;
  uint8_t arity = 0;
};

constexpr std::array<NumericSig, kOpLimit> make_numeric_sigs() {
  using V = ValType;
  std::array<NumericSig, kOpLimit> t{};
  auto set = [&t](Op first, Op last, uint8_t arity, V operand, V result) {
    for (auto o = uint16_t(first); o <= uint16_t(last); o++) t[o] = {operand, result, arity};
  };
  auto unop = [&set](Op op, V operand, V result) { set(op, op, 1, operand, result); };
  unop(Op::I32Eqz, V::I32, V::I32);
  set(Op::I32Eq, Op::I32GeU, 2, V::I32, V::I32);
  unop(Op::I64Eqz, V::I64, V::I32);
  set(Op::I64Eq, Op::I64GeU, 2, V::I64, V::I32);
  set(Op::F32Eq, Op::F32Ge, 2, V::F32, V::I32);
  set(Op::F64Eq, Op::F64Ge, 2, V::F64, V::I32);
  set(Op::I32Clz, Op::I32Popcnt, 1, V::I32, V::I32);
  set(Op::I32Add, Op::I32Rotr, 2, V::I32, V::I32);
  set(Op::I64Clz, Op::I64Popcnt, 1, V::I64, V::I64);
  set(Op::I64Add, Op::I64Rotr, 2, V::I64, V::I64);
  set(Op::F32Abs, Op::F32Sqrt, 1, V::F32, V::F32);
  set(Op::F32Add, Op::F32Copysign, 2, V::F32, V::F32);
  set(Op::F64Abs, Op::F64Sqrt, 1, V::F64, V::F64);
  set(Op::F64Add, Op::F64Copysign, 2, V::F64, V::F64);
  unop(Op::I32WrapI64, V::I64, V::I32);
  set(Op::I32TruncF32S, Op::I32TruncF32U, 1, V::F32, V::I32);
  set(Op::I32TruncF64S, Op::I32TruncF64U, 1, V::F64, V::I32);
  set(Op::I64ExtendI32S, Op::I64ExtendI32U, 1, V::I32, V::I64);
  set(Op::I64TruncF32S, Op::I64TruncF32U, 1, V::F32, V::I64);
  set(Op::I64TruncF64S, Op::I64TruncF64U, 1, V::F64, V::I64);
  set(Op::F32ConvertI32S, Op::F32ConvertI32U, 1, V::I32, V::F32);
  set(Op::F32ConvertI64S, Op::F32ConvertI64U, 1, V::I64, V::F32);
  unop(Op::F32DemoteF64, V::F64, V::F32);
  set(Op::F64ConvertI32S, Op::F64ConvertI32U, 1, V::I32, V::F64);
  set(Op::F64ConvertI64S, Op::F64ConvertI64U, 1, V::I64, V::F64);
  unop(Op::F64PromoteF32, V::F32, V::F64);
  unop(Op::I32ReinterpretF32, V::F32, V::I32);
  unop(Op::I64ReinterpretF64, V::F64, V::I64);
  unop(Op::F32ReinterpretI32, V::I32, V::F32);
  unop(Op::F64ReinterpretI64, V::I64, V::F64);
  set(Op::I32Extend8S, Op::I32Extend16S, 1, V::I32, V::I32);
  set(Op::I64Extend8S, Op::I64Extend32S, 1, V::I64, V::I64);
  set(Op::I32TruncSatF32S, Op::I32TruncSatF32U, 1, V::F32, V::I32);
  set(Op::I32TruncSatF64S, Op::I32TruncSatF64U, 1, V::F64, V::I32);
  set(Op::I64TruncSatF32S, Op::I64TruncSatF32U, 1, V::F32, V::I64);
  set(Op::I64TruncSatF64S, Op::I64TruncSatF64U, 1, V::F64, V::I64);
  return t;
}
constexpr auto kNumericSigs = make_numeric_sigs();

// A SIMD instruction's operand and result types, from its signature in decode/simd_opcodes.def.
struct SimdSig {
  std::array<ValType, 3> operands{};
  uint8_t arity = 0;
  ValType result = kUnknown;  // kUnknown: none
};

constexpr ValType simd_sig_type(char c) {
  switch (c) {
    case 'i':
      return ValType::I32;
    case 'l':
      return ValType::I64;
    case 'f':
      return ValType::F32;
    case 'd':
      return ValType::F64;
    default:
      return ValType::V128;
  }
}

constexpr std::array<SimdSig, kFdLimit> make_simd_sigs() {
  std::array<SimdSig, kFdLimit> t{};
  for (uint16_t code = 0; code < kFdLimit; code++) {
    const char* sig = kOpTable[0x200 + code].sig;
    if (!sig) continue;
    SimdSig& s = t[code];
    for (; *sig != '>'; sig++) s.operands[s.arity++] = simd_sig_type(*sig);
    if (sig[1]) s.result = simd_sig_type(sig[1]);
  }
  return t;
}
constexpr auto kSimdSigs = make_simd_sigs();

// Validates the bodies one after another. One object serves the whole module so that its
// buffers (locals, operand and control stacks) are allocated once, not once per body.
class BodyValidator {
 public:
  BodyValidator(const ModuleDesc& m, const std::set<uint32_t>& declared_funcs,
                BodyListener* listener)
      : m_(m), declared_funcs_(declared_funcs), listener_(listener) {}
  void run(uint32_t defined_index);

 private:
  [[noreturn, gnu::cold]] void fail(const char* what) { invalid(what, off_); }
  [[noreturn, gnu::cold]] void fail(const std::string& what) { invalid(what, off_); }
  // "what N", e.g. "unknown local 7".
  [[noreturn, gnu::cold]] void fail_index(const char* what, uint32_t i) {
    invalid(std::string(what) + " " + std::to_string(i), off_);
  }

  // The operand stack lives in stack_[0, sp_); stack_ only grows, so a push is a store.
  // push and pop(ValType) run for nearly every instruction; GCC would not inline them into the
  // large instr() switch by itself.
  [[gnu::always_inline]] void push(ValType t) {
    if (sp_ == stack_.size()) grow_stack(1);
    stack_[sp_++] = t;
  }
  void push(const TypeList& ts) {
    if (stack_.size() - sp_ < ts.size()) grow_stack(ts.size());
    std::copy(ts.begin(), ts.end(), stack_.begin() + ptrdiff_t(sp_));
    sp_ += ts.size();
  }
  void push(const std::vector<ValType>& ts) { push(TypeList(ts)); }
  [[gnu::cold]] void grow_stack(size_t n) {
    stack_.resize(std::max(stack_.size() * 2, sp_ + n + 64));
  }
  ValType pop() {
    Ctrl& c = ctrl_.back();
    if (sp_ == c.height) {
      if (c.unreachable) return kUnknown;
      fail("type mismatch");
    }
    return stack_[--sp_];
  }
  // The common case, the wanted type on top of the current block's operands, is inline.
  [[gnu::always_inline]] ValType pop(ValType want) {
    if (sp_ > ctrl_.back().height && stack_[sp_ - 1] == want) {
      sp_--;
      return want;
    }
    return pop_slow(want);
  }
  ValType pop_slow(ValType want) {
    ValType t = pop();
    if (t != want && t != kUnknown && want != kUnknown) fail("type mismatch");
    return t == kUnknown ? want : t;
  }
  void pop(const TypeList& ts) {
    for (size_t i = ts.size(); i-- > 0;) pop(ts[i]);
  }
  void pop(const std::vector<ValType>& ts) { pop(TypeList(ts)); }
  void push_ctrl(Op op, TypeList params, TypeList results) {
    ctrl_.push_back({op, params, results, sp_});
    push(params);
  }
  Ctrl pop_ctrl() {
    if (ctrl_.empty()) fail("unexpected end");
    pop(ctrl_.back().results);
    if (sp_ != ctrl_.back().height) fail("type mismatch");
    Ctrl c = ctrl_.back();
    ctrl_.pop_back();
    return c;
  }
  // Checks the top of the stack against ts without popping (each br_table target).
  void check_top(const TypeList& ts) {
    const Ctrl& c = ctrl_.back();
    size_t available = sp_ - c.height;
    for (size_t k = 0; k < ts.size(); k++) {
      ValType want = ts[ts.size() - 1 - k];
      if (k >= available) {
        if (c.unreachable) continue;
        fail("type mismatch");
      }
      ValType t = stack_[sp_ - 1 - k];
      if (t != want && t != kUnknown && want != kUnknown) fail("type mismatch");
    }
  }
  void unreachable() {
    sp_ = ctrl_.back().height;
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
    if (i >= locals_.size()) fail_index("unknown local", i);
    return locals_[i];
  }
  const GlobalType& global(uint32_t i) {
    if (i >= m_.global_space.size()) fail_index("unknown global", i);
    return m_.global_space[i];
  }
  const TableType& table(uint32_t i) {
    if (i >= m_.table_space.size()) fail_index("unknown table", i);
    return m_.table_space[i];
  }
  // Checks a memory index; returns the memory's address type (memory64: i64).
  ValType memory(uint32_t i) {
    if (i >= m_.memory_space.size()) fail_index("unknown memory", i);
    return m_.memory_space[i].is64 ? ValType::I64 : ValType::I32;
  }
  const FuncType& tag(uint32_t i) {
    if (i >= m_.tag_space.size()) fail_index("unknown tag", i);
    return m_.types[m_.tag_space[i]];
  }
  void elem(uint32_t i) {
    if (i >= m_.elems.size()) fail_index("unknown elem segment", i);
  }
  void data(uint32_t i) {
    if (!m_.data_count) fail("data count section required");
    if (i >= *m_.data_count) fail_index("unknown data segment", i);
  }
  ValType memarg(Reader& r, Instr& in, uint32_t natural_log2) {
    read_memarg(r, in, &m_.memory_space);
    ValType address = memory(in.b);
    if (in.a > natural_log2) fail("alignment must not be larger than natural");
    return address;
  }
  void load(Reader& r, Instr& in, uint32_t log2, ValType t) {
    pop(memarg(r, in, log2));
    push(t);
  }
  void store(Reader& r, Instr& in, uint32_t log2, ValType t) {
    ValType address = memarg(r, in, log2);
    pop(t);
    pop(address);
  }
  void numeric(const NumericSig& s) {
    // Fast path, without a branch on the arity: the operands are on the stack, of the right
    // type. The result then takes the last operand's slot, so no capacity check either.
    size_t n = s.arity;
    if (sp_ - ctrl_.back().height >= n && stack_[sp_ - 1] == s.operand &&
        stack_[sp_ - n] == s.operand) {
      sp_ -= n - 1;
      stack_[sp_ - 1] = s.result;
      return;
    }
    pop(s.operand);
    if (n == 2) pop(s.operand);
    push(s.result);
  }
  // Inlined into run()'s loop: a call per instruction, with its register saves, costs ~20%.
  [[gnu::always_inline]] inline void instr(Reader& r, Instr& in);
  void instr_cold(Reader& r, Instr& in);
  void exceptions(Reader& r, Instr& in);
  void simd(Reader& r, Instr& in);
  void check_decoding(const Instr& in, const Reader& r);

  const ModuleDesc& m_;
  const std::set<uint32_t>& declared_funcs_;
  BodyListener* listener_;
  const FuncType* type_ = nullptr;
  std::vector<ValType> locals_;
  std::vector<ValType> stack_;
  size_t sp_ = 0;
  std::vector<Ctrl> ctrl_;
  std::vector<uint32_t> labels_;  // backs Instr::table for br_table
  size_t off_ = 0;
};

void BodyValidator::run(uint32_t defined_index) {
  const FuncBody& body = m_.bodies[defined_index];
  type_ = &m_.types[m_.funcs[defined_index]];
  locals_.assign(type_->params.begin(), type_->params.end());
  locals_.insert(locals_.end(), body.locals.begin(), body.locals.end());
  sp_ = 0;
  ctrl_.clear();
  Reader r(m_.bytes.data() + body.code_begin, body.code_end - body.code_begin, body.code_begin);
  push_ctrl(Op::Block, TypeList(), TypeList(type_->results));
  BodyListener* listener = listener_;
  if (listener) {
    listener->operand_types = &stack_;
    listener->operand_depth = &sp_;
  }
  while (!ctrl_.empty()) {
    if (r.done()) invalid("unexpected end of section or function", r.offset());
    Instr in;
    in.offset = uint32_t(r.offset());
    in.op = read_opcode_unchecked(r);  // instr_cold() rejects unknown opcodes
    off_ = in.offset;
    instr(r, in);
    check_decoding(in, r);
    if (listener) listener->instr(in);
  }
  if (!r.done()) invalid("unexpected end of section or function", r.offset());
}

#ifdef NDEBUG
void BodyValidator::check_decoding(const Instr&, const Reader&) {}
#else
// instr() reads immediates itself, op by op. Debug builds check that it read exactly what the
// general read_instr() reads, so the two cannot drift apart unnoticed.
void BodyValidator::check_decoding(const Instr& in, const Reader& r) {
  Reader again(m_.bytes.data() + in.offset, r.offset() - in.offset, in.offset);
  std::vector<uint32_t> labels;
  Instr want = read_instr(again, labels, &m_.memory_space);
  assert(again.done());
  assert(want.op == in.op && want.a == in.a && want.b == in.b && want.imm == in.imm);
  assert(want.type == in.type && want.lane == in.lane && want.block.kind == in.block.kind);
  assert(want.block.value == in.block.value && want.block.index == in.block.index);
  assert(!want.table == !in.table && (!in.table || *want.table == *in.table));
}
#endif

// Reads the immediates of the instruction whose opcode is in.op, then validates it. Every case
// reads all immediates before checking anything, so decode errors come first, as in read_instr.
// The frequent instructions are here; the rest are in instr_cold().
void BodyValidator::instr(Reader& r, Instr& in) {
  using V = ValType;
  switch (in.op) {
    case Op::Unreachable:
      unreachable();
      break;
    case Op::Nop:
      break;
    case Op::Block:
    case Op::Loop: {
      in.block = read_block_type(r);
      TypeList params, results;
      block_type(in.block, params, results);
      pop(params);
      push_ctrl(in.op, params, results);
      break;
    }
    case Op::If: {
      in.block = read_block_type(r);
      TypeList params, results;
      block_type(in.block, params, results);
      pop(V::I32);
      pop(params);
      push_ctrl(Op::If, params, results);
      break;
    }
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
      in.a = r.u32();
      pop(label(in.a).labels());
      unreachable();
      break;
    case Op::BrIf: {
      in.a = r.u32();
      pop(V::I32);
      const TypeList& ts = label(in.a).labels();
      pop(ts);
      push(ts);
      break;
    }
    case Op::Return:
      pop(type_->results);
      unreachable();
      break;
    case Op::Call: {
      in.a = r.u32();
      if (in.a >= m_.func_space.size()) fail_index("unknown function", in.a);
      const FuncType& t = m_.func_type(in.a);
      pop(t.params);
      push(t.results);
      break;
    }
    case Op::Drop:
      pop();
      break;
    case Op::LocalGet:
      in.a = r.u32();
      push(local(in.a));
      break;
    case Op::LocalSet:
      in.a = r.u32();
      pop(local(in.a));
      break;
    case Op::LocalTee: {
      in.a = r.u32();
      ValType t = local(in.a);
      pop(t);
      push(t);
      break;
    }
    case Op::GlobalGet:
      in.a = r.u32();
      push(global(in.a).type);
      break;
    case Op::GlobalSet: {
      in.a = r.u32();
      const GlobalType& g = global(in.a);
      if (!g.mut) fail("global is immutable");
      pop(g.type);
      break;
    }
    case Op::I32Load:
      load(r, in, 2, V::I32);
      break;
    case Op::I64Load:
      load(r, in, 3, V::I64);
      break;
    case Op::F32Load:
      load(r, in, 2, V::F32);
      break;
    case Op::F64Load:
      load(r, in, 3, V::F64);
      break;
    case Op::I32Load8S:
    case Op::I32Load8U:
      load(r, in, 0, V::I32);
      break;
    case Op::I32Load16S:
    case Op::I32Load16U:
      load(r, in, 1, V::I32);
      break;
    case Op::I64Load8S:
    case Op::I64Load8U:
      load(r, in, 0, V::I64);
      break;
    case Op::I64Load16S:
    case Op::I64Load16U:
      load(r, in, 1, V::I64);
      break;
    case Op::I64Load32S:
    case Op::I64Load32U:
      load(r, in, 2, V::I64);
      break;
    case Op::I32Store:
      store(r, in, 2, V::I32);
      break;
    case Op::I64Store:
      store(r, in, 3, V::I64);
      break;
    case Op::F32Store:
      store(r, in, 2, V::F32);
      break;
    case Op::F64Store:
      store(r, in, 3, V::F64);
      break;
    case Op::I32Store8:
      store(r, in, 0, V::I32);
      break;
    case Op::I32Store16:
      store(r, in, 1, V::I32);
      break;
    case Op::I64Store8:
      store(r, in, 0, V::I64);
      break;
    case Op::I64Store16:
      store(r, in, 1, V::I64);
      break;
    case Op::I64Store32:
      store(r, in, 2, V::I64);
      break;
    case Op::I32Const:
      in.imm = uint32_t(r.s32());
      push(V::I32);
      break;
    case Op::I64Const:
      in.imm = uint64_t(r.s64());
      push(V::I64);
      break;
    case Op::F32Const:
      in.imm = r.f32_bits();
      push(V::F32);
      break;
    case Op::F64Const:
      in.imm = r.f64_bits();
      push(V::F64);
      break;
    default:
      if (const NumericSig& s = kNumericSigs[uint16_t(in.op)]; s.arity)
        numeric(s);
      else
        instr_cold(r, in);
      break;
  }
}

// The rarer instructions (tables, bulk memory, references, br_table, select, ...) and the
// opcodes that are no instruction.
void BodyValidator::instr_cold(Reader& r, Instr& in) {
  using V = ValType;
  switch (in.op) {
    case Op::BrTable: {
      read_label_table(r, in, labels_);
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
    case Op::CallIndirect:
    case Op::ReturnCallIndirect: {
      in.a = r.u32();  // type index
      in.b = r.u32();  // table index
      if (table(in.b).elem != V::FuncRef) fail("type mismatch");
      if (in.a >= m_.types.size()) fail("unknown type");
      pop(V::I32);
      const FuncType& t = m_.types[in.a];
      pop(t.params);
      if (in.op == Op::CallIndirect) {
        push(t.results);
        break;
      }
      if (t.results != type_->results) fail("type mismatch");  // the callee's are returned
      unreachable();
      break;
    }
    case Op::ReturnCall: {
      in.a = r.u32();
      if (in.a >= m_.func_space.size()) fail_index("unknown function", in.a);
      const FuncType& t = m_.func_type(in.a);
      pop(t.params);
      if (t.results != type_->results) fail("type mismatch");
      unreachable();
      break;
    }
    case Op::Select: {
      pop(V::I32);
      ValType a = pop(), b = pop();
      if (is_ref(a) || is_ref(b)) fail("type mismatch");
      if (a != b && a != kUnknown && b != kUnknown) fail("type mismatch");
      push(a == kUnknown ? b : a);
      break;
    }
    case Op::SelectT:
      in.type = read_select_type(r);
      pop(V::I32);
      pop(in.type);
      pop(in.type);
      push(in.type);
      break;
    case Op::TableGet: {
      in.a = r.u32();
      ValType t = table(in.a).elem;
      pop(V::I32);
      push(t);
      break;
    }
    case Op::TableSet: {
      in.a = r.u32();
      ValType t = table(in.a).elem;
      pop(t);
      pop(V::I32);
      break;
    }
    case Op::MemorySize:
      in.a = read_memory_index(r);
      push(memory(in.a));
      break;
    case Op::MemoryGrow: {
      in.a = read_memory_index(r);
      ValType address = memory(in.a);
      pop(address);
      push(address);
      break;
    }
    case Op::RefNull:
      in.type = read_reftype(r);
      push(in.type);
      break;
    case Op::RefIsNull: {
      ValType t = pop();
      if (t != kUnknown && !is_ref(t)) fail("type mismatch");
      push(V::I32);
      break;
    }
    case Op::RefFunc:
      in.a = r.u32();
      if (in.a >= m_.func_space.size()) fail_index("unknown function", in.a);
      if (!declared_funcs_.count(in.a)) fail("undeclared function reference");
      push(V::FuncRef);
      break;
    case Op::MemoryInit: {
      in.a = r.u32();
      in.b = read_memory_index(r);
      ValType address = memory(in.b);
      data(in.a);
      pop(V::I32);
      pop(V::I32);
      pop(address);
      break;
    }
    case Op::DataDrop:
      in.a = r.u32();
      data(in.a);
      break;
    case Op::MemoryCopy: {  // the length is i64 only if both memories are 64-bit
      in.a = read_memory_index(r);
      in.b = read_memory_index(r);
      ValType dst = memory(in.a), src = memory(in.b);
      pop(dst == V::I64 && src == V::I64 ? V::I64 : V::I32);
      pop(src);
      pop(dst);
      break;
    }
    case Op::MemoryFill: {
      in.a = read_memory_index(r);
      ValType address = memory(in.a);
      pop(address);
      pop(V::I32);
      pop(address);
      break;
    }
    case Op::TableInit: {
      in.a = r.u32();  // elem segment
      in.b = r.u32();  // table
      ValType t = table(in.b).elem;
      elem(in.a);
      if (m_.elems[in.a].type != t) fail("type mismatch");
      pop(V::I32);
      pop(V::I32);
      pop(V::I32);
      break;
    }
    case Op::ElemDrop:
      in.a = r.u32();
      elem(in.a);
      break;
    case Op::TableCopy: {
      in.a = r.u32();  // destination
      in.b = r.u32();  // source
      ValType dst = table(in.a).elem, src = table(in.b).elem;
      if (dst != src) fail("type mismatch");
      pop(V::I32);
      pop(V::I32);
      pop(V::I32);
      break;
    }
    case Op::TableGrow: {
      in.a = r.u32();
      ValType t = table(in.a).elem;
      pop(V::I32);
      pop(t);
      push(V::I32);
      break;
    }
    case Op::TableSize:
      in.a = r.u32();
      table(in.a);
      push(V::I32);
      break;
    case Op::TableFill: {
      in.a = r.u32();
      ValType t = table(in.a).elem;
      pop(V::I32);
      pop(t);
      pop(V::I32);
      break;
    }
    default:
      if (is_exception_op(in.op)) return exceptions(r, in);
      if (!is_simd(in.op)) fail_illegal_opcode(r, uint16_t(in.op));
      simd(r, in);
  }
}

// Exception handling (the legacy proposal's try, catch, catch_all, delegate, throw, rethrow).
// A try's control entry stays Try through its body, then becomes Catch or CatchAll for its
// handlers; rethrow's label must be one of those.
void BodyValidator::exceptions(Reader& r, Instr& in) {
  switch (in.op) {
    case Op::Try: {
      in.block = read_block_type(r);
      TypeList params, results;
      block_type(in.block, params, results);
      pop(params);
      push_ctrl(Op::Try, params, results);
      break;
    }
    case Op::Catch: {
      in.a = r.u32();
      const FuncType& t = tag(in.a);
      if (ctrl_.empty() || (ctrl_.back().op != Op::Try && ctrl_.back().op != Op::Catch))
        fail("catch without try");
      Ctrl c = pop_ctrl();
      push_ctrl(Op::Catch, TypeList(t.params), c.results);
      break;
    }
    case Op::CatchAll: {
      if (ctrl_.empty() || (ctrl_.back().op != Op::Try && ctrl_.back().op != Op::Catch))
        fail("catch_all without try");
      Ctrl c = pop_ctrl();
      push_ctrl(Op::CatchAll, TypeList(), c.results);
      break;
    }
    case Op::Delegate: {
      in.a = r.u32();
      if (ctrl_.empty() || ctrl_.back().op != Op::Try) fail("delegate without try");
      Ctrl c = pop_ctrl();
      label(in.a);  // counted from outside the try
      push(c.results);
      break;
    }
    case Op::Throw:
      in.a = r.u32();
      pop(TypeList(tag(in.a).params));
      unreachable();
      break;
    case Op::Rethrow: {
      in.a = r.u32();
      Op op = label(in.a).op;
      if (op != Op::Catch && op != Op::CatchAll) fail("invalid rethrow label");
      unreachable();
      break;
    }
    default:
      break;
  }
}

// SIMD instructions (0xFD): immediates by kind, then the signature.
void BodyValidator::simd(Reader& r, Instr& in) {
  const OpInfo& info = kOpTable[uint16_t(in.op)];
  if (!info.name) fail_illegal_opcode(r, uint16_t(in.op));
  uint32_t lanes = info.n;
  // The first operand: a memory access's address, of its memory's address type (memory64).
  ValType address = kSimdSigs[uint16_t(in.op) - 0x200].operands[0];
  switch (info.imm) {
    case Imm::Mem:
    case Imm::MemLane: {
      read_memarg(r, in, &m_.memory_space);
      if (info.imm == Imm::MemLane) {
        in.lane = r.u8();
        lanes = 16 / info.n;
      }
      address = memory(in.b);
      if (in.a > uint32_t(std::countr_zero(info.n)))
        fail("alignment must not be larger than natural");
      break;
    }
    case Imm::Lane:
      in.lane = r.u8();
      break;
    case Imm::V128:
      read_v128(r, in);
      break;
    case Imm::Shuffle:
      read_v128(r, in);
      for (uint64_t half : {in.imm, in.imm_hi()})
        for (int i = 0; i < 8; i++)
          if (uint8_t(half >> 8 * i) >= 32) fail("invalid lane index");
      break;
    default:
      break;
  }
  if ((info.imm == Imm::Lane || info.imm == Imm::MemLane) && in.lane >= lanes)
    fail("invalid lane index");
  const SimdSig& s = kSimdSigs[uint16_t(in.op) - 0x200];
  for (size_t i = s.arity; i-- > 0;) pop(i == 0 ? address : s.operands[i]);
  if (s.result != kUnknown) push(s.result);
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
        memory_limits(im.memory, im.offset);
        break;
      case ExternKind::Global:
        break;
      case ExternKind::Tag:
        tag_type(im.tag_type, im.offset);
        break;
    }
  }
  for (uint32_t t : m_.tags) tag_type(t, 0);
  for (uint32_t t : m_.funcs)
    if (t >= m_.types.size()) invalid("unknown type", 0);
  for (const auto& t : m_.tables) limits(t.limits, 0xFFFFFFFFull, "table", 0);
  for (const auto& mem : m_.memories) memory_limits(mem, 0);

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
      case ExternKind::Tag:
        n = m_.tag_space.size();
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
    const_expr(d.offset, m_.memory_space[d.memory].is64 ? ValType::I64 : ValType::I32);
  }
}

}  // namespace

ModuleValidation::ModuleValidation(const ModuleDesc& m) : m_(m) {
  ModuleValidator rules(m);
  rules.run();
  declared_funcs_ = rules.take_declared_funcs();
}

void ModuleValidation::bodies(const NextRange& next, BodyListener* listener) const {
  BodyValidator body(m_, declared_funcs_, listener);  // one per call: its buffers are reused
  uint32_t first, last;
  while (next(first, last)) {
    for (uint32_t i = first; i < last; i++) {
      if (listener) listener->begin_body(i);
      body.run(i);
      if (listener) listener->end_body();
    }
  }
}

void validate_module(const ModuleDesc& m, BodyListener* listener) {
  bool done = false;
  auto all = [&](uint32_t& first, uint32_t& last) {
    first = 0;
    last = uint32_t(m.bodies.size());
    return !std::exchange(done, true);
  };
  ModuleValidation(m).bodies(all, listener);
}

}  // namespace glint::detail
