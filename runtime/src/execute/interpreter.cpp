// The threaded interpreter: one function, one computed-goto dispatch per internal instruction.
// Operands are frame slots (fp[i]); i32/f32 values live zero-extended in the low 32 bits.
// Handlers end in NEXT(n), which is where a tail-call dispatch variant would jump instead.
// Fuel and interrupts are checked only at function entry and loop back-edges, and there only
// as one decrement of a register (see take_budget).
#include <cstring>

#include "debug/debugger.h"
#include "execute/bulk_small.h"
#include "execute/interpreters.h"
#include "execute/numeric.h"
#include "execute/simd.h"
#include "execute/vm.h"
#ifdef GLINT_PROFILE_DISPATCH
#include "execute/dispatch_profile.h"
#endif

// This file is the interpreter for baseline x86-64 (namespace glint::detail::baseline), and
// interpreter_x86_64_v3.cpp compiles it again for x86-64-v3 CPUs: it names the namespace and
// puts a target pragma here, after the headers and before the code. So no header below this
// line (the .def lists are fine): its inline functions would be built for the newer CPU in that
// copy, and the linker may keep that copy for the whole program (execute/interpreters.h).
#ifndef GLINT_INTERPRETER
#define GLINT_INTERPRETER baseline
#define GLINT_INTERPRETER_NAME "x86-64"
#define GLINT_INTERPRETER_TARGET
#endif
GLINT_INTERPRETER_TARGET

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace glint::detail::GLINT_INTERPRETER {
// This copy's entry points (the plain ones in glint::detail are the chosen copy's).
bool interpret(Vm& vm, const Cell* pc);
const void* without_accumulator(const void* op);
const void* const* handler_table();
namespace {
const void* const* g_handlers = nullptr;
}  // namespace

// A failed host call's trap (or exit), recorded on its Caller, goes to the Vm. Out of line and
// cold: with it in call_host_function, every call saved and restored five registers for it.
[[gnu::noinline, gnu::cold]] static bool host_call_failed(Vm& vm, Caller& caller) {
  TrapError pending = std::move(caller.pending).value_or(TrapError{});
  vm.trap_kind = pending.kind;
  vm.trap_message = std::move(pending.message);
  vm.exit_code = pending.exit_code;
  return false;
}

// Calls a host function with its arguments (and room for results) at `args`. Out of line:
// the Caller it builds must not live in the interpreter's scope, which jumps by computed goto.
[[gnu::noinline]] static bool call_host_function(Vm& vm, Function* callee, Instance* inst,
                                                 uint64_t* args) {
  Caller caller(vm.store, inst);
  const HostFunc& host = *callee->host_;
  if (LIKELY(host.thunk(caller, args, host.data.get()))) return true;
  return host_call_failed(vm, caller);
}

// Function entries and loop back-edges count down `budget`, a register holding the checks left
// in the current slice. Only when a slice is used up does this slow path run: it reads the
// interrupt and pause flags (vm.frame is current for a pause's step) and, with fuel on, moves
// the next slice out of vm.fuel (which holds the fuel not handed out). So a check is a decrement
// and a branch, with no load of the flag, and an interrupt is seen within kBudgetSlice checks.
// Returns the new budget with this check paid, or -1 with vm.trap_kind set.
constexpr int64_t kBudgetSlice = 1024;
[[gnu::noinline]] static int64_t take_budget(Vm& vm) {
  std::atomic<bool>& interrupt = vm.store.interrupt_;
  if (interrupt.load(std::memory_order_relaxed) &&
      interrupt.exchange(false, std::memory_order_relaxed)) {
    vm.trap_kind = TrapKind::Interrupted;
    return -1;
  }
  std::atomic<bool>& pause = vm.store.pause_;
  if (pause.load(std::memory_order_relaxed) && pause.exchange(false, std::memory_order_relaxed))
    debug_pause(vm);
  if (!vm.fuel_enabled) return kBudgetSlice - 1;
  if (vm.fuel <= 0) {
    vm.fuel = 0;
    vm.trap_kind = TrapKind::OutOfFuel;
    return -1;
  }
  int64_t slice = std::min(vm.fuel, kBudgetSlice);
  vm.fuel -= slice;
  return slice - 1;
}

// The float accumulators (execute/acc_iops.def): the f32 and f64 result of the last float
// instruction, which the next one's _as/_ai/_a form reads here instead of from its slot. run()
// never starts at such a form (interpret() runs its slot form instead: without_accumulator), so
// their values never need to live longer than from one handler to the next, across no call.
// g++ keeps locals like these in stack slots in the one big function, where each use is a
// store and a load again; so with g++ on x86-64 they are registers of their own, xmm14 and
// xmm15, which runtime/CMakeLists.txt takes away from every other use in this file
// (-ffixed-xmm14/15). Other compilers get locals.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__)
register float facc32 asm("xmm14");
register double facc64 asm("xmm15");
#define FLOAT_ACCUMULATORS
// Set by hand: with AVX on (the x86-64-v3 copy) g++ copies a double between registers with
// vmovsd, a shuffle that adds a cycle to every f64 chain, where movapd costs nothing (renamed
// away). %v makes it vmovapd where the code is AVX, movapd elsewhere (what g++ emits there).
#define SET_facc64(v)                                \
  ({                                                 \
    double v_ = (v);                                 \
    asm("%vmovapd %1, %0" : "=x"(facc64) : "x"(v_)); \
    v_;                                              \
  })
#else
#define FLOAT_ACCUMULATORS \
  float facc32 = 0;        \
  double facc64 = 0;
#endif
#ifndef SET_facc64
#define SET_facc64(v) (facc64 = (v))
#endif
#define SET_facc32(v) (facc32 = (v))
// Sets the accumulator `acc` (facc32 or facc64) to v, and gives v.
#define SET_ACC(acc, v) SET_##acc(v)

// The integer accumulator (execute/iacc_iops.def): the 64-bit slot value of the last integer
// result (an i32 zero-extended), which the next instruction's accumulator form reads here
// instead of from its slot. As the float ones, a global register variable with g++: r11,
// which runtime/CMakeLists.txt takes away from every other use in this file (-ffixed-r11).
// It must be a register that calls may clobber: its value never lives across a call, and in
// a callee-saved one run() would clobber what its callers keep there (r15 was tried once for
// that reason wrong). r11 is the one the calling convention uses for nothing (no argument,
// no result), so g++ loses the least by not having it.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_ADDRESS__)
register uint64_t iacc asm("r11");
#define INT_ACCUMULATOR
#else
#define INT_ACCUMULATOR uint64_t iacc = 0;
#endif
// Sets the integer accumulator to v (an integer of at most 64 bits, zero-extended as a slot
// holds it), and gives that value: `S(1) = SET_IACC(...)`.
#define SET_IACC(v) (iacc = uint64_t(v))

static bool run(Vm* vmp, const Cell* pc) {
  static const void* const labels[] = {
#define OP(n) &&L_##n,
#define UN(n) &&L_##n,
#define BIN(n) &&L_##n##_ss, &&L_##n##_si,
#define CMPBR(n) &&L_Br##n##_ss, &&L_Br##n##_si, &&L_Br##n##_ss_loop, &&L_Br##n##_si_loop,
#define NOTBR(n) &&L_BrNot##n##_ss, &&L_BrNot##n##_si,
#define LOAD(n) &&L_##n, &&L_##n##_add, &&L_##n##_idx,
#define STORE(n) &&L_##n, &&L_##n##_add, &&L_##n##_idx, &&L_##n##_k, &&L_##n##_addk,
#define MEMOP(n, t) &&L_##n##_sm, &&L_##n##_rmw,
#define MEMREV(n, t) &&L_##n##_ms,
#define MEMNARROW(n) &&L_##n##_sm8s, &&L_##n##_sm8u, &&L_##n##_sm16s, &&L_##n##_sm16u,
#define INCBR(n) \
  &&L_BrInc##n##_ss_loop, &&L_BrInc##n##_si_loop, &&L_BrInc##n##_ss_reg, &&L_BrInc##n##_si_reg,
#include "execute/iops.def"
#define TWIN(n) &&L_##n##_twin,
#include "execute/twins.def"
#define ACC_BIN(n) &&L_##n##_as, &&L_##n##_ai,
#define ACC_UN(n) &&L_##n##_a,
#define ACC_SAME(n) &&L_##n##_aa,
#define ACC_CMPBR(n) &&L_Br##n##_as, &&L_Br##n##_ai, &&L_Br##n##_as_loop, &&L_Br##n##_ai_loop,
#define ACC_NOTBR(n) &&L_BrNot##n##_as, &&L_BrNot##n##_ai,
#define ACC_COPY(t) &&L_Copy##t, &&L_Copy##t##_a,
#define ACC_PAIR(acc, slot) &&L_##acc,
#include "execute/acc_iops.def"
#define IACC(acc, slot) &&L_##acc,
#include "execute/iacc_iops.def"
#define SLOTLESS(slot) &&L_##slot##_noslot,
#include "execute/slotless_iops.def"
#define VOP(n) &&L_##n,
#define VLOAD(n, bytes) &&L_##n, &&L_##n##_add,
#define VUN(n) &&L_##n,
#define VBIN(n) &&L_##n,
#define VTERN(n) &&L_##n,
#define VTEST(n) &&L_##n,
#define VSHIFT(n) &&L_##n, &&L_##n##_si,
#define VSPLAT(n) &&L_##n,
#include "execute/simd_iops.def"
  };
  static_assert(sizeof(labels) / sizeof(labels[0]) == size_t(IOp::Count));
  if (!vmp) {
    g_handlers = labels;
    return true;
  }

  Vm& vm = *vmp;
  Frame* frame = vm.frame;
  uint64_t* fp = frame->fp;
  Instance* inst = frame->inst;
  uint8_t* mem = nullptr;
  uint64_t mem_size = 0;
  uint64_t* const stack_end = vm.stack_end;
  Frame* const frame_end = vm.frame_end;
  // Checks left in this slice; 0 makes the first check take one. Unused budget goes back to
  // vm.fuel whenever control leaves. (An interrupt requested before a call from the host is
  // seen by Store::call itself, before the interpreter starts.)
  int64_t budget = 0;
  // The loop register (RegLoad in iops.def): an innermost loop's counter, kept here as well as
  // in its slot. Its uses read it here, so they do not wait for the slot's store to be
  // forwarded to their load, which on these CPUs is most of a loop's time when every iteration
  // goes through the counter (runtime/DESIGN.md, "The loop register").
  uint64_t loop_reg = vm.loop_reg;
  FLOAT_ACCUMULATORS
  INT_ACCUMULATOR

  // Per-call scratch for calls: the callee and where its arguments are.
  Function* callee = nullptr;
  const CompiledFunc* target = nullptr;
  Instance* target_inst = nullptr;
  uint64_t* args = nullptr;
  const Cell* resume = nullptr;

#define LOAD_MEM()                  \
  do {                              \
    if (Memory* m_ = inst->mem0_) { \
      mem = m_->base_;              \
      mem_size = m_->size_;         \
    } else {                        \
      mem = nullptr;                \
      mem_size = 0;                 \
    }                               \
  } while (0)
#ifdef GLINT_PROFILE_DISPATCH
  // prof_hit is a call, which may clobber the accumulators' registers: they are kept around it.
#define DISPATCH()                 \
  do {                             \
    uint64_t saved_iacc_ = iacc;   \
    float saved_facc32_ = facc32;  \
    double saved_facc64_ = facc64; \
    prof_hit(pc, frame->func);     \
    iacc = saved_iacc_;            \
    facc32 = saved_facc32_;        \
    facc64 = saved_facc64_;        \
    goto * pc->op;                 \
  } while (0)
#else
#define DISPATCH() goto * pc->op
#endif
#define NEXT(n) \
  do {          \
    pc += (n);  \
    DISPATCH(); \
  } while (0)
#define S(k) fp[pc[k].i]
// A handler family macro's optional last argument is a suffix for its labels: TWINNED
// instantiates it twice, the second time as the twins (execute/twins.def).
#define TWINNED(family, ...) family(__VA_ARGS__) family(__VA_ARGS__, _twin)
#define IMM(k) pc[k].u
// The comparisons as (name, operand type or conversion, C operator), for the handler families
// that exist per comparison: plain (COMPARE_BINARY), compare-and-branch, loop-counter branch.
// clang-format off
#define INT_COMPARES(X, w) \
  X(I##w##Eq, uint##w##_t, ==) \
  X(I##w##Ne, uint##w##_t, !=) \
  X(I##w##LtS, int##w##_t, <) \
  X(I##w##LtU, uint##w##_t, <) \
  X(I##w##GtS, int##w##_t, >) \
  X(I##w##GtU, uint##w##_t, >) \
  X(I##w##LeS, int##w##_t, <=) \
  X(I##w##LeU, uint##w##_t, <=) \
  X(I##w##GeS, int##w##_t, >=) \
  X(I##w##GeU, uint##w##_t, >=)
#define I32_COMPARES(X) INT_COMPARES(X, 32)
#define I64_COMPARES(X) INT_COMPARES(X, 64)
#define FLOAT_COMPARES(X) \
  X(F32Eq, f32_of, ==) \
  X(F32Ne, f32_of, !=) \
  X(F32Lt, f32_of, <) \
  X(F32Gt, f32_of, >) \
  X(F32Le, f32_of, <=) \
  X(F32Ge, f32_of, >=) \
  X(F64Eq, f64_of, ==) \
  X(F64Ne, f64_of, !=) \
  X(F64Lt, f64_of, <) \
  X(F64Gt, f64_of, >) \
  X(F64Le, f64_of, <=) \
  X(F64Ge, f64_of, >=)
// clang-format on
#define TRAP(kind)         \
  do {                     \
    vm.trap_kind = (kind); \
    goto trap;             \
  } while (0)
  // take_budget is a call, which may clobber the integer accumulator: a trap there leaves with
  // it as it was (a call_indirect's index may be in it only, execute/slotless_iops.def).
#define CHECK_BUDGET()            \
  do {                            \
    if (UNLIKELY(--budget < 0)) { \
      uint64_t kept_ = iacc;      \
      vm.frame = frame;           \
      budget = take_budget(vm);   \
      SET_IACC(kept_);            \
      if (budget < 0) goto trap;  \
    }                             \
  } while (0)
#define RETURN_BUDGET()                                   \
  do {                                                    \
    if (vm.fuel_enabled && budget > 0) vm.fuel += budget; \
    budget = 0;                                           \
  } while (0)

  LOAD_MEM();
  // Resuming after a debug stop: run the handler the debugger says (the patched instruction's
  // own, or for an accumulator form its slot form: see without_accumulator).
  if (UNLIKELY(vm.resume_pc == pc)) {
    vm.resume_pc = nullptr;
    SET_IACC(vm.iacc);
    goto* vm.resume_op;
  }
  DISPATCH();

L_Halt:
  vm.frame = frame;
  RETURN_BUDGET();
  return true;

L_Unreachable:
  TRAP(TrapKind::Unreachable);
L_Nop:
  NEXT(1);
L_Copy:
  S(1) = S(2);
  NEXT(3);
L_Copy2:
  S(1) = S(2);
  S(3) = S(4);
  NEXT(5);
  // A copy of the integer value just computed, from the register, which keeps it for the next
  // instruction (CopyI32_a); and the copy a fresh run() starts with there, which sets it.
L_CopyI32_a:
  S(1) = iacc;
  NEXT(3);
L_CopyI32:
  S(1) = SET_IACC(S(2));
  NEXT(3);
L_Const:
  S(1) = IMM(2);
  NEXT(3);
L_Const2:
  S(1) = IMM(2);
  S(3) = IMM(4);
  NEXT(5);
L_RegLoad:
  loop_reg = S(1);
  NEXT(2);
L_I32Inc2 : {
  uint64_t x = IMM(1), k = IMM(2);
  uint64_t* a = &fp[uint32_t(x)];
  uint64_t* b = &fp[x >> 32];
  *a = uint32_t(*a + k);
  *b = SET_IACC(uint32_t(*b + (k >> 32)));
  NEXT(3);
}

  // ---- Branches -------------------------------------------------------------------------
L_Br:
  pc = pc[1].target;
  DISPATCH();
L_CopyBr:
  S(1) = S(2);
  pc = pc[3].target;
  DISPATCH();
L_ConstBr:
  S(1) = IMM(2);
  pc = pc[3].target;
  DISPATCH();
L_BrLoop:
  CHECK_BUDGET();
  pc = pc[1].target;
  DISPATCH();
L_BrIf:
  if (uint32_t(S(1))) {
    pc = pc[2].target;
    DISPATCH();
  }
  NEXT(3);
L_BrIfLoop:
  if (uint32_t(S(1))) {
    CHECK_BUDGET();
    pc = pc[2].target;
    DISPATCH();
  }
  NEXT(3);
L_BrUnless:
  if (!uint32_t(S(1))) {
    pc = pc[2].target;
    DISPATCH();
  }
  NEXT(3);
#define TEST_BRANCH(name, b, cond)                     \
  L_##name : if (cond(uint32_t(S(1)) & uint32_t(b))) { \
    pc = pc[3].target;                                 \
    DISPATCH();                                        \
  }                                                    \
  NEXT(4);
  TEST_BRANCH(BrTest_ss, S(2), )
  TEST_BRANCH(BrTest_si, IMM(2), )
  TEST_BRANCH(BrTestZ_ss, S(2), !)
  TEST_BRANCH(BrTestZ_si, IMM(2), !)
L_BrTable : {
  uint64_t k = IMM(2);
  uint64_t i = uint32_t(uint32_t(S(1)) + uint32_t(k));
  uint64_t n = k >> 32;
  pc = pc[3 + (i < n ? i : n)].target;
  DISPATCH();
}

#define CMPBR_HANDLERS(name, T, op)                  \
  L_Br##name##_ss : if (T(S(1)) op T(S(2))) {        \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);                                           \
  L_Br##name##_si : if (T(S(1)) op T(IMM(2))) {      \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);                                           \
  L_Br##name##_ss_loop : if (T(S(1)) op T(S(2))) {   \
    CHECK_BUDGET();                                  \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);                                           \
  L_Br##name##_si_loop : if (T(S(1)) op T(IMM(2))) { \
    CHECK_BUDGET();                                  \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);
  I32_COMPARES(CMPBR_HANDLERS)
  I64_COMPARES(CMPBR_HANDLERS)
  FLOAT_COMPARES(CMPBR_HANDLERS)
#define NOTBR_HANDLERS(name, T, op)                   \
  L_BrNot##name##_ss : if (!(T(S(1)) op T(S(2)))) {   \
    pc = pc[3].target;                                \
    DISPATCH();                                       \
  }                                                   \
  NEXT(4);                                            \
  L_BrNot##name##_si : if (!(T(S(1)) op T(IMM(2)))) { \
    pc = pc[3].target;                                \
    DISPATCH();                                       \
  }                                                   \
  NEXT(4);
  NOTBR_HANDLERS(F32Lt, f32_of, <)
  NOTBR_HANDLERS(F32Gt, f32_of, >)
  NOTBR_HANDLERS(F32Le, f32_of, <=)
  NOTBR_HANDLERS(F32Ge, f32_of, >=)
  NOTBR_HANDLERS(F64Lt, f64_of, <)
  NOTBR_HANDLERS(F64Gt, f64_of, >)
  NOTBR_HANDLERS(F64Le, f64_of, <=)
  NOTBR_HANDLERS(F64Ge, f64_of, >=)

  // ---- Calls and returns ----------------------------------------------------------------
  // Back to the caller. Each return handler has its own copy, so each ends in its own dispatch
  // jump (the targets the branch predictor learns per return kind, as for twins).
#define RETURN_TO_CALLER()                                                \
  do {                                                                    \
    pc = frame->ret_pc;                                                   \
    --frame;                                                              \
    fp = frame->fp;                                                       \
    if (UNLIKELY(frame->inst != inst)) { /* across instances: memories */ \
      inst = frame->inst;                                                 \
      LOAD_MEM();                                                         \
    }                                                                     \
    DISPATCH();                                                           \
  } while (0)
L_Return0:
  RETURN_TO_CALLER();
  // A single result goes back in the integer accumulator too, which the instruction after the
  // call may read (FuncCompiler::note_call_result); Return1_a has it there already.
L_Return1:
  fp[0] = SET_IACC(S(1));
  RETURN_TO_CALLER();
L_Return1K:
  fp[0] = SET_IACC(IMM(1));
  RETURN_TO_CALLER();
L_ReturnN : {
  // Results may come from slots that earlier results overwrite: go through scratch space
  // above the frame (the compiler reserves it).
  uint64_t n = IMM(1);
  uint64_t* tmp = fp + frame->func->frame_slots - n;
  for (uint64_t i = 0; i < n; i++) tmp[i] = fp[pc[2 + i].i];
  for (uint64_t i = 0; i < n; i++) fp[i] = tmp[i];
  goto do_return;
}
do_return:
  RETURN_TO_CALLER();

  // The callee's declared locals (and the zero slot) start at 0, zeroed kZeroChunk slots at a
  // time (frames have room for whole chunks, compile/code.h).
#define ZERO_LOCALS(base) ZERO_SLOTS(base, target->num_params, target->zeroed_slots)
#define ZERO_SLOTS(base, from, to)                       \
  do {                                                   \
    uint64_t* z_ = (base) + (from);                      \
    uint64_t* end_ = (base) + (to);                      \
    do {                                                 \
      std::memset(z_, 0, kZeroChunk * sizeof(uint64_t)); \
      z_ += kZeroChunk;                                  \
    } while (z_ < end_);                                 \
  } while (0)
  // Puts a call's arguments (cells from pc[k], see iops.def) in the callee's argument slots.
#define CALL_ARGS(k)                                                                        \
  do {                                                                                      \
    args = fp + pc[k].i;                                                                    \
    const Cell* list_ = pc + (k) + 1;                                                       \
    uint64_t n_ = list_[0].u; /* whole chunks of kArgChunk, at least one */                 \
    uint64_t i_ = 0;                                                                        \
    do {                                                                                    \
      for (uint64_t j_ = 0; j_ < kArgChunk; j_++) args[i_ + j_] = fp[list_[1 + i_ + j_].i]; \
      i_ += kArgChunk;                                                                      \
    } while (i_ < n_);                                                                      \
    list_ += 1 + n_;                                                                        \
    uint64_t c_ = list_[0].u;                                                               \
    for (uint64_t i_ = 0; i_ < c_; i_++) args[list_[1 + 2 * i_].u] = list_[2 + 2 * i_].u;   \
    resume = list_ + 1 + 2 * c_;                                                            \
  } while (0)
  // The short forms: one chunk of argument sources and no constants, without the lists' counts
  // and loops (most calls: 78% of Lua's Call instructions).
#define SHORT_ARGS(k)              \
  do {                             \
    static_assert(kArgChunk == 4); \
    args = fp + pc[k].i;           \
    args[0] = fp[pc[(k) + 1].i];   \
    args[1] = fp[pc[(k) + 2].i];   \
    args[2] = fp[pc[(k) + 3].i];   \
    args[3] = fp[pc[(k) + 4].i];   \
    resume = pc + (k) + 5;         \
  } while (0)
  // Pushes the frame of a call of `target` (in instance `tinst`) whose arguments are at `args`
  // and goes to its first instruction, leaving the instance to the caller.
#define PUSH_FRAME(tinst)                                                             \
  PUSH_FRAME_OF(tinst, target->frame_slots, target->num_params, target->zeroed_slots, \
                target->code.data())
  // The same with the callee's counts and entry given (a Function's copies of them).
#define PUSH_FRAME_OF(tinst, frame_slots, num_params, zeroed_slots, entry)    \
  do {                                                                        \
    if (UNLIKELY(args + (frame_slots) > stack_end || frame + 1 >= frame_end)) \
      TRAP(TrapKind::StackExhausted);                                         \
    CHECK_BUDGET();                                                           \
    ++frame;                                                                  \
    frame->func = target;                                                     \
    frame->inst = (tinst);                                                    \
    frame->fp = args;                                                         \
    frame->ret_pc = resume;                                                   \
    ZERO_SLOTS(args, num_params, zeroed_slots);                               \
    fp = args;                                                                \
    pc = (entry);                                                             \
  } while (0)
  // A direct call stays in its instance: no switch of memories. Each direct call handler has
  // its own copy of the entry, so its dispatch jump is its own (and fib's speed no longer
  // depends on where g++ places one shared entry).
#define ENTER_DIRECT() \
  do {                 \
    PUSH_FRAME(inst);  \
    DISPATCH();        \
  } while (0)
L_CallInPlace:
  target = pc[1].func;
  args = fp + pc[2].i;
  resume = pc + 3;
  ENTER_DIRECT();
L_Call:
  target = pc[1].func;
  CALL_ARGS(2);
  ENTER_DIRECT();
L_CallShort:
  target = pc[1].func;
  SHORT_ARGS(2);
  ENTER_DIRECT();
L_CallShortK:
  target = pc[1].func;
  SHORT_ARGS(2);
  args[pc[7].u] = pc[8].u;
  resume = pc + 9;
  ENTER_DIRECT();
L_CallImport:
  callee = inst->funcs_[IMM(1)];
  CALL_ARGS(2);
  goto call_function;
L_CallImportShort:
  callee = inst->funcs_[IMM(1)];
  SHORT_ARGS(2);
  goto call_function;
  // call_indirect's callee: the table element at S(3), checked against the type id IMM(1).
#define INDIRECT_CALLEE() INDIRECT_CALLEE_AT(S(3))
#define INDIRECT_CALLEE_AT(index)                                                                 \
  do {                                                                                            \
    Table* t_ = inst->tables_[IMM(2)];                                                            \
    uint32_t i_ = uint32_t(index);                                                                \
    if (UNLIKELY(i_ >= t_->elems_.size())) TRAP(TrapKind::UndefinedElement);                      \
    callee = reinterpret_cast<Function*>(uintptr_t(t_->elems_[i_]));                              \
    if (UNLIKELY(!callee)) TRAP(TrapKind::UninitializedElement);                                  \
    if (UNLIKELY(callee->type_id_ != uint32_t(IMM(1)))) TRAP(TrapKind::IndirectCallTypeMismatch); \
  } while (0)
L_CallIndirect:
  INDIRECT_CALLEE();
  CALL_ARGS(4);
  goto call_function;
L_CallIndirectShort:
  INDIRECT_CALLEE();
  SHORT_ARGS(4);
  goto call_function;
  // Calls through a table or of an import: the callee's frame size, counts and entry are read
  // from its Function (copies of its CompiledFunc's, in the line the type check and host_ read
  // too), so the frame push does not wait for code_ and then the CompiledFunc's line.
call_function:
  if (callee->host_) goto call_host;
  target = callee->code_;
  target_inst = callee->instance_;
  PUSH_FRAME_OF(target_inst, callee->frame_slots_, callee->num_params_, callee->zeroed_slots_,
                callee->entry_);
  if (target_inst != inst) {
    inst = target_inst;
    LOAD_MEM();
  }
  DISPATCH();
call_host:
  vm.frame = frame;
  vm.stack_top = fp + frame->func->frame_slots;
  {
    // With fuel on, the slice goes back to vm.fuel while the host runs (it may read the fuel
    // or call back into wasm) and what is left of it is taken again after.
    int64_t kept = budget;
    RETURN_BUDGET();
    bool ok = call_host_function(vm, callee, inst, args);
    if (UNLIKELY(!ok)) goto trap;
    budget = vm.fuel_enabled ? std::min(vm.fuel, kept) : kept;
    if (vm.fuel_enabled && budget > 0) vm.fuel -= budget;
  }
  LOAD_MEM();         // the host may have grown memory
  SET_IACC(args[0]);  // a single result, as a return leaves it (FuncCompiler::note_call_result)
  pc = resume;
  DISPATCH();

  // ---- Parametric, variables, references ------------------------------------------------
  // Branch-free: select's condition is often data-dependent, and a mispredicted branch costs
  // more than the masking (g++ turns the ?: form into a branch here).
#define SELECT_HANDLER(name, A, B)                           \
  L_##name : {                                               \
    uint64_t keep_first = 0 - uint64_t(uint32_t(S(4)) != 0); \
    S(1) = ((A)&keep_first) | ((B) & ~keep_first);           \
    NEXT(5);                                                 \
  }
  SELECT_HANDLER(Select, S(2), S(3))
  SELECT_HANDLER(SelectI_, IMM(2), S(3))
  SELECT_HANDLER(Select_I, S(2), IMM(3))
  SELECT_HANDLER(SelectII, IMM(2), IMM(3))
  // A compare fused in (iops.def): the condition never goes through a slot.
#define SELECT_COMPARE_HANDLER(name, B, T, op)           \
  L_Select##name : {                                     \
    uint64_t keep_first = 0 - uint64_t(T(S(4)) op T(B)); \
    S(1) = (S(2) & keep_first) | (S(3) & ~keep_first);   \
    NEXT(6);                                             \
  }
#define SELECT_COMPARE_HANDLERS(name, T, op)     \
  SELECT_COMPARE_HANDLER(name##_ss, S(5), T, op) \
  SELECT_COMPARE_HANDLER(name##_si, IMM(5), T, op)
  SELECT_COMPARE_HANDLERS(I32Eq, uint32_t, ==)
  SELECT_COMPARE_HANDLERS(I32LtS, int32_t, <)
  SELECT_COMPARE_HANDLERS(I32LtU, uint32_t, <)
  SELECT_COMPARE_HANDLERS(I32GtS, int32_t, >)
  SELECT_COMPARE_HANDLERS(I32GtU, uint32_t, >)
  SELECT_COMPARE_HANDLERS(F32Lt, f32_of, <)
  SELECT_COMPARE_HANDLERS(F32Gt, f32_of, >)
  SELECT_COMPARE_HANDLERS(F64Lt, f64_of, <)
  SELECT_COMPARE_HANDLERS(F64Gt, f64_of, >)
L_GlobalGet:
  S(1) = inst->globals_[IMM(2)]->bits_;
  NEXT(3);
L_GlobalSet:
  inst->globals_[IMM(1)]->bits_ = S(2);
  NEXT(3);
L_GlobalGetAdd:
  S(1) = uint32_t(inst->globals_[IMM(2)]->bits_ + IMM(3));
  NEXT(4);
L_GlobalBump : {
  uint64_t& global = inst->globals_[IMM(2)]->bits_;
  global = S(1) = uint32_t(global + IMM(3));
  NEXT(4);
}
L_GlobalSet_add:
  inst->globals_[IMM(1)]->bits_ = uint32_t(S(2) + IMM(3));
  NEXT(4);
L_RefFunc:
  S(1) = uint64_t(uintptr_t(inst->funcs_[IMM(2)]));
  NEXT(3);
L_I32Sub_is:
  S(1) = SET_IACC(uint32_t(uint32_t(IMM(3)) - uint32_t(S(2))));
  NEXT(4);
L_I64Sub_is:
  S(1) = IMM(3) - S(2);
  NEXT(4);
L_I32Shl_is:
  S(1) = SET_IACC(uint32_t(uint32_t(IMM(3)) << (S(2) & 31)));
  NEXT(4);
L_F32Sub_is:
  S(1) = bits_of(SET_ACC(facc32, f32_of(IMM(3)) - f32_of(S(2))));
  NEXT(4);
L_F64Sub_is:
  S(1) = bits_of(SET_ACC(facc64, f64_of(IMM(3)) - f64_of(S(2))));
  NEXT(4);
L_F32Div_is:
  S(1) = bits_of(SET_ACC(facc32, f32_of(IMM(3)) / f32_of(S(2))));
  NEXT(4);
L_F64Div_is:
  S(1) = bits_of(SET_ACC(facc64, f64_of(IMM(3)) / f64_of(S(2))));
  NEXT(4);
  // x * y + z (iops.def): two roundings, like the two wasm operators; -ffp-contract=off (see
  // runtime/CMakeLists.txt) keeps the compiler from fusing them.
L_F32MulAdd : {
  float product = f32_of(S(2)) * f32_of(S(3));
  S(1) = bits_of(SET_ACC(facc32, product + f32_of(S(4))));
  NEXT(5);
}
L_F64MulAdd : {
  double product = f64_of(S(2)) * f64_of(S(3));
  S(1) = bits_of(SET_ACC(facc64, product + f64_of(S(4))));
  NEXT(5);
}
L_I32AddShl:
  S(1) = SET_IACC(uint32_t(S(2) + (S(3) << IMM(4))));
  NEXT(5);
L_I32ShlAdd : {
  uint64_t k = IMM(3);
  S(1) = SET_IACC(uint32_t((uint32_t(S(2)) << ((k >> 32) & 31)) + uint32_t(k)));
  NEXT(4);
}
L_I32ShrAnd : {
  uint64_t k = IMM(3);
  S(1) = SET_IACC((uint32_t(S(2)) >> (k & 31)) & (k >> 32));
  NEXT(4);
}
L_I64ClearLow : {
  uint64_t x = S(2);
  S(1) = x & (x - 1);
  NEXT(3);
}
L_BrI64ClearLowZ : {
  uint64_t x = S(2);
  x &= x - 1;
  S(1) = x;
  if (!x) {
    pc = pc[3].target;
    DISPATCH();
  }
  NEXT(4);
}
L_BrI64ClearLowNZ : {
  uint64_t x = S(2);
  x &= x - 1;
  S(1) = x;
  if (x) {
    pc = pc[3].target;
    DISPATCH();
  }
  NEXT(4);
}
L_RefIsNull:
  S(1) = S(2) == 0;
  NEXT(3);

  // ---- Memory ---------------------------------------------------------------------------
  // Each load and store has three forms (see iops.def). The effective address is 64-bit: a
  // 32-bit address plus a 32-bit offset cannot wrap. The fused forms keep their two constants
  // in one cell, the memarg offset in the high half (each cell read is a load, and the hot
  // handlers are bound by loads): EA_ADD is u32(base + add) + offset, EA_IDX is
  // u32(base + (index << shift)) + offset.
#define EA_ADD(base, k) (uint64_t(uint32_t((base) + uint32_t(k))) + ((k) >> 32))
#define EA_IDX(base, index, k) (uint64_t(uint32_t((base) + ((index) << ((k)&31)))) + ((k) >> 32))
#define ACCESS_CHECK(T) \
  if (UNLIKELY(ea + sizeof(T) > mem_size)) TRAP(TrapKind::MemoryOutOfBounds)
#define LOAD_HANDLER(name, T, conv, ...) LOAD_HANDLER_K(name, T, conv, SET_IACC, __VA_ARGS__)
  // `keep` leaves the value in an accumulator too: SET_IACC (integer loads) or KEEP_FLOAD32/64
  // (float loads, whose value the next float instruction may read from the float accumulator).
#define LOAD_HANDLER_K(name, T, conv, keep, ...)     \
  L_##name##__VA_ARGS__ : {                          \
    uint64_t ea = uint64_t(uint32_t(S(2))) + IMM(3); \
    LOAD_BODY_K(T, conv, 4, keep);                   \
  }                                                  \
  L_##name##_add##__VA_ARGS__ : {                    \
    uint64_t ea = EA_ADD(S(2), IMM(3));              \
    LOAD_BODY_K(T, conv, 4, keep);                   \
  }                                                  \
  L_##name##_idx##__VA_ARGS__ : {                    \
    uint64_t ea = EA_IDX(S(2), S(3), IMM(4));        \
    LOAD_BODY_K(T, conv, 5, keep);                   \
  }
#define LOAD_BODY(T, conv, len) LOAD_BODY_K(T, conv, len, SET_IACC)
#define LOAD_BODY_K(T, conv, len, keep) \
  ACCESS_CHECK(T);                      \
  T v;                                  \
  std::memcpy(&v, mem + ea, sizeof(T)); \
  S(1) = keep(conv);                    \
  NEXT(len)
#define KEEP_FLOAD32(bits)       \
  ({                             \
    uint64_t b_ = (bits);        \
    SET_ACC(facc32, f32_of(b_)); \
    b_;                          \
  })
#define KEEP_FLOAD64(bits)       \
  ({                             \
    uint64_t b_ = (bits);        \
    SET_ACC(facc64, f64_of(b_)); \
    b_;                          \
  })
  TWINNED(LOAD_HANDLER, I32Load, uint32_t, v)
  LOAD_HANDLER(I64Load, uint64_t, v)
  TWINNED(LOAD_HANDLER_K, F32Load, uint32_t, v, KEEP_FLOAD32)
  TWINNED(LOAD_HANDLER_K, F64Load, uint64_t, v, KEEP_FLOAD64)
  LOAD_HANDLER(I32Load8S, int8_t, uint32_t(int32_t(v)))
  TWINNED(LOAD_HANDLER, I32Load8U, uint8_t, v)
  TWINNED(LOAD_HANDLER, I32Load16S, int16_t, uint32_t(int32_t(v)))
  TWINNED(LOAD_HANDLER, I32Load16U, uint16_t, v)
  LOAD_HANDLER(I64Load8S, int8_t, uint64_t(int64_t(v)))
  LOAD_HANDLER(I64Load8U, uint8_t, v)
  LOAD_HANDLER(I64Load16S, int16_t, uint64_t(int64_t(v)))
  LOAD_HANDLER(I64Load16U, uint16_t, v)
  LOAD_HANDLER(I64Load32S, int32_t, uint64_t(int64_t(v)))
  LOAD_HANDLER(I64Load32U, uint32_t, v)
  // A static table's element (iops.def): the address as I32ShlAdd computes it, then the offset.
#define TBL_LOAD_HANDLER(name, T, conv) TBL_LOAD_HANDLER_K(name, T, conv, SET_IACC)
#define TBL_LOAD_HANDLER_K(name, T, conv, keep)                                                    \
  L_##name##_tbl : {                                                                               \
    uint64_t k = IMM(3);                                                                           \
    uint64_t ea = uint64_t(uint32_t((uint32_t(S(2)) << ((k >> 32) & 31)) + uint32_t(k))) + IMM(4); \
    LOAD_BODY_K(T, conv, 5, keep);                                                                 \
  }
  TBL_LOAD_HANDLER(I32Load, uint32_t, v)
  TBL_LOAD_HANDLER(I64Load, uint64_t, v)
  TBL_LOAD_HANDLER_K(F32Load, uint32_t, v, KEEP_FLOAD32)
  TBL_LOAD_HANDLER_K(F64Load, uint64_t, v, KEEP_FLOAD64)
  TBL_LOAD_HANDLER(I32Load8S, int8_t, uint32_t(int32_t(v)))
  TBL_LOAD_HANDLER(I32Load8U, uint8_t, v)
  TBL_LOAD_HANDLER(I32Load16S, int16_t, uint32_t(int32_t(v)))
  TBL_LOAD_HANDLER(I32Load16U, uint16_t, v)
#define STORE_HANDLER(name, T)                       \
  L_##name : {                                       \
    uint64_t ea = uint64_t(uint32_t(S(1))) + IMM(3); \
    STORE_BODY(T, S(2), 4);                          \
  }                                                  \
  L_##name##_add : {                                 \
    uint64_t ea = EA_ADD(S(1), IMM(2));              \
    STORE_BODY(T, S(3), 4);                          \
  }                                                  \
  L_##name##_idx : {                                 \
    uint64_t ea = EA_IDX(S(1), S(2), IMM(3));        \
    STORE_BODY(T, S(4), 5);                          \
  }                                                  \
  L_##name##_k : {                                   \
    uint64_t ea = uint64_t(uint32_t(S(1))) + IMM(3); \
    STORE_BODY(T, IMM(2), 4);                        \
  }                                                  \
  L_##name##_addk : {                                \
    uint64_t ea = EA_ADD(S(1), IMM(2));              \
    STORE_BODY(T, IMM(3), 4);                        \
  }
#define STORE_BODY(T, value, len)       \
  ACCESS_CHECK(T);                      \
  T v = T(value);                       \
  std::memcpy(mem + ea, &v, sizeof(T)); \
  NEXT(len)
  STORE_HANDLER(I32Store, uint32_t)
  STORE_HANDLER(I64Store, uint64_t)
  STORE_HANDLER(F32Store, uint32_t)
  STORE_HANDLER(F64Store, uint64_t)
  STORE_HANDLER(I32Store8, uint8_t)
  STORE_HANDLER(I32Store16, uint16_t)
  STORE_HANDLER(I64Store8, uint8_t)
  STORE_HANDLER(I64Store16, uint16_t)
  STORE_HANDLER(I64Store32, uint32_t)

L_MemorySize:
  S(1) = (IMM(2) ? inst->memories_[IMM(2)]->size_ : mem_size) >> 16;
  NEXT(3);
L_MemoryGrow : {
  int64_t old = inst->memories_[IMM(3)]->grow(uint32_t(S(2)));
  S(1) = uint32_t(old);
  LOAD_MEM();
  NEXT(4);
}
L_MemoryFill:  // memory 0 in bounds in place (execute/bulk_small.h), else the slow path
  if (IMM(1) == 0 && fill_in_place(mem, mem_size, uint32_t(S(2)), uint8_t(S(3)), uint32_t(S(4)))) {
    NEXT(5);
  }
  if (!memory_fill(vm, inst, uint32_t(IMM(1)), uint32_t(S(2)), uint32_t(S(3)), uint32_t(S(4))))
    goto trap;
  NEXT(5);
L_MemoryCopy:
  if ((IMM(1) | IMM(2)) == 0 &&
      copy_in_place(mem, mem_size, uint32_t(S(3)), uint32_t(S(4)), uint32_t(S(5)))) {
    NEXT(6);
  }
  if (!memory_copy(vm, inst, uint32_t(IMM(1)), uint32_t(IMM(2)), uint32_t(S(3)), uint32_t(S(4)),
                   uint32_t(S(5))))
    goto trap;
  NEXT(6);
L_MemoryInit:
  if (!memory_init(vm, inst, uint32_t(IMM(2)), uint32_t(IMM(1)), uint32_t(S(3)), uint32_t(S(4)),
                   uint32_t(S(5))))
    goto trap;
  NEXT(6);
  // Multi-memory: an access to another memory than 0 runs between these two, which point the
  // memory registers at that memory and back (translate.cpp, FuncCompiler::translate).
L_UseMemory : {
  Memory* m = inst->memories_[IMM(1)];
  mem = m->base_;
  mem_size = m->size_;
  NEXT(2);
}
L_UseMemory0:
  LOAD_MEM();
  NEXT(1);
L_DataDrop:
  inst->dropped_datas_[IMM(1)] = true;
  NEXT(2);

  // ---- Tables ---------------------------------------------------------------------------
L_TableGet : {
  Table* t = inst->tables_[IMM(2)];
  uint32_t i = uint32_t(S(3));
  if (UNLIKELY(i >= t->elems_.size())) TRAP(TrapKind::TableOutOfBounds);
  S(1) = t->elems_[i];
  NEXT(4);
}
L_TableSet : {
  Table* t = inst->tables_[IMM(1)];
  uint32_t i = uint32_t(S(2));
  if (UNLIKELY(i >= t->elems_.size())) TRAP(TrapKind::TableOutOfBounds);
  t->elems_[i] = S(3);
  NEXT(4);
}
L_TableSize:
  S(1) = uint32_t(inst->tables_[IMM(2)]->elems_.size());
  NEXT(3);
L_TableGrow:
  S(1) = uint32_t(inst->tables_[IMM(2)]->grow(uint32_t(S(4)), S(3)));
  NEXT(5);
L_TableFill:
  if (!table_fill(vm, inst, uint32_t(IMM(1)), uint32_t(S(2)), S(3), uint32_t(S(4)))) goto trap;
  NEXT(5);
L_TableCopy:
  if (!table_copy(vm, inst, uint32_t(IMM(1)), uint32_t(IMM(2)), uint32_t(S(3)), uint32_t(S(4)),
                  uint32_t(S(5))))
    goto trap;
  NEXT(6);
L_TableInit:
  if (!table_init(vm, inst, uint32_t(IMM(1)), uint32_t(IMM(2)), uint32_t(S(3)), uint32_t(S(4)),
                  uint32_t(S(5))))
    goto trap;
  NEXT(6);
L_ElemDrop:
  inst->elem_values_[IMM(1)].clear();
  NEXT(2);

  // ---- Numeric --------------------------------------------------------------------------
  // UNARY(name, expr of `a`): a is the raw slot. BINARY(name, conv, expr of a, b): a and b
  // are the operands as `conv` reads a slot (an integer type, f32_of or f64_of).
#define UNARY(name, expr) \
  L_##name : {            \
    uint64_t a = S(2);    \
    S(1) = (expr);        \
    NEXT(3);              \
  }
#define BINARY(name, conv, expr, ...)      \
  L_##name##_ss##__VA_ARGS__ : {           \
    auto a = conv(S(2)), b = conv(S(3));   \
    S(1) = (expr);                         \
    NEXT(4);                               \
  }                                        \
  L_##name##_si##__VA_ARGS__ : {           \
    auto a = conv(S(2)), b = conv(IMM(3)); \
    S(1) = (expr);                         \
    NEXT(4);                               \
  }
#define COMPARE_BINARY(name, T, op) BINARY(name, T, a op b)
  // Integer operators also leave their result in the integer accumulator (iacc_iops.def).
#define INT_BINARY(name, conv, expr, ...) BINARY(name, conv, SET_IACC(expr), __VA_ARGS__)
  // Float operators also leave their result in the accumulator `acc` (facc32 or facc64), where
  // the accumulator forms of the next instruction read it (execute/acc_iops.def).
#define FLOAT_BINARY(name, conv, acc, expr, ...) \
  L_##name##_ss##__VA_ARGS__ : {                 \
    auto a = conv(S(2)), b = conv(S(3));         \
    S(1) = bits_of(SET_ACC(acc, (expr)));        \
    NEXT(4);                                     \
  }                                              \
  L_##name##_si##__VA_ARGS__ : {                 \
    auto a = conv(S(2)), b = conv(IMM(3));       \
    S(1) = bits_of(SET_ACC(acc, (expr)));        \
    NEXT(4);                                     \
  }
#define FLOAT_UNARY(name, conv, acc, expr) \
  L_##name : {                             \
    auto x = conv(S(2));                   \
    S(1) = bits_of(SET_ACC(acc, (expr)));  \
    NEXT(3);                               \
  }
  // The accumulator forms: the first operand is `acc`, the result of the instruction before.
#define ACC_ARITH(name, conv, acc, expr)  \
  L_##name##_as : {                       \
    auto a = acc, b = conv(S(3));         \
    S(1) = bits_of(SET_ACC(acc, (expr))); \
    NEXT(4);                              \
  }                                       \
  L_##name##_ai : {                       \
    auto a = acc, b = conv(IMM(3));       \
    S(1) = bits_of(SET_ACC(acc, (expr))); \
    NEXT(4);                              \
  }
#define ACC_COMPARE(name, conv, acc, op) \
  L_##name##_as : {                      \
    S(1) = acc op conv(S(3));            \
    NEXT(4);                             \
  }                                      \
  L_##name##_ai : {                      \
    S(1) = acc op conv(IMM(3));          \
    NEXT(4);                             \
  }
#define ACC_UNARY(name, acc, expr)        \
  L_##name##_a : {                        \
    auto x = acc;                         \
    S(1) = bits_of(SET_ACC(acc, (expr))); \
    NEXT(3);                              \
  }
  ACC_ARITH(F32Add, f32_of, facc32, a + b)
  ACC_ARITH(F32Sub, f32_of, facc32, a - b)
  ACC_ARITH(F32Mul, f32_of, facc32, a * b)
  ACC_ARITH(F32Div, f32_of, facc32, a / b)
  ACC_ARITH(F64Add, f64_of, facc64, a + b)
  ACC_ARITH(F64Sub, f64_of, facc64, a - b)
  ACC_ARITH(F64Mul, f64_of, facc64, a * b)
  ACC_ARITH(F64Div, f64_of, facc64, a / b)
  ACC_COMPARE(F32Eq, f32_of, facc32, ==)
  ACC_COMPARE(F32Ne, f32_of, facc32, !=)
  ACC_COMPARE(F32Lt, f32_of, facc32, <)
  ACC_COMPARE(F32Gt, f32_of, facc32, >)
  ACC_COMPARE(F32Le, f32_of, facc32, <=)
  ACC_COMPARE(F32Ge, f32_of, facc32, >=)
  ACC_COMPARE(F64Eq, f64_of, facc64, ==)
  ACC_COMPARE(F64Ne, f64_of, facc64, !=)
  ACC_COMPARE(F64Lt, f64_of, facc64, <)
  ACC_COMPARE(F64Gt, f64_of, facc64, >)
  ACC_COMPARE(F64Le, f64_of, facc64, <=)
  ACC_COMPARE(F64Ge, f64_of, facc64, >=)
  ACC_UNARY(F32Sqrt, facc32, std::sqrt(x))
  ACC_UNARY(F32Neg, facc32, -x)
  ACC_UNARY(F32Abs, facc32, std::fabs(x))
  ACC_UNARY(F64Sqrt, facc64, std::sqrt(x))
  ACC_UNARY(F64Neg, facc64, -x)
  ACC_UNARY(F64Abs, facc64, std::fabs(x))
  // `x * x`, `x + x` of the value just computed: both operands from the accumulator (the _as
  // form would read the second from the slot just stored, a store-forward on the chain).
#define ACC_SAME_HANDLER(name, acc, expr) \
  L_##name##_aa : {                       \
    auto a = acc;                         \
    S(1) = bits_of(SET_ACC(acc, (expr))); \
    NEXT(4);                              \
  }
  ACC_SAME_HANDLER(F32Add, facc32, a + a)
  ACC_SAME_HANDLER(F32Mul, facc32, a * a)
  ACC_SAME_HANDLER(F64Add, facc64, a + a)
  ACC_SAME_HANDLER(F64Mul, facc64, a * a)
  // Compare-and-branch on the value just computed (`while (x * x + y * y <= 4)`): the first
  // operand from the accumulator, the cells of the slot forms.
#define ACC_CMPBR_HANDLERS(name, conv, acc, op)     \
  L_Br##name##_as : if (acc op conv(S(2))) {        \
    pc = pc[3].target;                              \
    DISPATCH();                                     \
  }                                                 \
  NEXT(4);                                          \
  L_Br##name##_ai : if (acc op conv(IMM(2))) {      \
    pc = pc[3].target;                              \
    DISPATCH();                                     \
  }                                                 \
  NEXT(4);                                          \
  L_Br##name##_as_loop : if (acc op conv(S(2))) {   \
    CHECK_BUDGET();                                 \
    pc = pc[3].target;                              \
    DISPATCH();                                     \
  }                                                 \
  NEXT(4);                                          \
  L_Br##name##_ai_loop : if (acc op conv(IMM(2))) { \
    CHECK_BUDGET();                                 \
    pc = pc[3].target;                              \
    DISPATCH();                                     \
  }                                                 \
  NEXT(4);
#define ACC_NOTBR_HANDLERS(name, conv, acc, op)      \
  L_BrNot##name##_as : if (!(acc op conv(S(2)))) {   \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);                                           \
  L_BrNot##name##_ai : if (!(acc op conv(IMM(2)))) { \
    pc = pc[3].target;                               \
    DISPATCH();                                      \
  }                                                  \
  NEXT(4);
#define FLOAT_COMPARE_BRANCHES(name, conv, op) ACC_CMPBR_HANDLERS(name, conv, ACC_OF_##conv, op)
#define ACC_OF_f32_of facc32
#define ACC_OF_f64_of facc64
  FLOAT_COMPARES(FLOAT_COMPARE_BRANCHES)
  ACC_NOTBR_HANDLERS(F32Lt, f32_of, facc32, <)
  ACC_NOTBR_HANDLERS(F32Gt, f32_of, facc32, >)
  ACC_NOTBR_HANDLERS(F32Le, f32_of, facc32, <=)
  ACC_NOTBR_HANDLERS(F32Ge, f32_of, facc32, >=)
  ACC_NOTBR_HANDLERS(F64Lt, f64_of, facc64, <)
  ACC_NOTBR_HANDLERS(F64Gt, f64_of, facc64, >)
  ACC_NOTBR_HANDLERS(F64Le, f64_of, facc64, <=)
  ACC_NOTBR_HANDLERS(F64Ge, f64_of, facc64, >=)
  // A Copy of the value just computed, from the accumulator, which keeps it for the next
  // instruction; and the Copy a fresh run() starts with there, which sets the accumulator.
L_CopyF32_a:
  S(1) = bits_of(facc32);
  NEXT(3);
L_CopyF32:
  S(1) = S(2);
  SET_ACC(facc32, f32_of(S(1)));
  NEXT(3);
L_CopyF64_a:
  S(1) = bits_of(facc64);
  NEXT(3);
L_CopyF64:
  S(1) = S(2);
  SET_ACC(facc64, f64_of(S(1)));
  NEXT(3);
  // Division: checks first, then the operation (a and b are read before the trap check).
#define DIVISION(name, T, expr, overflow)                      \
  L_##name##_ss : {                                            \
    T a = T(S(2)), b = T(S(3));                                \
    if (UNLIKELY(b == 0)) TRAP(TrapKind::IntegerDivideByZero); \
    if (UNLIKELY(overflow)) TRAP(TrapKind::IntegerOverflow);   \
    S(1) = (expr);                                             \
    NEXT(4);                                                   \
  }                                                            \
  L_##name##_si : {                                            \
    T a = T(S(2)), b = T(IMM(3));                              \
    if (UNLIKELY(b == 0)) TRAP(TrapKind::IntegerDivideByZero); \
    if (UNLIKELY(overflow)) TRAP(TrapKind::IntegerOverflow);   \
    S(1) = (expr);                                             \
    NEXT(4);                                                   \
  }

  UNARY(I32Eqz, uint32_t(a) == 0)
  I32_COMPARES(COMPARE_BINARY)
  UNARY(I64Eqz, a == 0)
  I64_COMPARES(COMPARE_BINARY)
  FLOAT_COMPARES(COMPARE_BINARY)

  UNARY(I32Clz, uint32_t(a) ? uint64_t(__builtin_clz(uint32_t(a))) : 32)
  UNARY(I32Ctz, uint32_t(a) ? uint64_t(__builtin_ctz(uint32_t(a))) : 32)
  UNARY(I32Popcnt, uint64_t(__builtin_popcount(uint32_t(a))))
  TWINNED(INT_BINARY, I32Add, uint32_t, uint32_t(a + b))
  // x + the loop register; the third cell still names the local it stands for (I32Add_ss's
  // cells, patched in place by the translator).
#define ADD_REG_HANDLER(name, ...)              \
  L_##name##__VA_ARGS__ : {                     \
    S(1) = SET_IACC(uint32_t(S(2) + loop_reg)); \
    NEXT(4);                                    \
  }
  TWINNED(ADD_REG_HANDLER, I32Add_sr)
  INT_BINARY(I32Sub, uint32_t, uint32_t(a - b))
  INT_BINARY(I32Mul, uint32_t, uint32_t(a * b))
  DIVISION(I32DivS, int32_t, uint32_t(a / b), a == INT32_MIN && b == -1)
  DIVISION(I32DivU, uint32_t, a / b, false)
  DIVISION(I32RemS, int32_t, uint32_t(b == -1 ? 0 : a % b), false)
  DIVISION(I32RemU, uint32_t, a % b, false)
  INT_BINARY(I32And, uint32_t, a & b)
  INT_BINARY(I32Or, uint32_t, a | b)
  INT_BINARY(I32Xor, uint32_t, a ^ b)
  INT_BINARY(I32Shl, uint32_t, uint32_t(a << (b & 31)))
  INT_BINARY(I32ShrS, int32_t, uint32_t(a >> (b & 31)))
  INT_BINARY(I32ShrU, uint32_t, a >> (b & 31))
  INT_BINARY(I32Rotl, uint32_t, rotl32(a, b))
  INT_BINARY(I32Rotr, uint32_t, rotr32(a, b))
  UNARY(I64Clz, a ? uint64_t(__builtin_clzll(a)) : 64)
  UNARY(I64Ctz, a ? uint64_t(__builtin_ctzll(a)) : 64)
  UNARY(I64Popcnt, uint64_t(__builtin_popcountll(a)))
  BINARY(I64Add, uint64_t, a + b)
  BINARY(I64Sub, uint64_t, a - b)
  BINARY(I64Mul, uint64_t, a * b)
  DIVISION(I64DivS, int64_t, uint64_t(a / b), a == INT64_MIN && b == -1)
  DIVISION(I64DivU, uint64_t, a / b, false)
  DIVISION(I64RemS, int64_t, uint64_t(b == -1 ? 0 : a % b), false)
  DIVISION(I64RemU, uint64_t, a % b, false)
  BINARY(I64And, uint64_t, a & b)
  BINARY(I64Or, uint64_t, a | b)
  BINARY(I64Xor, uint64_t, a ^ b)
  BINARY(I64Shl, uint64_t, a << (b & 63))
  BINARY(I64ShrS, int64_t, uint64_t(a >> (b & 63)))
  BINARY(I64ShrU, uint64_t, a >> (b & 63))
  BINARY(I64Rotl, uint64_t, rotl64(a, b))
  BINARY(I64Rotr, uint64_t, rotr64(a, b))

  // Float sign operations work on bits so NaN payloads pass through untouched.
  FLOAT_UNARY(F32Abs, f32_of, facc32, std::fabs(x))
  FLOAT_UNARY(F32Neg, f32_of, facc32, -x)
  UNARY(F32Ceil, bits_of(quiet_nan_or(f32_of(a), std::ceil(f32_of(a)))))
  UNARY(F32Floor, bits_of(quiet_nan_or(f32_of(a), std::floor(f32_of(a)))))
  UNARY(F32Trunc, bits_of(quiet_nan_or(f32_of(a), std::trunc(f32_of(a)))))
  UNARY(F32Nearest, bits_of(wasm_nearest(f32_of(a))))
  FLOAT_UNARY(F32Sqrt, f32_of, facc32, std::sqrt(x))
  FLOAT_BINARY(F32Add, f32_of, facc32, a + b)
  FLOAT_BINARY(F32Sub, f32_of, facc32, a - b)
  TWINNED(FLOAT_BINARY, F32Mul, f32_of, facc32, a * b)
  FLOAT_BINARY(F32Div, f32_of, facc32, a / b)
  FLOAT_BINARY(F32Min, f32_of, facc32, wasm_min(a, b))
  FLOAT_BINARY(F32Max, f32_of, facc32, wasm_max(a, b))
  BINARY(F32Copysign, uint32_t, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
  FLOAT_UNARY(F64Abs, f64_of, facc64, std::fabs(x))
  FLOAT_UNARY(F64Neg, f64_of, facc64, -x)
  UNARY(F64Ceil, bits_of(quiet_nan_or(f64_of(a), std::ceil(f64_of(a)))))
  UNARY(F64Floor, bits_of(quiet_nan_or(f64_of(a), std::floor(f64_of(a)))))
  UNARY(F64Trunc, bits_of(quiet_nan_or(f64_of(a), std::trunc(f64_of(a)))))
  UNARY(F64Nearest, bits_of(wasm_nearest(f64_of(a))))
  FLOAT_UNARY(F64Sqrt, f64_of, facc64, std::sqrt(x))
  FLOAT_BINARY(F64Add, f64_of, facc64, a + b)
  FLOAT_BINARY(F64Sub, f64_of, facc64, a - b)
  TWINNED(FLOAT_BINARY, F64Mul, f64_of, facc64, a * b)
  FLOAT_BINARY(F64Div, f64_of, facc64, a / b)
  FLOAT_BINARY(F64Min, f64_of, facc64, wasm_min(a, b))
  FLOAT_BINARY(F64Max, f64_of, facc64, wasm_max(a, b))
  BINARY(F64Copysign, uint64_t, (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

  // Conversions. Trapping float->int checks NaN first, then range.
#define TRUNC(name, F, fits, I)                                     \
  L_##name : {                                                      \
    double x = F(S(2));                                             \
    if (UNLIKELY(std::isnan(x))) TRAP(TrapKind::InvalidConversion); \
    if (UNLIKELY(!fits(x))) TRAP(TrapKind::IntegerOverflow);        \
    S(1) = I(x);                                                    \
    NEXT(3);                                                        \
  }
  UNARY(I32WrapI64, uint32_t(a))
  TRUNC(I32TruncF32S, f32_of, fits_i32, cvt_i32)
  TRUNC(I32TruncF32U, f32_of, fits_u32, cvt_u32)
  TRUNC(I32TruncF64S, f64_of, fits_i32, cvt_i32)
  TRUNC(I32TruncF64U, f64_of, fits_u32, cvt_u32)
  UNARY(I64ExtendI32S, uint64_t(int64_t(int32_t(a))))
  UNARY(I64ExtendI32U, uint64_t(uint32_t(a)))
  TRUNC(I64TruncF32S, f32_of, fits_i64, cvt_i64)
  TRUNC(I64TruncF32U, f32_of, fits_u64, cvt_u64)
  TRUNC(I64TruncF64S, f64_of, fits_i64, cvt_i64)
  TRUNC(I64TruncF64U, f64_of, fits_u64, cvt_u64)
  FLOAT_UNARY(F32ConvertI32S, uint64_t, facc32, float(int32_t(x)))
  FLOAT_UNARY(F32ConvertI32U, uint64_t, facc32, float(uint32_t(x)))
  FLOAT_UNARY(F32ConvertI64S, uint64_t, facc32, float(int64_t(x)))
  UNARY(F32ConvertI64U, bits_of(float(a)))
  FLOAT_UNARY(F32DemoteF64, f64_of, facc32, float(x))
  FLOAT_UNARY(F64ConvertI32S, uint64_t, facc64, double(int32_t(x)))
  FLOAT_UNARY(F64ConvertI32U, uint64_t, facc64, double(uint32_t(x)))
  FLOAT_UNARY(F64ConvertI64S, uint64_t, facc64, double(int64_t(x)))
  UNARY(F64ConvertI64U, bits_of(double(a)))
  FLOAT_UNARY(F64PromoteF32, f32_of, facc64, double(x))
  UNARY(I32Extend8S, uint32_t(int32_t(int8_t(a))))
  UNARY(I32Extend16S, uint32_t(int32_t(int16_t(a))))
  UNARY(I64Extend8S, uint64_t(int64_t(int8_t(a))))
  UNARY(I64Extend16S, uint64_t(int64_t(int16_t(a))))
  UNARY(I64Extend32S, uint64_t(int64_t(int32_t(a))))
  UNARY(I32TruncSatF32S, uint32_t(trunc_sat<int32_t>(f32_of(a))))
  UNARY(I32TruncSatF32U, uint32_t(trunc_sat<uint32_t>(f32_of(a))))
  UNARY(I32TruncSatF64S, uint32_t(trunc_sat<int32_t>(f64_of(a))))
  UNARY(I32TruncSatF64U, uint32_t(trunc_sat<uint32_t>(f64_of(a))))
  UNARY(I64TruncSatF32S, uint64_t(trunc_sat<int64_t>(f32_of(a))))
  UNARY(I64TruncSatF32U, trunc_sat<uint64_t>(f32_of(a)))
  UNARY(I64TruncSatF64S, uint64_t(trunc_sat<int64_t>(f64_of(a))))
  UNARY(I64TruncSatF64U, trunc_sat<uint64_t>(f64_of(a)))

  // ---- Fused forms (compile/translate_fusions.cpp): in their own file, included here.
#include "execute/fused_handlers.inc"

  // ---- Tail calls, exceptions, memory64: in their own file, included here.
#include "execute/rare_handlers.inc"

  // ---- SIMD: in their own file, included here.
#include "execute/simd_handlers.inc"
  // ---- Loads fused into the branch that reads them: last, out of the way of the others.
#include "execute/load_branch_handlers.inc"
  // ---- The integer accumulator's forms (iacc_iops.def).
#include "execute/iacc_handlers.inc"
  // ---- Slotless producers (slotless_iops.def).
#include "execute/slotless_handlers.inc"

  // ---- Added after the others, out of the hot handlers' way (put among the calls, mandel ran
  // 1.09 and 1.17 of before in two rounds at load 13, with the same instructions).
  // A host call whose arguments were computed into their places (host_step(acc ^ i)): no copies.
L_CallImportInPlace:
  callee = inst->funcs_[IMM(1)];
  args = fp + pc[2].i;
  resume = pc + 3;
  goto call_function;
  // call_indirect with its element index the value just computed (iacc_iops.def): the function
  // pointer just loaded. Here with the others added last: among the calls, layout moved mandel.
L_CallIndirect_a:
  INDIRECT_CALLEE_AT(iacc);
  CALL_ARGS(4);
  goto call_function;
L_CallIndirectShort_a:
  INDIRECT_CALLEE_AT(iacc);
  SHORT_ARGS(4);
  goto call_function;
  // ---- The float accumulator's ACC_PAIR forms (acc_iops.def), last as well.
#include "execute/facc_handlers.inc"
  // ---- Additions of constants emitted together (iops.def): two as one, or one and the jump
  // after it. Last too: the handlers before keep their places.
L_I32Add2_si : {
  uint64_t a = IMM(1), b = IMM(2), k = IMM(3);
  fp[uint32_t(a)] = uint32_t(fp[a >> 32] + k);
  fp[uint32_t(b)] = SET_IACC(uint32_t(fp[b >> 32] + (k >> 32)));
  NEXT(4);
}
L_I32AddBr_si:
  S(1) = uint32_t(S(2) + IMM(3));
  pc = pc[4].target;
  DISPATCH();
L_I32AddBrLoop_si:
  S(1) = uint32_t(S(2) + IMM(3));
  CHECK_BUDGET();
  pc = pc[4].target;
  DISPATCH();
  // xorshift steps (iops.def), after all the others: D = x ^ (x << k) or x ^ (x >> k).
#define XORSHIFT_HANDLER(name, T, shift, x, keep)               \
  L_##name : {                                                  \
    T x_ = T(x);                                                \
    S(1) = keep(x_ ^ (x_ shift(IMM(3) & (sizeof(T) * 8 - 1)))); \
    NEXT(4);                                                    \
  }
#define KEEP_NONE(v) (v)
  XORSHIFT_HANDLER(I32XorShl, uint32_t, <<, S(2), SET_IACC)
  XORSHIFT_HANDLER(I32XorShrU, uint32_t, >>, S(2), SET_IACC)
  XORSHIFT_HANDLER(I32XorShl_a, uint32_t, <<, iacc, SET_IACC)
  XORSHIFT_HANDLER(I32XorShrU_a, uint32_t, >>, iacc, SET_IACC)
  XORSHIFT_HANDLER(I64XorShl, uint64_t, <<, S(2), KEEP_NONE)
  XORSHIFT_HANDLER(I64XorShrU, uint64_t, >>, S(2), KEEP_NONE)

later_access_trap:  // at a later memory access of a fused instruction (vm.trap_access says which)
  vm.trap_later_access = pc;
  vm.trap_kind = TrapKind::MemoryOutOfBounds;
trap:
  vm.trap_pc = pc;
  vm.iacc = iacc;
  vm.loop_reg = loop_reg;
  vm.frame = frame;
  RETURN_BUDGET();
  return false;

  // A breakpoint or a step (debug/debugger.cpp patched this instruction's handler): leave the
  // way a trap does; interpret() asks the debugger and runs the interpreter again from here,
  // with the handler the patch replaced in vm.resume_op. Last and out of the way, so the hot
  // handlers are laid out as without it.
L_Breakpoint:
  if (vm.resume_pc == pc) {
    vm.resume_pc = nullptr;
    SET_IACC(vm.iacc);
    goto* vm.resume_op;
  }
  vm.at_debug_stop = true;
  goto trap;
}

// run() left at `pc` (a trap or a debug stop) with its integer accumulator in vm.iacc. If the
// instruction there reads it (an accumulator form, seen through a debugger patch), its producer
// may have left the value in the register only (execute/slotless_iops.def): it goes to the slot
// the instruction names, where the slot form that resumes there, the operand stack a stop
// shows and a snapshot of the paused call read it. Where the producer wrote the slot, it holds
// the same value. Returns that slot, or nullptr.
static uint64_t* restore_accumulator_slot(Vm& vm, const Cell* pc) {
  int cell = int_accumulator_cell(debug_original_handler(pc));
  if (!cell) return nullptr;
  uint64_t* slot = &vm.frame->fp[pc[cell].i];
  *slot = vm.iacc;
  return slot;
}

bool interpret(Vm& vm, const Cell* pc) {
  while (!run(&vm, pc)) {
    if (vm.throwing) {  // a catch found: the interpreter goes on there, in its frame
      pc = throw_exception(vm, vm.trap_pc);
      if (pc) continue;
    }
    if (!vm.at_debug_stop) {
      restore_accumulator_slot(vm, vm.trap_pc);
      if (vm.break_on_trap) debug_trap_stop(vm);
      return false;
    }
    vm.at_debug_stop = false;
    pc = vm.trap_pc;
    uint64_t* acc_slot = restore_accumulator_slot(vm, pc);
    // The debugger may run wasm code of its own, which would clobber vm.loop_reg; a write of
    // the local the register holds (set_local) changes the copy kept for the stopped call.
    vm.stop_loop_reg = vm.loop_reg;
    const void* op = debug_stop(vm, pc);
    vm.loop_reg = vm.stop_loop_reg;
    if (acc_slot) vm.iacc = *acc_slot;  // the debugger's own calls ran run() meanwhile
    if (!op) {
      vm.trap_kind = TrapKind::Interrupted;
      return false;
    }
    // The interpreter starts with `op` (if the instruction is still patched, or an
    // accumulator form whose accumulator a fresh run() does not have).
    op = without_accumulator(op);
    if (op != pc->op) {
      vm.resume_pc = pc;
      vm.resume_op = op;
    }
  }
  return true;
}

// An accumulator form (execute/acc_iops.def, iacc_iops.def) reads the result of the instruction
// before it from a register that only holds it when that instruction ran just before, in the same
// run(). Its slot form has the same cells and reads the same value from its slot, which is current.
const void* without_accumulator(const void* op) {
  static const std::pair<IOp, IOp> forms[] = {
#define ACC_BIN(n) {IOp::n##_as, IOp::n##_ss}, {IOp::n##_ai, IOp::n##_si},
#define ACC_UN(n) {IOp::n##_a, IOp::n},
#define ACC_SAME(n) {IOp::n##_aa, IOp::n##_ss},
#define ACC_CMPBR(n)                                                      \
  {IOp::Br##n##_as, IOp::Br##n##_ss}, {IOp::Br##n##_ai, IOp::Br##n##_si}, \
      {IOp::Br##n##_as_loop, IOp::Br##n##_ss_loop}, {IOp::Br##n##_ai_loop, IOp::Br##n##_si_loop},
#define ACC_NOTBR(n) \
  {IOp::BrNot##n##_as, IOp::BrNot##n##_ss}, {IOp::BrNot##n##_ai, IOp::BrNot##n##_si},
#define ACC_COPY(t) {IOp::Copy##t##_a, IOp::Copy##t},
#define ACC_PAIR(acc, slot) {IOp::acc, IOp::slot},
#include "execute/acc_iops.def"
#define IACC(acc, slot) {IOp::acc, IOp::slot},
#include "execute/iacc_iops.def"
#define SLOTLESS(slot) {IOp::slot##_noslot, IOp::slot},
#include "execute/slotless_iops.def"
  };
  const void* const* h = handler_table();
  // A slotless producer's slot form may itself read the accumulator (I32Add_ai_noslot): the
  // search goes on from there.
  for (auto [acc, slot] : forms)
    if (h[size_t(acc)] == op) return without_accumulator(h[size_t(slot)]);
  return op;
}

const void* const* handler_table() {
  if (!g_handlers) run(nullptr, nullptr);
  return g_handlers;
}

extern const Interpreter kInterpreter{GLINT_INTERPRETER_NAME, interpret, handler_table,
                                      without_accumulator};

}  // namespace glint::detail::GLINT_INTERPRETER
