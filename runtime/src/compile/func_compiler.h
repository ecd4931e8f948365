// The translator: wasm function bodies -> slot code (execute/iops.def). The wasm operand stack
// is resolved at translation time: each stack height h has a home slot (num_locals + 1 + h) in
// the frame, so instructions name their operands by slot and nothing is pushed or popped at
// run time.
//
// Operands stay lazy while they can: `local.get x` and constants push a reference to the local
// or the value, so `i32.mul (local.get 0) (i32.const 3)` becomes one `I32Mul_si` instruction,
// and `local + constant` (mostly addresses) stays lazy too, so loads and stores take it as
// their `_add` form. A lazy operand is written to its home slot ("materialized") only when
// something needs it there: a write to its local, a block boundary, a call, a branch carrying
// values. The fusions are listed in runtime/DESIGN.md ("Slot code").
//
// Sources: translate.cpp (the instruction switch; operators, memory accesses, locals: the path
// every instruction takes), translate_fusions.cpp (the fusion matchers), translate_control.cpp
// (blocks, branches, calls);
// compiler.cpp runs the translator over a module's bodies on one or two threads.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "compile/code.h"
#include "decode/instr.h"
#include "decode/module.h"
#include "validate/validator.h"

namespace glint::detail {

// A wasm operand stack entry as the translator sees it. Local, Const and LocalPlus are lazy:
// no code has computed them yet.
struct Operand {
  enum Kind : uint8_t {
    Stack,      // in its home slot
    Local,      // the value of a local (`local` is its slot)
    Const,      // a constant: bits (a v128's: an index in FuncCompiler::v128_consts_)
    LocalPlus,  // i32: a local plus a constant (bits), e.g. an address; loads and stores
                // take it as their _add form, anything else materializes it
  };
  Operand(Kind k = Stack, uint32_t l = 0, uint64_t b = 0) : kind(k), local(l), bits(b) {}
  Kind kind;
  bool wide = false;  // a v128: two slots (its home and the next; a local's two)
  uint32_t local;
  uint64_t bits;
  bool reads(uint32_t x) const { return (kind == Local || kind == LocalPlus) && local == x; }
};

// The translator's operand stack: the entries, and the home slot of each (the slot it is
// computed into, after the entries below it). A push is on nearly every instruction's path,
// and g++ does not inline std::vector's push_back into the translator (see CellBuffer): here
// it is two stores and an increment. Copies copy the entries only.
class OperandStack {
 public:
  OperandStack() = default;
  OperandStack(const OperandStack& o) { *this = o; }
  OperandStack& operator=(const OperandStack& o) {
    v_.assign(o.begin(), o.end());
    homes_.assign(o.homes_.begin(), o.homes_.begin() + o.n_);
    n_ = o.n_;
    return *this;
  }
  uint32_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  Operand& operator[](size_t i) { return v_[i]; }
  const Operand& operator[](size_t i) const { return v_[i]; }
  uint32_t home(size_t i) const { return homes_[i]; }
  Operand& back() { return v_[n_ - 1]; }
  const Operand& back() const { return v_[n_ - 1]; }
  Operand* begin() { return v_.data(); }
  Operand* end() { return v_.data() + n_; }
  const Operand* begin() const { return v_.data(); }
  const Operand* end() const { return v_.data() + n_; }
  [[gnu::always_inline]] void push_back(const Operand& o, uint32_t home) {
    if (n_ == v_.size()) grow();
    homes_[n_] = home;
    v_[n_++] = o;
  }
  void pop(uint32_t k) { n_ -= k; }
  void truncate(uint32_t k) { n_ = std::min(n_, k); }  // to height k, which is not above
  void clear() { n_ = 0; }

 private:
  [[gnu::noinline]] void grow() {
    size_t n = std::max<size_t>(32, 2 * v_.size());
    v_.resize(n);
    homes_.resize(n);
  }
  std::vector<Operand> v_;  // [0, n_) are the entries
  std::vector<uint32_t> homes_;
  uint32_t n_ = 0;
};

IOp reversed_form(IOp ss);  // translate.cpp, with the other instruction tables
// The float accumulator (execute/acc_iops.def), translate.cpp: the width of the float result
// `o` leaves in the accumulator (32, 64; 0 if it leaves none), and the accumulator form of
// `o` (a _ss, _si or unary slot form), Nop if it has none.
uint8_t accumulator_width(IOp o);
IOp accumulator_form(IOp o);
uint8_t accumulator_read(IOp acc);  // the width of the accumulator `acc` reads
IOp accumulator_same_form(IOp ss);  // the _aa form of `a op a` (both from it), or Nop
IOp swapped_form(IOp ss);
// The float accumulator form of `o` that reads its second operand there (sub and div: _sa for
// _ss, _ia for _is), of a MulAdd that reads x (_a) or, `addend`, z (_za), or of a store that
// reads its value there (_v, _addv, _idxv); Nop if it has none.
IOp accumulator_second_form(IOp o, bool addend = false);
// The integer accumulator (execute/iacc_iops.def), translate_iacc.cpp: whether `o` (as the
// translator records it: a slot form) leaves its result in the integer accumulator, and the
// integer accumulator form of the slot form `o`, or Nop.
bool leaves_int_accumulator(IOp o);
IOp int_accumulator_form(IOp o);
IOp int_accumulator_second_form(IOp o);  // the form reading its second slot operand there
IOp int_accumulator_value_form(IOp o);   // a store's form reading the value it stores there
// The handler `op` with an integer accumulator form replaced by its slot form.
const void* without_int_accumulator(const void* op);
// The cell of an accumulator form whose slot it reads from the register (0: not such a form).
int int_accumulator_cell(IOp o);

// At most this many locals wait for a deferred addition at once (see set_local): loops that
// bump four pointers and a counter (zstd's, stb_image's) keep all five.
constexpr size_t kMaxDeferred = 8;

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
  // Loop: the loop register (RegLoad in iops.def). A loop that may take it (read ahead:
  // may_take_register) starts with a RegLoad before its header; reg_cell is its slot cell. A
  // counter step fused with the branch back (BrInc) in an innermost loop without calls takes the
  // register for its local: the RegLoad then loads it, and the loop's additions of it read the
  // register (FuncCompiler::take_loop_register).
  size_t reg_cell = SIZE_MAX;       // SIZE_MAX: no RegLoad, the loop cannot take it
  uint32_t reg_local = UINT32_MAX;  // the local the register holds in this loop, once taken
  bool reg_free = true;    // nothing in the loop so far changes the register (call, inner loop)
  bool reg_stale = false;  // taken, and since then something may have changed it or the local
  size_t outer_loop = SIZE_MAX;  // the enclosing loop's index in the translator's ctrl_
  // Exception handling: the handler current for code directly inside this block; for a Try
  // (op Try while in its body, Catch or CatchAll in its handlers), its handler and the one
  // current around it.
  uint32_t handler_inside = kNoHandler;
  uint32_t handler = kNoHandler, handler_outside = kNoHandler;
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
// emission is a good part of loading time). finish() copies the exact cells out, or hands a
// large body's buffer over whole.
class CellBuffer {
 public:
  void start(size_t expected) {
    n_ = 0;
    if (capacity_ < expected + 16) reallocate(std::max(expected + 16, 2 * capacity_));
  }
  // A large body's cells are not copied (that memcpy was 2.6% of the instructions of loading
  // large.wasm): its buffer becomes the code, with the room it had to spare (about a quarter:
  // start() asks for 2 cells per byte, bodies take about 1.5), never written, and the next
  // body gets a new buffer.
  void finish(CellVector& out) {
    if (n_ < kHandOver) {
      out.clear();  // resize() then leaves the cells unwritten, and copy_n is a memmove
      out.resize(n_);
      std::copy_n(data_, n_, out.data());
      return;
    }
    cells_.resize(n_);
    out = std::move(cells_);
    cells_ = CellVector();
    data_ = nullptr;
    capacity_ = n_ = 0;
  }
  size_t size() const { return n_; }
  Cell* data() { return data_; }
  Cell& operator[](size_t i) { return data_[i]; }
  // Always inlined, as are the translator's cell(), slot() and push_local(): once translate()
  // grew past some size, g++ stopped inlining them into it, and loading got 7% slower.
  [[gnu::always_inline]] void push_back(Cell c) {
    if (n_ == capacity_) reallocate(2 * capacity_);
    data_[n_++] = c;
  }
  void truncate(size_t n) { n_ = n; }  // takes back the cells from n on

 private:
  static constexpr size_t kHandOver = 16 * 1024;  // cells: 128 KiB
  // CellVector's resize() writes nothing: a large body's buffer is written once, by the
  // translator.
  [[gnu::noinline]] void reallocate(size_t capacity) {
    if (capacity <= cells_.capacity()) {
      cells_.resize(capacity);
    } else {
      CellVector bigger(capacity);
      std::copy_n(data_, n_, bigger.data());
      cells_ = std::move(bigger);
    }
    data_ = cells_.data();
    capacity_ = capacity;
  }
  CellVector cells_;  // [0, n_) is the code; its size, capacity_, what can be written
  Cell* data_ = nullptr;
  size_t capacity_ = 0, n_ = 0;
};

// Translates each body as the validator reads it (BodyListener): begin_body, then every
// instruction (already validated), then end_body.
class FuncCompiler final : public BodyListener {
  friend class OperandProbe;  // debug/operand_stack.cpp: reads the operand stack as it goes

 public:
  FuncCompiler(const ModuleDesc& m, CompiledModule& cm) : m_(m), cm_(cm) {}
  void begin_body(uint32_t defined_index) override;
  void instr(const Instr& in) override { translate(in); }
  void end_body() override;

 private:
  // ---- emission
  // Always inlined: g++'s choice to inline it or not moved with the size of its callers
  // (binary() stopped inlining it after a few more instructions elsewhere: +2% instructions
  // in loading large.wasm).
  [[gnu::always_inline]] void op(IOp o) {
    Cell c;
    c.op = handlers_[size_t(o)];
    if (offsets_->empty() || offsets_->back().code_index != code_.size()) {
      // The second of two equal neighbours runs the twin (execute/twins.def); the instruction
      // before begins at the last offset entry. Only the handler differs: everything else in
      // the translator sees `o`.
      IOp twin = twin_of(o);
      if (twin != IOp::Nop && !offsets_->empty() && code_[offsets_->back().code_index].op == c.op)
        c.op = handlers_[size_t(twin)], o = twin;
      if (iacc_.slotless_at == here()) note_slotless(o);
      offsets_->push_back({uint32_t(code_.size()), cur_offset_});
      op_emitted_ = o;
    }
    code_.push_back(c);
  }
  // Slotless producers (execute/slotless_iops.def), translate.cpp. Out of line: op() stays
  // small enough to be inlined everywhere.
  void note_slotless(IOp o);
  void apply_slotless();
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
    product_ = Product{};
    still_zero_.clear();
    sums_.clear();
    label_at_ = here();
    acc_at_ = SIZE_MAX;
    acc_before_ = AccBefore{};
    iacc_ = iacc_before_ = IntAccumulator{};
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
    lowest_rewrite_ = std::min(lowest_rewrite_, start);
    while (!slotless_.empty() && slotless_.back().reader >= start) slotless_.pop_back();
    if (start < acc_at_) acc_at_ = SIZE_MAX;
    if (start < acc_before_.at) acc_before_ = AccBefore{};
    forget_int_accumulator(start);
    code_.truncate(start);
    if (product_.start >= start) product_ = Product{};
    auto& second = fn_->later_accesses;
    while (!second.empty() && second.back().code_index >= start) second.pop_back();
    while (!offsets_->empty() && offsets_->back().code_index >= start) offsets_->pop_back();
    // A lag that began after the instruction taken back begins at the one that replaces it.
    for (Deferred& d : deferred_) d.since = std::min(d.since, start);
    while (!reg_reads_.empty() && reg_reads_.back().pos >= start) reg_reads_.pop_back();
    while (!local_writes_.empty() && local_writes_.back().pos >= start) local_writes_.pop_back();
    std::erase_if(sums_, [start](const SlotSum& s) { return s.pos >= start; });
    if (last_sum_ != SIZE_MAX && last_sum_ >= start) last_sum_ = SIZE_MAX;
    if (last_move_ != SIZE_MAX && last_move_ >= start) last_move_ = SIZE_MAX;
    if (last_local_plus_ != SIZE_MAX && last_local_plus_ >= start) last_local_plus_ = SIZE_MAX;
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
  // the home slots. Locals and home slots are in slots, where a v128 takes two.
  uint32_t zero_slot() const { return num_locals_; }
  uint32_t stack_base() const { return num_locals_ + 1; }
  // The home slot of entry h (on the stack; next_home() is the next one's).
  uint32_t home(uint32_t h) const { return stack_.home(h); }
  [[gnu::always_inline]] uint32_t next_home() const {
    uint32_t n = height();
    return n == 0 ? stack_base() : stack_.home(n - 1) + (stack_[n - 1].wide ? 2 : 1);
  }
  // Pushes o at the next home slot. Whether it is a v128 comes from the validator, which has
  // checked the instruction being translated: its types are those after it, which every entry
  // pushed for the instruction is part of.
  [[gnu::always_inline]] void push(Operand o) {
    uint32_t h = height(), at = next_home();
    o.wide = v128_body_ && h < *operand_depth && (*operand_types)[h] == ValType::V128;
    stack_.push_back(o, at);
    max_slot_ = std::max(max_slot_, at + (o.wide ? 2 : 1));
  }
  [[gnu::always_inline]] void push_stack() { push(Operand{}); }
  [[gnu::always_inline]] void push_local(uint32_t x) {
    const Deferred* d = deferred_.empty() ? nullptr : deferred(x);
    if (d)  // its slot lags: the value is the slot plus delta
      push({Operand::LocalPlus, x, d->delta});
    else
      push({Operand::Local, x, 0});
  }
  [[gnu::always_inline]] void push_const(uint64_t bits) { push({Operand::Const, 0, bits}); }
  void pop(uint32_t n = 1) { stack_.pop(n); }

  // The slot that holds stack entry i, materializing it into its home slot if need be.
  // Inline for an entry already in a slot (most operands: a local, or a result in its home),
  // the call only when code must be emitted (it was all out of line: 2.3M of the 110M
  // instructions of loading large.wasm).
  [[gnu::always_inline]] uint32_t slot_of(uint32_t i) {
    const Operand& o = stack_[i];
    if (o.kind == Operand::Local) return o.local;
    if (o.kind == Operand::Stack) return home(i);
    return materialized_slot(i);
  }
  [[gnu::noinline]] uint32_t materialized_slot(uint32_t i) {
    Operand& o = stack_[i];
    if (o.kind == Operand::LocalPlus && !deferred_.empty() && emit_deferred_for(i)) return o.local;
    materialize(i);
    return home(i);
  }
  // Entry i is the new value of a local whose addition is deferred (`--i` read as a value:
  // `bucket[--i & mask]`): the addition is emitted now, into the local, and the entry reads its
  // slot. Materializing it would add the same constant again into a temporary, and the
  // deferred addition would still be emitted later. Only when no other entry reads the local
  // (flush_deferred_one rebases those, which callers may hold copies of).
  bool emit_deferred_for(uint32_t i);
  void materialize(uint32_t i) {
    Operand& o = stack_[i];
    if (o.kind == Operand::Stack) return;
    if (o.wide) {
      emit_v128_move(home(i), o, 0);
    } else if (o.kind == Operand::Const) {
      emit_const(home(i), o.bits);
      last_ = LastOp{};
    } else if (o.kind == Operand::LocalPlus) {
      emit_local_plus(home(i), o);
    } else {
      emit_copy(home(i), o.local);
    }
    o.kind = Operand::Stack;
    o.local = 0;
    o.bits = 0;
  }
  // A v128 entry (a constant, a local, or a value in its home slot `at`) to slot dst:
  // V128Const or V128Copy (translate_simd.cpp).
  void emit_v128_move(uint32_t dst, const Operand& o, uint32_t at);
  // Is this constant operand zero (all 16 bytes of a v128)?
  bool is_zero(const Operand& o) const {
    return o.wide ? v128_consts_[o.bits] == std::array<uint64_t, 2>{0, 0} : o.bits == 0;
  }
  // Pushes a v128 constant (lazy, as scalar constants are).
  void push_v128_const(uint64_t low, uint64_t high) {
    push({Operand::Const, 0, v128_consts_.size()});
    v128_consts_.push_back({low, high});
  }
  // Copies come in runs (phi moves before a back-edge, values for a label): two adjacent ones
  // become one Copy2. The copies run in order, so a second one reading the first's
  // destination still sees the new value. A label between them resets last_, so no jump can
  // land between two merged copies.
  void emit_copy(uint32_t dst, uint32_t src) {
    if (dst < num_locals_) note_write(dst, here());
    if (last_.op == IOp::Copy && last_.end == here()) {
      lowest_rewrite_ = std::min(lowest_rewrite_, last_.start);
      code_[last_.start].op = handlers_[size_t(IOp::Copy2)];
      slot(dst);
      slot(src);
      last_ = LastOp{};
      return;
    }
    size_t start = here();
    // A copy of the float value just computed (`local.tee x; local.set y`) writes it from the
    // accumulator and leaves it there: the next instruction may read x or y from it too. It is
    // recorded as a Copy (its slot form's cells), which CopyBr and Copy2 may rewrite.
    uint8_t w = in_accumulator(src, 32) ? 32 : in_accumulator(src, 64) ? 64 : 0;
    // So does one of the integer value just computed (CopyI32_a, the integer accumulator).
    bool int_acc = !w && in_int_accumulator(src);
    op(w == 32 ? IOp::CopyF32_a : w == 64 ? IOp::CopyF64_a : int_acc ? IOp::CopyI32_a : IOp::Copy);
    last_ = LastOp{};
    last_.dst = dst;
    last_.dst_cell = here();
    slot(dst);
    slot(src);
    last_.start = start;
    last_.end = here();
    last_.op = IOp::Copy;
    if (w) {
      acc_at_ = here();
      acc_slot_ = src;
      acc_alias_ = dst;
    }
    if (int_acc) {  // no producer of its own: never a slotless one (note_slotless)
      iacc_before_ = iacc_;
      iacc_ = {here(), src, uint32_t(start), IOp::Nop, SIZE_MAX, dst};
    }
  }
  // A constant to a slot. Two in a row become one Const2, as copies become Copy2 (a label
  // between them resets label_at_); a Const right before a jump takes it (ConstBr,
  // jump_to_label). const_ is where the last one is; its handler is checked, as code may have
  // been taken back and emitted again since.
  void emit_const(uint32_t dst, uint64_t bits) {
    if (single_const_before()) {
      lowest_rewrite_ = std::min(lowest_rewrite_, const_.start);
      code_[const_.start].op = handlers_[size_t(IOp::Const2)];
      slot(dst);
      cell(bits);
      const_ = CodeRange{};
      return;
    }
    size_t start = here();
    op(IOp::Const);
    slot(dst);
    cell(bits);
    const_ = {start, here()};
  }
  // Does the code end with a Const (three cells) that no label follows?
  bool single_const_before() {
    return const_.end == here() && label_at_ <= const_.start &&
           code_[const_.start].op == handlers_[size_t(IOp::Const)];
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
    IOp form = reading_int_accumulator(IOp::I32Add_si, o.local);
    if (form == IOp::I32Add_si && dst != o.local && pair_local_plus(dst, o)) return;
    if (dst < num_locals_) note_write(dst, start);
    op(form);
    slot(dst);
    slot(o.local);
    cell(uint32_t(o.bits));
    last_ = LastOp{};
    note_int_accumulator(IOp::I32Add_si, dst);
    if (dst == o.local) increment_ = {start, here(), dst, uint32_t(o.bits)};
    last_local_plus_ = form == IOp::I32Add_si ? start : SIZE_MAX;
  }
  // Where emit_local_plus's I32Add_si begins if it is the code just emitted, for this wasm
  // instruction, with no label since (SIZE_MAX if not): the two below rewrite it.
  size_t local_plus_just_before();
  // A second addition of a constant right after one emitted by emit_local_plus for the same
  // wasm instruction (lazy `local + c` operands put in their slots) joins it: one I32Add2_si.
  bool pair_local_plus(uint32_t dst, const Operand& o);
  // An I32Add_si of emit_local_plus's right before a jump takes it (translate_control.cpp).
  bool add_takes_jump(bool loop);
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
    push(r);
    return true;
  }

  // ---- instruction families
  void unary(IOp o);
  void binary(IOp ss, bool commutative);
  void load(IOp o, uint64_t offset);
  void store(IOp o, uint64_t offset);
  void set_local(uint32_t x, bool tee);
  bool fuse_add_shl(uint32_t h);
  bool fuse_shift_pair(IOp ss, uint32_t h);
  bool fuse_bit_field(uint32_t h);
  bool fuse_clear_lowest(uint32_t h);
  LastOp clear_low_read_by(uint64_t s);
  bool fuse_shl_add(IOp ss, uint32_t h);
  bool fuse_xor_shift(IOp ss, uint32_t h);
  bool fuse_shift_constant(IOp fused, uint32_t h, uint32_t c, bool count_high);
  bool end_shift_fusion(IOp fused, const LastOp& shift, uint64_t imm);
  // Always inlined (here and below): each has one caller, which g++ inlines it into only
  // while the class has internal linkage, and loading is several percent slower without.
  [[gnu::always_inline]] bool fuse_memory_operand(IOp ss, bool commutative);
  bool fuse_read_modify_write(IOp store_op, uint64_t offset);
  bool fuse_move(IOp store_op, uint64_t offset);
  bool pair_moves(bool wide, uint64_t to, uint64_t from, uint64_t to_add, uint64_t from_add,
                  uint32_t load_offset);
  [[gnu::always_inline]] bool fuse_multiply_add(IOp add_ss);
  bool fuse_increment(Control& loop, uint32_t k, const LastOp& cmp);
  // ---- the loop register (see Control)
  bool take_loop_register(Control& loop, uint32_t x);
  bool may_take_register(size_t offset);
  // Something that may change the loop register (a call, an inner loop's RegLoad) is emitted.
  void register_changes() {
    if (innermost_loop_ == SIZE_MAX) return;
    Control& l = ctrl_[innermost_loop_];
    if (l.reg_local != UINT32_MAX)
      l.reg_stale = true;
    else
      l.reg_free = false;
  }
  // Code at `pos` writes local x.
  void note_write(uint32_t x, size_t pos) {
    forget_sums(x);
    if (innermost_loop_ == SIZE_MAX) return;
    Control& l = ctrl_[innermost_loop_];
    if (l.reg_local == x) l.reg_stale = true;
    if (l.reg_local != UINT32_MAX || !l.reg_free) return;
    if (local_writes_.size() == kMaxLoopUses) {
      l.reg_free = false;  // a long loop: not worth following
      return;
    }
    local_writes_.push_back({pos, x});
  }
  // An I32Add_ss at `pos` reads slots a and b: a use of the loop register if one is a local
  // that takes it.
  void note_add(size_t pos, uint32_t a, uint32_t b) {
    if (innermost_loop_ == SIZE_MAX || reg_reads_.size() >= kMaxLoopUses - 1) return;
    if (a < num_locals_) reg_reads_.push_back({pos, a});
    if (b < num_locals_ && b != a) reg_reads_.push_back({pos, b});
  }
  // A branch back to `c` must load the register first: something changed it since it was taken.
  static bool reload_register(const Control& c) {
    return c.op == Op::Loop && c.reg_local != UINT32_MAX && c.reg_stale;
  }
  void emit_reload(const Control& c) {
    op(IOp::RegLoad);
    slot(c.reg_local);
  }
  IOp take_product(IOp add_rmw, uint64_t x, size_t add_start, std::array<uint64_t, 3>& product,
                   uint32_t& wasm_offset);
  void use_register_in_sums(Cell* c, uint32_t x);
  size_t pair_with_last(IOp form, uint64_t p, uint64_t q);
  bool fuse_sums(IOp muladd, uint64_t base, uint64_t add_offset,
                 const std::array<uint64_t, 3>& product, uint32_t wasm_offset,
                 uint32_t second_offset);
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
  bool fuse_select_compare(uint32_t h);
  bool fuse_global_add(IOp ss, uint32_t h);
  bool fuse_global_set(uint32_t index);
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
  // `reads`: the slot operand of `fused` that its integer accumulator form reads, if any.
  LastOp replace_last(IOp fused, uint32_t h, int64_t reads = -1) {
    LastOp taken = last_;
    uint32_t wasm_offset = unemit_last_keep_offset();
    if (reads >= 0) fused = reading_int_accumulator(fused, uint64_t(reads));
    op_at(fused, wasm_offset);
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
    note_accumulator(o, last_.dst);
    note_int_accumulator(o, last_.dst);
  }
  // The integer accumulator (execute/iacc_iops.def), as the float one: `o`, just emitted with
  // its result in slot `dst`, leaves it in the register too (if it is an instruction that
  // does). The one before is remembered, so that taking `o` back (a fusion replacing it)
  // makes the value before it the accumulator's again.
  void note_int_accumulator(IOp o, int64_t dst) {
    if (dst < 0 || !leaves_int_accumulator(o)) return;
    iacc_before_ = iacc_;
    // The handler emitted (an accumulator form, a twin: not `o`) is known if op() emitted it
    // last; code put back without op() (retire_readers_before_last) is not.
    uint32_t start = offsets_->back().code_index;
    bool known = code_[start].op == handlers_[size_t(op_emitted_)];
    IOp producer = known ? op_emitted_ : IOp::Nop;
    bool candidate = producer != IOp::Nop && uint64_t(dst) >= stack_base() &&
                     slotless_forms_[size_t(producer)] != IOp::Nop;
    iacc_ = {here(), uint32_t(dst), start, producer, candidate ? here() : SIZE_MAX};
  }
  // Is slot s the value in the integer accumulator right here?
  bool in_int_accumulator(uint64_t s) const {
    return iacc_.at == here() && (iacc_.slot == s || iacc_.alias == s);
  }
  // The code from `start` on is taken back or rewritten: what it left in the register is gone.
  void forget_int_accumulator(size_t start) {
    if (iacc_.at > start) {
      iacc_ = iacc_before_;
      iacc_before_ = IntAccumulator{};
    }
    if (iacc_.at > start) iacc_ = IntAccumulator{};
    if (iacc_before_.at > start) iacc_before_ = IntAccumulator{};
  }
  // The accumulator form of `o` (a slot form whose first slot operand is `s`), if s is in the
  // integer accumulator here; else o.
  IOp reading_int_accumulator(IOp o, uint64_t s) const {
    IOp acc = int_accumulator_form(o);
    return acc != IOp::Nop && in_int_accumulator(s) ? acc : o;
  }
  // A store (slot form `o`, base in slot `base`, value in slot `value` or UINT64_MAX for a
  // constant) reading the integer accumulator: the value if it is there, else the base.
  IOp store_reading_int_accumulator(IOp o, uint64_t base, uint64_t value) const {
    // A float value just computed, from the float accumulator (F64Store_v, ...).
    IOp facc = value == UINT64_MAX ? IOp::Nop : accumulator_second_form(o);
    if (facc != IOp::Nop && in_accumulator(uint32_t(value), accumulator_read(facc))) return facc;
    IOp acc = int_accumulator_value_form(o);
    if (acc != IOp::Nop && in_int_accumulator(value)) return acc;
    return reading_int_accumulator(o, base);
  }
  // The float accumulator (execute/acc_iops.def): `o`, just emitted with its result in slot
  // `dst`, leaves that value in the accumulator of its width too (if it is an instruction that
  // does). Until more code is emitted (or a label), slot `dst` is in the accumulator.
  void note_accumulator(IOp o, int64_t dst) {
    uint8_t w = accumulator_width(o);
    if (!w || dst < 0) return;
    acc_before_ = {acc_at_, acc_slot_, acc_alias_, acc_width_};
    acc_at_ = here();
    acc_slot_ = uint32_t(dst);
    acc_alias_ = UINT32_MAX;
    acc_width_ = w;
  }
  // Is slot s, read as a float of `width` bits, the value in the accumulator right here?
  bool in_accumulator(uint32_t s, uint8_t width) const {
    return acc_at_ == here() && (acc_slot_ == s || acc_alias_ == s) && acc_width_ == width;
  }
  // Was slot s the value in the accumulator where the code ended at `at`, before the last
  // producer (a fusion taking that producer back, at `at`, reads what was there before it)?
  bool in_accumulator_before(uint32_t s, uint8_t width, size_t at) const {
    const AccBefore& b = acc_before_;
    return b.at == at && acc_at_ != at && (b.slot == s || b.alias == s) && b.width == width;
  }

  // ---- control
  void block_signature(const BlockType& bt, uint32_t& params, uint32_t& results);
  void enter_block(Op kind, const BlockType& bt);
  size_t copy_to_label(Control& c);  // returns where its last Const begins (or SIZE_MAX)
  bool values_in_place(Control& c);
  void branch(uint32_t depth);
  void jump_to_label(Control& c);
  void branch_if(uint32_t depth);
  void branch_table(const Instr& in);
  void taken_path(Control& c, bool is_function);
  void emit_return();
  void end_block();
  void else_arm();
  void mark_unreachable();
  void conditional_jump(Control& c, bool jump_if_true);
  // LOADBR forms after the compares' (iops.def), from BrI32Eq_ls (or _l8s); kLoadBrTable
  // stands for BrTable_l.
  static constexpr uint16_t kLoadBrIf = 20, kLoadBrUnless = 21, kLoadBrTest = 22, kLoadBrTestZ = 23,
                            kLoadBrTable = 100;
  struct LoadAt {
    size_t at = SIZE_MAX;  // where the load begins
    bool plain = false;    // I32Load or I32Load8U (else the _add or _idx form)
    bool byte = false;     // I32Load8U
    bool idx = false;      // the _idx form (base + (index << shift)): the _x LOADBR forms
    bool keep = false;     // into a local, which the branch writes too: the _k LOADBR forms
  };
  LoadAt load_before(uint64_t s);
  void fuse_load_into_branch(const LoadAt& l, uint16_t form);
  uint32_t call_args(uint32_t first, uint32_t n, ArgList& list);
  void emit_arg_list(const ArgList& list, uint32_t base);
  static bool fits_short_call(const ArgList& list);
  static bool fits_short_call_k(const ArgList& list);
  void emit_short_args(const ArgList& list, uint32_t base);
  void call(uint32_t func_index);
  void return_call(uint32_t func_index);
  void return_call_indirect(uint32_t type_index, uint32_t table);
  void return_results_at(uint32_t base, const std::vector<ValType>& results);
  void call_indirect(uint32_t type_index, uint32_t table);
  void note_call_result(size_t start, const std::vector<ValType>& results);
  // ---- exception handling (translate_exceptions.cpp)
  void set_handler(uint32_t h);
  void enter_try(const BlockType& bt);
  void catch_arm(uint32_t tag);
  void end_try(Control& c);
  void delegate(uint32_t depth);
  void throw_exception(uint32_t tag);
  void rethrow(uint32_t depth);

  [[gnu::always_inline]] void simple(const Instr& in);
  void other_memory_access(const Instr& in);
  void memory64_address(const Instr& in);
  bool is64(uint32_t memory) const { return m_.memory_space[memory].is64; }
  void translate(const Instr& in);
  // ---- SIMD (translate_simd.cpp)
  void simd(const Instr& in);
  void simd_load(IOp o, uint64_t offset);
  void simd_store(uint64_t offset);
  void ternary(IOp o);  // D S S S (v128 select, bitselect, ...)
  // The code about to be translated needs SIMD: refuses it (UnsupportedError at `offset`) on a
  // CPU without SSE4.1, which the SIMD handlers use.
  void need_simd(size_t offset);

  const ModuleDesc& m_;
  CompiledModule& cm_;
  const void* const* handlers_ = handler_table();
  // The module has a 64-bit memory (memory64): its accesses take Mem64Addr first.
  const bool memory64_ = std::any_of(m_.memory_space.begin(), m_.memory_space.end(),
                                     [](const MemoryType& t) { return t.is64; });
  CompiledFunc* fn_ = nullptr;
  CellBuffer code_;
  std::vector<OffsetEntry>* offsets_ = nullptr;
  OperandStack stack_;
  std::vector<Control> ctrl_;
  std::vector<size_t> targets_;
  const FuncType* type_ = nullptr;  // the function's
  // The body may have v128 values here: the module has v128 types, or a SIMD instruction was
  // translated before in this body (without either, only the v128 result of a block left from
  // unreachable code can be one: block_signature sees those). Without, no entry is looked up
  // for being one. (It was a 0xFD byte anywhere in the body: in large.wasm's
  // one huge body there is one, in an immediate, and the look-ups were 2.3% of loading it.)
  bool v128_body_ = true;
  uint32_t num_locals_ = 0;  // slots of the parameters and declared locals
  uint32_t max_slot_ = 0;    // one past the highest home slot used
  // Where each local's slot is, and whether it is a v128 (its local.get pushes a wide entry).
  std::vector<uint32_t> local_slot_;
  // The v128 constants of the body so far (a wide Const operand's bits index them).
  std::vector<std::array<uint64_t, 2>> v128_consts_;
  uint32_t cur_offset_ = 0;
  // Declared locals not yet written on the straight-line code from the function's entry: they
  // still hold the zero every call starts them with, so storing a zero there needs no code.
  // Emptied at the first label.
  std::vector<bool> still_zero_;
  ArgList arg_list_;
  uint32_t dead_depth_ = 0;  // nested blocks inside unreachable code
  // Exception handling: the handler current at the code being emitted, and how many catch
  // blocks enclose it.
  uint32_t current_handler_ = kNoHandler;
  uint32_t catch_depth_ = 0;
  LastOp last_;
  // An i32.and (I32And_ss, I32And_si or I32ShrAnd) whose result only the i32.eqz just emitted
  // read: a branch on that eqz tests the bits instead (`if (!(x & FLAG))`, BrTestZ).
  LastOp and_before_eqz_;
  LastOp fcmp_before_eqz_;  // a float compare right before an i32.eqz of it (conditional_jump)
  // An I64ClearLow whose result the i64.eqz just emitted read: a branch on that eqz is one
  // BrI64ClearLowZ/NZ (`m &= m - 1; if (!m) break`).
  LastOp clear_before_eqz_;
  size_t clear_low_at_ = SIZE_MAX;  // where the last I64ClearLow was emitted
  // The last GlobalGetAdd emitted (at start, of global `index`): a global.set of that global
  // from the local it wrote, right after it, makes it a GlobalBump.
  struct GlobalAdd {
    size_t start = SIZE_MAX;
    uint32_t index = 0;
  } global_add_;
  // The lowest code index that code already emitted was taken back from or changed at (for
  // OperandProbe, which resets it).
  size_t lowest_rewrite_ = SIZE_MAX;
  Increment increment_;
  // A float multiply with a memory operand (F32Mul_sm, F64Mul_sm) emitted at [start, end):
  // an add's _rmw right after it may take it (take_product).
  struct Product {
    size_t start = SIZE_MAX, end = SIZE_MAX;
  } product_;
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
  // The innermost open loop (index in ctrl_), and what its code does with locals so far, for
  // the loop register: the additions reading a local, the code writing one (code index first;
  // what is taken back is dropped).
  static constexpr size_t kMaxLoopUses = 64;
  size_t innermost_loop_ = SIZE_MAX;
  size_t body_end_ = 0;  // the body's end in the module (may_take_register)
  struct LocalUse {
    size_t pos;
    uint32_t local;
  };
  std::vector<LocalUse> reg_reads_, local_writes_;
  // Locals known to hold the sum of two others (`d = a + i`, written by an I32Add_ss at `pos`;
  // `added` while that addition is still there to be taken back), since the last label, with
  // none of the three written since. A MulAdd_rmw addressed by such locals computes the sums
  // itself (the _sum forms), and takes back additions just before it (fuse_sums).
  struct SlotSum {
    uint32_t d, a, i;
    size_t pos;
    bool added;
  };
  static constexpr size_t kMaxSums = 8;
  std::vector<SlotSum> sums_;
  size_t last_sum_ = SIZE_MAX;         // where the last MulAdd _sum began (pair_with_last)
  size_t last_move_ = SIZE_MAX;        // where the last I32Move or I64Move began (pair_moves)
  size_t last_local_plus_ = SIZE_MAX;  // where emit_local_plus's last I32Add_si began
  size_t label_at_ = 0;                // where the last label is (label_here)
  struct CodeRange {
    size_t start = SIZE_MAX, end = SIZE_MAX;
  };
  CodeRange const_;  // the last Const emitted (emit_const)
  // The float accumulator: the slot whose value is also in it, valid while the code ends at
  // acc_at_ (note_accumulator); its width, 32 or 64.
  size_t acc_at_ = SIZE_MAX;
  uint32_t acc_slot_ = 0;
  uint32_t acc_alias_ = UINT32_MAX;  // a second slot with the same value (a Copy's)
  uint8_t acc_width_ = 0;
  struct AccBefore {  // the same before the last producer (in_accumulator_before)
    size_t at = SIZE_MAX;
    uint32_t slot = 0, alias = UINT32_MAX;
    uint8_t width = 0;
  } acc_before_;
  // The integer accumulator: the slot whose value is also in it, valid while the code ends at
  // `at` (note_int_accumulator); and the one before, for when the last is taken back.
  struct IntAccumulator {
    size_t at = SIZE_MAX;
    uint32_t slot = 0;
    uint32_t start = 0;       // where the producer begins
    IOp producer = IOp::Nop;  // its handler, if known (note_slotless)
    // `at` if the producer has a slotless form and writes an operand stack temporary (a
    // candidate for note_slotless), else SIZE_MAX.
    size_t slotless_at = SIZE_MAX;
    uint32_t alias = UINT32_MAX;  // a second slot with the same value (CopyI32_a's)
  };
  IntAccumulator iacc_, iacc_before_;
  IOp op_emitted_ = IOp::Nop;  // what op() emitted last (a twin as such)
  // A producer at `producer` (`slot_op`) of slot `slot`, read from the register by the
  // instruction at `reader` (`reader_op`): it takes its slotless form if both are still there
  // at the end of the body.
  struct Slotless {
    uint32_t producer, reader, slot;
    IOp slot_op, reader_op;
  };
  std::vector<Slotless> slotless_;
  const uint8_t* accumulator_cells_ = int_accumulator_cells();
  const IOp* slotless_forms_ = slotless_forms();
  // ---- known sums (sums_)
  // An I32Add_ss at `pos` just wrote a + i to local d.
  void note_sum(uint32_t d, uint64_t a, uint64_t i, size_t pos) {
    if (innermost_loop_ == SIZE_MAX || a >= num_locals_ || i >= num_locals_ || a == d || i == d ||
        sums_.size() == kMaxSums)
      return;
    sums_.push_back({d, uint32_t(a), uint32_t(i), pos, true});
  }
  const SlotSum* known_sum(uint64_t d) const {
    for (const SlotSum& s : sums_)
      if (s.d == d) return &s;
    return nullptr;
  }
  // Local x is written: the sums it is part of no longer hold.
  void forget_sums(uint32_t x) {
    if (!sums_.empty())
      std::erase_if(sums_, [x](const SlotSum& s) { return s.d == x || s.a == x || s.i == x; });
  }
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
  void flush_deferred_pair(const Deferred a, const Deferred b);
  // Out of line, to keep translate() small (see CellBuffer::push_back).
  [[gnu::noinline]] void flush_for(const Instr& in);
  void flush_deferred_one(Deferred d);
  [[gnu::noinline]] void scan_loop_header(const Instr& in);
};

// Instruction tables (translate.cpp).
enum class Family : uint8_t { None, Unary, Binary, Load, Store };
struct SimpleOp {
  Family family = Family::None;
  IOp iop = IOp::Nop;
  bool commutative = false;  // a binary operator whose operands may swap
};
const SimpleOp& simple_op(Op op);

}  // namespace glint::detail
