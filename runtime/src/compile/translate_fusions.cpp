// The translator's fusion matchers: each looks at the instruction just emitted (last_) and the
// one about to be, and when they form a known idiom puts one fused instruction in their place
// (see runtime/DESIGN.md, "Slot code", for the list and what each measured). The two that
// binary() calls on every operator (memory operand, multiply-add) stay inline in translate.cpp.
#include "compile/compiler.h"
#include "compile/func_compiler.h"

namespace glint::detail {

// The i32 Select<cmp>_ss form with its compare's operands swapped (Eq stays Eq), or Nop.
static IOp turned_select(IOp select) {
  switch (select) {
    case IOp::SelectI32Eq_ss:
      return IOp::SelectI32Eq_ss;
    case IOp::SelectI32LtS_ss:
      return IOp::SelectI32GtS_ss;
    case IOp::SelectI32GtS_ss:
      return IOp::SelectI32LtS_ss;
    case IOp::SelectI32LtU_ss:
      return IOp::SelectI32GtU_ss;
    case IOp::SelectI32GtU_ss:
      return IOp::SelectI32LtU_ss;
    default:
      return IOp::Nop;
  }
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
  IOp select = IOp(uint16_t(form->select) + (c.imm ? 1 : 0));
  // The compare's operand just computed is read from the integer accumulator (_as, _ai): the
  // second one with the compare turned around (b > a for a < b).
  int64_t a = c.a, b = c.b;
  IOp turned = turned_select(select);
  if (!c.imm && turned != IOp::Nop && !in_int_accumulator(uint64_t(a)) &&
      in_int_accumulator(uint64_t(b))) {
    std::swap(a, b);
    select = turned;
  }
  op(reading_int_accumulator(select, uint64_t(a)));
  emit_result_dst(h - 3);
  slot(form->swap ? ys : xs);
  slot(form->swap ? xs : ys);
  cell(a);
  cell(b);
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
  // The integer accumulator: the shift's input or the other operand, whichever the instruction
  // before the shift left there (an index just loaded, or a base).
  op(in_int_accumulator(other)   ? IOp::I32AddShl_a
     : in_int_accumulator(shl.a) ? IOp::I32AddShl_ia
                                 : IOp::I32AddShl);
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

// `(x << k) + c` (or `- c`), the shift just emitted and c a constant: one I32ShlAdd, the
// address of a static array's element (`table[i]`: C's globals sit at constant addresses), which
// a load right after takes in as its _tbl form (FuncCompiler::load).
bool FuncCompiler::fuse_shl_add(IOp ss, uint32_t h) {
  if (last_.op != IOp::I32Shl_si) return false;
  uint32_t c;
  if (fresh(h) && stack_[h + 1].kind == Operand::Const) {
    c = uint32_t(stack_[h + 1].bits);
    if (ss == IOp::I32Sub_ss) c = 0 - c;
  } else if (ss == IOp::I32Add_ss && fresh(h + 1) && stack_[h].kind == Operand::Const) {
    c = uint32_t(stack_[h].bits);
  } else {
    return false;
  }
  return fuse_shift_constant(IOp::I32ShlAdd, h, c, /*count_high=*/true);
}

// `(x >> k) & m`, the shift just emitted and m a constant: one I32ShrAnd, the bit field
// extraction of instruction decoders, bit readers and packed colors.
bool FuncCompiler::fuse_bit_field(uint32_t h) {
  if (last_.op != IOp::I32ShrU_si) return false;
  uint32_t mask;
  if (fresh(h) && stack_[h + 1].kind == Operand::Const) {
    mask = uint32_t(stack_[h + 1].bits);
  } else if (fresh(h + 1) && stack_[h].kind == Operand::Const) {
    mask = uint32_t(stack_[h].bits);
  } else {
    return false;
  }
  return fuse_shift_constant(IOp::I32ShrAnd, h, mask, /*count_high=*/false);
}

// `x & (x - 1)`, the i64.add of x and -1 just emitted and x itself (a lazy local, so its slot
// still holds the value the add read): one I64ClearLow, the step of a loop over a mask's set
// bits (zstd's row match finder: `matches &= matches - 1`) and the power-of-two test.
bool FuncCompiler::fuse_clear_lowest(uint32_t h) {
  bool minus_one = (last_.op == IOp::I64Add_si && last_.b == ~uint64_t(0)) ||
                   (last_.op == IOp::I64Sub_si && last_.b == 1);
  if (!minus_one) return false;
  uint32_t other = fresh(h) ? h + 1 : fresh(h + 1) ? h : UINT32_MAX;
  if (other == UINT32_MAX) return false;
  const Operand& x = stack_[other];
  if (x.kind != Operand::Local || x.local != last_.a) return false;
  LastOp add = replace_last(IOp::I64ClearLow, h);
  clear_low_at_ = add.start;
  slot(uint32_t(add.a));
  finish_binary(add.start, IOp::I64ClearLow);
  last_.a = add.a;
  return true;
}

// `x ^ (x << k)` or `x ^ (x >> k)` (shr_u), the shift by a constant just emitted and x itself (a
// lazy local, so its slot still holds the value the shift read): one I32XorShl/I32XorShrU
// (I64 likewise), an xorshift generator's step or a hash finalizer's (`h ^= h >> 16`). Chained
// steps (`x ^= x << 13; x ^= x >> 17`) read the one before from the integer accumulator.
bool FuncCompiler::fuse_xor_shift(IOp ss, uint32_t h) {
  bool i32 = ss == IOp::I32Xor_ss;
  IOp fused = last_.op == (i32 ? IOp::I32Shl_si : IOp::I64Shl_si)
                  ? (i32 ? IOp::I32XorShl : IOp::I64XorShl)
              : last_.op == (i32 ? IOp::I32ShrU_si : IOp::I64ShrU_si)
                  ? (i32 ? IOp::I32XorShrU : IOp::I64XorShrU)
                  : IOp::Nop;
  if (fused == IOp::Nop) return false;
  uint32_t other = fresh(h) ? h + 1 : fresh(h + 1) ? h : UINT32_MAX;
  if (other == UINT32_MAX) return false;
  const Operand& x = stack_[other];
  if (x.kind != Operand::Local || x.local != last_.a) return false;
  uint64_t count = last_.b & (i32 ? 31 : 63);
  LastOp shift = replace_last(fused, h, i32 ? int64_t(last_.a) : -1);
  return end_shift_fusion(fused, shift, count);
}

// A fusion that took over the shift just emitted ends with the shifted slot and `imm` (the
// count, alone or packed with a constant) as its cells.
bool FuncCompiler::end_shift_fusion(IOp fused, const LastOp& shift, uint64_t imm) {
  slot(uint32_t(shift.a));
  cell(imm);
  finish_binary(shift.start, fused);
  last_.a = shift.a;
  last_.b = imm;
  last_.imm = true;
  return true;
}

// The I64ClearLow that ends here, if it wrote slot s (its own destination, or the local a
// `local.tee` fused into it: the tee leaves no last_), with no label after its start.
LastOp FuncCompiler::clear_low_read_by(uint64_t s) {
  LastOp l;
  size_t at = clear_low_at_;
  if (at == SIZE_MAX || at + 3 != here() || label_at_ > at) return l;
  if (code_[at].op != handlers_[size_t(IOp::I64ClearLow)] || code_[at + 1].u != s) return l;
  l.start = at;
  l.end = here();
  l.op = IOp::I64ClearLow;
  l.dst = int64_t(s);
  l.a = code_[at + 2].u;
  return l;
}

// The shift just emitted (`x << k`, `x >> k`) and a constant c become `fused`, one cell holding
// both: k in its high half and c in the low one, or the other way round.
bool FuncCompiler::fuse_shift_constant(IOp fused, uint32_t h, uint32_t c, bool count_high) {
  // (Its accumulator form, if it has one, reads x from the integer accumulator.)
  LastOp shift = replace_last(fused, h, int64_t(last_.a));
  uint64_t count = shift.b & 31;
  uint64_t k = count_high ? c | count << 32 : count | uint64_t(c) << 32;
  return end_shift_fusion(fused, shift, k);
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
  const void* add_acc = handlers_[size_t(IOp::I32Add_as)];  // its slots are current too
  for (int n = 0; n < 2; n++) {
    for (const SlotSum& s : {sum, sum2}) {
      const SlotSum* k = known_sum(s.d);
      const void* op = k ? code_[k->pos].op : nullptr;
      if (k && k->added && k->pos + 4 == here() && (op == add || op == add_twin || op == add_acc)) {
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
    // (An I32Add_as read one operand from the integer accumulator: its slot is current too.)
    bool acc = c->op == handlers_[size_t(IOp::I32Add_as)];
    if (r.local != x || (c->op != add && c->op != add_twin && !acc)) continue;
    if (c[2].u == x) std::swap(c[2].u, c[3].u);
    c->op = handlers_[size_t(c->op == add_twin ? IOp::I32Add_sr_twin : IOp::I32Add_sr)];
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
  bool wide = store_op == IOp::I64Store || store_op == IOp::F64Store;
  if (pair_moves(wide, base, load.a, add | offset << 32, load.b | load.c << 32, load_offset))
    return true;
  fn_->later_accesses.push_back({uint32_t(here()), cur_offset_});
  last_move_ = here();
  op_at(wide ? IOp::I64Move : IOp::I32Move, load_offset);
  slot(uint32_t(base));
  address_cell(add, offset);
  slot(uint32_t(load.a));
  address_cell(load.b, load.c);
  return true;
}

// A move right after a move of the same width with the same two bases (`[p] = [q]; [p + 8] =
// [q + 8]`: a 16-byte struct or element copied as two words) joins it: the pair is one Move2,
// which reads the bases once. The first's accesses come first, as in wasm; a trap names which
// of the four failed (later_accesses). Not across a label.
bool FuncCompiler::pair_moves(bool wide, uint64_t to, uint64_t from, uint64_t to_add,
                              uint64_t from_add, uint32_t load_offset) {
  size_t at = last_move_;
  if (at == SIZE_MAX || at + 5 != here() || label_at_ > at) return false;
  IOp plain = wide ? IOp::I64Move : IOp::I32Move;
  const void* op = code_[at].op;
  if (op != handlers_[size_t(plain)] && op != handlers_[size_t(twin_of(plain))]) return false;
  if (code_[at + 1].u != to || code_[at + 3].u != from) return false;
  lowest_rewrite_ = std::min(lowest_rewrite_, at);
  code_[at].op = handlers_[size_t(wide ? IOp::I64Move2 : IOp::I32Move2)];
  fn_->later_accesses.push_back({uint32_t(at), load_offset});
  fn_->later_accesses.push_back({uint32_t(at), cur_offset_});
  cell(to_add);
  cell(from_add);
  last_move_ = SIZE_MAX;
  return true;
}

}  // namespace glint::detail
