// Wasm -> slot code. The wasm operand stack is resolved at translation time: each stack
// height h has a home slot (num_locals + 1 + h) in the frame, so instructions name their operands
// by slot and nothing is pushed or popped at run time.
//
// Operands stay lazy while they can: `local.get x` and constants push a reference to the local
// or the value, so `i32.mul (local.get 0) (i32.const 3)` becomes one `I32Mul_si` instruction,
// and `local + constant` (mostly addresses) stays lazy too, so loads and stores take it as
// their `_add` form.
// A lazy operand is written to its home slot ("materialized") only when something needs it
// there: a write to its local, a block boundary, a call, a branch carrying values.
// Peepholes: a result followed by local.set is written straight to the local, and an integer
// compare followed by br_if/if becomes one compare-and-branch.
#include "compile/compiler.h"

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>

#include "compile/helper_thread.h"
#include "decode/instr.h"
#include "validate/validator.h"

namespace glint::detail {
namespace {

// A wasm operand stack entry as the translator sees it. Local, Const and LocalPlus are lazy:
// no code has computed them yet.
struct Operand {
  enum Kind : uint8_t {
    Stack,      // in its home slot
    Local,      // the value of a local
    Const,      // a constant: bits
    LocalPlus,  // i32: a local plus a constant (bits), e.g. an address; loads and stores
                // take it as their _add form, anything else materializes it
  } kind = Stack;
  uint32_t local = 0;
  uint64_t bits = 0;
  bool reads(uint32_t x) const { return (kind == Local || kind == LocalPlus) && local == x; }
};

IOp reversed_form(IOp ss);  // below, with the other instruction tables

// At most this many locals wait for a deferred addition at once (see set_local).
constexpr size_t kMaxDeferred = 4;

// The memory-operand forms of a binary operator (by its _ss or _sm form), and the plain load
// and store of its type, which are what fuse into them. `sm` is Nop for operators without.
struct MemForm {
  IOp sm = IOp::Nop, rmw = IOp::Nop, load = IOp::Nop, store = IOp::Nop;
  IOp ms = IOp::Nop;  // the loaded value first, for operators that are not commutative
  std::array<IOp, 4> narrow{IOp::Nop, IOp::Nop, IOp::Nop, IOp::Nop};  // 8S 8U 16S 16U loads
};
const MemForm& mem_form(IOp ss);

struct Control {
  Op op = Op::Block;    // Block, Loop, If (the function body is a Block)
  uint32_t height = 0;  // operand stack height below the block's parameters
  uint32_t params = 0, results = 0;
  size_t loop_start = 0;  // Loop: code index of the header
  // Target cells waiting for this label's position, chained through the cells themselves:
  // each holds the index of the previous one until bind() (no allocation per block).
  size_t fixup_head = SIZE_MAX;
  size_t else_fixup = SIZE_MAX;  // If: the branch to the else arm
  bool unreachable = false;
  // Loop: the locals every iteration writes before reading them are loop_writes_[writes_begin,
  // writes_end) of the translator, found on the straight-line code from the header while
  // `scanning`.
  bool scanning = false;
  uint32_t writes_begin = 0, writes_end = 0;
  uint32_t arity() const { return op == Op::Loop ? params : results; }
};

// Fusion candidates: the last emitted instruction, if nothing has been emitted or bound since.
struct LastOp {
  size_t start = SIZE_MAX, end = SIZE_MAX;
  IOp op = IOp::Nop;
  int64_t dst = -1;      // slot written
  size_t dst_cell = 0;   // cell holding dst (for local.set fusion)
  bool is_cmp = false;   // an integer compare: operands below
  bool is_fcmp = false;  // a float compare
  bool is_eqz = false;
  bool imm = false;
  uint64_t a = 0, b = 0, c = 0;  // operands (slots or immediates); loads and _sm forms:
                                 // a, b, c = base slot, add, offset of the memory operand
};

// An in-place loop counter step `x = x + c` just emitted (a compare-and-branch back to the
// loop header that reads x right after it fuses with it: INCBR in iops.def).
struct Increment {
  size_t start = SIZE_MAX, end = SIZE_MAX;
  uint32_t local = 0;
  uint32_t step = 0;
};

// A call's arguments as its instruction carries them (see FuncCompiler::call_args).
struct ArgList {
  std::vector<uint32_t> sources;
  std::vector<std::pair<uint32_t, uint64_t>> constants;
};

// The code being emitted, in a scratch buffer the translator keeps from body to body: appending
// is a store and an increment (std::vector::push_back is not inlined into the translator, and
// emission is a good part of loading time). finish() copies the exact cells out.
class CellBuffer {
 public:
  void start(size_t expected) {
    if (capacity_ < expected + 16) reallocate(std::max(expected + 16, 2 * capacity_));
    n_ = 0;
  }
  void finish(std::vector<Cell>& out) const { out.assign(cells_.get(), cells_.get() + n_); }
  size_t size() const { return n_; }
  Cell* data() { return cells_.get(); }
  Cell& operator[](size_t i) { return cells_[i]; }
  // Always inlined, as are the translator's cell(), slot() and push_local(): once translate()
  // grew past some size, g++ stopped inlining them into it, and loading got 7% slower.
  [[gnu::always_inline]] void push_back(Cell c) {
    if (n_ == capacity_) reallocate(2 * capacity_);
    cells_[n_++] = c;
  }
  void truncate(size_t n) { n_ = n; }  // takes back the cells from n on

 private:
  // Not std::vector: resizing one writes every new cell, and a large body made that a
  // measurable part of loading.
  [[gnu::noinline]] void reallocate(size_t capacity) {
    std::unique_ptr<Cell[]> bigger(new Cell[capacity]);
    std::copy(cells_.get(), cells_.get() + n_, bigger.get());
    cells_ = std::move(bigger);
    capacity_ = capacity;
  }
  std::unique_ptr<Cell[]> cells_;
  size_t capacity_ = 0, n_ = 0;
};

// Translates each body as the validator reads it (BodyListener): begin_body, then every
// instruction (already validated), then end_body.
class FuncCompiler final : public BodyListener {
 public:
  FuncCompiler(const ModuleDesc& m, CompiledModule& cm) : m_(m), cm_(cm) {}
  void begin_body(uint32_t defined_index) override;
  void instr(const Instr& in) override { translate(in); }
  void end_body() override;

 private:
  // ---- emission
  void op(IOp o) {
    if (offsets_->empty() || offsets_->back().code_index != code_.size())
      offsets_->push_back({uint32_t(code_.size()), cur_offset_});
    Cell c;
    c.op = handlers_[size_t(o)];
    code_.push_back(c);
  }
  [[gnu::always_inline]] void cell(uint64_t v) {
    Cell c;
    c.u = v;
    code_.push_back(c);
  }
  [[gnu::always_inline]] void slot(uint32_t s) { cell(s); }
  // The two constants of a fused memory access in one cell (the interpreter's EA_ADD/EA_IDX):
  // the 32-bit addend (or shift) low, the memarg offset (validated < 2^32) high.
  void address_cell(uint64_t low, uint64_t offset) { cell(uint32_t(low) | offset << 32); }
  size_t here() const { return code_.size(); }
  void target_cell(size_t index) {
    targets_.push_back(here());
    cell(index);
  }
  // Branch target to a label: loops are known, forward labels get patched at bind time.
  void label_cell(Control& c) {
    if (c.op == Op::Loop) {
      target_cell(c.loop_start);
    } else {
      size_t at = here();
      target_cell(c.fixup_head);
      c.fixup_head = at;
    }
  }
  void add_fixup(Control& c, size_t cell_index) {  // an existing target cell, for bind()
    code_[cell_index].u = c.fixup_head;
    c.fixup_head = cell_index;
  }
  void bind(Control& c) {
    for (size_t f = c.fixup_head; f != SIZE_MAX;) {
      size_t previous = code_[f].u;
      code_[f].u = here();
      f = previous;
    }
    c.fixup_head = SIZE_MAX;
    label_here();
  }
  // A jump may land here: nothing may fuse across this point, and what the translator knew
  // about locals' values no longer holds.
  void label_here() {
    last_ = LastOp{};
    increment_ = Increment{};
    still_zero_.clear();
  }
  // Removes the last instruction so a fused one can take its place; returns what it was.
  LastOp unemit_last() {
    LastOp l = last_;
    take_back(l.start);
    last_ = LastOp{};
    return l;
  }
  // Drops the code from `start` on, with its offset entries.
  void take_back(size_t start) {
    code_.truncate(start);
    while (!offsets_->empty() && offsets_->back().code_index >= start) offsets_->pop_back();
    // A lag that began after the instruction taken back begins at the one that replaces it.
    for (Deferred& d : deferred_) d.since = std::min(d.since, start);
  }
  // Is stack entry i the result of the instruction just emitted (so it can be fused away)?
  bool fresh(uint32_t i) const {
    return stack_[i].kind == Operand::Stack && last_.end == here() && last_.dst == int64_t(home(i));
  }
  void patch_here(size_t fixup) {
    code_[fixup].u = here();
    label_here();
  }

  // ---- operand stack
  uint32_t height() const { return uint32_t(stack_.size()); }
  // Frame: locals, then one slot that is always zero (the base of constant addresses), then
  // the home slots.
  uint32_t zero_slot() const { return num_locals_; }
  uint32_t home(uint32_t h) const { return num_locals_ + 1 + h; }
  void push_stack() {
    stack_.push_back({});
    if (height() > max_height_) max_height_ = height();
  }
  [[gnu::always_inline]] void push_local(uint32_t x) {
    const Deferred* d = deferred_.empty() ? nullptr : deferred(x);
    if (d)  // its slot lags: the value is the slot plus delta
      stack_.push_back({Operand::LocalPlus, x, d->delta});
    else
      stack_.push_back({Operand::Local, x, 0});
    bump();
  }
  void push_const(uint64_t bits) {
    stack_.push_back({Operand::Const, 0, bits});
    bump();
  }
  void bump() {
    if (height() > max_height_) max_height_ = height();
  }
  void pop(uint32_t n = 1) { stack_.erase(stack_.end() - n, stack_.end()); }

  // The slot that holds stack entry i, materializing it into its home slot if need be.
  uint32_t slot_of(uint32_t i) {
    Operand& o = stack_[i];
    if (o.kind == Operand::Local) return o.local;
    materialize(i);
    return home(i);
  }
  void materialize(uint32_t i) {
    Operand& o = stack_[i];
    if (o.kind == Operand::Stack) return;
    if (o.kind == Operand::Const) {
      op(IOp::Const);
      slot(home(i));
      cell(o.bits);
      last_ = LastOp{};
    } else if (o.kind == Operand::LocalPlus) {
      emit_local_plus(home(i), o);
    } else {
      emit_copy(home(i), o.local);
    }
    o = Operand{};
  }
  // Copies come in runs (phi moves before a back-edge, values for a label): two adjacent ones
  // become one Copy2. The copies run in order, so a second one reading the first's
  // destination still sees the new value. A label between them resets last_, so no jump can
  // land between two merged copies.
  void emit_copy(uint32_t dst, uint32_t src) {
    if (last_.op == IOp::Copy && last_.end == here()) {
      code_[last_.start].op = handlers_[size_t(IOp::Copy2)];
      slot(dst);
      slot(src);
      last_ = LastOp{};
      return;
    }
    size_t start = here();
    op(IOp::Copy);
    last_ = LastOp{};
    last_.dst = dst;
    last_.dst_cell = here();
    slot(dst);
    slot(src);
    last_.start = start;
    last_.end = here();
    last_.op = IOp::Copy;
  }
  void materialize_top(uint32_t n) {
    for (uint32_t i = height() - n; i < height(); i++) materialize(i);
  }
  // Before x is written: entries that read it lazily take its value now. `below` limits this to
  // entries under that height (the top, about to be stored to x, reads x safely itself).
  void materialize_local(uint32_t x, uint32_t below = UINT32_MAX) {
    for (uint32_t i = 0; i < height() && i < below; i++)
      if (stack_[i].reads(x)) materialize(i);
  }
  void materialize_all_locals() {
    for (uint32_t i = 0; i < height(); i++)
      if (stack_[i].kind == Operand::Local || stack_[i].kind == Operand::LocalPlus) materialize(i);
  }
  void emit_local_plus(uint32_t dst, const Operand& o) {
    size_t start = here();
    op(IOp::I32Add_si);
    slot(dst);
    slot(o.local);
    cell(uint32_t(o.bits));
    last_ = LastOp{};
    if (dst == o.local) increment_ = {start, here(), dst, uint32_t(o.bits)};
  }
  // The address a lazy LocalPlus or Const operand stands for, as the _add forms take it:
  // a base slot (the zero slot for a constant) and a 32-bit addend.
  static bool lazy_address(const Operand& o, uint32_t zero, uint64_t& base, uint64_t& add) {
    if (o.kind != Operand::LocalPlus && o.kind != Operand::Const) return false;
    base = o.kind == Operand::Const ? zero : o.local;
    add = uint32_t(o.bits);
    return true;
  }
  // An address sum just emitted (a base plus a constant, a base plus an index, or I32AddShl)
  // that the next load or store takes over: its _add form for a constant, else its _idx form.
  static bool is_address_sum(IOp o) {
    return o == IOp::I32Add_si || o == IOp::I32Add_ss || o == IOp::I32AddShl;
  }
  static IOp access_form(IOp access, IOp sum) {
    return IOp(uint16_t(access) + (sum == IOp::I32Add_si ? 1 : 2));
  }
  // The address cells of that form: base slot, index slot (_idx), then the packed constants.
  void address_cells(const LastOp& sum, uint64_t offset) {
    slot(uint32_t(sum.a));
    if (sum.op == IOp::I32Add_si) {
      address_cell(sum.b, offset);
      return;
    }
    slot(uint32_t(sum.b));
    address_cell(sum.op == IOp::I32AddShl ? sum.c : 0, offset);
  }
  // i32.add/i32.sub of a local (or a LocalPlus) and a constant stays lazy as a LocalPlus.
  bool lazy_add(IOp ss) {
    uint32_t h = height() - 2;
    const Operand x = stack_[h], y = stack_[h + 1];
    Operand r;
    r.kind = Operand::LocalPlus;
    if (ss == IOp::I32Add_ss && x.kind == Operand::Const &&
        (y.kind == Operand::Local || y.kind == Operand::LocalPlus)) {
      r.local = y.local;
      r.bits = uint32_t((y.kind == Operand::LocalPlus ? y.bits : 0) + x.bits);
    } else if ((ss == IOp::I32Add_ss || ss == IOp::I32Sub_ss) && y.kind == Operand::Const &&
               (x.kind == Operand::Local || x.kind == Operand::LocalPlus)) {
      uint64_t c = ss == IOp::I32Add_ss ? y.bits : 0 - y.bits;
      r.local = x.local;
      r.bits = uint32_t((x.kind == Operand::LocalPlus ? x.bits : 0) + c);
    } else {
      return false;
    }
    pop(2);
    stack_.push_back(r);
    bump();
    return true;
  }

  // ---- instruction families
  void unary(IOp o);
  void binary(IOp ss, bool commutative);
  void load(IOp o, uint64_t offset);
  void store(IOp o, uint64_t offset);
  void set_local(uint32_t x, bool tee);
  bool fuse_add_shl(uint32_t h);
  bool fuse_memory_operand(IOp ss, bool commutative);
  bool fuse_read_modify_write(IOp store_op, uint64_t offset);
  bool fuse_multiply_add(IOp add_ss);
  bool fuse_increment(uint32_t k, const LastOp& cmp);
  // Emits o for the wasm instruction at `wasm_offset` (a fused instruction that takes the place
  // of one that may trap reports that one's offset).
  void op_at(IOp o, uint32_t wasm_offset) {
    uint32_t saved = cur_offset_;
    cur_offset_ = wasm_offset;
    op(o);
    cur_offset_ = saved;
  }
  // Takes back the last instruction (see unemit_last) and returns its wasm offset.
  uint32_t unemit_last_keep_offset() {
    uint32_t wasm_offset = offsets_->back().wasm_offset;  // its entry starts at last_.start
    unemit_last();
    return wasm_offset;
  }
  void retire_readers_before_last(uint32_t x);
  void emit_result_dst(uint32_t h) {  // the destination cell of a value-producing op
    last_.dst = home(h);
    last_.dst_cell = here();
    slot(home(h));
  }
  // The end of a binary operator emitted from `start`: its two operands become its result.
  void finish_binary(size_t start, IOp o) {
    pop(2);
    push_stack();
    finish_value_op(start, o);
  }
  // Takes back the last instruction and starts `fused` in its place, with its wasm offset and
  // the destination cell of stack entry h; returns what was taken back.
  LastOp replace_last(IOp fused, uint32_t h) {
    LastOp taken = last_;
    op_at(fused, unemit_last_keep_offset());
    emit_result_dst(h);
    return taken;
  }
  // The slot stack entry i already sits in (a local, or a value in its home slot), or
  // UINT32_MAX if putting it in one takes code: a fusion may not emit code between the
  // instruction it takes back and the fused one.
  uint32_t slot_in_place(uint32_t i) {
    Operand::Kind k = stack_[i].kind;
    return k == Operand::Stack || k == Operand::Local ? slot_of(i) : UINT32_MAX;
  }
  void finish_value_op(size_t start, IOp o) {
    last_.start = start;
    last_.end = here();
    last_.op = o;
    last_.is_cmp = last_.is_fcmp = last_.is_eqz = false;
  }

  // ---- control
  void block_signature(const BlockType& bt, uint32_t& params, uint32_t& results);
  void enter_block(Op kind, const BlockType& bt);
  void copy_to_label(Control& c);
  bool values_in_place(Control& c);
  void branch(uint32_t depth);
  void branch_if(uint32_t depth);
  void branch_table(const Instr& in);
  void taken_path(Control& c, bool is_function);
  void emit_return();
  void end_block();
  void else_arm();
  void mark_unreachable();
  void conditional_jump(Control& c, bool jump_if_true);
  uint32_t call_args(uint32_t first, uint32_t n, ArgList& list);
  void emit_arg_list(const ArgList& list);
  void call(uint32_t func_index);
  void call_indirect(uint32_t type_index, uint32_t table);

  void simple(const Instr& in);
  void translate(const Instr& in);

  const ModuleDesc& m_;
  CompiledModule& cm_;
  const void* const* handlers_ = handler_table();
  CompiledFunc* fn_ = nullptr;
  CellBuffer code_;
  std::vector<OffsetEntry>* offsets_ = nullptr;
  std::vector<Operand> stack_;
  std::vector<Control> ctrl_;
  std::vector<size_t> targets_;
  uint32_t num_locals_ = 0, max_height_ = 0;
  uint32_t cur_offset_ = 0;
  // Declared locals not yet written on the straight-line code from the function's entry: they
  // still hold the zero every call starts them with, so storing a zero there needs no code.
  // Emptied at the first label.
  std::vector<bool> still_zero_;
  ArgList arg_list_;
  uint32_t dead_depth_ = 0;  // nested blocks inside unreachable code
  LastOp last_;
  Increment increment_;
  // Deferred increments (see set_local): locals whose slot lags behind their value.
  struct Deferred {
    uint32_t local, delta;
    size_t since;  // code index where the slot began to lag
  };
  std::vector<Deferred> deferred_;
  // Loops' locals written before read (see Control), with the code index where that write
  // ends; nested loops' entries come after their enclosing loop's, so this is a stack.
  struct LoopWrite {
    uint32_t local;
    size_t end;
  };
  std::vector<LoopWrite> loop_writes_;
  std::vector<uint32_t> scan_seen_;  // locals met so far on the scanning loop's header code
  const LoopWrite* writes_first(const Control& loop, uint32_t x) const {
    for (uint32_t i = loop.writes_begin; i < loop.writes_end; i++)
      if (loop_writes_[i].local == x) return &loop_writes_[i];
    return nullptr;
  }
  Deferred* deferred(uint32_t x) {
    for (Deferred& d : deferred_)
      if (d.local == x) return &d;
    return nullptr;
  }
  void end_deferred(uint32_t x);
  void flush_deferred();
  // Out of line, to keep translate() small (see CellBuffer::push_back).
  [[gnu::noinline]] void flush_for(const Instr& in);
  void flush_deferred_one(Deferred d);
  [[gnu::noinline]] void scan_loop_header(const Instr& in);
};

void FuncCompiler::unary(IOp o) {
  uint32_t h = height() - 1;
  uint32_t a = slot_of(h);
  size_t start = here();
  op(o);
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
  if (ss == IOp::I32Add_ss && fuse_add_shl(h)) return;
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
  IOp o = imm ? IOp(uint16_t(ss) + 1) : ss;
  op(o);
  emit_result_dst(h);
  slot(a);
  cell(b);
  finish_binary(start, o);
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

// `x op (T.load addr)`: a plain load of the operator's type just emitted, one operand of the
// operator, becomes the operator's memory operand (`_sm`). The other operand must already sit
// in a slot (materializing it would emit code after the load). A load as the first operand
// takes the `_ms` form (`[ea] - x`) of a non-commutative operator, or swaps the operands of a
// commutative one. Float add and mul count as commutative here: swapped, they differ only in
// which NaN payload wins when both operands are NaN, and the spec leaves that choice to the
// engine.
bool FuncCompiler::fuse_memory_operand(IOp ss, bool commutative) {
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
  return true;
}

// `x * y + z` or `z + x * y`: the float multiply just emitted, whose result only this add
// reads, and the add become one MulAdd. z must already sit in a slot (materializing it would
// emit code after the multiply). Float add is commutative here, as in fuse_memory_operand.
bool FuncCompiler::fuse_multiply_add(IOp add_ss) {
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
  op_at(form.rmw, unemit_last_keep_offset());
  slot(uint32_t(base));
  address_cell(add, offset);
  slot(uint32_t(x));
  pop(2);
  last_ = LastOp{};
  return true;
}

// `x = x + step` just before a compare of x and a branch back to the loop header: one
// BrInc instruction (k is the compare's position in the Eq..GeU order).
bool FuncCompiler::fuse_increment(uint32_t k, const LastOp& cmp) {
  if (increment_.end != here() || increment_.local != cmp.a) return false;
  Increment inc = increment_;
  uint32_t wasm_offset = offsets_->back().wasm_offset;  // the increment's entry
  take_back(inc.start);
  op_at(IOp(uint16_t(IOp::BrIncI32Eq_ss_loop) + 2 * k + (cmp.imm ? 1 : 0)), wasm_offset);
  cell(inc.local);
  cell(inc.step);
  cell(cmp.b);
  increment_ = Increment{};
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
  uint32_t h = height() - 2;
  uint64_t base, add;
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    uint32_t v = slot_of(h + 1);  // may materialize: before the instruction
    op(IOp(uint16_t(o) + 1));     // the _add form
    slot(uint32_t(base));
    address_cell(add, offset);
    slot(v);
    // An address just computed fuses only when nothing was emitted after it: the value is a local.
  } else if (stack_[h + 1].kind == Operand::Local && fresh(h) && is_address_sum(last_.op)) {
    uint32_t v = slot_of(h + 1);
    IOp form = access_form(o, last_.op);
    LastOp sum = unemit_last();
    op(form);
    address_cells(sum, offset);
    slot(v);
  } else {
    uint32_t a = slot_of(h), v = slot_of(h + 1);  // may materialize: before the instruction
    op(o);
    slot(a);
    slot(v);
    cell(offset);
  }
  pop(2);
  last_ = LastOp{};
}

void FuncCompiler::set_local(uint32_t x, bool tee) {
  uint32_t h = height() - 1;
  Operand top = stack_[h];
  if (x < still_zero_.size() && still_zero_[x]) {
    if (top.kind == Operand::Const && top.bits == 0) {  // (bits: +0.0 and null are zero too)
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
    code_[last_.dst_cell].u = x;
    last_ = LastOp{};
  } else {
    materialize_local(x, h);  // entries still reading the old value keep it
    top = stack_[h];
    if (top.kind == Operand::Const) {
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
      fn_->deferred_adds.push_back({uint32_t(d.since), uint32_t(here()), d.local, d.delta});
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

void FuncCompiler::block_signature(const BlockType& bt, uint32_t& params, uint32_t& results) {
  switch (bt.kind) {
    case BlockType::Empty:
      params = results = 0;
      break;
    case BlockType::Value:
      params = 0;
      results = 1;
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
  block_signature(bt, c.params, c.results);
  // Entries below the block may not stay lazy on a local: the block could write it on one
  // path only. Parameters go to their home slots, where branches to a loop put them too.
  materialize_all_locals();
  materialize_top(c.params);
  c.height = height() - c.params;
  if (kind == Op::Loop) {
    label_here();
    c.loop_start = here();
    c.scanning = true;
    c.writes_begin = c.writes_end = uint32_t(loop_writes_.size());
    scan_seen_.clear();
  }
  ctrl_.push_back(std::move(c));
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
void FuncCompiler::copy_to_label(Control& c) {
  uint32_t n = c.arity();
  uint32_t first = height() - n;
  for (uint32_t i = 0; i < n; i++) {
    Operand& o = stack_[first + i];
    uint32_t dst = home(c.height + i);
    if (o.kind == Operand::Const) {
      op(IOp::Const);
      slot(dst);
      cell(o.bits);
    } else if (o.kind == Operand::LocalPlus) {
      emit_local_plus(dst, o);
    } else {
      uint32_t src = o.kind == Operand::Local ? o.local : home(first + i);
      if (src != dst) emit_copy(dst, src);
    }
  }
}

void FuncCompiler::emit_return() {
  uint32_t n = fn_->num_results;
  if (n == 0) {
    op(IOp::Return0);
  } else if (n == 1) {
    uint32_t s = slot_of(height() - 1);
    op(IOp::Return1);
    slot(s);
  } else {
    std::vector<uint32_t> srcs;
    for (uint32_t i = height() - n; i < height(); i++) srcs.push_back(slot_of(i));
    op(IOp::ReturnN);
    cell(n);
    for (uint32_t s : srcs) slot(s);
  }
  last_ = LastOp{};
}

void FuncCompiler::mark_unreachable() {
  Control& c = ctrl_.back();
  c.unreachable = true;
  stack_.resize(c.height);
}

void FuncCompiler::branch(uint32_t depth) {
  Control& c = ctrl_[ctrl_.size() - 1 - depth];
  if (depth == ctrl_.size() - 1) {
    emit_return();
  } else {
    copy_to_label(c);
    op(c.op == Op::Loop ? IOp::BrLoop : IOp::Br);
    label_cell(c);
  }
  mark_unreachable();
}

// Emits a jump to `c` taken when the popped condition is true (or false). Fuses with an i32
// compare or eqz emitted just before.
void FuncCompiler::conditional_jump(Control& c, bool jump_if_true) {
  uint32_t h = height() - 1;
  bool loop = c.op == Op::Loop;
  bool fresh = this->fresh(h);
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
    if (!(loop && !is64 && fuse_increment(k, l))) {
      op(fused);
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
    op(fused);
    cell(l.a);
    cell(l.b);
    label_cell(c);
  } else if (fresh && last_.is_eqz && !loop) {
    LastOp l = unemit_last();
    op(jump_if_true ? IOp::BrUnless : IOp::BrIf);
    cell(l.a);
    label_cell(c);
  } else {
    uint32_t s = slot_of(h);
    if (jump_if_true) {
      op(loop ? IOp::BrIfLoop : IOp::BrIf);
    } else {
      op(IOp::BrUnless);  // only used for forward jumps (if/else)
    }
    slot(s);
    label_cell(c);
  }
  last_ = LastOp{};
  pop();
}

void FuncCompiler::branch_if(uint32_t depth) {
  Control& c = ctrl_[ctrl_.size() - 1 - depth];
  bool is_function = depth == ctrl_.size() - 1;
  Operand cond = stack_.back();
  pop();  // look at the values under the condition
  bool in_place = !is_function && values_in_place(c);
  stack_.push_back(cond);
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
  std::vector<Operand> saved = stack_;
  if (is_function) {
    emit_return();
  } else {
    copy_to_label(c);
    op(c.op == Op::Loop ? IOp::BrLoop : IOp::Br);
    label_cell(c);
  }
  stack_ = std::move(saved);
  last_ = LastOp{};
}

void FuncCompiler::branch_table(const Instr& in) {
  uint32_t idx = slot_of(height() - 1);
  pop();
  const std::vector<uint32_t>& labels = *in.table;  // then the default, in.a
  size_t n = labels.size() + 1;
  op(IOp::BrTable);
  slot(idx);
  cell(n - 1);
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
  if (!c.unreachable) materialize_top(c.results);
  if (c.else_fixup != SIZE_MAX) patch_here(c.else_fixup);  // `if` without else
  bind(c);
  uint32_t h = c.height, results = c.results;
  if (c.op == Op::Loop) loop_writes_.resize(c.writes_begin);
  ctrl_.pop_back();
  stack_.resize(h);
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
  stack_.resize(c.height);
  for (uint32_t i = 0; i < c.params; i++) push_stack();
}

// Call arguments: the callee's frame starts at the first argument's home slot. Arguments
// still lazy are put there by the call instruction itself, which saves a dispatch per
// argument: a list of source slots (locals; empty when every argument is already in place),
// then a list of (argument, constant) pairs.
uint32_t FuncCompiler::call_args(uint32_t first, uint32_t n, ArgList& list) {
  list.sources.clear();
  list.constants.clear();
  bool in_place = true;
  for (uint32_t i = first; i < first + n; i++) {
    uint32_t s = home(i);
    if (stack_[i].kind == Operand::Const) {
      list.constants.push_back({i - first, stack_[i].bits});
    } else {
      s = slot_of(i);  // a local, or the home slot (materializing a LocalPlus)
    }
    in_place = in_place && s == home(i);
    list.sources.push_back(s);  // a constant's own home slot: a harmless self-copy
  }
  if (in_place) list.sources.clear();
  return home(first);
}

void FuncCompiler::emit_arg_list(const ArgList& list) {
  cell(list.sources.size());
  for (uint32_t s : list.sources) slot(s);
  cell(list.constants.size());
  for (auto [index, bits] : list.constants) {
    cell(index);
    cell(bits);
  }
}

void FuncCompiler::call(uint32_t func_index) {
  const FuncType& t = m_.func_type(func_index);
  uint32_t n = uint32_t(t.params.size());
  ArgList& sources = arg_list_;  // reused: no allocation per call
  uint32_t arg = call_args(height() - n, n, sources);
  // A call to a wasm function whose arguments were all computed into their places (the usual
  // case) needs no argument list to run through.
  bool in_place =
      func_index >= m_.num_imported_funcs && sources.sources.empty() && sources.constants.empty();
  if (func_index < m_.num_imported_funcs) {
    op(IOp::CallImport);
    cell(func_index);
  } else {
    op(in_place ? IOp::CallInPlace : IOp::Call);
    Cell c;
    c.func = &cm_.funcs[func_index - m_.num_imported_funcs];
    code_.push_back(c);
  }
  slot(arg);
  if (!in_place) emit_arg_list(sources);
  pop(n);
  for (size_t i = 0; i < t.results.size(); i++) push_stack();
  last_ = LastOp{};
}

void FuncCompiler::call_indirect(uint32_t type_index, uint32_t table) {
  const FuncType& t = m_.types[type_index];
  uint32_t n = uint32_t(t.params.size());
  uint32_t idx = slot_of(height() - 1);
  ArgList& sources = arg_list_;  // reused: no allocation per call
  uint32_t arg = call_args(height() - 1 - n, n, sources);
  op(IOp::CallIndirect);
  cell(cm_.type_ids[type_index]);
  cell(table);
  slot(idx);
  slot(arg);
  emit_arg_list(sources);
  pop(n + 1);
  for (size_t i = 0; i < t.results.size(); i++) push_stack();
  last_ = LastOp{};
}

// Instructions that map one-to-one onto an internal instruction of the same name: numeric
// operators, loads and stores. The table comes from execute/iops.def.
enum class Family : uint8_t { None, Unary, Binary, Load, Store };
struct SimpleOp {
  Family family = Family::None;
  IOp iop = IOp::Nop;
};

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
    return t;
  }();
  return table[size_t(op)];
}

const MemForm& mem_form(IOp ss) {
  static const auto table = [] {
    std::array<MemForm, size_t(IOp::Count)> t{};
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

// Binary operators whose operands may swap, so a constant first operand becomes the immediate.
bool commutative(Op op) {
  switch (op) {
    case Op::I32Eq:
    case Op::I32Ne:
    case Op::I32Add:
    case Op::I32Mul:
    case Op::I32And:
    case Op::I32Or:
    case Op::I32Xor:
    case Op::I64Eq:
    case Op::I64Ne:
    case Op::I64Add:
    case Op::I64Mul:
    case Op::I64And:
    case Op::I64Or:
    case Op::I64Xor:
      return true;
    default:
      return false;
  }
}

void FuncCompiler::simple(const Instr& in) {
  const SimpleOp& s = simple_op(in.op);
  switch (s.family) {
    case Family::Unary:
      unary(s.iop);
      break;
    case Family::Binary:
      binary(s.iop, commutative(in.op));
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
    uint16_t code = uint16_t(in.op);
    if (!keeps_deferred(in.op) && !(code >= 0x45 && code <= 0x66)) c.scanning = false;
    return;
  }
  if (std::find(scan_seen_.begin(), scan_seen_.end(), in.a) != scan_seen_.end()) return;
  scan_seen_.push_back(in.a);
  if (is_set) {  // the write's end is set once it is translated
    loop_writes_.push_back({in.a, SIZE_MAX});
    c.writes_end++;
  }
}

// Emits the deferred additions that `in` needs first. A br_if back to a loop keeps those of
// the locals the loop writes before reading them: they are dead on that path, and stay
// deferred on the path that falls through. A compare keeps the same ones for the br_if that
// usually follows it, and emits those of the locals it reads last, so that a loop counter's
// step still fuses with the compare and the branch. Anything else emits them all.
void FuncCompiler::flush_for(const Instr& in) {
  uint16_t code = uint16_t(in.op);
  bool compare = code >= 0x45 && code <= 0x66;
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
    DeadLocal dead{uint32_t(loop->loop_start), uint32_t(w->end), d.local};
    auto& all = fn_->dead_locals;
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
        dead_depth_++;
        return;
      case Op::Else:
        if (dead_depth_ == 0) else_arm();
        return;
      case Op::End:
        if (dead_depth_ > 0)
          dead_depth_--;
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
      ctrl_.push_back(std::move(c));
      break;
    }
    case Op::Else:
      else_arm();
      break;
    case Op::End:
      end_block();
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
    case Op::Drop:
      pop();
      break;
    case Op::Select:
    case Op::SelectT: {
      // Constant values stay immediates: Select (slots), SelectI_ (first immediate),
      // Select_I (second), SelectII (both), in that order in iops.def.
      const Operand x = stack_[h - 3], y = stack_[h - 2];
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
      push_local(in.a);
      break;
    case Op::LocalSet:
    case Op::LocalTee:
      set_local(in.a, in.op == Op::LocalTee);
      if (loop_writes_.size() > writes_before) loop_writes_.back().end = here();
      break;
    case Op::GlobalGet: {
      size_t start = here();
      push_stack();
      op(IOp::GlobalGet);
      emit_result_dst(h);
      cell(in.a);
      finish_value_op(start, IOp::GlobalGet);
      break;
    }
    case Op::GlobalSet: {
      uint32_t s = slot_of(h - 1);
      op(IOp::GlobalSet);
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
      last_ = LastOp{};
      break;
    }
    case Op::MemoryGrow: {
      uint32_t n = slot_of(h - 1);
      op(IOp::MemoryGrow);
      slot(home(h - 1));
      slot(n);
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
    case Op::RefFunc: {
      size_t start = here();
      push_stack();
      op(IOp::RefFunc);
      emit_result_dst(h);
      cell(in.a);
      finish_value_op(start, IOp::RefFunc);
      break;
    }
    // Bulk memory and tables: operands are all in slots.
    case Op::MemoryInit:
    case Op::MemoryCopy:
    case Op::MemoryFill:
    case Op::TableCopy:
    case Op::TableInit:
    case Op::TableFill: {
      uint32_t s3 = slot_of(h - 1), s2 = slot_of(h - 2), s1 = slot_of(h - 3);
      switch (in.op) {
        case Op::MemoryInit:
          op(IOp::MemoryInit);
          cell(in.a);
          break;
        case Op::MemoryCopy:
          op(IOp::MemoryCopy);
          break;
        case Op::MemoryFill:
          op(IOp::MemoryFill);
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
      simple(in);
      break;
  }
}

void FuncCompiler::begin_body(uint32_t defined_index) {
  const FuncBody& body = m_.bodies[defined_index];
  uint32_t func_index = m_.num_imported_funcs + defined_index;
  const FuncType& type = m_.func_type(func_index);
  fn_ = &cm_.funcs[defined_index];
  fn_->func_index = func_index;
  fn_->num_params = uint32_t(type.params.size());
  fn_->num_results = uint32_t(type.results.size());
  fn_->local_types = type.params;
  fn_->local_types.insert(fn_->local_types.end(), body.locals.begin(), body.locals.end());
  fn_->num_locals = uint32_t(fn_->local_types.size());
  num_locals_ = fn_->num_locals;
  fn_->zeroed_slots = num_locals_ + 1;  // declared locals and the zero slot
  offsets_ = &fn_->offsets;
  stack_.clear();
  ctrl_.clear();
  targets_.clear();
  max_height_ = 0;
  dead_depth_ = 0;
  last_ = LastOp{};
  increment_ = Increment{};
  deferred_.clear();
  loop_writes_.clear();
  still_zero_.assign(num_locals_, true);
  std::fill_n(still_zero_.begin(), fn_->num_params, false);

  Control body_ctrl;
  body_ctrl.results = fn_->num_results;
  ctrl_.push_back(body_ctrl);
  size_t body_size = body.code_end - body.code_begin;
  code_.start(body_size * 2);  // measured: about 1.5 cells per byte of wasm
  offsets_->reserve(body_size / 2);
}

void FuncCompiler::end_body() {
  // Frame: locals, the deepest operand stack, and scratch for multi-value returns.
  uint32_t returns = fn_->num_results > 1 ? fn_->num_results : 0;
  fn_->frame_slots = std::max(home(max_height_) + returns, fn_->num_results);
  code_.finish(fn_->code);
  std::vector<Cell>& code = fn_->code;
  for (size_t t : targets_) code[t].target = code.data() + code[t].u;
}

// Below this much code, starting a thread costs more than it saves (about 1.5 ms of work).
constexpr size_t kParallelCodeBytes = 64 * 1024;
// Bodies are handed out in chunks of this many: small enough that a thread that starts late
// (waking a core can take a millisecond or two on these VMs) still gets its share.
constexpr uint32_t kChunkBodies = 16;

// Cores this process may run on: hardware_concurrency() counts the machine's, but under
// `taskset` or a container's CPU set a second thread would only share the one core.
unsigned usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return unsigned(CPU_COUNT(&set));
  return std::thread::hardware_concurrency();
}

bool worth_a_thread(const ModuleDesc& m) {
  if (m.bodies.size() < 2 * kChunkBodies || usable_cores() < 2) return false;
  size_t total = 0;
  for (const FuncBody& b : m.bodies) total += b.code_end - b.code_begin;
  return total >= kParallelCodeBytes;
}

// Validates and translates chunks of bodies taken in increasing order from `next` until none
// are left or one fails. Chunks are claimed in order and each is finished unless it fails, so
// the failed chunk with the lowest start holds the error one thread going in order would meet.
struct ChunkWorker {
  const ModuleValidation& validation;
  std::atomic<uint32_t>& next;
  uint32_t n;
  FuncCompiler compiler;
  uint32_t chunk = UINT32_MAX;  // the chunk being worked on: the failed one after an error
  std::exception_ptr error;

  void run() {
    auto claim = [this](uint32_t& first, uint32_t& last) {
      first = next.fetch_add(kChunkBodies);
      if (first >= n) return false;
      chunk = first;
      last = std::min(n, first + kChunkBodies);
      return true;
    };
    try {
      validation.bodies(claim, &compiler);
      chunk = UINT32_MAX;
    } catch (...) {
      error = std::current_exception();
    }
  }
};

}  // namespace

// Bodies are independent once the module-level rules hold, so a large module is validated and
// translated by two threads (this one and the helper thread), each with its own translator,
// writing disjoint CompiledFuncs. A small one goes through the same chunks on this thread.
std::unique_ptr<CompiledModule> validate_and_compile(const ModuleDesc& m) {
  auto cm = std::make_unique<CompiledModule>();
  for (const FuncType& t : m.types) cm->type_ids.push_back(intern_func_type(t));
  cm->funcs.resize(m.bodies.size());  // sized first: calls point at their callee's entry
  ModuleValidation validation(m);
  uint32_t n = uint32_t(m.bodies.size());
  std::atomic<uint32_t> next{0};
  ChunkWorker main_worker{validation, next, n, FuncCompiler(m, *cm), UINT32_MAX, nullptr};
  ChunkWorker helper_worker{validation, next, n, FuncCompiler(m, *cm), UINT32_MAX, nullptr};
  bool shared = worth_a_thread(m) && helper_thread_try_start([&] { helper_worker.run(); });
  main_worker.run();
  if (shared) helper_thread_wait();
  const ChunkWorker& first_failure =
      main_worker.chunk < helper_worker.chunk ? main_worker : helper_worker;
  if (first_failure.error) std::rethrow_exception(first_failure.error);
  return cm;
}

uint32_t CompiledFunc::wasm_offset_at(const Cell* pc) const {
  if (offsets.empty()) return 0;
  uint32_t index = uint32_t(pc - code.data());
  auto it = std::upper_bound(offsets.begin(), offsets.end(), index,
                             [](uint32_t i, const OffsetEntry& e) { return i < e.code_index; });
  if (it == offsets.begin()) return offsets.front().wasm_offset;
  return std::prev(it)->wasm_offset;
}

bool CompiledFunc::local_is_dead(uint32_t i, const Cell* pc) const {
  uint32_t index = uint32_t(pc - code.data());
  for (const DeadLocal& d : dead_locals)
    if (d.local == i && index >= d.code_begin && index < d.code_end) return true;
  return false;
}

uint64_t CompiledFunc::local_value(const uint64_t* fp, uint32_t i, const Cell* pc) const {
  uint32_t index = uint32_t(pc - code.data());
  for (const DeferredAdd& d : deferred_adds)
    if (d.local == i && index >= d.code_begin && index < d.code_end)
      return uint32_t(fp[i] + d.delta);
  return fp[i];
}

}  // namespace glint::detail
