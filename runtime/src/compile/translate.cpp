// The translator's instruction switch, and its operators, memory accesses and locals with
// their fusions and deferred increments: the path every instruction takes (see
// compile/func_compiler.h and runtime/DESIGN.md, "Slot code").
#include <cstring>

#include "compile/compiler.h"
#include "compile/func_compiler.h"

namespace glint::detail {

void FuncCompiler::unary(IOp o) {
  uint32_t h = height() - 1;
  bool tests_and =
      o == IOp::I32Eqz && fresh(h) &&
      (last_.op == IOp::I32And_ss || last_.op == IOp::I32And_si || last_.op == IOp::I32ShrAnd);
  and_before_eqz_ = tests_and ? last_ : LastOp{};
  uint32_t a = slot_of(h);
  size_t start = here();
  IOp acc = accumulator_form(o);
  op(acc != IOp::Nop && in_accumulator(a, accumulator_read(acc)) ? acc : o);
  emit_result_dst(h);
  slot(a);
  pop();
  push_stack();
  finish_value_op(start, o);
  last_.is_eqz = o == IOp::I32Eqz;
  last_.a = a;
}

void FuncCompiler::binary(IOp ss, bool commutative) {
  uint32_t h = height() - 2;
  if (lazy_add(ss)) return;
  if (fuse_global_add(ss, h)) return;
  if (ss == IOp::I32Add_ss && fuse_add_shl(h)) return;
  if ((ss == IOp::I32ShrS_ss || ss == IOp::I32ShrU_ss) && fuse_shift_pair(ss, h)) return;
  if (ss == IOp::I32And_ss && fuse_bit_field(h)) return;
  if (fuse_memory_operand(ss, commutative)) return;
  if (fuse_multiply_add(ss)) return;
  const Operand x = stack_[h], y = stack_[h + 1];
  bool imm;
  uint32_t a;
  uint64_t b;
  IOp reversed = reversed_form(ss);
  if (x.kind == Operand::Const && y.kind != Operand::Const && (commutative || reversed != ss)) {
    // c op y: commutative ops swap to y op c (the _si form); others have a reversed form,
    // named _is, that takes the constant as its first operand (same cells as _si).
    imm = true;
    a = slot_of(h + 1);
    b = x.bits;
    if (!commutative) {
      size_t start = here();
      op(reversed);
      emit_result_dst(h);
      slot(a);
      cell(b);
      finish_binary(start, reversed);
      return;
    }
  } else {
    imm = y.kind == Operand::Const;
    a = slot_of(h);
    b = imm ? y.bits : slot_of(h + 1);
  }
  size_t start = here();
  // The float accumulator: the first operand from it, if it is there. An operator that
  // can swap its operands (add, mul, compares turned around) takes the second one from it.
  IOp acc = accumulator_form(ss);
  if (acc != IOp::Nop) {
    uint8_t w = accumulator_read(acc);
    IOp swapped = swapped_form(ss);
    if (!imm && !in_accumulator(a, w) && in_accumulator(uint32_t(b), w) && swapped != IOp::Nop) {
      uint32_t first = uint32_t(b);
      b = a;
      a = first;
      ss = swapped;
      acc = accumulator_form(ss);
    }
    if (!in_accumulator(a, w)) acc = IOp::Nop;
  }
  IOp o = imm ? IOp(uint16_t(ss) + 1) : ss;
  op(acc == IOp::Nop ? o : imm ? IOp(uint16_t(acc) + 1) : acc);
  emit_result_dst(h);
  slot(a);
  cell(b);
  finish_binary(start, o);
  if (o == IOp::I32Add_ss) note_add(start, a, uint32_t(b));
  last_.is_fcmp =
      (ss >= IOp::F32Eq_ss && ss <= IOp::F32Ge_ss) || (ss >= IOp::F64Eq_ss && ss <= IOp::F64Ge_ss);
  last_.is_cmp = (ss >= IOp::I32Eq_ss && ss <= IOp::I32GeU_ss) ||
                 (ss >= IOp::I64Eq_ss && ss <= IOp::I64GeU_ss);
  last_.imm = imm;
  last_.a = a;
  last_.b = b;
}

// Entries below the top still read local x lazily, and the last instruction (which produced
// the top) is about to write x: materialize those entries *before* it. The instruction is
// taken back and put again after their code; that code writes only their home slots, which
// are below the top and so never the instruction's operands.
void FuncCompiler::retire_readers_before_last(uint32_t x) {
  LastOp producer = last_;
  std::vector<Cell> cells(code_.data() + producer.start, code_.data() + code_.size());
  uint32_t wasm_offset = offsets_->back().wasm_offset;  // its entry starts at producer.start
  unemit_last();
  materialize_local(x, height() - 1);
  offsets_->push_back({uint32_t(here()), wasm_offset});
  size_t start = here();
  for (Cell c : cells) code_.push_back(c);
  last_ = producer;
  last_.start = start;
  last_.end = here();
  last_.dst_cell = start + (producer.dst_cell - producer.start);
  // It may read the float accumulator and now has copies before it: they write home slots
  // below its operands only, and no float register, so the accumulator still holds its operand.
  note_accumulator(producer.op, producer.dst);
}

// `a cmp b ? x : y`: the compare just emitted, whose result only this select reads, is taken
// into it (SelectI32LtS_ss, ... in iops.def), so the condition never goes through a slot. The
// integer compares without a form of their own are the negation of one that has, with x and y
// swapped; a float compare's negation is not (NaN), so only Lt and Gt fuse. Both values must
// be in slots already (materializing one would put code after the compare).
bool FuncCompiler::fuse_select_compare(uint32_t h) {
  struct Form {
    IOp compare, select;
    bool swap;
  };
  static constexpr Form kForms[] = {
      {IOp::I32Eq_ss, IOp::SelectI32Eq_ss, false},   {IOp::I32Ne_ss, IOp::SelectI32Eq_ss, true},
      {IOp::I32LtS_ss, IOp::SelectI32LtS_ss, false}, {IOp::I32GeS_ss, IOp::SelectI32LtS_ss, true},
      {IOp::I32LtU_ss, IOp::SelectI32LtU_ss, false}, {IOp::I32GeU_ss, IOp::SelectI32LtU_ss, true},
      {IOp::I32GtS_ss, IOp::SelectI32GtS_ss, false}, {IOp::I32LeS_ss, IOp::SelectI32GtS_ss, true},
      {IOp::I32GtU_ss, IOp::SelectI32GtU_ss, false}, {IOp::I32LeU_ss, IOp::SelectI32GtU_ss, true},
      {IOp::F32Lt_ss, IOp::SelectF32Lt_ss, false},   {IOp::F32Gt_ss, IOp::SelectF32Gt_ss, false},
      {IOp::F64Lt_ss, IOp::SelectF64Lt_ss, false},   {IOp::F64Gt_ss, IOp::SelectF64Gt_ss, false}};
  const Operand x = stack_[h - 3], y = stack_[h - 2];
  auto in_slot = [](const Operand& o) {
    return o.kind == Operand::Stack || o.kind == Operand::Local;
  };
  if (!fresh(h - 1) || !(last_.is_cmp || last_.is_fcmp) || !in_slot(x) || !in_slot(y)) return false;
  IOp compare = last_.imm ? IOp(uint16_t(last_.op) - 1) : last_.op;
  const Form* form = std::find_if(std::begin(kForms), std::end(kForms),
                                  [compare](const Form& f) { return f.compare == compare; });
  if (form == std::end(kForms)) return false;
  uint32_t xs = slot_of(h - 3), ys = slot_of(h - 2);  // slots: no code
  LastOp c = unemit_last();
  size_t start = here();
  op(IOp(uint16_t(form->select) + (c.imm ? 1 : 0)));
  emit_result_dst(h - 3);
  slot(form->swap ? ys : xs);
  slot(form->swap ? xs : ys);
  cell(c.a);
  cell(c.b);
  pop(3);
  push_stack();
  finish_value_op(start, IOp::Select);
  return true;
}

// `global.get g; i32.const c; i32.add/sub`: the global just read plus a constant is one
// GlobalGetAdd (a stack pointer's frame being made: `sp - 32`).
bool FuncCompiler::fuse_global_add(IOp ss, uint32_t h) {
  if ((ss != IOp::I32Add_ss && ss != IOp::I32Sub_ss) || last_.op != IOp::GlobalGet || !fresh(h) ||
      stack_[h + 1].kind != Operand::Const)
    return false;
  uint64_t index = code_[last_.start + 2].u;
  uint32_t c = uint32_t(stack_[h + 1].bits);
  unemit_last();
  size_t start = here();
  op(IOp::GlobalGetAdd);
  emit_result_dst(h);
  cell(index);
  cell(ss == IOp::I32Sub_ss ? uint32_t(0 - c) : c);
  finish_binary(start, IOp::GlobalGetAdd);
  global_add_ = {start, uint32_t(index)};
  return true;
}

// global.set g of a value that needs no code of its own: the local a GlobalGetAdd of g just
// wrote (`local.tee fp` between them) makes it one GlobalBump; a lazy local + constant
// (`fp + 32`, the frame given back) is one GlobalSet_add.
bool FuncCompiler::fuse_global_set(uint32_t index) {
  const Operand top = stack_.back();
  if (top.wide) return false;
  size_t at = global_add_.start;
  // `here() - 4`, not `at + 4`: with no GlobalGetAdd yet, `at` is SIZE_MAX and `at + 4` wraps
  // to 3, which read the cell before the code (ASan, spec suite).
  if (top.kind == Operand::Local && here() >= 4 && at == here() - 4 && label_at_ <= at &&
      code_[at].op == handlers_[size_t(IOp::GlobalGetAdd)] && global_add_.index == index &&
      code_[at + 1].u == top.local) {
    code_[at].op = handlers_[size_t(IOp::GlobalBump)];
    lowest_rewrite_ = std::min(lowest_rewrite_, at);
    global_add_ = {};
    pop();
    last_ = LastOp{};
    return true;
  }
  if (top.kind != Operand::LocalPlus) return false;
  op(IOp::GlobalSet_add);
  cell(index);
  slot(top.local);
  cell(uint32_t(top.bits));
  pop();
  last_ = LastOp{};
  return true;
}

// `x + (y << k)` (array indexing) as one I32AddShl, when the shift was just emitted and the
// other operand is already in a slot (a local or an earlier result).
bool FuncCompiler::fuse_add_shl(uint32_t h) {
  uint32_t shifted;
  if (last_.op != IOp::I32Shl_si) return false;
  if (fresh(h + 1) && stack_[h].kind != Operand::Const) {
    shifted = h + 1;
  } else if (fresh(h) && stack_[h + 1].kind != Operand::Const) {
    shifted = h;
  } else {
    return false;
  }
  // The shift is taken back first: materializing the other operand (a LocalPlus) emits code,
  // and writes only its own home slot, never the shift's input.
  LastOp shl = unemit_last();
  uint32_t other = slot_of(shifted == h ? h + 1 : h);
  size_t start = here();
  op(IOp::I32AddShl);
  emit_result_dst(h);
  slot(other);
  slot(uint32_t(shl.a));
  cell(shl.b & 31);
  finish_binary(start, IOp::I32AddShl);
  last_.a = other;
  last_.b = shl.a;
  last_.c = shl.b & 31;
  return true;
}

// `(x << k) >> k`, the shift just emitted and a constant k: the top bits of x cleared
// (shr_u: I32And_si with a mask) or filled with bit 31 - k (shr_s by 16 or 24: I32Extend16S,
// I32Extend8S), one instruction instead of two. Without the sign-extension operators (clang 14's
// default for wasm32), C's `(short)x` and `(signed char)x` compile to the pair.
bool FuncCompiler::fuse_shift_pair(IOp ss, uint32_t h) {
  const Operand& k = stack_[h + 1];
  if (last_.op != IOp::I32Shl_si || !fresh(h) || k.kind != Operand::Const) return false;
  uint32_t bits = uint32_t(k.bits) & 31;
  if (bits == 0 || (last_.b & 31) != bits) return false;
  IOp fused = ss == IOp::I32ShrU_ss ? IOp::I32And_si
              : bits == 16          ? IOp::I32Extend16S
              : bits == 24          ? IOp::I32Extend8S
                                    : IOp::Nop;
  if (fused == IOp::Nop) return false;
  LastOp shl = replace_last(fused, h);
  slot(uint32_t(shl.a));
  if (fused == IOp::I32And_si) cell(UINT32_MAX >> bits);
  finish_binary(shl.start, fused);
  last_.a = shl.a;
  if (fused == IOp::I32And_si) {
    last_.b = UINT32_MAX >> bits;
    last_.imm = true;
  }
  return true;
}

// `(x >> k) & m`, the shift just emitted and m a constant: one I32ShrAnd, the bit field
// extraction of instruction decoders, bit readers and packed colors.
bool FuncCompiler::fuse_bit_field(uint32_t h) {
  if (last_.op != IOp::I32ShrU_si) return false;
  uint64_t mask;
  if (fresh(h) && stack_[h + 1].kind == Operand::Const) {
    mask = uint32_t(stack_[h + 1].bits);
  } else if (fresh(h + 1) && stack_[h].kind == Operand::Const) {
    mask = uint32_t(stack_[h].bits);
  } else {
    return false;
  }
  LastOp shr = replace_last(IOp::I32ShrAnd, h);
  uint64_t k = (shr.b & 31) | mask << 32;
  slot(uint32_t(shr.a));
  cell(k);
  finish_binary(shr.start, IOp::I32ShrAnd);
  last_.a = shr.a;
  last_.b = k;
  last_.imm = true;
  return true;
}

// `x op (T.load addr)`: a plain load of the operator's type just emitted, one operand of the
// operator, becomes the operator's memory operand (`_sm`). The other operand must already sit
// in a slot (materializing it would emit code after the load). A load as the first operand
// takes the `_ms` form (`[ea] - x`) of a non-commutative operator, or swaps the operands of a
// commutative one. Float add and mul count as commutative here: swapped, they differ only in
// which NaN payload wins when both operands are NaN, and the spec leaves that choice to the
// engine.
inline bool FuncCompiler::fuse_memory_operand(IOp ss, bool commutative) {
  const MemForm& form = mem_form(ss);
  if (form.sm == IOp::Nop) return false;
  commutative = commutative || ss == IOp::F32Add_ss || ss == IOp::F64Add_ss ||
                ss == IOp::F32Mul_ss || ss == IOp::F64Mul_ss;
  IOp fused = form.sm, reversed = form.ms;
  if (last_.op != form.load && last_.op != IOp(uint16_t(form.load) + 1)) {
    // A byte or half load (each has three forms, see iops.def LOAD; _idx does not fuse).
    int k = int(last_.op) - int(IOp::I32Load8S);
    if (form.narrow[0] == IOp::Nop || k < 0 || k >= 12 || k % 3 == 2) return false;
    fused = form.narrow[size_t(k / 3)];
    reversed = IOp::Nop;
  }
  uint32_t h = height() - 2;
  uint32_t other;
  if (fresh(h + 1)) {
    other = h;
  } else if (fresh(h) && (commutative || reversed != IOp::Nop)) {
    other = h + 1;
    if (!commutative) fused = reversed;
  } else {
    return false;
  }
  uint32_t x = slot_in_place(other);
  if (x == UINT32_MAX) return false;
  LastOp load = replace_last(fused, h);
  slot(x);
  slot(uint32_t(load.a));
  address_cell(load.b, load.c);
  finish_binary(load.start, fused);
  last_.a = load.a;
  last_.b = load.b;
  last_.c = load.c;
  if (fused == IOp::F64Mul_sm || fused == IOp::F32Mul_sm) product_ = {load.start, here()};
  return true;
}

// `x * y + z` or `z + x * y`: the float multiply just emitted, whose result only this add
// reads, and the add become one MulAdd. z must already sit in a slot (materializing it would
// emit code after the multiply). Float add is commutative here, as in fuse_memory_operand.
inline bool FuncCompiler::fuse_multiply_add(IOp add_ss) {
  IOp fused;
  if (add_ss == IOp::F64Add_ss && last_.op == IOp::F64Mul_ss)
    fused = IOp::F64MulAdd;
  else if (add_ss == IOp::F32Add_ss && last_.op == IOp::F32Mul_ss)
    fused = IOp::F32MulAdd;
  else
    return false;
  uint32_t h = height() - 2;
  uint32_t addend = fresh(h + 1) ? h : fresh(h) ? h + 1 : UINT32_MAX;
  uint32_t z = addend == UINT32_MAX ? UINT32_MAX : slot_in_place(addend);
  if (z == UINT32_MAX) return false;
  LastOp mul = replace_last(fused, h);
  slot(uint32_t(mul.a));
  slot(uint32_t(mul.b));
  slot(z);
  finish_binary(mul.start, fused);
  return true;
}

// `[ea] = x op [ea]`: the value stored is an `_sm` result just computed from the same address
// (the same local and add, or the same constant address, and the same offset), so the store
// and the operator become one `_rmw`. The local was not written in between: only the operator
// ran since the load.
bool FuncCompiler::fuse_read_modify_write(IOp store_op, uint64_t offset) {
  uint32_t h = height() - 2;
  if (!fresh(h + 1)) return false;
  const MemForm& form = mem_form(last_.op);
  if (form.sm != last_.op || form.store != store_op || last_.c != offset) return false;
  const Operand& addr = stack_[h];
  uint64_t base = addr.local, add = 0;  // a plain local: its value is the address
  if (addr.kind != Operand::Local && !lazy_address(addr, zero_slot(), base, add)) return false;
  if (base != last_.a || add != last_.b) return false;
  uint64_t x = code_[last_.start + 2].u;  // the _sm's cells: op D x base add offset
  size_t sm_start = last_.start;
  uint32_t load_offset = unemit_last_keep_offset();
  pop(2);
  std::array<uint64_t, 3> product;  // a multiply's operand cells: y, base2, add2 | offset2
  uint32_t product_offset;
  IOp muladd = take_product(form.rmw, x, sm_start, product, product_offset);
  if (muladd == IOp::Nop) {
    op_at(form.rmw, load_offset);
    slot(uint32_t(base));
    address_cell(add, offset);
    slot(uint32_t(x));
    return true;
  }
  if (fuse_sums(muladd, base, uint32_t(add) | offset << 32, product, product_offset, load_offset))
    return true;
  fn_->later_accesses.push_back({uint32_t(here()), load_offset});
  op_at(muladd, product_offset);
  slot(uint32_t(base));
  address_cell(add, offset);
  for (uint64_t c : product) cell(c);
  return true;
}

// `[ea] = y * [ea2] + [ea]`: the add's _rmw about to be emitted (its _sm taken back from
// `add_start`) reads slot x, the result of a float multiply with a memory operand just before
// it, which nothing else reads (a home slot, and the add consumed its stack entry). Takes the
// multiply back too, returns its operand cells and wasm offset, and the MulAdd_rmw that takes
// both; Nop (nothing taken back) if there is no such multiply.
IOp FuncCompiler::take_product(IOp add_rmw, uint64_t x, size_t add_start,
                               std::array<uint64_t, 3>& product, uint32_t& wasm_offset) {
  IOp muladd = add_rmw == IOp::F64Add_rmw   ? IOp::F64MulAdd_rmw
               : add_rmw == IOp::F32Add_rmw ? IOp::F32MulAdd_rmw
                                            : IOp::Nop;
  size_t p = product_.start;
  if (muladd == IOp::Nop || product_.end != add_start || code_[p + 1].u != x || x < stack_base())
    return IOp::Nop;
  for (size_t i = 0; i < 3; i++) product[i] = code_[p + 2 + i].u;
  wasm_offset = offsets_->back().wasm_offset;  // the multiply's entry starts at p
  take_back(p);
  return muladd;
}

// `[d + add] = x * [d2 + add2] + [d + add]` where locals d and d2 are known sums (sums_), as
// in matmul's inner loop after clang: `p = row + j; q = col + j; [p] += s * [q]`. The _sum
// form computes both sums. The additions that made them, if they come right before, are
// taken back into it, and it writes their locals instead; a second access through the same
// locals (`[p + 8] += s * [q + 8]`) computes the sums the same way and writes nothing, and
// joins the first (pair_with_last). With the loop register taking the shared index
// (take_loop_register), matmul's loop is then 2 instructions, not 5. The sums' operands may
// not be d or d2, so the order of the writes and reads does not matter. False, and nothing
// emitted, if d or d2 is not a known sum, or a slot does not fit the packed cells.
bool FuncCompiler::fuse_sums(IOp muladd, uint64_t base, uint64_t add_offset,
                             const std::array<uint64_t, 3>& product, uint32_t wasm_offset,
                             uint32_t second_offset) {
  const SlotSum *s1 = known_sum(base), *s2 = known_sum(product[1]);
  if (!s1 || !s2) return false;
  const SlotSum sum = *s1, sum2 = *s2;
  for (uint32_t x : {sum.a, sum.i, sum2.a, sum2.i})
    if (x == sum.d || x == sum2.d) return false;
  if (std::max({product[0], uint64_t(sum.a), uint64_t(sum.i), uint64_t(sum2.a), uint64_t(sum2.i),
                uint64_t(sum.d), uint64_t(sum2.d)}) >= kNoSlot)
    return false;  // the slots are packed 16 bits each
  // The additions right before, in either order, are taken back: this instruction writes
  // their locals instead. The others' locals already hold their sums.
  uint16_t write = kNoSlot, write2 = kNoSlot;
  const void* add = handlers_[size_t(IOp::I32Add_ss)];
  const void* add_twin = handlers_[size_t(IOp::I32Add_ss_twin)];
  for (int n = 0; n < 2; n++) {
    for (const SlotSum& s : {sum, sum2}) {
      const SlotSum* k = known_sum(s.d);
      if (k && k->added && k->pos + 4 == here() &&
          (code_[k->pos].op == add || code_[k->pos].op == add_twin)) {
        take_back(k->pos);
        (s.d == sum.d ? write : write2) = uint16_t(s.d);
      }
    }
  }
  IOp form = muladd == IOp::F64MulAdd_rmw ? IOp::F64MulAdd_sum : IOp::F32MulAdd_sum;
  uint64_t p = write | sum.a << 16 | uint64_t(write2) << 32 | uint64_t(sum2.a) << 48;
  uint64_t q = product[0] | sum.i << 16 | uint64_t(sum2.i) << 32;  // product[0]: x
  size_t first = write == kNoSlot && write2 == kNoSlot ? pair_with_last(form, p, q) : SIZE_MAX;
  if (first != SIZE_MAX) {
    fn_->later_accesses.push_back({uint32_t(first), wasm_offset});
    fn_->later_accesses.push_back({uint32_t(first), second_offset});
    cell(add_offset);
    cell(product[2]);
    return true;
  }
  fn_->later_accesses.push_back({uint32_t(here()), second_offset});
  size_t start = here();
  op_at(form, wasm_offset);
  cell(p);
  cell(q);
  cell(add_offset);
  cell(product[2]);
  last_sum_ = start;
  for (const SlotSum& s : {sum, sum2})
    if (!known_sum(s.d)) sums_.push_back({s.d, s.a, s.i, start, false});
  if (innermost_loop_ != SIZE_MAX && reg_reads_.size() < kMaxLoopUses)
    reg_reads_.push_back({start, UINT32_MAX});
  return true;
}

// `x = x + step` just before a compare of x and a branch back to the loop header: one
// BrInc instruction (k is the compare's position in the Eq..GeU order).
bool FuncCompiler::fuse_increment(Control& loop, uint32_t k, const LastOp& cmp) {
  if (increment_.end != here() || increment_.local != cmp.a) return false;
  Increment inc = increment_;
  uint32_t wasm_offset = offsets_->back().wasm_offset;  // the increment's entry
  take_back(inc.start);
  forget_sums(inc.local);
  bool reg = take_loop_register(loop, inc.local);
  if (!reg) note_write(inc.local, here());
  op_at(IOp(uint16_t(IOp::BrIncI32Eq_ss_loop) + 4 * k + (cmp.imm ? 1 : 0) + (reg ? 2 : 0)),
        wasm_offset);
  cell(inc.local | uint64_t(inc.step) << 32);
  cell(cmp.b);
  increment_ = Increment{};
  return true;
}

// The loop register for local x, whose step fuses with the branch back to `loop`: taken if
// the loop is the innermost one, nothing in it so far changed the register (no call, no inner
// loop), and nothing but this step writes x (so the register, loaded before the header and
// written with the step, always equals x's slot in the loop). The loop's additions of x emitted
// so far then read the register; true if it holds x (it may already), for the BrInc's _reg form.
bool FuncCompiler::take_loop_register(Control& loop, uint32_t x) {
  if (innermost_loop_ == SIZE_MAX || &loop != &ctrl_[innermost_loop_]) return false;
  if (loop.reg_cell == SIZE_MAX) return false;  // no RegLoad: it looked ahead and said no
  if (loop.reg_local != UINT32_MAX) return loop.reg_local == x && !loop.reg_stale;
  if (!loop.reg_free) return false;
  for (const LocalUse& w : local_writes_)
    if (w.local == x) return false;
  loop.reg_local = x;
  code_[loop.reg_cell].u = x;
  const void* add = handlers_[size_t(IOp::I32Add_ss)];
  const void* add_twin = handlers_[size_t(IOp::I32Add_ss_twin)];
  for (const LocalUse& r : reg_reads_) {  // I32Add_ss D S S -> I32Add_sr D S I(x)
    Cell* c = &code_[r.pos];
    if (r.local == UINT32_MAX) {
      use_register_in_sums(c, x);
      continue;
    }
    if (r.local != x || (c->op != add && c->op != add_twin)) continue;
    if (c[2].u == x) std::swap(c[2].u, c[3].u);
    c->op = handlers_[size_t(c->op == add ? IOp::I32Add_sr : IOp::I32Add_sr_twin)];
  }
  return true;
}

// The _sum instruction just emitted (at last_sum_, ending here) does the same sums with the
// same x as the one about to be emitted (cells p and q), which writes nothing: the two become
// one _sum2, which reads the sums' operands and x once; returns where it begins (SIZE_MAX if
// they cannot). Not across a label: a jump to the second must not skip the first.
size_t FuncCompiler::pair_with_last(IOp form, uint64_t p, uint64_t q) {
  size_t at = last_sum_;
  if (at == SIZE_MAX || at + 5 != here() || label_at_ > at) return SIZE_MAX;
  const void* op = code_[at].op;
  if (op != handlers_[size_t(form)] && op != handlers_[size_t(twin_of(form))]) return SIZE_MAX;
  constexpr uint64_t kOperands = 0xffff0000ffff0000;  // P without the locals written
  if ((code_[at + 1].u & kOperands) != (p & kOperands) || code_[at + 2].u != q) return SIZE_MAX;
  lowest_rewrite_ = std::min(lowest_rewrite_, at);
  code_[at].op =
      handlers_[size_t(form == IOp::F64MulAdd_sum ? IOp::F64MulAdd_sum2 : IOp::F32MulAdd_sum2)];
  last_sum_ = SIZE_MAX;
  return at;
}

// A MulAdd _sum form at c whose sums both add local x (a + x or x + a) takes x from the loop
// register: its _reg form, with x in the i cells.
void FuncCompiler::use_register_in_sums(Cell* c, uint32_t x) {
  static constexpr std::array<std::pair<IOp, IOp>, 6> forms{{
      {IOp::F32MulAdd_sum, IOp::F32MulAdd_sum_reg},
      {IOp::F64MulAdd_sum, IOp::F64MulAdd_sum_reg},
      {IOp::F32MulAdd_sum_twin, IOp::F32MulAdd_sum_reg_twin},
      {IOp::F64MulAdd_sum_twin, IOp::F64MulAdd_sum_reg_twin},
      {IOp::F32MulAdd_sum2, IOp::F32MulAdd_sum2_reg},
      {IOp::F64MulAdd_sum2, IOp::F64MulAdd_sum2_reg},
  }};
  // Sum k's a and i are 16-bit fields of P (c[1]) and Q (c[2]): a at bit 16 + 32k of P, i at
  // bit 16 + 16k of Q. Swaps them if a is x (the sum is commutative); true if i is then x.
  auto adds_x = [&](int k) {
    auto field = [](Cell& cell, int at) { return uint16_t(cell.u >> at); };
    auto set = [](Cell& cell, int at, uint16_t v) {
      cell.u = (cell.u & ~(uint64_t(0xffff) << at)) | uint64_t(v) << at;
    };
    int a_at = 16 + 32 * k, i_at = 16 + 16 * k;
    uint16_t a = field(c[1], a_at), i = field(c[2], i_at);
    if (a == x) {
      set(c[1], a_at, i);
      set(c[2], i_at, a);
    }
    return field(c[2], i_at) == x;
  };
  for (auto [slots, reg] : forms)
    if (c->op == handlers_[size_t(slots)] && adds_x(0) && adds_x(1)) c->op = handlers_[size_t(reg)];
}

// `[ea] = [ea2]`: the value stored is a plain or _add load of the same type just emitted,
// which nothing else reads (I32Move, I64Move). The store's address is a local, a lazy
// address or a value already in its slot, so nothing is emitted between the two.
bool FuncCompiler::fuse_move(IOp store_op, uint64_t offset) {
  uint32_t h = height() - 2;
  IOp load_op = store_op == IOp::I32Store   ? IOp::I32Load
                : store_op == IOp::I64Store ? IOp::I64Load
                : store_op == IOp::F32Store ? IOp::F32Load
                : store_op == IOp::F64Store ? IOp::F64Load
                                            : IOp::Nop;
  if (load_op == IOp::Nop || !fresh(h + 1)) return false;
  if (last_.op != load_op && last_.op != IOp(uint16_t(load_op) + 1)) return false;  // or _add
  const Operand& addr = stack_[h];
  uint64_t base = 0, add = 0;
  if (addr.kind == Operand::Local || addr.kind == Operand::Stack)
    base = addr.kind == Operand::Local ? addr.local : home(h);
  else if (!lazy_address(addr, zero_slot(), base, add))
    return false;
  LastOp load = last_;
  uint32_t load_offset = unemit_last_keep_offset();
  pop(2);
  fn_->later_accesses.push_back({uint32_t(here()), cur_offset_});
  bool wide = store_op == IOp::I64Store || store_op == IOp::F64Store;
  op_at(wide ? IOp::I64Move : IOp::I32Move, load_offset);
  slot(uint32_t(base));
  address_cell(add, offset);
  slot(uint32_t(load.a));
  address_cell(load.b, load.c);
  return true;
}

// Loads and stores take over an address computation (i32.add, or I32AddShl) emitted just
// before them: `o` becomes its _add or _idx form (see iops.def) with the addition's operands.
void FuncCompiler::load(IOp o, uint64_t offset) {
  uint32_t h = height() - 1;
  size_t start = here();
  IOp form = o;
  uint64_t base = 0, add = 0;  // the address, for fusing into an operator (_idx: none)
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    form = IOp(uint16_t(o) + 1);  // the _add form
    op(form);
    emit_result_dst(h);
    slot(uint32_t(base));
    address_cell(add, offset);
  } else if (fresh(h) && is_address_sum(last_.op)) {
    start = last_.start;
    form = access_form(o, last_.op);
    LastOp sum = unemit_last();
    base = sum.a;
    add = sum.b;
    op(form);
    emit_result_dst(h);
    address_cells(sum, offset);
  } else {
    base = slot_of(h);
    op(o);
    emit_result_dst(h);
    slot(uint32_t(base));
    cell(offset);
  }
  pop();
  push_stack();
  finish_value_op(start, form);
  last_.a = base;
  last_.b = add;
  last_.c = offset;
}

void FuncCompiler::store(IOp o, uint64_t offset) {
  if (fuse_read_modify_write(o, offset)) return;
  if (fuse_move(o, offset)) return;
  uint32_t h = height() - 2;
  uint64_t base, add;
  // A constant value is an immediate (the _k forms, 3 and 4 after the plain one in iops.def).
  const Operand value = stack_[h + 1];
  bool k = value.kind == Operand::Const && !value.wide;
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    uint64_t v = k ? value.bits : slot_of(h + 1);  // may materialize: before the instruction
    op(IOp(uint16_t(o) + (k ? 4 : 1)));            // the _add or _addk form
    slot(uint32_t(base));
    address_cell(add, offset);
    cell(v);
    // An address just computed fuses only when nothing was emitted after it: the value is a local.
  } else if (stack_[h + 1].kind == Operand::Local && fresh(h) && is_address_sum(last_.op)) {
    uint32_t v = slot_of(h + 1);
    IOp form = access_form(o, last_.op);
    LastOp sum = unemit_last();
    op(form);
    address_cells(sum, offset);
    slot(v);
  } else {
    uint32_t a = slot_of(h);  // may materialize: before the instruction
    uint64_t v = k ? value.bits : slot_of(h + 1);
    op(k ? IOp(uint16_t(o) + 3) : o);
    slot(a);
    cell(v);
    cell(offset);
  }
  pop(2);
  last_ = LastOp{};
}

void FuncCompiler::set_local(uint32_t x, bool tee) {
  uint32_t h = height() - 1;
  Operand top = stack_[h];
  if (x < still_zero_.size() && still_zero_[x]) {
    if (top.kind == Operand::Const && is_zero(top)) {  // (+0.0 and null are zero too)
      pop();
      if (tee) push_local(x);
      return;
    }
    still_zero_[x] = false;
  }
  if (top.kind == Operand::LocalPlus && top.local == x) {
    // x = x + c: the addition waits (flush_deferred), and until then reads of x take its
    // slot plus c, which loads and stores fold into their address. A loop's pointer bump then
    // no longer sits between the pointer and its next use.
    if (Deferred* d = deferred(x)) {
      d->delta = uint32_t(top.bits);
    } else {
      if (deferred_.size() == kMaxDeferred) flush_deferred();
      deferred_.push_back({x, uint32_t(top.bits), here()});
    }
    pop();
    if (tee) push_local(x);
    return;
  }
  // Fuse: the instruction that just produced the top value writes the local directly.
  bool others_read_x = false;
  for (uint32_t i = 0; i < h; i++)
    if (stack_[i].reads(x)) others_read_x = true;
  if (top.kind == Operand::Stack && last_.end == here() && last_.dst == int64_t(home(h))) {
    if (others_read_x) retire_readers_before_last(x);
    note_write(x, last_.start);
    lowest_rewrite_ = std::min(lowest_rewrite_, last_.dst_cell);
    code_[last_.dst_cell].u = x;
    if (acc_at_ == here() && acc_slot_ == last_.dst) acc_slot_ = x;
    if (last_.op == IOp::I32Add_ss) note_sum(x, last_.a, last_.b, last_.start);
    last_ = LastOp{};
  } else {
    materialize_local(x, h);  // entries still reading the old value keep it
    top = stack_[h];
    if (top.wide) {
      if (!(top.kind == Operand::Local && top.local == x)) {
        note_write(x, here());
        emit_v128_move(x, top, home(h));
      }
    } else if (top.kind == Operand::Const) {
      note_write(x, here());
      op(IOp::Const);
      slot(x);
      cell(top.bits);
      last_ = LastOp{};
    } else if (top.kind == Operand::LocalPlus) {
      emit_local_plus(x, top);  // reads top.local before writing x: fine when they are equal
    } else if (!(top.kind == Operand::Local && top.local == x)) {
      emit_copy(x, top.kind == Operand::Local ? top.local : home(h));
    }
  }
  pop();
  end_deferred(x);  // the slot has x's new value
  if (tee) push_local(x);
}

// x's slot holds its value again: the debugger's record of the lag ends here.
void FuncCompiler::end_deferred(uint32_t x) {
  for (size_t i = 0; i < deferred_.size(); i++) {
    const Deferred d = deferred_[i];
    if (d.local != x) continue;
    if (d.since != here())
      fn_->local_lags.push_back({uint32_t(d.since), uint32_t(here()), d.local, d.delta});
    deferred_.erase(deferred_.begin() + ptrdiff_t(i));
    return;
  }
}

// Emits the deferred additions, oldest first (a loop counter's step, usually deferred last,
// stays next to the compare and branch that fuse with it). Entries reading a lagging slot are
// rebased on the updated one.
void FuncCompiler::flush_deferred() {
  while (!deferred_.empty()) flush_deferred_one(deferred_.front());
}

void FuncCompiler::flush_deferred_one(const Deferred d) {
  emit_local_plus(d.local, {Operand::LocalPlus, d.local, d.delta});
  for (Operand& o : stack_) {  // a Local reads the slot: the value before the addition
    if (!o.reads(d.local)) continue;
    o.bits = uint32_t((o.kind == Operand::LocalPlus ? o.bits : 0) - d.delta);
    o.kind = o.bits == 0 ? Operand::Local : Operand::LocalPlus;
  }
  end_deferred(d.local);
}

// Instructions that map one-to-one onto an internal instruction of the same name: numeric
// operators, loads and stores. The table comes from execute/iops.def.
const SimpleOp& simple_op(Op op) {
  static const auto table = [] {
    std::array<SimpleOp, kOpLimit> t{};
#define OP(n)
#define CMPBR(n)
#define NOTBR(n)
#define UN(n) t[size_t(Op::n)] = {Family::Unary, IOp::n};
#define BIN(n) t[size_t(Op::n)] = {Family::Binary, IOp::n##_ss};
#define LOAD(n) t[size_t(Op::n)] = {Family::Load, IOp::n};
#define STORE(n) t[size_t(Op::n)] = {Family::Store, IOp::n};
#define MEMOP(n, ty)
#define MEMREV(n, ty)
#define MEMNARROW(n)
#define INCBR(n)
#include "execute/iops.def"
    // Binary operators whose operands may swap, so a constant first operand becomes the
    // immediate.
    for (Op op : {Op::I32Eq, Op::I32Ne, Op::I32Add, Op::I32Mul, Op::I32And, Op::I32Or, Op::I32Xor,
                  Op::I64Eq, Op::I64Ne, Op::I64Add, Op::I64Mul, Op::I64And, Op::I64Or, Op::I64Xor})
      t[size_t(op)].commutative = true;
    return t;
  }();
  return table[size_t(op)];
}

const MemForm& mem_form(IOp ss) {
  static const auto table = [] {
    // Every entry set explicitly: g++ 12 -O3 built `t{}` here as all zero bytes, ignoring
    // MemForm's member initializers, so operators without memory forms got IOp 0 (Halt).
    std::array<MemForm, size_t(IOp::Count)> t;
    for (MemForm& f : t) f = MemForm{};
#define OP(n)
#define UN(n)
#define BIN(n)
#define CMPBR(n)
#define NOTBR(n)
#define LOAD(n)
#define STORE(n)
#define INCBR(n)
#define MEMOP(n, ty)       \
  t[size_t(IOp::n##_ss)] = \
      t[size_t(IOp::n##_sm)] = {IOp::n##_sm, IOp::n##_rmw, IOp::ty##Load, IOp::ty##Store};
#define MEMREV(n, ty) t[size_t(IOp::n##_ss)].ms = IOp::n##_ms;
#define MEMNARROW(n) \
  t[size_t(IOp::n##_ss)].narrow = {IOp::n##_sm8s, IOp::n##_sm8u, IOp::n##_sm16s, IOp::n##_sm16u};
#include "execute/iops.def"
    return t;
  }();
  return table[size_t(ss)];
}

uint8_t accumulator_width(IOp o) {
  static const auto table = [] {
    std::array<uint8_t, size_t(IOp::Count)> t{};
    for (IOp f : {IOp::F32Add_ss, IOp::F32Sub_ss, IOp::F32Mul_ss, IOp::F32Div_ss, IOp::F32Min_ss,
                  IOp::F32Max_ss})
      t[size_t(f)] = t[size_t(f) + 1] = 32;  // _ss and _si
    for (IOp f : {IOp::F64Add_ss, IOp::F64Sub_ss, IOp::F64Mul_ss, IOp::F64Div_ss, IOp::F64Min_ss,
                  IOp::F64Max_ss})
      t[size_t(f)] = t[size_t(f) + 1] = 64;
    for (IOp f : {IOp::F32Abs,         IOp::F32Neg,         IOp::F32Sqrt,      IOp::F32ConvertI32S,
                  IOp::F32ConvertI32U, IOp::F32ConvertI64S, IOp::F32DemoteF64, IOp::F32Sub_is,
                  IOp::F32Div_is,      IOp::F32MulAdd,      IOp::F32Add_as,    IOp::F32Add_ai,
                  IOp::F32Sub_as,      IOp::F32Sub_ai,      IOp::F32Mul_as,    IOp::F32Mul_ai,
                  IOp::F32Div_as,      IOp::F32Div_ai,      IOp::F32Sqrt_a,    IOp::F32Neg_a,
                  IOp::F32Abs_a})
      t[size_t(f)] = 32;
    for (IOp f : {IOp::F64Abs,         IOp::F64Neg,         IOp::F64Sqrt,       IOp::F64ConvertI32S,
                  IOp::F64ConvertI32U, IOp::F64ConvertI64S, IOp::F64PromoteF32, IOp::F64Sub_is,
                  IOp::F64Div_is,      IOp::F64MulAdd,      IOp::F64Add_as,     IOp::F64Add_ai,
                  IOp::F64Sub_as,      IOp::F64Sub_ai,      IOp::F64Mul_as,     IOp::F64Mul_ai,
                  IOp::F64Div_as,      IOp::F64Div_ai,      IOp::F64Sqrt_a,     IOp::F64Neg_a,
                  IOp::F64Abs_a})
      t[size_t(f)] = 64;
    return t;
  }();
  return table[size_t(o)];
}

IOp accumulator_form(IOp o) {
  static const auto table = [] {
    std::array<IOp, size_t(IOp::Count)> t;
    t.fill(IOp::Nop);
#define ACC_BIN(n) t[size_t(IOp::n##_ss)] = IOp::n##_as, t[size_t(IOp::n##_si)] = IOp::n##_ai;
#define ACC_UN(n) t[size_t(IOp::n)] = IOp::n##_a;
#include "execute/acc_iops.def"
    return t;
  }();
  return table[size_t(o)];
}

// The width of the accumulator an accumulator form reads (its name says: F32... or F64...).
uint8_t accumulator_read(IOp acc) {
  static const auto table = [] {
    std::array<uint8_t, size_t(IOp::Count)> t{};
#define ACC_BIN(n) t[size_t(IOp::n##_as)] = t[size_t(IOp::n##_ai)] = #n[1] == '3' ? 32 : 64;
#define ACC_UN(n) t[size_t(IOp::n##_a)] = #n[1] == '3' ? 32 : 64;
#include "execute/acc_iops.def"
    return t;
  }();
  return table[size_t(acc)];
}

// A float operator with its operands the other way round (add, mul, and the compares turned
// around: a < b is b > a), or Nop. Swapped, add and mul differ only in which NaN payload wins
// when both operands are NaN, which the spec leaves to the engine.
IOp swapped_form(IOp ss) {
  switch (ss) {
    case IOp::F32Add_ss:
    case IOp::F32Mul_ss:
    case IOp::F32Eq_ss:
    case IOp::F32Ne_ss:
    case IOp::F64Add_ss:
    case IOp::F64Mul_ss:
    case IOp::F64Eq_ss:
    case IOp::F64Ne_ss:
      return ss;
    case IOp::F32Lt_ss:
      return IOp::F32Gt_ss;
    case IOp::F32Gt_ss:
      return IOp::F32Lt_ss;
    case IOp::F32Le_ss:
      return IOp::F32Ge_ss;
    case IOp::F32Ge_ss:
      return IOp::F32Le_ss;
    case IOp::F64Lt_ss:
      return IOp::F64Gt_ss;
    case IOp::F64Gt_ss:
      return IOp::F64Lt_ss;
    case IOp::F64Le_ss:
      return IOp::F64Ge_ss;
    case IOp::F64Ge_ss:
      return IOp::F64Le_ss;
    default:
      return IOp::Nop;
  }
}

// The _is form of a non-commutative operator (constant first), or `ss` itself if it has none.
IOp reversed_form(IOp ss) {
  switch (ss) {
    case IOp::I32Sub_ss:
      return IOp::I32Sub_is;
    case IOp::I64Sub_ss:
      return IOp::I64Sub_is;
    case IOp::I32Shl_ss:
      return IOp::I32Shl_is;
    case IOp::F32Sub_ss:
      return IOp::F32Sub_is;
    case IOp::F64Sub_ss:
      return IOp::F64Sub_is;
    case IOp::F32Div_ss:
      return IOp::F32Div_is;
    case IOp::F64Div_ss:
      return IOp::F64Div_is;
    default:
      return ss;
  }
}

inline void FuncCompiler::simple(const Instr& in) {
  const SimpleOp& s = simple_op(in.op);
  switch (s.family) {
    case Family::Unary:
      unary(s.iop);
      break;
    case Family::Binary:
      binary(s.iop, s.commutative);
      break;
    case Family::Load:
      load(s.iop, in.imm);
      break;
    case Family::Store:
      store(s.iop, in.imm);
      break;
    case Family::None:
      break;  // the validator admits no other instruction
  }
}

// Instructions that may run while additions to locals are deferred: they read locals only
// through the operand stack, and neither branch, nor call, nor compare (a compare must see a
// loop counter's step just before it, to fuse with it). Anything else runs after the flush.
static bool is_compare(Op op) { return uint16_t(op) >= 0x45 && uint16_t(op) <= 0x66; }

static bool keeps_deferred(Op op) {
  uint16_t c = uint16_t(op);
  return c == 0x1A ||                 // drop
         (c >= 0x20 && c <= 0x22) ||  // local.get, local.set, local.tee
         (c >= 0x28 && c <= 0x3E) ||  // loads and stores
         (c >= 0x41 && c <= 0x44) ||  // constants
         (c >= 0x67 && c <= 0xC4);    // arithmetic and conversions (the compares are below)
}

// On the straight-line code from a loop's header: which locals are written before being read.
void FuncCompiler::scan_loop_header(const Instr& in) {
  Control& c = ctrl_.back();
  bool is_get = in.op == Op::LocalGet, is_set = in.op == Op::LocalSet || in.op == Op::LocalTee;
  if (!is_get && !is_set) {
    if (!keeps_deferred(in.op) && !is_compare(in.op)) c.scanning = false;
    return;
  }
  uint32_t x = local_slot_[in.a];
  if (std::find(scan_seen_.begin(), scan_seen_.end(), x) != scan_seen_.end()) return;
  scan_seen_.push_back(x);
  if (is_set) {  // the write's end is set once it is translated
    loop_writes_.push_back({x, SIZE_MAX});
    c.writes_end++;
  }
}

// Emits the deferred additions that `in` needs first. A br_if back to a loop keeps those of
// the locals the loop writes before reading them: they are dead on that path, and stay
// deferred on the path that falls through. A compare keeps the same ones for the br_if that
// usually follows it, and emits those of the locals it reads last, so that a loop counter's
// step still fuses with the compare and the branch. Anything else emits them all.
void FuncCompiler::flush_for(const Instr& in) {
  bool compare = is_compare(in.op);
  const Control* loop = nullptr;
  if (in.op == Op::BrIf) {
    loop = &ctrl_[ctrl_.size() - 1 - in.a];
  } else if (compare) {
    for (size_t i = ctrl_.size(); i-- > 0 && !loop;)
      if (ctrl_[i].op == Op::Loop) loop = &ctrl_[i];
  }
  if (loop && loop->op != Op::Loop) loop = nullptr;
  // Each deferred local's fate: 0 emit now, 1 emit last (the compare reads it), 2 keep.
  std::array<uint8_t, kMaxDeferred> fate{};
  std::array<uint32_t, kMaxDeferred> local{};
  size_t n = deferred_.size();
  for (size_t k = 0; k < n; k++) {
    const Deferred& d = deferred_[k];
    local[k] = d.local;
    for (uint32_t i = height() >= 2 ? height() - 2 : 0; compare && i < height(); i++)
      if (stack_[i].reads(d.local)) fate[k] = 1;
    const LoopWrite* w = loop ? writes_first(*loop, d.local) : nullptr;
    if (!w || fate[k] == 1) continue;
    fate[k] = 2;
    if (in.op != Op::BrIf) continue;
    // Arriving at the header this way, the local's slot lags until the loop writes it.
    LocalLag dead{uint32_t(loop->loop_start), uint32_t(w->end), d.local, 0, true};
    auto& all = fn_->local_lags;
    if (std::find(all.begin(), all.end(), dead) == all.end()) all.push_back(dead);
  }
  for (uint8_t pass = 0; pass < 2; pass++)
    for (size_t k = 0; k < n; k++)
      if (fate[k] == pass) flush_deferred_one(*deferred(local[k]));
}

void FuncCompiler::translate(const Instr& in) {
  cur_offset_ = in.offset;
  // Unreachable code is skipped; only block structure is followed.
  if (ctrl_.back().unreachable) {
    switch (in.op) {
      case Op::Block:
      case Op::Loop:
      case Op::If:
      case Op::Try:
        dead_depth_++;
        return;
      case Op::Else:
        if (dead_depth_ == 0) else_arm();
        return;
      case Op::Catch:
      case Op::CatchAll:
        if (dead_depth_ == 0) catch_arm(in.op == Op::Catch ? in.a : kCatchAll);
        return;
      case Op::End:
      case Op::Delegate:
        if (dead_depth_ > 0)
          dead_depth_--;
        else if (in.op == Op::Delegate)
          delegate(in.a);
        else
          end_block();
        return;
      default:
        return;
    }
  }
  size_t writes_before = loop_writes_.size();
  if (ctrl_.back().scanning) scan_loop_header(in);
  if (!deferred_.empty() && !keeps_deferred(in.op)) flush_for(in);
  uint32_t h = height();
  switch (in.op) {
    case Op::Unreachable:
      op(IOp::Unreachable);
      last_ = LastOp{};
      mark_unreachable();
      break;
    case Op::Nop:
      break;
    case Op::Block:
      enter_block(Op::Block, in.block);
      break;
    case Op::Loop:
      enter_block(Op::Loop, in.block);
      break;
    case Op::If: {
      Control c;
      c.op = Op::If;
      block_signature(in.block, c.params, c.results);
      materialize_all_locals();
      for (uint32_t k = h - 1 - c.params; k < h - 1; k++) materialize(k);
      Control jump;  // to the else arm (or the end) when the condition is false
      conditional_jump(jump, false);
      c.else_fixup = jump.fixup_head;  // its one fixup
      c.height = height() - c.params;
      c.handler_inside = current_handler_;
      ctrl_.push_back(std::move(c));
      break;
    }
    case Op::Else:
      else_arm();
      break;
    case Op::End:
      end_block();
      break;
    case Op::Try:
      enter_try(in.block);
      break;
    case Op::Catch:
      catch_arm(in.a);
      break;
    case Op::CatchAll:
      catch_arm(kCatchAll);
      break;
    case Op::Delegate:
      delegate(in.a);
      break;
    case Op::Throw:
      throw_exception(in.a);
      break;
    case Op::Rethrow:
      rethrow(in.a);
      break;
    case Op::Br:
      branch(in.a);
      break;
    case Op::BrIf:
      branch_if(in.a);
      break;
    case Op::BrTable:
      branch_table(in);
      break;
    case Op::Return:
      emit_return();
      mark_unreachable();
      break;
    case Op::Call:
      call(in.a);
      break;
    case Op::CallIndirect:
      call_indirect(in.a, in.b);
      break;
    case Op::ReturnCall:
      return_call(in.a);
      mark_unreachable();
      break;
    case Op::ReturnCallIndirect:
      return_call_indirect(in.a, in.b);
      mark_unreachable();
      break;
    case Op::Drop:
      pop();
      break;
    case Op::Select:
    case Op::SelectT: {
      // Constant values stay immediates: Select (slots), SelectI_ (first immediate),
      // Select_I (second), SelectII (both), in that order in iops.def.
      const Operand x = stack_[h - 3], y = stack_[h - 2];
      if (x.wide) {
        ternary(IOp::V128Select);
        break;
      }
      if (fuse_select_compare(h)) break;
      bool xi = x.kind == Operand::Const, yi = y.kind == Operand::Const;
      uint32_t c = slot_of(h - 1);
      uint64_t b = yi ? y.bits : slot_of(h - 2), a = xi ? x.bits : slot_of(h - 3);
      size_t start = here();
      op(IOp(uint16_t(IOp::Select) + (xi ? 1 : 0) + (yi ? 2 : 0)));
      emit_result_dst(h - 3);
      cell(a);
      cell(b);
      slot(c);
      pop(3);
      push_stack();
      finish_value_op(start, IOp::Select);
      break;
    }
    case Op::LocalGet:
      push_local(local_slot_[in.a]);
      break;
    case Op::LocalSet:
    case Op::LocalTee:
      set_local(local_slot_[in.a], in.op == Op::LocalTee);
      if (loop_writes_.size() > writes_before) loop_writes_.back().end = here();
      break;
    case Op::GlobalGet:
    case Op::RefFunc: {  // D I(index)
      IOp o = in.op == Op::RefFunc                          ? IOp::RefFunc
              : m_.global_space[in.a].type == ValType::V128 ? IOp::V128GlobalGet
                                                            : IOp::GlobalGet;
      size_t start = here();
      push_stack();
      op(o);
      emit_result_dst(h);
      cell(in.a);
      finish_value_op(start, o);
      break;
    }
    case Op::GlobalSet: {
      if (fuse_global_set(in.a)) break;
      uint32_t s = slot_of(h - 1);
      op(stack_[h - 1].wide ? IOp::V128GlobalSet : IOp::GlobalSet);
      cell(in.a);
      slot(s);
      pop();
      last_ = LastOp{};
      break;
    }
    case Op::TableGet: {
      uint32_t i = slot_of(h - 1);
      size_t start = here();
      op(IOp::TableGet);
      emit_result_dst(h - 1);
      cell(in.a);
      slot(i);
      pop();
      push_stack();
      finish_value_op(start, IOp::TableGet);
      break;
    }
    case Op::TableSet: {
      uint32_t v = slot_of(h - 1), i = slot_of(h - 2);
      op(IOp::TableSet);
      cell(in.a);
      slot(i);
      slot(v);
      pop(2);
      last_ = LastOp{};
      break;
    }
    case Op::MemorySize: {
      push_stack();
      op(IOp::MemorySize);
      slot(home(h));
      cell(in.a);
      last_ = LastOp{};
      break;
    }
    case Op::MemoryGrow: {
      uint32_t n = slot_of(h - 1);
      op(is64(in.a) ? IOp::MemoryGrow64 : IOp::MemoryGrow);
      slot(home(h - 1));
      slot(n);
      cell(in.a);
      pop();
      push_stack();
      last_ = LastOp{};
      break;
    }
    case Op::I32Const:
      push_const(uint32_t(in.imm));
      break;
    case Op::I64Const:
    case Op::F64Const:
    case Op::F32Const:
      push_const(in.imm);
      break;
    case Op::RefNull:
      push_const(0);
      break;
    case Op::RefIsNull:
      unary(IOp::RefIsNull);
      break;
    // Bulk memory and tables: operands are all in slots.
    case Op::MemoryInit:
    case Op::MemoryCopy:
    case Op::MemoryFill:
    case Op::TableCopy:
    case Op::TableInit:
    case Op::TableFill: {
      uint32_t s3 = slot_of(h - 1), s2 = slot_of(h - 2), s1 = slot_of(h - 3);
      switch (in.op) {
        case Op::MemoryInit:  // memory64: the _64 forms read their operands' 64 bits
          op(is64(in.b) ? IOp::MemoryInit64 : IOp::MemoryInit);
          cell(in.a);
          cell(in.b);
          break;
        case Op::MemoryCopy:
          op(is64(in.a) || is64(in.b) ? IOp::MemoryCopy64 : IOp::MemoryCopy);
          cell(in.a);
          cell(in.b);
          break;
        case Op::MemoryFill:
          op(is64(in.a) ? IOp::MemoryFill64 : IOp::MemoryFill);
          cell(in.a);
          break;
        case Op::TableCopy:
          op(IOp::TableCopy);
          cell(in.a);
          cell(in.b);
          break;
        case Op::TableInit:
          op(IOp::TableInit);
          cell(in.b);
          cell(in.a);
          break;
        default:
          op(IOp::TableFill);
          cell(in.a);
          break;
      }
      slot(s1);
      slot(s2);
      slot(s3);
      pop(3);
      last_ = LastOp{};
      break;
    }
    case Op::DataDrop:
      op(IOp::DataDrop);
      cell(in.a);
      last_ = LastOp{};
      break;
    case Op::ElemDrop:
      op(IOp::ElemDrop);
      cell(in.a);
      last_ = LastOp{};
      break;
    case Op::TableSize: {
      push_stack();
      op(IOp::TableSize);
      slot(home(h));
      cell(in.a);
      last_ = LastOp{};
      break;
    }
    case Op::TableGrow: {
      uint32_t n = slot_of(h - 1), init = slot_of(h - 2);
      op(IOp::TableGrow);
      slot(home(h - 2));
      cell(in.a);
      slot(init);
      slot(n);
      pop(2);
      push_stack();
      last_ = LastOp{};
      break;
    }
    // Reinterpretations change no bits: the value stays where it is.
    case Op::I32ReinterpretF32:
    case Op::I64ReinterpretF64:
    case Op::F32ReinterpretI32:
    case Op::F64ReinterpretI64:
      break;
    default:
      if ((in.b != 0 || memory64_) &&
          (op_immediate(in.op) == Imm::Mem || op_immediate(in.op) == Imm::MemLane))
        other_memory_access(in);
      else if (is_simd(in.op))
        simd(in);
      else
        simple(in);
      break;
  }
}

// Multi-memory: a load or store of a memory other than 0 runs as UseMemory N, the access, and
// UseMemory0, so the hot handlers keep one memory register pair (memory 0's). Nothing fuses
// into or across the access: last_ is cleared on both sides.
// The three are one instruction for the debugger (one offset entry): a stop between them would
// resume with memory 0's registers. An access to a 64-bit memory (0 or another) gets its
// address from Mem64Addr first (memory64_address), one instruction with the access too.
void FuncCompiler::other_memory_access(const Instr& in) {
  bool other = in.b != 0;
  size_t entries = SIZE_MAX;
  if (other) {
    op(IOp::UseMemory);
    entries = offsets_->size();
    cell(in.b);
    last_ = LastOp{};
  }
  Instr access = in;
  if (is64(in.b)) {
    memory64_address(in);
    entries = std::min(entries, offsets_->size());
    access.imm = 0;
  }
  if (is_simd(in.op))
    simd(access);
  else
    simple(access);
  if (other) {
    op(IOp::UseMemory0);
    last_ = LastOp{};
  }
  if (entries != SIZE_MAX) offsets_->resize(entries);
}

// memory64: the address operand of an access to a 64-bit memory becomes its effective address
// (Mem64Addr D S I(offset): S + offset, a trap if the sum passes the memory's end or 2^64), and
// the access runs as any other, with offset 0. A Glint memory is at most 4 GiB, so an address in
// bounds fits the 32 bits the access handlers read: the 32-bit path is the same code as before,
// and a 64-bit access pays one more dispatch. Nothing fuses with the Mem64Addr.
void FuncCompiler::memory64_address(const Instr& in) {
  uint32_t operands = 1;  // the address, under a store's value or a lane access's vector
  if (is_simd(in.op)) {
    for (const char* sig = kOpTable[uint16_t(in.op)].sig; sig[operands] != '>';) operands++;
  } else if (simple_op(in.op).family == Family::Store) {
    operands = 2;
  }
  uint32_t at = height() - operands;
  uint32_t address = slot_of(at);
  op(IOp::Mem64Addr);
  slot(home(at));
  slot(address);
  cell(in.imm);
  stack_[at] = Operand{};
  last_ = LastOp{};
}

void FuncCompiler::begin_body(uint32_t defined_index) {
  const FuncBody& body = m_.bodies[defined_index];
  uint32_t func_index = m_.num_imported_funcs + defined_index;
  const FuncType& type = m_.func_type(func_index);
  fn_ = &cm_.funcs[defined_index];
  fn_->func_index = func_index;
  type_ = &type;
  fn_->local_types = type.params;
  fn_->local_types.insert(fn_->local_types.end(), body.locals.begin(), body.locals.end());
  // Slots: a v128 takes two. Without one, every local's slot is its index.
  local_slot_.clear();
  uint32_t slots = 0;
  for (ValType t : fn_->local_types) {
    if (t == ValType::V128) need_simd(body.body_offset);
    local_slot_.push_back(slots);
    slots += t == ValType::V128 ? 2 : 1;
  }
  fn_->local_slots.clear();
  if (slots != fn_->local_types.size()) fn_->local_slots = local_slot_;
  fn_->num_params = uint32_t(slot_count(type.params));
  fn_->num_results = uint32_t(slot_count(type.results));
  fn_->num_locals = slots;
  num_locals_ = slots;
  fn_->zeroed_slots = num_locals_ + 1;  // declared locals and the zero slot
  offsets_ = &fn_->offsets;
  stack_.clear();
  ctrl_.clear();
  targets_.clear();
  max_slot_ = stack_base();
  v128_consts_.clear();
  v128_body_ = m_.v128_types || std::memchr(m_.bytes.data() + body.code_begin, 0xFD,
                                            body.code_end - body.code_begin) != nullptr;
  dead_depth_ = 0;
  current_handler_ = kNoHandler;
  catch_depth_ = 0;
  fn_->handlers.clear();
  fn_->handler_ranges.clear();
  last_ = LastOp{};
  increment_ = Increment{};
  product_ = Product{};
  deferred_.clear();
  loop_writes_.clear();
  innermost_loop_ = SIZE_MAX;
  body_end_ = body.code_end;
  reg_reads_.clear();
  local_writes_.clear();
  sums_.clear();
  last_sum_ = SIZE_MAX;
  label_at_ = 0;
  acc_at_ = SIZE_MAX;
  global_add_ = {};  // an earlier body's GlobalGetAdd is not this one's
  still_zero_.assign(num_locals_, true);
  std::fill_n(still_zero_.begin(), fn_->num_params, false);

  Control body_ctrl;
  body_ctrl.results = uint32_t(type.results.size());
  ctrl_.push_back(body_ctrl);
  size_t body_size = body.code_end - body.code_begin;
  code_.start(body_size * 2);  // measured: about 1.5 cells per byte of wasm
  offsets_->reserve(body_size / 2);
}

void FuncCompiler::end_body() {
  // Frame: locals, the deepest operand stack, and scratch for multi-value returns.
  uint32_t returns = type_->results.size() > 1 ? fn_->num_results : 0;
  // Room for a call's last chunk of argument copies past the deepest home slot, and for the
  // chunks that zero the locals.
  uint32_t zeroed = fn_->zeroed_slots - fn_->num_params;
  uint32_t zero_end = fn_->num_params + (zeroed + kZeroChunk - 1) / kZeroChunk * kZeroChunk;
  fn_->frame_slots =
      std::max({max_slot_ + returns, fn_->num_results, max_slot_ + kArgChunk, zero_end});
  code_.finish(fn_->code);
  std::vector<Cell>& code = fn_->code;
  for (size_t t : targets_) code[t].target = code.data() + code[t].u;
}

}  // namespace glint::detail
