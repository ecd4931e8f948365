// Translated code: what a function body becomes for the interpreter (see execute/iops.def).
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "glint/types.h"

namespace glint::detail {

struct CompiledFunc;

// One word of internal code: a handler address, a frame slot index, an immediate or a target.
union Cell {
  const void* op;
  int64_t i;
  uint64_t u;
  const Cell* target;
  const CompiledFunc* func;
};
static_assert(sizeof(Cell) == 8);

// An allocator whose resize() leaves new elements unwritten (std::allocator's zeroes them), so
// that the translator's scratch buffer can be a vector, handed over as a large body's code
// without a copy (CellBuffer::finish), and sized without writing every cell first.
template <class T>
struct UninitializedAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  UninitializedAllocator() = default;
  template <class U>
  UninitializedAllocator(const UninitializedAllocator<U>&) noexcept {}
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
using CellVector = std::vector<Cell, UninitializedAllocator<Cell>>;

enum class IOp : uint16_t {
#define OP(n) n,
#define UN(n) n,
#define BIN(n) n##_ss, n##_si,
#define CMPBR(n) Br##n##_ss, Br##n##_si, Br##n##_ss_loop, Br##n##_si_loop,
#define NOTBR(n) BrNot##n##_ss, BrNot##n##_si,
#define LOAD(n) n, n##_add, n##_idx,
#define STORE(n) n, n##_add, n##_idx, n##_k, n##_addk,
#define MEMOP(n, t) n##_sm, n##_rmw,
#define MEMREV(n, t) n##_ms,
#define MEMNARROW(n) n##_sm8s, n##_sm8u, n##_sm16s, n##_sm16u,
#define INCBR(n) BrInc##n##_ss_loop, BrInc##n##_si_loop, BrInc##n##_ss_reg, BrInc##n##_si_reg,
#include "execute/iops.def"
#define TWIN(n) n##_twin,
#include "execute/twins.def"
#define ACC_BIN(n) n##_as, n##_ai,
#define ACC_UN(n) n##_a,
#define ACC_SAME(n) n##_aa,
#define ACC_CMPBR(n) Br##n##_as, Br##n##_ai, Br##n##_as_loop, Br##n##_ai_loop,
#define ACC_NOTBR(n) BrNot##n##_as, BrNot##n##_ai,
#define ACC_COPY(t) Copy##t, Copy##t##_a,
#define ACC_PAIR(acc, slot) acc,
#include "execute/acc_iops.def"
#define IACC(acc, slot) acc,
#include "execute/iacc_iops.def"
#define SLOTLESS(slot) slot##_noslot,
#include "execute/slotless_iops.def"
#define VOP(n) n,
#define VLOAD(n, bytes) n, n##_add,
#define VUN(n) n,
#define VBIN(n) n,
#define VTERN(n) n,
#define VTEST(n) n,
#define VSHIFT(n) n, n##_si,
#define VSPLAT(n) n,
#include "execute/simd_iops.def"
  Count
};

// The twin of an internal instruction (execute/twins.def), or Nop if it has none.
inline IOp twin_of(IOp o) {
  static constexpr auto table = [] {
    std::array<IOp, size_t(IOp::Count)> t{};
    for (IOp& x : t) x = IOp::Nop;
#define TWIN(n) t[size_t(IOp::n)] = IOp::n##_twin;
#include "execute/twins.def"
    return t;
  }();
  return table[size_t(o)];
}

// In the packed slot fields of the MulAdd _sum forms (execute/iops.def): no slot to write.
constexpr uint16_t kNoSlot = 0xffff;

// Maps a position in `code` back to the wasm instruction it came from.
struct OffsetEntry {
  uint32_t code_index;   // first cell of the internal instruction
  uint32_t wasm_offset;  // byte offset of the wasm instruction in the module
};

// Where a local's slot is not its value, while the code in [code_begin, code_end) runs: the
// value is the slot plus `delta` (an i32 addition the translator deferred); or, if `dead`, the
// local is overwritten before it is read and its slot may be out of date (a loop's header,
// reached by a branch back that left a deferred addition out).
struct LocalLag {
  uint32_t code_begin, code_end;
  uint32_t local;
  uint32_t delta = 0;
  bool dead = false;
  bool operator==(const LocalLag&) const = default;
};

// Exception handling (compile/translate_exceptions.cpp, execute/exceptions.cpp). Each `try`
// of a body is a handler; the code its body translated to is where it is current
// (CompiledFunc::handler_ranges). An exception thrown there (by `throw`, `rethrow` or a callee)
// tries the handler's clauses in order, then its parent's, out to the function's caller.
constexpr uint32_t kNoHandler = UINT32_MAX;  // no try encloses the code: the caller's turn
constexpr uint32_t kCatchAll = UINT32_MAX;   // CatchClause::tag of catch_all
struct CatchClause {
  uint32_t tag;     // index in the module's tag space, or kCatchAll
  uint32_t target;  // code index of the catch's code
};
struct ExceptionHandler {
  // Searched next when no clause takes the exception: the handler around the try, or for a
  // `try ... delegate l`, the one current inside label l.
  uint32_t parent = kNoHandler;
  uint32_t payload_slot = 0;  // where a catch puts the exception's values (then its code runs)
  uint32_t level = 0;         // catch blocks around this try's catches (rethrow names one)
  std::vector<CatchClause> clauses;
};
struct HandlerRange {
  uint32_t code_index;  // from this instruction on (to the next range) ...
  uint32_t handler;     // ... this handler is current, or kNoHandler
};

// Calls copy arguments and zero locals in chunks, with straight-line code inside each: a loop of
// one element at a time exits after a count that changes from call to call, and those exits
// were the interpreter's most mispredicted branches (runtime/DESIGN.md, "Calls and the VM
// stack"). Zeroing a home slot is harmless (it is written before it is read), and so is an
// argument list padded with self-copies, so frames have room for whole chunks.
constexpr uint32_t kZeroChunk = 8;  // slots a call zeroes at once
constexpr uint32_t kArgChunk = 4;   // argument slots a call copies at once

// Counts of values are in slots: a v128 takes two, anything else one.
struct CompiledFunc {
  uint32_t func_index = 0;                   // in the module's function space
  uint32_t num_params = 0, num_results = 0;  // slots
  uint32_t num_locals = 0;                   // slots of the params and declared locals
  uint32_t zeroed_slots = 0;                 // slots a call zeroes up to (after the params)
  uint32_t frame_slots = 0;                  // locals + deepest operand stack, with room for
                                             // whole chunks (kZeroChunk, kArgChunk)
  std::vector<ValType> local_types;          // params then locals
  // The slot of each local, where a v128 before it moved it; empty if every local's slot is
  // its index (no v128 local).
  std::vector<uint32_t> local_slots;
  uint32_t slot_of_local(uint32_t i) const { return local_slots.empty() ? i : local_slots[i]; }
  CellVector code;
  std::vector<OffsetEntry> offsets;  // sorted by code_index
  std::vector<LocalLag> local_lags;  // for a debugger's view of locals
  // Fused instructions that make several memory accesses (the MulAdd _rmw, _sum and _sum2
  // forms): the wasm offsets of the second and later ones, in order, which a trap there reports
  // (`offsets` has the first). Sorted by code_index.
  std::vector<OffsetEntry> later_accesses;
  // Exception handlers (empty without `try`); handler_ranges is sorted by code_index.
  std::vector<ExceptionHandler> handlers;
  std::vector<HandlerRange> handler_ranges;
  uint32_t handler_at(const Cell* pc) const;  // the handler current at the instruction at pc

  // How local `i`'s slot differs from its value at `pc`, if it does.
  const LocalLag* lag_at(uint32_t i, const Cell* pc) const;

  // Wasm offset of the instruction whose cells contain `pc`.
  uint32_t wasm_offset_at(const Cell* pc) const;
  // The same for a trap at access k (1: the second) of the instruction at `pc`.
  uint32_t later_access_offset(const Cell* pc, uint32_t k) const;
};

struct CompiledModule {
  std::vector<CompiledFunc> funcs;  // defined functions, in order
  std::vector<uint32_t> type_ids;   // interned id of each type in the type section
};

// Interns a function type: equal types get equal ids, process-wide (call_indirect checks ids).
uint32_t intern_func_type(const FuncType& t);

// The interpreter's handler table, indexed by IOp (execute/interpreter.cpp).
const void* const* handler_table();
// The cell of the integer accumulator form with handler `op` (execute/iacc_iops.def) that names
// the slot it reads from the register instead (compile/translate_iacc.cpp); 0 for any other.
int int_accumulator_cell(const void* op);
// The same as tables indexed by IOp, for the translator.
const uint8_t* int_accumulator_cells();
// The slotless form of a producer (execute/slotless_iops.def), or Nop; and all of them as a
// table indexed by IOp.
const IOp* slotless_forms();
inline IOp slotless_form(IOp o) { return slotless_forms()[size_t(o)]; }

}  // namespace glint::detail
