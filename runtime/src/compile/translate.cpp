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
  fcmp_before_eqz_ = o == IOp::I32Eqz && fresh(h) && last_.is_fcmp ? last_ : LastOp{};
  clear_before_eqz_ = o == IOp::I64Eqz ? clear_low_read_by(slot_of(h)) : LastOp{};
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

// Which binary operators (_ss forms) are compares: a table, as binary() runs for every one.
enum : uint8_t { kNotCompare, kIntCompare, kFloatCompare };
constexpr auto kCompareKind = [] {
  std::array<uint8_t, size_t(IOp::Count)> t{};
  auto set = [&t](IOp first, IOp last, uint8_t kind) {
    for (size_t o = size_t(first); o <= size_t(last); o++) t[o] = kind;
  };
  set(IOp::I32Eq_ss, IOp::I32GeU_ss, kIntCompare);
  set(IOp::I64Eq_ss, IOp::I64GeU_ss, kIntCompare);
  set(IOp::F32Eq_ss, IOp::F32Ge_ss, kFloatCompare);
  set(IOp::F64Eq_ss, IOp::F64Ge_ss, kFloatCompare);
  return t;
}();

void FuncCompiler::binary(IOp ss, bool commutative) {
  uint32_t h = height() - 2;
  if (lazy_add(ss)) return;
  if (last_.op == IOp::GlobalGet && fuse_global_add(ss, h)) return;  // its first test, inline
  if ((ss == IOp::I32Add_ss || ss == IOp::I32Sub_ss) && fuse_shl_add(ss, h)) return;
  if (ss == IOp::I32Add_ss && fuse_add_shl(h)) return;
  if ((ss == IOp::I32ShrS_ss || ss == IOp::I32ShrU_ss) && fuse_shift_pair(ss, h)) return;
  if (ss == IOp::I32And_ss && fuse_bit_field(h)) return;
  if (ss == IOp::I64And_ss && fuse_clear_lowest(h)) return;
  if ((ss == IOp::I32Xor_ss || ss == IOp::I64Xor_ss) && fuse_xor_shift(ss, h)) return;
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
      // `1.0 / v`, `1.0 - v` of the float value just computed: from the accumulator.
      IOp facc = accumulator_second_form(reversed);
      bool from_acc = facc != IOp::Nop && in_accumulator(a, accumulator_read(facc));
      op(from_acc ? facc : reading_int_accumulator(reversed, a));
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
    // `x - v`, `x / v`: sub and div, which cannot swap, read their second operand there.
    if (acc == IOp::Nop && !imm && in_accumulator(uint32_t(b), w))
      acc = accumulator_second_form(ss);
    // `x * x`, `x + x`: both operands from the accumulator.
    if (acc != IOp::Nop && !imm && b == a && accumulator_same_form(ss) != IOp::Nop)
      acc = accumulator_same_form(ss);
  } else if (int_accumulator_form(ss) != IOp::Nop) {
    // The integer accumulator, the same way: a commutative operator takes its second operand
    // from it by swapping.
    if (!imm && commutative && !in_int_accumulator(a) && in_int_accumulator(b)) {
      uint32_t first = uint32_t(b);
      b = a;
      a = first;
    }
    if (in_int_accumulator(a)) acc = int_accumulator_form(ss);
    // A non-commutative one reads its second operand there (`x - [p]`, `x << n`).
    else if (!imm && in_int_accumulator(b))
      acc = int_accumulator_second_form(ss);
  }
  IOp o = imm ? IOp(uint16_t(ss) + 1) : ss;
  op(acc == IOp::Nop ? o : imm ? IOp(uint16_t(acc) + 1) : acc);
  emit_result_dst(h);
  slot(a);
  cell(b);
  finish_binary(start, o);
  if (o == IOp::I32Add_ss) note_add(start, a, uint32_t(b));
  last_.is_fcmp = kCompareKind[size_t(ss)] == kFloatCompare;
  last_.is_cmp = kCompareKind[size_t(ss)] == kIntCompare;
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
  // The copies run before the instruction and carry its offset: a step stops there once, at
  // the copies, with the stack the instruction reads (with the local.set's offset, a step
  // stopped at the set, then at the instruction before it).
  uint32_t saved = cur_offset_;
  cur_offset_ = wasm_offset;
  materialize_local(x, height() - 1);
  cur_offset_ = saved;
  offsets_->push_back({uint32_t(here()), wasm_offset});
  size_t start = here();
  // Copies now run between the instruction and the one before it, and emit_local_plus's
  // I32Add_si leaves its sum in the integer accumulator: an instruction that read that
  // register reads its slot instead (the same cells), unless the copies were all from the
  // register (CopyI32_a), which keeps the value it read (`x = [p]; t = x; x >>= 31`: clang's
  // abs, whose shift overwrites the local that the copy saves).
  if (start != producer.start) {
    int cell = int_accumulator_cell(cells[0].op);
    if (!cell || !in_int_accumulator(cells[cell].u))
      cells[0].op = without_int_accumulator(cells[0].op);
  }
  for (Cell c : cells) code_.push_back(c);
  last_ = producer;
  last_.start = start;
  last_.end = here();
  last_.dst_cell = start + (producer.dst_cell - producer.start);
  // It may read the float accumulator and now has copies before it: they write home slots
  // below its operands only, and no float register, so the accumulator still holds its operand.
  note_accumulator(producer.op, producer.dst);
  note_int_accumulator(producer.op, producer.dst);
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
  // x the float value computed right before the load (in the accumulator once the load is
  // taken back): the _sm_a or _ms_a form.
  IOp from_acc = accumulator_second_form(fused);
  bool x_in_accumulator =
      from_acc != IOp::Nop && in_accumulator_before(x, accumulator_read(from_acc), last_.start);
  LastOp load = x_in_accumulator ? replace_last(from_acc, h) : replace_last(fused, h, x);
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
  // The multiply's first operand, or the addend, may be the float value computed right before
  // the multiply (in the accumulator once the multiply is taken back): the _a and _za forms.
  uint8_t w = fused == IOp::F64MulAdd ? 64 : 32;
  uint32_t x = uint32_t(last_.a), y = uint32_t(last_.b);
  size_t at = last_.start;
  auto was_acc = [&](uint32_t s) { return in_accumulator_before(s, w, at); };
  if (!was_acc(x) && was_acc(y)) std::swap(x, y);  // a product: its factors swap
  IOp form = was_acc(x)   ? accumulator_second_form(fused)
             : was_acc(z) ? accumulator_second_form(fused, true)
                          : IOp::Nop;
  LastOp mul = replace_last(form == IOp::Nop ? fused : form, h);
  slot(x);
  slot(y);
  slot(z);
  finish_binary(mul.start, fused);
  return true;
}

// The _tbl form of a load (a static table's element: see iops.def), or Nop.
static IOp table_form(IOp load) {
  switch (load) {
    case IOp::I32Load:
      return IOp::I32Load_tbl;
    case IOp::I64Load:
      return IOp::I64Load_tbl;
    case IOp::F32Load:
      return IOp::F32Load_tbl;
    case IOp::F64Load:
      return IOp::F64Load_tbl;
    case IOp::I32Load8S:
      return IOp::I32Load8S_tbl;
    case IOp::I32Load8U:
      return IOp::I32Load8U_tbl;
    case IOp::I32Load16S:
      return IOp::I32Load16S_tbl;
    case IOp::I32Load16U:
      return IOp::I32Load16U_tbl;
    default:
      return IOp::Nop;
  }
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
    op(reading_int_accumulator(form, base));
    emit_result_dst(h);
    slot(uint32_t(base));
    address_cell(add, offset);
  } else if (fresh(h) && last_.op == IOp::I32ShlAdd && table_form(o) != IOp::Nop) {
    start = last_.start;
    form = table_form(o);
    LastOp sum = unemit_last();
    base = sum.a;
    op(reading_int_accumulator(form, base));
    emit_result_dst(h);
    slot(uint32_t(sum.a));
    cell(sum.b);
    cell(offset);
  } else if (fresh(h) && is_address_sum(last_.op)) {
    start = last_.start;
    form = access_form(o, last_.op);
    LastOp sum = unemit_last();
    base = sum.a;
    add = sum.b;
    IOp second = int_accumulator_second_form(form);
    if (sum.op == IOp::I32Add_si || in_int_accumulator(base) || second == IOp::Nop ||
        !in_int_accumulator(add))
      op(reading_int_accumulator(form, base));
    else
      op(second);  // a[i] with i the value just computed
    emit_result_dst(h);
    address_cells(sum, offset);
  } else if (IOp acc = int_accumulator_form(IOp(uint16_t(o) + 1));
             acc != IOp::Nop && in_int_accumulator(base = slot_of(h))) {
    // A pointer just computed or loaded (`p->next->x`): its accumulator form has the _add
    // form's cells, base + 0 with the offset.
    op(acc);
    emit_result_dst(h);
    slot(uint32_t(base));
    address_cell(0, offset);
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
  // The integer accumulator (iacc_iops.def): a store takes the value it stores, or else its
  // base, from the register when that is where the instruction just before left it.
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    uint64_t v = k ? value.bits : slot_of(h + 1);  // may materialize: before the instruction
    IOp form = IOp(uint16_t(o) + (k ? 4 : 1));     // the _add or _addk form
    op(store_reading_int_accumulator(form, base, k ? UINT64_MAX : v));
    slot(uint32_t(base));
    address_cell(add, offset);
    cell(v);
    // An address just computed fuses only when nothing was emitted after it: the value is a local.
  } else if (stack_[h + 1].kind == Operand::Local && fresh(h) && is_address_sum(last_.op)) {
    uint32_t v = slot_of(h + 1);
    IOp form = access_form(o, last_.op);
    LastOp sum = unemit_last();
    // (An _idx form has no form reading its base: the value only.)
    op(store_reading_int_accumulator(form, sum.op == IOp::I32Add_si ? sum.a : UINT64_MAX, v));
    address_cells(sum, offset);
    slot(v);
  } else {
    uint32_t a = slot_of(h);  // may materialize: before the instruction
    uint64_t v = k ? value.bits : slot_of(h + 1);
    IOp plain = k ? IOp(uint16_t(o) + 3) : o;
    IOp added = IOp(uint16_t(o) + (k ? 4 : 1));  // the _addk or _add form, for a base there
    IOp acc = store_reading_int_accumulator(plain, UINT64_MAX, k ? UINT64_MAX : v);
    if (acc == plain && int_accumulator_form(added) != IOp::Nop && in_int_accumulator(a)) {
      // A pointer just computed or loaded (`p->next->x = v`): base + 0, with the offset.
      op(int_accumulator_form(added));
      slot(a);
      address_cell(0, offset);
      cell(v);
    } else {
      op(acc);
      slot(a);
      cell(v);
      cell(offset);
    }
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
    if (acc_at_ == here() && acc_alias_ == last_.dst) acc_alias_ = x;
    if (iacc_.at == here() && iacc_.slot == last_.dst) {
      iacc_.slot = x;
      iacc_.slotless_at = SIZE_MAX;  // a local's value: its slot is read later
    }
    if (iacc_.at == here() && iacc_.alias == last_.dst) iacc_.alias = x;
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
      emit_const(x, top.bits);
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

// Emits the deferred additions, oldest first and two at a time (I32Inc2), when the queue is
// full. Entries reading a lagging slot are rebased on the updated one.
void FuncCompiler::flush_deferred() {
  while (deferred_.size() >= 2) flush_deferred_pair(deferred_[0], deferred_[1]);
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

// Lazy `local + c` operands put in their slots for one wasm instruction (a call's arguments, a
// branch's values, copies before a write of their local) come in runs: the second joins the
// first in place, which emit_local_plus emitted as a plain I32Add_si right before (not from the
// accumulator, not a counter step a BrInc may take back, no label between). One wasm offset for
// both, so a step stops at the pair as it stopped at the first. The second must not read the
// first's result from the register: it reads its slot, which the pair has written first.
size_t FuncCompiler::local_plus_just_before() {
  size_t at = last_local_plus_;
  if (at == SIZE_MAX || at + 4 != here() || label_at_ > at) return SIZE_MAX;
  const OffsetEntry& e = offsets_->back();
  if (e.code_index != at || e.wasm_offset != cur_offset_) return SIZE_MAX;
  const void* first = code_[at].op;
  if (first != handlers_[size_t(IOp::I32Add_si)] &&
      first != handlers_[size_t(twin_of(IOp::I32Add_si))])
    return SIZE_MAX;
  return at;
}

bool FuncCompiler::pair_local_plus(uint32_t dst, const Operand& o) {
  size_t at = local_plus_just_before();
  if (at == SIZE_MAX) return false;
  uint64_t d1 = code_[at + 1].u, s1 = code_[at + 2].u, c1 = code_[at + 3].u;
  lowest_rewrite_ = std::min(lowest_rewrite_, at);
  code_[at].op = handlers_[size_t(IOp::I32Add2_si)];
  code_[at + 1].u = d1 | s1 << 32;
  code_[at + 2].u = dst | uint64_t(o.local) << 32;
  code_[at + 3].u = c1 | uint64_t(uint32_t(o.bits)) << 32;
  if (dst < num_locals_) note_write(dst, at);
  last_ = LastOp{};
  increment_ = Increment{};
  last_local_plus_ = SIZE_MAX;
  note_int_accumulator(IOp::I32Add2_si, dst);
  return true;
}

bool FuncCompiler::emit_deferred_for(uint32_t i) {
  const Operand o = stack_[i];
  const Deferred* d = deferred(o.local);
  if (o.wide || !d || d->delta != uint32_t(o.bits)) return false;
  for (uint32_t j = 0; j < height(); j++)
    if (j != i && stack_[j].reads(o.local)) return false;
  flush_deferred_one(*d);  // entry i becomes Local
  return true;
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
                  IOp::F32Abs_a,       IOp::F32Add_sm,      IOp::F32Sub_sm,    IOp::F32Mul_sm,
                  IOp::F32Sub_ms,      IOp::F32Sub_sa,      IOp::F32Div_sa,    IOp::F32Sub_ia,
                  IOp::F32Div_ia,      IOp::F32MulAdd_a,    IOp::F32MulAdd_za})
      t[size_t(f)] = 32;
    for (IOp f : {IOp::F64Abs,         IOp::F64Neg,         IOp::F64Sqrt,       IOp::F64ConvertI32S,
                  IOp::F64ConvertI32U, IOp::F64ConvertI64S, IOp::F64PromoteF32, IOp::F64Sub_is,
                  IOp::F64Div_is,      IOp::F64MulAdd,      IOp::F64Add_as,     IOp::F64Add_ai,
                  IOp::F64Sub_as,      IOp::F64Sub_ai,      IOp::F64Mul_as,     IOp::F64Mul_ai,
                  IOp::F64Div_as,      IOp::F64Div_ai,      IOp::F64Sqrt_a,     IOp::F64Neg_a,
                  IOp::F64Abs_a,       IOp::F64Add_sm,      IOp::F64Sub_sm,     IOp::F64Mul_sm,
                  IOp::F64Sub_ms,      IOp::F64Sub_sa,      IOp::F64Div_sa,     IOp::F64Sub_ia,
                  IOp::F64Div_ia,      IOp::F64MulAdd_a,    IOp::F64MulAdd_za})
      t[size_t(f)] = 64;
    // The float loads (their handlers keep the value: KEEP_FLOAD32/64); a load based on the
    // integer accumulator (F64Load_a) is recorded as its _add form.
    for (IOp f : {IOp::F32Load, IOp::F32Load_add, IOp::F32Load_idx, IOp::F32Load_tbl})
      t[size_t(f)] = 32;
    for (IOp f : {IOp::F64Load, IOp::F64Load_add, IOp::F64Load_idx, IOp::F64Load_tbl})
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
#define ACC_SAME(n)
#define ACC_CMPBR(n)                                                                          \
  t[size_t(IOp::Br##n##_ss)] = IOp::Br##n##_as, t[size_t(IOp::Br##n##_si)] = IOp::Br##n##_ai, \
  t[size_t(IOp::Br##n##_ss_loop)] = IOp::Br##n##_as_loop,                                     \
  t[size_t(IOp::Br##n##_si_loop)] = IOp::Br##n##_ai_loop;
#define ACC_NOTBR(n)                                  \
  t[size_t(IOp::BrNot##n##_ss)] = IOp::BrNot##n##_as, \
  t[size_t(IOp::BrNot##n##_si)] = IOp::BrNot##n##_ai;
#define ACC_COPY(t)
#include "execute/acc_iops.def"
    return t;
  }();
  return table[size_t(o)];
}

IOp accumulator_same_form(IOp ss) {
  static const auto table = [] {
    std::array<IOp, size_t(IOp::Count)> t;
    t.fill(IOp::Nop);
#define ACC_BIN(n)
#define ACC_UN(n)
#define ACC_SAME(n) t[size_t(IOp::n##_ss)] = IOp::n##_aa;
#define ACC_CMPBR(n)
#define ACC_NOTBR(n)
#define ACC_COPY(t)
#include "execute/acc_iops.def"
    return t;
  }();
  return table[size_t(ss)];
}

// The width of the accumulator an accumulator form reads (its name says: F32... or F64...).
uint8_t accumulator_read(IOp acc) {
  static const auto table = [] {
    std::array<uint8_t, size_t(IOp::Count)> t{};
#define WIDTH(n) (#n[1] == '3' ? 32 : 64)
#define ACC_BIN(n) t[size_t(IOp::n##_as)] = t[size_t(IOp::n##_ai)] = WIDTH(n);
#define ACC_UN(n) t[size_t(IOp::n##_a)] = WIDTH(n);
#define ACC_SAME(n) t[size_t(IOp::n##_aa)] = WIDTH(n);
#define ACC_CMPBR(n)                                                                          \
  t[size_t(IOp::Br##n##_as)] = t[size_t(IOp::Br##n##_ai)] = t[size_t(IOp::Br##n##_as_loop)] = \
      t[size_t(IOp::Br##n##_ai_loop)] = WIDTH(n);
#define ACC_NOTBR(n) t[size_t(IOp::BrNot##n##_as)] = t[size_t(IOp::BrNot##n##_ai)] = WIDTH(n);
#define ACC_COPY(ty) t[size_t(IOp::Copy##ty##_a)] = WIDTH(ty);
#define ACC_PAIR(acc, slot) t[size_t(IOp::acc)] = WIDTH(acc);
#include "execute/acc_iops.def"
#undef WIDTH
    return t;
  }();
  return table[size_t(acc)];
}

IOp accumulator_second_form(IOp o, bool addend) {
  switch (o) {
#define FORMS(ty)                                           \
  case IOp::ty##Sub_ss:                                     \
    return IOp::ty##Sub_sa;                                 \
  case IOp::ty##Div_ss:                                     \
    return IOp::ty##Div_sa;                                 \
  case IOp::ty##Sub_is:                                     \
    return IOp::ty##Sub_ia;                                 \
  case IOp::ty##Div_is:                                     \
    return IOp::ty##Div_ia;                                 \
  case IOp::ty##MulAdd:                                     \
    return addend ? IOp::ty##MulAdd_za : IOp::ty##MulAdd_a; \
  case IOp::ty##Store:                                      \
    return IOp::ty##Store_v;                                \
  case IOp::ty##Store_add:                                  \
    return IOp::ty##Store_addv;                             \
  case IOp::ty##Store_idx:                                  \
    return IOp::ty##Store_idxv;                             \
  case IOp::ty##Add_sm:                                     \
    return IOp::ty##Add_sm_a;                               \
  case IOp::ty##Sub_sm:                                     \
    return IOp::ty##Sub_sm_a;                               \
  case IOp::ty##Mul_sm:                                     \
    return IOp::ty##Mul_sm_a;                               \
  case IOp::ty##Sub_ms:                                     \
    return IOp::ty##Sub_ms_a;
    FORMS(F32)
    FORMS(F64)
#undef FORMS
    default:
      return IOp::Nop;
  }
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
    // A br_if on the local itself (`x += c; br_if x`) emits it last, right before the branch,
    // with which it fuses (conditional_jump).
    if (!w && in.op == Op::BrIf && height() > 0 && stack_[height() - 1].reads(d.local)) fate[k] = 1;
    if (!w || fate[k] == 1) continue;
    fate[k] = 2;
    if (in.op != Op::BrIf) continue;
    // Arriving at the header this way, the local's slot lags until the loop writes it.
    LocalLag dead{uint32_t(loop->loop_start), uint32_t(w->end), d.local, 0, true};
    auto& all = fn_->local_lags;
    if (std::find(all.begin(), all.end(), dead) == all.end()) all.push_back(dead);
  }
  std::array<uint32_t, kMaxDeferred> order{};
  size_t m = 0, read = 0;  // read: those the instruction reads (fate 1), emitted last
  for (uint8_t pass = 0; pass < 2; pass++)
    for (size_t k = 0; k < n; k++)
      if (fate[k] == pass) order[m++] = local[k], read += pass;
  // Two additions emitted together are one I32Inc2 (a loop's pointer bumps before its branch
  // back). The last stays alone where the branch may take it into a BrInc: unless it is a
  // compare's second operand only (`p != end`, no BrInc), whose _as form reads it from the
  // integer accumulator after the pair as after the addition.
  size_t paired = m;
  if (read > 0) {
    uint32_t h = height(), x = order[m - 1];
    bool second_only = compare && h >= 2 && !stack_[h - 2].reads(x) &&
                       stack_[h - 2].kind != Operand::Const && stack_[h - 1].reads(x);
    if (!second_only) paired = m - 1;
  }
  size_t i = 0;
  for (; i + 1 < paired; i += 2) flush_deferred_pair(*deferred(order[i]), *deferred(order[i + 1]));
  for (; i < m; i++) flush_deferred_one(*deferred(order[i]));
}

// Two deferred additions as one I32Inc2, which leaves the second local's value in the integer
// accumulator as an I32Add_si of it would.
void FuncCompiler::flush_deferred_pair(const Deferred a, const Deferred b) {
  size_t start = here();
  note_write(a.local, start);
  note_write(b.local, start);
  op(IOp::I32Inc2);
  cell(a.local | uint64_t(b.local) << 32);
  cell(a.delta | uint64_t(b.delta) << 32);
  last_ = LastOp{};
  increment_ = Increment{};
  note_int_accumulator(IOp::I32Inc2, b.local);
  for (const Deferred& d : {a, b}) {
    for (Operand& o : stack_) {  // as in flush_deferred_one
      if (!o.reads(d.local)) continue;
      o.bits = uint32_t((o.kind == Operand::LocalPlus ? o.bits : 0) - d.delta);
      o.kind = o.bits == 0 ? Operand::Local : Operand::LocalPlus;
    }
    end_deferred(d.local);
  }
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
      // A compare fused in: the select carries its offset (as a fused branch does, see
      // conditional_jump).
      if (uint32_t before = offsets_->empty() ? cur_offset_ : offsets_->back().wasm_offset;
          fuse_select_compare(h)) {
        offsets_->back().wasm_offset = before;
        break;
      }
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
      if (is_simd(in.op)) v128_body_ = true;
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
  v128_body_ = m_.v128_types;  // else set by the body's first SIMD instruction (translate)
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
  last_move_ = SIZE_MAX;
  label_at_ = 0;
  acc_at_ = SIZE_MAX;
  // An earlier body's code ended elsewhere; its GlobalGetAdd is not this one's.
  iacc_ = iacc_before_ = IntAccumulator{};
  op_emitted_ = IOp::Nop;
  slotless_.clear();
  // Room for a candidate per 8 bytes of code: growing the vector from empty in large.wasm's
  // large body was 0.3% of loading it.
  slotless_.reserve((body.code_end - body.code_begin) / 8);
  global_add_ = {};
  still_zero_.assign(num_locals_, true);
  std::fill_n(still_zero_.begin(), fn_->num_params, false);

  Control body_ctrl;
  body_ctrl.results = uint32_t(type.results.size());
  ctrl_.push_back(body_ctrl);
  size_t body_size = body.code_end - body.code_begin;
  code_.start(body_size * 2);  // measured: about 1.5 cells per byte of wasm
  offsets_->reserve(body_size / 2);
}

// `o`, about to be emitted right after the instruction that left the integer accumulator, reads
// it there. If that value went to an operand stack temporary, `o` takes it off the stack: no
// one else reads that slot, so the producer may leave the value in the register only. Recorded
// here, decided at the end of the body (apply_slotless), when no fusion can take either
// instruction back or rewrite it. op() has checked that the producer is a candidate
// (IntAccumulator::slotless_at): the checks cost 1.9% of loading large.wasm when every
// instruction after an accumulator producer made this call to do them.
void FuncCompiler::note_slotless(IOp o) {
  if (accumulator_cells_[size_t(o)])
    slotless_.push_back({iacc_.start, uint32_t(here()), iacc_.slot, iacc_.producer, o});
}

// The producers note_slotless recorded whose reader still follows them unchanged: neither was
// taken back (take_back drops those), rewritten in place (the loop register's I32Add_sr, the
// LOADBR branches, the _sum forms: another handler) nor given another destination.
void FuncCompiler::apply_slotless() {
  for (const Slotless& s : slotless_) {
    Cell* producer = &code_[s.producer];
    if (producer->op == handlers_[size_t(s.slot_op)] && uint64_t(producer[1].i) == s.slot &&
        code_[s.reader].op == handlers_[size_t(s.reader_op)])
      producer->op = handlers_[size_t(slotless_forms_[size_t(s.slot_op)])];
  }
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
  apply_slotless();
  code_.finish(fn_->code);
  CellVector& code = fn_->code;
  for (size_t t : targets_) code[t].target = code.data() + code[t].u;
}

}  // namespace glint::detail
