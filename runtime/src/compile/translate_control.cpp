// The translator's blocks, branches and calls (see compile/func_compiler.h and
// runtime/DESIGN.md).
#include "compile/func_compiler.h"

namespace glint::detail {

void FuncCompiler::block_signature(const BlockType& bt, uint32_t& params, uint32_t& results) {
  switch (bt.kind) {
    case BlockType::Empty:
      params = results = 0;
      break;
    case BlockType::Value:
      params = 0;
      results = 1;
      // A v128 result of a block whose values come from unreachable code: not from a SIMD
      // instruction, nor a v128 type (see v128_body_).
      if (bt.value == ValType::V128) v128_body_ = true;
      break;
    case BlockType::Index:
      params = uint32_t(m_.types[bt.index].params.size());
      results = uint32_t(m_.types[bt.index].results.size());
      break;
  }
}

void FuncCompiler::enter_block(Op kind, const BlockType& bt) {
  Control c;
  c.op = kind;
  c.handler_inside = current_handler_;
  block_signature(bt, c.params, c.results);
  // Entries below the block may not stay lazy on a local: the block could write it on one
  // path only. Parameters go to their home slots, where branches to a loop put them too.
  materialize_all_locals();
  materialize_top(c.params);
  c.height = height() - c.params;
  if (kind == Op::Loop) {
    register_changes();  // the enclosing loop's: this one's RegLoad, or its clearing below
    if (may_take_register(cur_offset_)) {
      op(IOp::RegLoad);  // loads the zero slot until a counter takes the register
      c.reg_cell = here();
      slot(zero_slot());
    }
    c.outer_loop = innermost_loop_;
    innermost_loop_ = ctrl_.size();
    reg_reads_.clear();
    local_writes_.clear();
    label_here();
    c.loop_start = here();
    c.scanning = true;
    c.writes_begin = c.writes_end = uint32_t(loop_writes_.size());
    scan_seen_.clear();
  }
  ctrl_.push_back(std::move(c));
}

// Whether the loop whose opcode is at `offset` may take the loop register, read ahead in the
// wasm code: it has no call and no inner loop, and branches back right after an i32 compare
// with a local.tee shortly before (a counter step, which fuses into BrInc). Loops that cannot
// take it then pay no RegLoad at each entry (fib's loop around its recursive call paid 6%);
// take_loop_register decides for good. Code the validator has not reached may be malformed:
// then no (the validator reports it).
bool FuncCompiler::may_take_register(size_t offset) {
  if (body_end_ > m_.bytes.size() || offset >= body_end_) return false;
  Reader r(m_.bytes.data() + offset, body_end_ - offset, offset);
  try {
    uint32_t label = 0;
    scan_instr(r, label, m_.memory_space);  // the loop itself
    uint32_t depth = 0;
    size_t n = 0, tee = SIZE_MAX;
    Op previous = Op::Nop;
    while (!r.done()) {
      Op op = scan_instr(r, label, m_.memory_space);
      n++;
      switch (op) {
        case Op::Loop:
        case Op::Call:
        case Op::CallIndirect:
        case Op::Try:  // a catch may run with the register out of date
        case Op::Throw:
        case Op::Rethrow:
          return false;
        case Op::Block:
        case Op::If:
          depth++;
          break;
        case Op::End:
          if (depth-- == 0) return false;
          break;
        case Op::LocalTee:
          tee = n;
          break;
        case Op::BrIf: {
          bool after_compare = previous >= Op::I32Eq && previous <= Op::I32GeU;
          if (label == depth && after_compare && tee != SIZE_MAX && n - tee <= 6) return true;
          break;
        }
        default:
          break;
      }
      previous = op;
    }
  } catch (const DecodeError&) {
  }
  return false;
}

bool FuncCompiler::values_in_place(Control& c) {
  uint32_t n = c.arity();
  if (n == 0) return true;
  if (height() - n != c.height) return false;
  for (uint32_t i = height() - n; i < height(); i++)
    if (stack_[i].kind != Operand::Stack) return false;
  return true;
}

// Copies the label's values (top of stack) to the label's slots. Ascending order is safe:
// a destination is never above its source.
size_t FuncCompiler::copy_to_label(Control& c) {
  size_t const_at = SIZE_MAX;  // where the last Const emitted begins
  uint32_t n = c.arity();
  uint32_t first = height() - n;
  for (uint32_t i = 0; i < n; i++) {
    Operand& o = stack_[first + i];
    uint32_t dst = home(c.height + i);
    if (o.wide) {
      if (o.kind != Operand::Stack || home(first + i) != dst)
        emit_v128_move(dst, o, home(first + i));
    } else if (o.kind == Operand::Const) {
      const_at = here();
      emit_const(dst, o.bits);
    } else if (o.kind == Operand::LocalPlus) {
      emit_local_plus(dst, o);
    } else {
      uint32_t src = o.kind == Operand::Local ? o.local : home(first + i);
      if (src != dst) emit_copy(dst, src);
    }
  }
  return const_at;
}

// Results go to the frame's first slots (a v128 takes two: ReturnN lists both).
void FuncCompiler::emit_return() {
  uint32_t n = uint32_t(type_->results.size());
  if (n == 0) {
    op(IOp::Return0);
  } else if (n == 1 && stack_.back().kind == Operand::Const && !stack_.back().wide) {
    op(IOp::Return1K);
    cell(stack_.back().bits);
  } else if (n == 1) {
    uint32_t s = slot_of(height() - 1);
    op(stack_.back().wide ? IOp::ReturnV128 : reading_int_accumulator(IOp::Return1, s));
    slot(s);
  } else {
    std::vector<uint32_t> srcs;
    for (uint32_t i = height() - n; i < height(); i++) {
      uint32_t s = slot_of(i);
      srcs.push_back(s);
      if (stack_[i].wide) srcs.push_back(s + 1);
    }
    op(IOp::ReturnN);
    cell(srcs.size());
    for (uint32_t s : srcs) slot(s);
  }
  last_ = LastOp{};
}

void FuncCompiler::mark_unreachable() {
  Control& c = ctrl_.back();
  c.unreachable = true;
  stack_.truncate(c.height);
}

// An unconditional jump to label c, with its values: a loop's register is loaded again first
// if something changed it after the loop took it.
void FuncCompiler::jump_to_label(Control& c) {
  size_t const_at = copy_to_label(c);
  if (reload_register(c)) emit_reload(c);
  if (c.op != Op::Loop) {
    // A Copy or Const right before the jump (a value carried to the label, or a move just
    // before it) takes the jump: CopyBr, ConstBr have their cells and the target after them.
    // (Or a Const before it: `x = 0; break;`.)
    size_t at = last_.op == IOp::Copy && last_.end == here() ? last_.start
                : const_at != SIZE_MAX                       ? const_at
                : single_const_before()                      ? const_.start
                                                             : SIZE_MAX;
    if (at != SIZE_MAX && at + 3 == here()) {
      bool copy = at == last_.start && last_.op == IOp::Copy;
      code_[at].op = handlers_[size_t(copy ? IOp::CopyBr : IOp::ConstBr)];
      lowest_rewrite_ = std::min(lowest_rewrite_, at);
      last_ = LastOp{};
      label_cell(c);
      return;
    }
  }
  if (add_takes_jump(c.op == Op::Loop)) {
    label_cell(c);
    return;
  }
  op(c.op == Op::Loop ? IOp::BrLoop : IOp::Br);
  label_cell(c);
}

// An I32Add_si that emit_local_plus put right before the jump, for the same wasm instruction
// (a deferred bump the `br` flushed), takes the jump: I32AddBr_si, I32AddBrLoop_si.
bool FuncCompiler::add_takes_jump(bool loop) {
  size_t at = local_plus_just_before();
  if (at == SIZE_MAX) return false;
  lowest_rewrite_ = std::min(lowest_rewrite_, at);
  code_[at].op = handlers_[size_t(loop ? IOp::I32AddBrLoop_si : IOp::I32AddBr_si)];
  last_ = LastOp{};
  increment_ = Increment{};
  last_local_plus_ = SIZE_MAX;
  return true;
}

void FuncCompiler::branch(uint32_t depth) {
  Control& c = ctrl_[ctrl_.size() - 1 - depth];
  if (depth == ctrl_.size() - 1) {
    emit_return();
  } else {
    jump_to_label(c);
  }
  mark_unreachable();
}

// Emits a jump to `c` taken when the popped condition is true (or false). Fuses with an i32
// compare or eqz emitted just before.
//
// A branch fused with the instruction(s) that computed its condition (a compare, an and, an
// eqz, a load) carries the offset of the first of them, and so does the rest of this wasm
// instruction's code (a br_if's taken path): a step stops there once, at the compare, whose
// operands are on the stack; with the branch's own offset it stopped at the branch, whose
// operand (the compare's result) was never computed. The branch then has no code of its own,
// as the other half of any fused pair. (BrInc sets its own offset.)
void FuncCompiler::conditional_jump(Control& c, bool jump_if_true) {
  uint32_t h = height() - 1;
  bool loop = c.op == Op::Loop;
  bool fresh = this->fresh(h);
  if (fresh && last_.is_eqz && fcmp_before_eqz_.is_fcmp && fcmp_before_eqz_.end == last_.start &&
      !(loop && jump_if_true)) {
    // The eqz of a float compare just before it (`br_if (!(a < b))`, what clang and rustc emit
    // for `if (a < b) { ... }`: float compares do not negate): the compare's branch, taken the
    // other way. (Back to a loop it would be a BrNot, which has no loop form.)
    LastOp cmp = fcmp_before_eqz_;
    unemit_last();
    last_ = cmp;
    jump_if_true = !jump_if_true;
  }
  uint32_t own_offset = cur_offset_;
  if (fresh) cur_offset_ = offsets_->back().wasm_offset;  // the condition's instruction
  if (fresh && last_.is_cmp) {
    // Compares come in the order Eq Ne LtS LtU GtS GtU LeS LeU GeS GeU (iops.def), the same
    // for i32 and i64, each with _ss and _si forms; negating maps k to kNegate[k].
    static const uint16_t kNegate[] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};
    IOp cmp = last_.imm ? IOp(uint16_t(last_.op) - 1) : last_.op;
    bool is64 = cmp >= IOp::I64Eq_ss;
    uint32_t k = (uint16_t(cmp) - uint16_t(is64 ? IOp::I64Eq_ss : IOp::I32Eq_ss)) / 2;
    if (!jump_if_true) k = kNegate[k];
    uint16_t base = uint16_t(is64 ? IOp::BrI64Eq_ss : IOp::BrI32Eq_ss) + 4 * k;
    IOp fused = IOp(base + (last_.imm ? 1 : 0) + (loop ? 2 : 0));
    LastOp l = unemit_last();
    // The load of its first (or, turned around, second) operand just before: one LOADBR.
    static const uint16_t kSwap[] = {0, 1, 4, 5, 2, 3, 8, 9, 6, 7};
    LoadAt ld;
    if (!loop && !is64 && (ld = load_before(l.a)).at != SIZE_MAX) {
      fuse_load_into_branch(ld, uint16_t(2 * k + (l.imm ? 1 : 0)));
      cell(l.b);
      label_cell(c);
      pop();
      return;
    }
    if (!loop && !is64 && !l.imm && (ld = load_before(l.b)).at != SIZE_MAX) {
      fuse_load_into_branch(ld, uint16_t(2 * kSwap[k]));
      cell(l.a);
      label_cell(c);
      pop();
      return;
    }
    // The second operand in the integer accumulator: the compare turned around reads it. (A
    // loop's turned around only when its counter step does not fuse: that stays a BrInc.)
    bool turn = !is64 && !in_int_accumulator(l.a) && !l.imm && in_int_accumulator(l.b);
    if (!loop && turn) {
      std::swap(l.a, l.b);
      fused = IOp(uint16_t(IOp::BrI32Eq_ss) + 4 * kSwap[k]);
    }
    if (!(loop && !is64 && fuse_increment(c, k, l))) {
      if (loop && turn) {
        std::swap(l.a, l.b);
        fused = IOp(uint16_t(IOp::BrI32Eq_ss_loop) + 4 * kSwap[k]);
      }
      op(reading_int_accumulator(fused, l.a));
      cell(l.a);
      cell(l.b);
    }
    label_cell(c);
  } else if (fresh && last_.is_fcmp) {
    // Float compares: Eq Ne Lt Gt Le Ge. Jumping when the compare is false is the opposite
    // compare only for Eq and Ne; the others have BrNot forms (with a NaN operand, a < b and
    // a >= b are both false). Jumps when false are forward only, so BrNot has no loop form.
    IOp cmp = last_.imm ? IOp(uint16_t(last_.op) - 1) : last_.op;
    bool is64 = cmp >= IOp::F64Eq_ss;
    uint32_t k = (uint16_t(cmp) - uint16_t(is64 ? IOp::F64Eq_ss : IOp::F32Eq_ss)) / 2;
    uint16_t imm = last_.imm ? 1 : 0;
    IOp fused;
    if (jump_if_true || k < 2) {
      if (!jump_if_true) k ^= 1;  // Eq <-> Ne
      uint16_t base = uint16_t(is64 ? IOp::BrF64Eq_ss : IOp::BrF32Eq_ss) + 4 * k;
      fused = IOp(base + imm + (loop ? 2 : 0));
    } else {
      uint16_t base = uint16_t(is64 ? IOp::BrNotF64Lt_ss : IOp::BrNotF32Lt_ss) + 2 * (k - 2);
      fused = IOp(base + imm);
    }
    LastOp l = unemit_last();
    // Its first operand the value just computed (`while (x * x + y * y <= 4)`): the branch
    // reads it from the float accumulator, as the compare it replaces did.
    IOp acc = accumulator_form(fused);
    op(acc != IOp::Nop && in_accumulator(l.a, accumulator_read(acc)) ? acc : fused);
    cell(l.a);
    cell(l.b);
    label_cell(c);
  } else if (fresh && !loop &&
             (last_.op == IOp::I32And_ss || last_.op == IOp::I32And_si ||
              last_.op == IOp::I32ShrAnd)) {
    // `if (x & m)`: the and is the test. A bit field `(x >> k) & m` tests x & u32(m << k): the
    // bits of m shifted out stand for bits that x >> k does not have.
    bool imm = last_.op != IOp::I32And_ss;
    LastOp l = unemit_last();
    LoadAt ld;
    if (l.op == IOp::I32And_si && (ld = load_before(l.a)).at != SIZE_MAX) {  // `if (p->f & m)`
      fuse_load_into_branch(ld, jump_if_true ? kLoadBrTest : kLoadBrTestZ);
      cell(l.b);
      label_cell(c);
      pop();
      return;
    }
    op(reading_int_accumulator(jump_if_true ? (imm ? IOp::BrTest_si : IOp::BrTest_ss)
                                            : (imm ? IOp::BrTestZ_si : IOp::BrTestZ_ss),
                               l.a));
    cell(l.a);
    cell(l.op == IOp::I32ShrAnd ? uint32_t((l.b >> 32) << (l.b & 31)) : l.b);
    label_cell(c);
  } else if (fresh && last_.is_eqz && !loop && and_before_eqz_.end == last_.start) {
    // `if (!(x & m))`: the eqz of an and just before it, which only the eqz read. The test
    // jumps when the bits are clear (BrTestZ) where the branch is taken on the eqz.
    LastOp l = and_before_eqz_;
    cur_offset_ = (*offsets_)[offsets_->size() - 2].wasm_offset;  // the and's, just before
    unemit_last();
    take_back(l.start);
    bool imm = l.op != IOp::I32And_ss;
    op(reading_int_accumulator(jump_if_true ? (imm ? IOp::BrTestZ_si : IOp::BrTestZ_ss)
                                            : (imm ? IOp::BrTest_si : IOp::BrTest_ss),
                               l.a));
    cell(l.a);
    cell(l.op == IOp::I32ShrAnd ? uint32_t((l.b >> 32) << (l.b & 31)) : l.b);
    label_cell(c);
  } else if (fresh && last_.is_eqz && !loop) {
    LastOp l = unemit_last();
    LoadAt ld = load_before(l.a);
    if (ld.at != SIZE_MAX) {  // `if (!p->x)`
      fuse_load_into_branch(ld, jump_if_true ? kLoadBrUnless : kLoadBrIf);
      label_cell(c);
      pop();
      return;
    }
    op(reading_int_accumulator(jump_if_true ? IOp::BrUnless : IOp::BrIf, l.a));
    cell(l.a);
    label_cell(c);
  } else if (fresh && !loop && last_.op == IOp::I64Eqz && clear_before_eqz_.end == last_.start) {
    // `m &= m - 1; if (!m) break`: the step and the branch on its eqz, one instruction with
    // the step's wasm offset (a stop at the eqz or the branch moves past it, as for BrInc).
    LastOp l = clear_before_eqz_;
    unemit_last();
    uint32_t wasm_offset = offsets_->back().wasm_offset;  // the step's entry
    take_back(l.start);
    if (l.dst < int64_t(num_locals_)) note_write(uint32_t(l.dst), here());
    op_at(jump_if_true ? IOp::BrI64ClearLowZ : IOp::BrI64ClearLowNZ, wasm_offset);
    slot(uint32_t(l.dst));
    slot(uint32_t(l.a));
    label_cell(c);
  } else if (fresh && (last_.is_eqz || last_.op == IOp::I64Eqz)) {
    // An i64.eqz (zstd's and brotli's 64-bit bit tests), or an i32.eqz branching back to a
    // loop: a compare with 0, whose forms include the loop's.
    bool is64 = last_.op == IOp::I64Eqz;
    LastOp l = unemit_last();
    IOp eq = is64 ? IOp::BrI64Eq_si : IOp::BrI32Eq_si,
        ne = is64 ? IOp::BrI64Ne_si : IOp::BrI32Ne_si;
    op(IOp(uint16_t(jump_if_true ? eq : ne) + (loop ? 2 : 0)));
    cell(l.a);
    cell(0);
    label_cell(c);
  } else if (loop && jump_if_true && stack_[h].kind == Operand::Local && !stack_[h].wide &&
             increment_.end == here() && increment_.local == stack_[h].local) {
    // `x = x + c; br_if x` back to the loop (clang's loops that count up to 0, crc_hash's and
    // zstd's among them): the step and a compare of x with 0 are one BrInc (k = 1: Ne).
    LastOp ne;
    ne.a = stack_[h].local;
    ne.b = 0;
    ne.imm = true;
    fuse_increment(c, 1, ne);
    label_cell(c);
  } else if (LoadAt ld; (fresh || stack_[h].kind == Operand::Local) && !loop &&
                        (ld = load_before(slot_of(h))).at != SIZE_MAX) {
    // `if (p->x)`: the load is the condition (`if ((v = p->x))`: a local the load just wrote).
    fuse_load_into_branch(ld, jump_if_true ? kLoadBrIf : kLoadBrUnless);
    label_cell(c);
  } else {
    cur_offset_ = own_offset;  // not fused: the branch is an instruction of its own
    uint32_t s = slot_of(h);
    if (jump_if_true) {
      op(reading_int_accumulator(loop ? IOp::BrIfLoop : IOp::BrIf, s));
    } else {
      op(reading_int_accumulator(IOp::BrUnless, s));  // only used for forward jumps (if/else)
    }
    slot(s);
    label_cell(c);
  }
  last_ = LastOp{};
  pop();
}

// Was slot s, an operand of the instruction taken back just now (a compare, and or eqz, which
// began at here()) or of the branch about to be emitted, written by an i32.load or
// i32.load8_u right before, with no label in between? Into a home slot (which nothing else
// reads), or into a local (`keep`: the fused branch writes it too). Read from its cells (op D
// S(base) I(offset), the _add form's op D S(base) A(add, offset), or the _idx form's op D S(base)
// S(index) A(shift, offset)), so the operators record nothing for this.
FuncCompiler::LoadAt FuncCompiler::load_before(uint64_t s) {
  LoadAt l;
  if (offsets_->empty()) return l;
  size_t at = offsets_->back().code_index;
  if (at + 4 > here() || at + 5 < here() || label_at_ > at || code_[at + 1].u != s) return l;
  const void* h = code_[at].op;
  auto is = [&](IOp o) { return h == handlers_[size_t(o)]; };
  if (at + 5 == here()) {  // only an _idx load has five cells
    // (The integer accumulator's forms have the _idx form's cells, and its slots are current.)
    l.byte = is(IOp::I32Load8U_idx) || is(IOp::I32Load8U_idx_twin) || is(IOp::I32Load8U_idx_a) ||
             is(IOp::I32Load8U_idx_ia);
    if (!l.byte && !is(IOp::I32Load_idx) && !is(IOp::I32Load_idx_twin) && !is(IOp::I32Load_idx_a) &&
        !is(IOp::I32Load_idx_ia))
      return l;
    l.idx = true;
  } else if (is(IOp::I32Load) || is(IOp::I32Load_twin)) {
    l.plain = true;
  } else if (is(IOp::I32Load8U) || is(IOp::I32Load8U_twin)) {
    l.plain = l.byte = true;
  } else if (is(IOp::I32Load8U_add) || is(IOp::I32Load8U_add_twin) || is(IOp::I32Load8U_a)) {
    l.byte = true;  // (the accumulator form has the _add form's cells, and its slot is current)
  } else if (!is(IOp::I32Load_add) && !is(IOp::I32Load_add_twin) && !is(IOp::I32Load_a)) {
    return l;
  }
  l.at = at;
  l.keep = s < stack_base();
  if (l.keep && !l.plain && !l.idx) return LoadAt{};  // the _lk forms take plain loads only
  return l;
}

// Turns that load into the LOADBR form `form` (iops.def) of a branch that reads its value as
// its first operand, in place: the load's first cell and its offset entry stay (a trap in the
// fused instruction is the load's), the load's address cells become the branch's. The caller
// adds the branch's other operand (if any) and its targets.
void FuncCompiler::fuse_load_into_branch(const LoadAt& l, uint16_t form) {
  static_assert(uint16_t(IOp::BrTestZ_li) - uint16_t(IOp::BrI32Eq_ls) == kLoadBrTestZ);
  static_assert(uint16_t(IOp::BrI32Eq_l8s) - uint16_t(IOp::BrI32Eq_ls) == kLoadBrTestZ + 1);
  static_assert(uint16_t(IOp::BrTestZ_l8i) - uint16_t(IOp::BrI32Eq_l8s) == kLoadBrTestZ);
  static_assert(uint16_t(IOp::BrTable_l8) - uint16_t(IOp::BrTable_l) == 1);
  static_assert(uint16_t(IOp::BrI32Eq_xs) - uint16_t(IOp::BrI32Eq_ls) ==
                2 * (kLoadBrTestZ + 1) + 2);
  static_assert(uint16_t(IOp::BrTestZ_x8i) - uint16_t(IOp::BrI32Eq_x8s) == kLoadBrTestZ);
  static_assert(uint16_t(IOp::BrI32Eq_l8ks) - uint16_t(IOp::BrI32Eq_lks) == kLoadBrTestZ + 1);
  static_assert(uint16_t(IOp::BrI32Eq_x8ks) - uint16_t(IOp::BrI32Eq_xks) == kLoadBrTestZ + 1);
  // (No BrTable form keeps the value: branch_table asks for !keep.)
  IOp first = form == kLoadBrTable ? IOp::BrTable_l
              : l.idx              ? (l.keep ? IOp::BrI32Eq_xks : IOp::BrI32Eq_xs)
                                   : (l.keep ? IOp::BrI32Eq_lks : IOp::BrI32Eq_ls);
  uint16_t byte = l.byte ? (form == kLoadBrTable ? 1 : kLoadBrTestZ + 1) : 0;
  code_[l.at].op = handlers_[uint16_t(first) + (form == kLoadBrTable ? 0 : form) + byte];
  // The _k forms keep the load's cells as they are: D S(base) I(offset), or the _idx load's.
  if (l.keep) {
    // (cells unchanged)
  } else if (l.idx) {  // the load's D dropped: S(base) S(index) A(shift, offset)
    for (size_t i = 1; i <= 3; i++) code_[l.at + i] = code_[l.at + i + 1];
    code_.truncate(l.at + 4);
  } else {
    uint64_t base = code_[l.at + 2].u, k = code_[l.at + 3].u;
    code_[l.at + 1].u = base;
    code_[l.at + 2].u = l.plain ? k << 32 : k;  // A(add, offset); a plain load adds 0
    code_.truncate(l.at + 3);
  }
  // What take_back does for an instruction rewritten from l.at on.
  lowest_rewrite_ = std::min(lowest_rewrite_, l.at);
  if (l.at < acc_at_) acc_at_ = SIZE_MAX;
  forget_int_accumulator(l.at);
  for (Deferred& d : deferred_) d.since = std::min(d.since, l.at);
  last_ = LastOp{};
}

void FuncCompiler::branch_if(uint32_t depth) {
  Control& c = ctrl_[ctrl_.size() - 1 - depth];
  bool is_function = depth == ctrl_.size() - 1;
  Operand cond = stack_.back();
  uint32_t cond_home = home(height() - 1);
  pop();  // look at the values under the condition
  bool in_place = !is_function && values_in_place(c) && !reload_register(c);
  stack_.push_back(cond, cond_home);
  if (in_place) {
    conditional_jump(c, true);
    return;
  }
  // Values must move (or we return): skip over the taken path when the condition is false.
  Control skip;
  conditional_jump(skip, false);
  taken_path(c, is_function);
  bind(skip);
}

// Code that runs only when a branch is taken. It may materialize operands, but the fallthrough
// path never sees that code, so the translator's view of the stack is restored afterwards.
void FuncCompiler::taken_path(Control& c, bool is_function) {
  OperandStack saved = stack_;
  if (is_function) {
    emit_return();
  } else {
    jump_to_label(c);
  }
  stack_ = std::move(saved);
  last_ = LastOp{};
}

void FuncCompiler::branch_table(const Instr& in) {
  // A switch whose first case is not 0 indexes with `x - first`: a lazy local + constant or an
  // i32.add of a constant just emitted, which the BrTable takes as its bias.
  uint32_t h = height() - 1, idx = 0, bias = 0;
  LoadAt load;
  if (stack_[h].kind == Operand::LocalPlus) {
    idx = stack_[h].local;
    bias = uint32_t(stack_[h].bits);
  } else if (fresh(h) && last_.op == IOp::I32Add_si) {
    LastOp add = unemit_last();
    idx = uint32_t(add.a);
    bias = uint32_t(add.b);
  } else if (fresh(h) && (load = load_before(slot_of(h))).at != SIZE_MAX && !load.idx &&
             !load.keep) {
    // `switch (p->kind)`: the load of the index fused in (BrTable_l, BrTable_l8).
    fuse_load_into_branch(load, kLoadBrTable);
  } else {
    load = LoadAt{};  // an _idx load stays (no BrTable form takes it)
    idx = slot_of(h);
  }
  pop();
  const std::vector<uint32_t>& labels = *in.table;  // then the default, in.a
  size_t n = labels.size() + 1;
  if (load.at == SIZE_MAX) {
    op(reading_int_accumulator(IOp::BrTable, idx));
    slot(idx);
  }
  cell(bias | uint64_t(n - 1) << 32);
  size_t first_cell = here();
  for (size_t i = 0; i < n; i++) target_cell(0);
  // Each distinct label gets a stub (copy values, check fuel for loops, jump) unless the
  // values are already where the label wants them and it is a forward label.
  for (size_t i = 0; i < n; i++) {
    uint32_t depth = i < labels.size() ? labels[i] : in.a;
    Control& c = ctrl_[ctrl_.size() - 1 - depth];
    bool is_function = depth == ctrl_.size() - 1;
    if (!is_function && c.op != Op::Loop && values_in_place(c)) {
      add_fixup(c, first_cell + i);
      continue;
    }
    code_[first_cell + i].u = here();
    taken_path(c, is_function);
  }
  last_ = LastOp{};
  mark_unreachable();
}

void FuncCompiler::end_block() {
  Control& c = ctrl_.back();
  if (ctrl_.size() == 1) {  // the function body: return reads lazy operands where they are
    if (!c.unreachable) emit_return();
    ctrl_.pop_back();
    return;
  }
  if (c.handler != kNoHandler) end_try(c);
  if (!c.unreachable) materialize_top(c.results);
  if (c.else_fixup != SIZE_MAX) patch_here(c.else_fixup);  // `if` without else
  bind(c);
  uint32_t h = c.height, results = c.results;
  if (c.op == Op::Loop) {
    loop_writes_.resize(c.writes_begin);
    innermost_loop_ = c.outer_loop;
  }
  ctrl_.pop_back();
  stack_.truncate(h);
  for (uint32_t i = 0; i < results; i++) push_stack();
}

void FuncCompiler::else_arm() {
  Control& c = ctrl_.back();
  if (!c.unreachable) {
    materialize_top(c.results);
    op(IOp::Br);
    label_cell(c);
  }
  patch_here(c.else_fixup);
  c.else_fixup = SIZE_MAX;
  c.unreachable = false;
  stack_.truncate(c.height);
  for (uint32_t i = 0; i < c.params; i++) push_stack();
}

// Call arguments: the callee's frame starts at the first argument's home slot. Arguments
// still lazy are put there by the call instruction itself, which saves a dispatch per
// argument: a list of source slots (locals; empty when every argument is already in place),
// then a list of (argument, constant) pairs.
// The lists count slots: a v128 argument is two sources, or two constants.
uint32_t FuncCompiler::call_args(uint32_t first, uint32_t n, ArgList& list) {
  list.sources.clear();
  list.constants.clear();
  bool in_place = true;
  uint32_t base = first < height() ? home(first) : next_home();  // where the callee's frame starts
  for (uint32_t i = first; i < first + n; i++) {
    const Operand& o = stack_[i];
    uint32_t s = home(i);
    if (o.kind == Operand::Const && !o.wide && o.bits == 0) {
      s = zero_slot();  // a source like a local: the call can still be short (no constant list)
    } else if (o.kind == Operand::Const) {
      if (o.wide) {
        list.constants.push_back({s - base, v128_consts_[o.bits][0]});
        list.constants.push_back({s + 1 - base, v128_consts_[o.bits][1]});
      } else {
        list.constants.push_back({s - base, o.bits});
      }
    } else {
      s = slot_of(i);  // a local, or the home slot (materializing a LocalPlus)
    }
    in_place = in_place && s == home(i);
    list.sources.push_back(s);  // a constant's own home slot: a harmless self-copy
    if (o.wide) list.sources.push_back(s + 1);
  }
  if (in_place) list.sources.clear();
  return base;
}

void FuncCompiler::emit_arg_list(const ArgList& list, uint32_t base) {
  // Whole chunks (code.h): the padding copies the slots after the arguments onto themselves.
  size_t n = std::max<size_t>(1, (list.sources.size() + kArgChunk - 1) / kArgChunk) * kArgChunk;
  cell(n);
  for (uint32_t s : list.sources) slot(s);
  for (size_t i = list.sources.size(); i < n; i++) slot(base + uint32_t(i));
  cell(list.constants.size());
  for (auto [index, bits] : list.constants) {
    cell(index);
    cell(bits);
  }
}

// The short call forms (CallShort, CallImportShort, CallIndirectShort) take the argument list when
// it is one chunk of sources (padded as emit_arg_list pads) and no constants: no counts, no loops.
bool FuncCompiler::fits_short_call(const ArgList& list) {
  return list.constants.empty() && list.sources.size() <= kArgChunk;
}

// CallShortK: the short form's sources and one constant (a v128 constant is two).
bool FuncCompiler::fits_short_call_k(const ArgList& list) {
  return list.constants.size() == 1 && list.sources.size() <= kArgChunk;
}

void FuncCompiler::emit_short_args(const ArgList& list, uint32_t base) {
  for (uint32_t s : list.sources) slot(s);
  for (size_t i = list.sources.size(); i < kArgChunk; i++) slot(base + uint32_t(i));
}

void FuncCompiler::call(uint32_t func_index) {
  const FuncType& t = m_.func_type(func_index);
  uint32_t n = uint32_t(t.params.size());
  ArgList& sources = arg_list_;  // reused: no allocation per call
  uint32_t arg = call_args(height() - n, n, sources);
  // A call whose arguments were all computed into their places (the usual case) needs no
  // argument list to run through.
  bool in_place = sources.sources.empty() && sources.constants.empty();
  bool short_form = !in_place && fits_short_call(sources);
  bool short_k =
      !in_place && !short_form && fits_short_call_k(sources) && func_index >= m_.num_imported_funcs;
  register_changes();
  size_t start = here();
  if (func_index < m_.num_imported_funcs) {
    op(in_place ? IOp::CallImportInPlace : short_form ? IOp::CallImportShort : IOp::CallImport);
    cell(func_index);
  } else {
    op(in_place     ? IOp::CallInPlace
       : short_form ? IOp::CallShort
       : short_k    ? IOp::CallShortK
                    : IOp::Call);
    Cell c;
    c.func = &cm_.funcs[func_index - m_.num_imported_funcs];
    code_.push_back(c);
  }
  slot(arg);
  if (short_form || short_k) emit_short_args(sources, arg);
  if (short_k) {
    cell(sources.constants[0].first);
    cell(sources.constants[0].second);
  } else if (!short_form && !in_place) {
    emit_arg_list(sources, arg);
  }
  pop(n);
  for (size_t i = 0; i < t.results.size(); i++) push_stack();
  last_ = LastOp{};
  note_call_result(start, t.results);
}

void FuncCompiler::call_indirect(uint32_t type_index, uint32_t table) {
  const FuncType& t = m_.types[type_index];
  uint32_t n = uint32_t(t.params.size());
  uint32_t idx = slot_of(height() - 1);
  ArgList& sources = arg_list_;  // reused: no allocation per call
  uint32_t arg = call_args(height() - 1 - n, n, sources);
  register_changes();
  bool short_form = fits_short_call(sources);
  size_t start = here();
  IOp form = short_form ? IOp::CallIndirectShort : IOp::CallIndirect;
  // The index just loaded or computed (a vtable's slot): from the integer accumulator.
  op(reading_int_accumulator(form, idx));
  cell(cm_.type_ids[type_index]);
  cell(table);
  slot(idx);
  slot(arg);
  if (short_form)
    emit_short_args(sources, arg);
  else
    emit_arg_list(sources, arg);
  pop(n + 1);
  for (size_t i = 0; i < t.results.size(); i++) push_stack();
  last_ = LastOp{};
  note_call_result(start, t.results);
}

// A call's single result comes back in the integer accumulator as well as in its slot: every
// return of one result (Return1, Return1K, Return1_a) sets the register, and a host call sets
// it from the result slot (call_host). So the instruction after the call may read the result
// from the register (`x = f(); ...` is a CopyI32_a, `if (f())` a BrIf_a). No producer of its
// own: never a slotless one. A v128 result takes two slots and no register.
void FuncCompiler::note_call_result(size_t start, const std::vector<ValType>& results) {
  if (results.size() != 1 || results[0] == ValType::V128) return;
  iacc_before_ = iacc_;
  iacc_ = {here(), slot_of(height() - 1), uint32_t(start), IOp::Nop, SIZE_MAX};
}

}  // namespace glint::detail

namespace glint::detail {

// return_call: the callee takes this frame (ReturnCall). An import may be a host function,
// which is called as by a call and returns here: a return of its results follows.
void FuncCompiler::return_call(uint32_t func_index) {
  const FuncType& t = m_.func_type(func_index);
  uint32_t n = uint32_t(t.params.size());
  ArgList& sources = arg_list_;
  uint32_t arg = call_args(height() - n, n, sources);
  register_changes();
  bool import = func_index < m_.num_imported_funcs;
  if (import) {
    op(IOp::ReturnCallImport);
    cell(func_index);
  } else {
    op(IOp::ReturnCall);
    Cell c;
    c.func = &cm_.funcs[func_index - m_.num_imported_funcs];
    code_.push_back(c);
  }
  slot(arg);
  emit_arg_list(sources, arg);
  if (import) return_results_at(arg, t.results);
  pop(n);
  last_ = LastOp{};
}

void FuncCompiler::return_call_indirect(uint32_t type_index, uint32_t table) {
  const FuncType& t = m_.types[type_index];
  uint32_t n = uint32_t(t.params.size());
  uint32_t idx = slot_of(height() - 1);
  ArgList& sources = arg_list_;
  uint32_t arg = call_args(height() - 1 - n, n, sources);
  register_changes();
  op(IOp::ReturnCallIndirect);
  cell(cm_.type_ids[type_index]);
  cell(table);
  slot(idx);
  slot(arg);
  emit_arg_list(sources, arg);
  return_results_at(arg, t.results);
  pop(n + 1);
  last_ = LastOp{};
}

// Returns the results a host function left at slot `base` on (laid out as the callee's
// results are: a v128 takes two slots). The frame must have room for them.
void FuncCompiler::return_results_at(uint32_t base, const std::vector<ValType>& results) {
  uint32_t slots = uint32_t(slot_count(results));
  max_slot_ = std::max(max_slot_, base + slots);
  if (results.size() == 1) {
    op(results[0] == ValType::V128 ? IOp::ReturnV128 : IOp::Return1);
    slot(base);
    return;
  }
  if (results.empty()) {
    op(IOp::Return0);
    return;
  }
  op(IOp::ReturnN);
  cell(slots);
  for (uint32_t s = 0; s < slots; s++) slot(base + s);
}

}  // namespace glint::detail
