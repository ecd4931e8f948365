// Breakpoints and stepping (glint/debug.h): where execution stops, what a stop shows, and that
// code runs unchanged around the patches.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "debug/debugger.h"  // detail::patched_instructions
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "support.h"

using namespace glint;

namespace {
struct Debuggee {
  std::vector<uint8_t> bytes = test::test_wasm_bytes("debug.wasm");
  std::shared_ptr<const Module> module;
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  std::vector<DebugStop> stops;
  std::vector<DebugAction> script;  // the handler's answers, in order; then Continue

  Debuggee() {
    auto m = Module::load(bytes);
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
    module = *m;
    auto r = linker.instantiate(store, module);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
    store.set_debug_handler([this](const DebugStop& s) {
      stops.push_back(s);
      return stops.size() <= script.size() ? script[stops.size() - 1] : DebugAction::Continue;
    });
  }
  // The offset of marker k (`i32.const 3000k` in debug.wat) in the binary.
  uint32_t marker(int k) const {  // i32.const 3000k, LEB128
    return uint32_t(test::offset_of(bytes, {0x41, uint8_t(0xb0 + k), 0xea, 0x01}));
  }
  uint32_t breakpoint_at_marker(int k) {
    auto taken = set_breakpoint(*module, marker(k));
    REQUIRE_MESSAGE(taken.ok(), (taken.ok() ? "" : taken.error().to_string()));
    return *taken;
  }
  // How many instructions run handler `o` (a debugger patch hides one): in the whole module, or
  // in export `name`.
  size_t count(detail::IOp o) const {
    size_t n = 0;
    for (const detail::CompiledFunc& f : module->compiled().funcs) n += count_in(f, o);
    return n;
  }
  size_t count_in(const std::string& name, detail::IOp o) const {
    uint32_t imported = 0;
    for (const ImportInfo& i : module->imports()) imported += i.kind == ExternKind::Func;
    size_t n = 0;
    for (const ExportInfo& e : module->exports())
      if (e.name == name) n += count_in(module->compiled().funcs[e.index - imported], o);
    return n;
  }
  static size_t count_in(const detail::CompiledFunc& f, detail::IOp o) {
    size_t n = 0;
    for (const detail::Cell& c : f.code) n += c.op == detail::handler_table()[size_t(o)];
    return n;
  }
};
}  // namespace

TEST_CASE("a breakpoint stops each time its instruction runs, showing frames and locals") {
  Debuggee d;
  uint32_t at = d.breakpoint_at_marker(1);
  CHECK(at == d.marker(1) + 5);  // neither the constant nor drop has code: the multiply
  CHECK(breakpoints(*d.module) == std::vector<uint32_t>{at});

  auto r = d.inst->call<int32_t>("sum_squares", 3);
  REQUIRE(r.ok());
  CHECK(*r == 0 + 1 + 4);
  REQUIRE(d.stops.size() == 3);
  for (int i = 0; i < 3; i++) {
    const DebugStop& s = d.stops[size_t(i)];
    CHECK(s.reason == DebugStop::Reason::Breakpoint);
    REQUIRE(s.frames.size() == 2);
    CHECK(s.frames[0].func_name == "square");
    CHECK(s.frames[0].code_offset == at);
    REQUIRE(s.frames[0].locals.size() == 1);
    CHECK(s.frames[0].locals[0].as_i32() == i);  // x
    CHECK(s.frames[1].func_name == "sum_squares");
    CHECK(s.frames[1].code_offset == d.marker(2) + 7);  // the call (after drop, local.get)
    REQUIRE(s.frames[1].locals.size() == 3);            // n, i, acc
    CHECK(s.frames[1].locals[0].as_i32() == 3);
    CHECK(s.frames[1].locals[1].as_i32() == i);
    CHECK(s.frames[1].locals[0].type == ValType::I32);
  }
  CHECK(d.stops[2].frames[1].locals[2].as_i32() == 1);  // acc = 0 + 1 before the last call

  CHECK(clear_breakpoint(*d.module, d.marker(1)));
  CHECK_FALSE(clear_breakpoint(*d.module, d.marker(1)));
  CHECK(breakpoints(*d.module).empty());
  d.stops.clear();
  CHECK(*d.inst->call<int32_t>("sum_squares", 4) == 14);
  CHECK(d.stops.empty());
}

TEST_CASE("breakpoints by function name, and local names") {
  Debuggee d;
  auto start = function_code_offset(*d.module, "square");
  REQUIRE(start.ok());
  CHECK(*start == d.marker(1) - 4);                              // after local.get x, local.get x
  CHECK(*set_breakpoint(*d.module, *start) == d.marker(1) + 5);  // the first one with code
  CHECK(*function_code_offset(*d.module, "sum_squares") < d.marker(2));
  auto missing = function_code_offset(*d.module, "nope");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "no function named 'nope'");

  CHECK(*d.inst->call<int32_t>("square", 5) == 25);
  REQUIRE(d.stops.size() == 1);
  const DebugFrame& f = d.stops[0].frames[0];
  CHECK(f.locals[0].as_i32() == 5);
  CHECK(d.module->local_name(f.func_index, 0) == "x");
  CHECK(d.module->local_name(f.func_index, 1).empty());
}

TEST_CASE("stepping into, over and out of a call") {
  Debuggee d;
  uint32_t call = d.breakpoint_at_marker(2);
  uint32_t mul_in_square = d.marker(1) + 5;

  SUBCASE("into") {
    d.script = {DebugAction::StepInto};
    CHECK(*d.inst->call<int32_t>("sum_squares", 1) == 0);
    REQUIRE(d.stops.size() == 2);
    CHECK(d.stops[0].frames[0].code_offset == call);
    CHECK(d.stops[1].reason == DebugStop::Reason::Step);
    CHECK(d.stops[1].frames[0].func_name == "square");
    CHECK(d.stops[1].frames[0].code_offset == mul_in_square);
  }
  SUBCASE("over, on through the loop, into and out of square") {
    d.script = {DebugAction::StepOver, DebugAction::StepInto, DebugAction::StepInto,
                DebugAction::StepInto, DebugAction::StepOut};
    CHECK(*d.inst->call<int32_t>("sum_squares", 2) == 1);
    REQUIRE(d.stops.size() == 6);
    // Over the call: the next stop is in sum_squares, at the add of the result.
    uint32_t after_call = d.stops[1].frames[0].code_offset;
    CHECK(d.stops[1].frames.size() == 1);
    CHECK(after_call > call);
    // On to the loop counter, then back to the call (its breakpoint) in the next iteration.
    CHECK(d.stops[2].frames[0].code_offset > after_call);
    CHECK(d.stops[3].reason == DebugStop::Reason::Breakpoint);
    CHECK(d.stops[3].frames[0].code_offset == call);
    CHECK(d.stops[3].frames[0].locals[1].as_i32() == 1);  // i
    // Into square, and out again to the same place as the step over.
    CHECK(d.stops[4].frames[0].func_name == "square");
    CHECK(d.stops[4].frames[0].code_offset == mul_in_square);
    CHECK(d.stops[5].frames.size() == 1);
    CHECK(d.stops[5].frames[0].code_offset == after_call);
    for (size_t k = 1; k < 6; k++)
      if (k != 3) CHECK(d.stops[k].reason == DebugStop::Reason::Step);
  }
  SUBCASE("out") {
    set_breakpoint(*d.module, d.marker(1)).value();
    CHECK(clear_breakpoint(*d.module, d.marker(2)));
    d.script = {DebugAction::StepOut};
    CHECK(*d.inst->call<int32_t>("sum_squares", 1) == 0);
    REQUIRE(d.stops.size() == 2);
    CHECK(d.stops[0].frames[0].func_name == "square");
    CHECK(d.stops[1].reason == DebugStop::Reason::Step);
    REQUIRE(d.stops[1].frames.size() == 1);
    CHECK(d.stops[1].frames[0].func_name == "sum_squares");
    CHECK(d.stops[1].frames[0].code_offset > call);
  }
  // After Continue the step patches are gone: only the breakpoints stop.
  d.stops.clear();
  d.script.clear();
  size_t expected = breakpoints(*d.module).size() == 1 ? 2 : 0;
  CHECK(*d.inst->call<int32_t>("sum_squares", 2) == 1);
  CHECK(d.stops.size() == expected);
}

TEST_CASE("a step patches only what it may stop in, and Continue takes it back") {
  Debuggee d;
  size_t before = detail::patched_instructions();
  d.breakpoint_at_marker(2);
  size_t patched_during_step = 0;
  bool over = true;
  d.store.set_debug_handler([&](const DebugStop& s) {
    d.stops.push_back(s);
    if (d.stops.size() == 1) return over ? DebugAction::StepOver : DebugAction::StepInto;
    patched_during_step = detail::patched_instructions() - before;
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("sum_squares", 1) == 0);
  size_t over_count = patched_during_step;
  d.stops.clear();
  over = false;
  CHECK(*d.inst->call<int32_t>("sum_squares", 1) == 0);
  size_t into_count = patched_during_step;
  // Over: sum_squares' instructions only; into: also square's and divide's.
  CHECK(over_count > 1);
  CHECK(into_count > over_count + 2);
  CHECK(detail::patched_instructions() - before == 1);  // the breakpoint
}

TEST_CASE("stepping out of the last wasm frame stops in the next call") {
  Debuggee d;
  d.breakpoint_at_marker(2);
  d.script = {DebugAction::StepOut};
  CHECK(*d.inst->call<int32_t>("sum_squares", 1) == 0);
  CHECK(d.stops.size() == 1);
  CHECK(*d.inst->call<int32_t>("divide", 9, 3) == 3);
  REQUIRE(d.stops.size() == 2);
  CHECK(d.stops[1].reason == DebugStop::Reason::Step);
  CHECK(d.stops[1].frames[0].func_name == "divide");
  CHECK(d.stops[1].frames[0].code_offset == d.marker(3) + 9);  // the division
}

TEST_CASE("aborting from the debugger traps the call; the instance runs on") {
  Debuggee d;
  d.breakpoint_at_marker(1);
  d.script = {DebugAction::Continue, DebugAction::Abort};
  auto r = d.inst->call<int32_t>("sum_squares", 5);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::Interrupted);
  CHECK(t.message == "stopped by the debugger");
  REQUIRE(t.backtrace.size() == 2);
  CHECK(t.backtrace[0].func_name == "square");
  CHECK(d.stops.size() == 2);
  d.script.clear();
  CHECK(*d.inst->call<int32_t>("sum_squares", 3) == 5);
}

TEST_CASE("a debug handler that throws ends the call with a trap; the store runs on") {
  Debuggee d;
  d.breakpoint_at_marker(1);
  d.store.set_debug_handler(
      [](const DebugStop&) -> DebugAction { throw std::runtime_error("no UI"); });
  auto r = d.inst->call<int32_t>("sum_squares", 3);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::Interrupted);
  CHECK(t.message == "the debug handler threw: no UI");
  d.store.set_debug_handler({});
  CHECK(*d.inst->call<int32_t>("sum_squares", 3) == 5);
}

TEST_CASE("a patched instruction that traps reports its own offset") {
  Debuggee d;
  uint32_t div = d.breakpoint_at_marker(3);
  auto r = d.inst->call<int32_t>("divide", 7, 0);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::IntegerDivideByZero);
  CHECK(t.backtrace[0].code_offset == div);
  CHECK(d.stops.size() == 1);
  CHECK(*d.inst->call<int32_t>("divide", 7, 2) == 3);
}

TEST_CASE("a stop shows a local's value while the translator defers an addition to it") {
  Debuggee d;
  d.breakpoint_at_marker(4);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("bump", 100) == 0);
  REQUIRE(d.stops.size() == 2);  // the load, then the function's end (where the addition runs)
  for (const DebugStop& s : d.stops) {
    REQUIRE(s.frames.size() == 1);
    CHECK(s.frames[0].locals[0].as_i32() == 108);
  }
  CHECK(d.stops[1].frames[0].code_offset > d.stops[0].frames[0].code_offset);
}

TEST_CASE("stops in a loop that keeps its counter in the loop register") {
  Debuggee d;
  uint32_t at = d.breakpoint_at_marker(8);
  // Steps leave the interpreter and enter it again, within the loop and across its branch
  // back: the register must come back with them.
  d.script = {DebugAction::StepInto, DebugAction::StepInto, DebugAction::StepInto,
              DebugAction::StepInto, DebugAction::StepInto, DebugAction::StepInto};
  Memory* mem = d.inst->memory("memory");
  REQUIRE(mem != nullptr);
  for (uint32_t i = 0; i < 5; i++) mem->store<uint32_t>(100 + 4 * i, 1u << i);
  d.store.set_fuel(10000);  // a counter that goes wrong ends in a trap, not a hang
  auto r = d.inst->call<int32_t>("sum_words", 100, 5);
  REQUIRE(r.ok());
  CHECK(*r == 31);
  std::vector<int32_t> j_at_breakpoint;
  for (const DebugStop& s : d.stops) {
    REQUIRE(s.frames.size() == 1);
    REQUIRE(s.frames[0].locals.size() == 5);  // q, n, j, x, s
    if (s.frames[0].code_offset == at) j_at_breakpoint.push_back(s.frames[0].locals[2].as_i32());
  }
  CHECK(j_at_breakpoint == std::vector<int32_t>{0, 4, 8, 12, 16});
  CHECK(d.stops.size() > 5 + 4);  // the steps stopped between the breakpoints too
  // The loop does keep j in the register: its addition q + j reads it.
  CHECK(d.count(detail::IOp::I32Add_sr) == 1);
}

TEST_CASE("stops at an instruction that reads the float accumulator, and writes before it") {
  // p * p + 1 where p = a * b: the second multiply reads p from the float accumulator
  // (execute/acc_iops.def), the add reads the product from it. A stop leaves the interpreter:
  // coming back, the stopped instruction reads its operand from the slot, written or not.
  Debuggee d;
  // The two accumulator forms (counted before a breakpoint patches one), and facc_copy's x * x.
  CHECK(d.count(detail::IOp::F32Mul_aa) + d.count(detail::IOp::F32Add_ai) == 3);
  uint32_t at = d.breakpoint_at_marker(10);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<float>("accumulate", 2.0f, 3.0f) == 37.0f);
  REQUIRE(d.stops.size() == 2);  // the multiply, then the add
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[0].frames[0].locals[2].as_f32() == 6.0f);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 2, Value::f32(10.0f)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<float>("accumulate", 2.0f, 3.0f) == 101.0f);
  CHECK(d.stops.size() == 1);
}

TEST_CASE("stops at a copy from the float accumulator and at the square after it, and writes") {
  // x = y = a * b; x * x - y: the copy to y writes it from the float accumulator and leaves it
  // there for x * x (CopyF32_a, F32Mul_aa). Coming back from a stop at either, the instruction
  // reads its slot (the copy sets the accumulator from it), written or not: as before.
  Debuggee d;
  // The copy and the square, and accumulate's p * p.
  CHECK(d.count(detail::IOp::CopyF32_a) + d.count(detail::IOp::F32Mul_aa) == 3);
  uint32_t at = d.breakpoint_at_marker(16);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<float>("facc_copy", 2.0f, 3.0f) == 30.0f);
  REQUIRE(d.stops.size() == 2);  // the copy, then the multiply
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[1].frames[0].locals[3].as_f32() == 6.0f);  // y
  size_t n = 0;
  d.store.set_debug_handler([&](DebugStop& s) {  // x = 10 at the copy: y takes it, 100 - 10
    n++;
    REQUIRE(set_local(s.frames[0], 2, Value::f32(10.0f)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<float>("facc_copy", 2.0f, 3.0f) == 90.0f);
  CHECK(n == 1);
  n = 0;
  d.store.set_debug_handler([&](DebugStop& s) {  // x = 10 at the multiply: 100 - 6
    if (++n == 1) return DebugAction::StepInto;
    REQUIRE(set_local(s.frames[0], 2, Value::f32(10.0f)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<float>("facc_copy", 2.0f, 3.0f) == 94.0f);
  CHECK(n == 2);
}

TEST_CASE("stops at a store and a sub that read the float accumulator, and writes x there") {
  // x = a * b, then [p + 8] = x (F64Store_addv) or c - x (F64Sub_sa): x is in the float
  // accumulator. Coming back from a stop at either, the instruction reads x's slot, written or not.
  Debuggee d;
  CHECK(d.count(detail::IOp::F64Store_addv) == 1);
  CHECK(d.count(detail::IOp::F64Sub_sa) == 1);
  uint32_t at = d.breakpoint_at_marker(26);
  CHECK(*d.inst->call<double>("facc_store", 64, 2.0, 3.0) == 6.0);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[0].frames[0].locals[3].as_f64() == 6.0);
  d.store.set_debug_handler([&](DebugStop& s) {
    REQUIRE(set_local(s.frames[0], 3, Value::f64(10.0)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<double>("facc_store", 64, 2.0, 3.0) == 10.0);
  d.breakpoint_at_marker(27);
  CHECK(*d.inst->call<double>("facc_sub_second", 2.0, 3.0, 1.0) == -9.0);  // 1 - 10
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    return DebugAction::StepInto;
  });
  d.stops.clear();
  CHECK(*d.inst->call<double>("facc_sub_second", 2.0, 3.0, 1.0) == -5.0);  // 1 - 6
  CHECK(d.stops.size() >= 2);  // the sub, then the return
}

TEST_CASE("a stop at a call_indirect whose index is in the integer accumulator shows it") {
  // The index load writes no slot (I32Load_noslot) and the call reads it from the register
  // (CallIndirectShort_a, whose index is its third cell): a stop at the call shows it on the
  // operand stack, and the call resumed in its slot form reads it there.
  Debuggee d;
  CHECK(d.count_in("vcall", detail::IOp::I32Load_noslot) == 1);
  CHECK(d.count_in("vcall", detail::IOp::CallIndirectShort_a) == 1);
  d.inst->memory("memory")->store<uint32_t>(64, 1);
  uint32_t at = d.breakpoint_at_marker(28);
  CHECK(*d.inst->call<int32_t>("vcall", 64, 21) == 42);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].frames[0].code_offset == at);
  REQUIRE(d.stops[0].frames[0].has_stack);
  REQUIRE(d.stops[0].frames[0].stack.size() == 2);  // x and the index
  CHECK(d.stops[0].frames[0].stack[0].as_i32() == 21);
  CHECK(d.stops[0].frames[0].stack[1].as_i32() == 1);
}

TEST_CASE("stops at an instruction that reads the integer accumulator, and writes before it") {
  // The same with i32 (execute/iacc_iops.def): the second multiply reads p from the integer
  // accumulator, the add reads the product from it.
  Debuggee d;
  // Slotless (their results go to temporaries).
  CHECK(d.count_in("iaccumulate", detail::IOp::I32Mul_as_noslot) +
            d.count_in("iaccumulate", detail::IOp::I32Add_ai_noslot) ==
        2);
  uint32_t at = d.breakpoint_at_marker(14);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("iaccumulate", 2, 3) == 37);
  REQUIRE(d.stops.size() == 2);  // the multiply, then the add
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[0].frames[0].locals[2].as_i32() == 6);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 2, Value::i32(10)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("iaccumulate", 2, 3) == 101);
  CHECK(d.stops.size() == 1);
}

TEST_CASE("stops at a copy from the integer accumulator and at the shift after it, and writes") {
  // x = y = a - b; (y >> 1) + x: the copy to y writes it from the integer accumulator and leaves
  // it there for the shift (CopyI32_a, I32ShrS_ai). Coming back from a stop at either, the
  // instruction reads its slot (the copy's slot form sets the register from it), written or not.
  Debuggee d;
  CHECK(d.count_in("icopy", detail::IOp::CopyI32_a) == 1);
  CHECK(d.count_in("icopy", detail::IOp::I32ShrS_ai_noslot) == 1);  // the add reads it too
  uint32_t at = d.breakpoint_at_marker(21);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("icopy", 10, 4) == 9);
  REQUIRE(d.stops.size() == 2);  // the copy, then the shift
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[0].frames[0].locals[3].as_i32() == 0);  // y, not yet written
  CHECK(d.stops[1].frames[0].locals[3].as_i32() == 6);
  size_t n = 0;
  d.store.set_debug_handler([&](DebugStop& s) {  // x = 20 at the copy: y takes it, 10 + 20
    n++;
    REQUIRE(set_local(s.frames[0], 2, Value::i32(20)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("icopy", 10, 4) == 30);
  CHECK(n == 1);
  n = 0;
  d.store.set_debug_handler([&](DebugStop& s) {  // y = 40 at the shift: 20 + 6
    if (++n == 1) return DebugAction::StepInto;
    REQUIRE(set_local(s.frames[0], 3, Value::i32(40)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("icopy", 10, 4) == 26);
  CHECK(n == 2);
}

TEST_CASE("stops at a select whose compare reads the integer accumulator") {
  // (a ^ 5) > b ? x : y: the xor leaves its value in the register only (slotless), and the
  // select's compare reads it there (SelectI32GtU_as, its fourth cell). A stop at the select
  // writes the value to that slot, which the select's slot form reads when it resumes.
  Debuggee d;
  CHECK(d.count_in("iselect", detail::IOp::I32Xor_si_noslot) == 1);
  CHECK(d.count_in("iselect", detail::IOp::SelectI32GtU_as) == 1);
  d.breakpoint_at_marker(20);
  d.script = {DebugAction::Continue};
  CHECK(*d.inst->call<int32_t>("iselect", 3, 5, 10, 20) == 10);  // 6 > 5
  CHECK(*d.inst->call<int32_t>("iselect", 3, 6, 10, 20) == 20);
  CHECK(*d.inst->call<int32_t>("iselect", 0x7fffffff, 5, 10, 20) == 10);
  CHECK(d.stops.size() == 3);
}

TEST_CASE("stops at a store that reads the integer accumulator, and writes its value there") {
  // The store of p reads it from the integer accumulator (I32Store_v); a stop there resumes
  // with the slot form, which stores the value written at the stop.
  Debuggee d;
  CHECK(d.count(detail::IOp::I32Store_v) == 1);
  uint32_t at = d.breakpoint_at_marker(15);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("istore", 2, 3, 64) == 6);
  REQUIRE(d.stops.size() == 2);  // the store, then the load
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[0].frames[0].locals[3].as_i32() == 6);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 3, Value::i32(10)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("istore", 2, 3, 64) == 10);
  CHECK(d.stops.size() == 1);
}

TEST_CASE("a stop at the reader of a slotless producer shows its value, and resumes with it") {
  // a * b + 1: the multiply writes no slot (I32Mul_ss_noslot), the add reads the product from the
  // integer accumulator, and is slotless too (the return reads it there). A stop at the add
  // must still show the product on the operand stack, and the add, resumed in its slot form,
  // must read it from the slot; so must a paused call.
  Debuggee d;
  CHECK(d.count_in("slotless", detail::IOp::I32Mul_ss_noslot) == 1);
  CHECK(d.count_in("slotless", detail::IOp::I32Add_ai_noslot) == 1);
  uint32_t at = d.breakpoint_at_marker(17);
  CHECK(*d.inst->call<int32_t>("slotless", 2, 3) == 7);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].frames[0].code_offset == at);
  REQUIRE(d.stops[0].frames[0].has_stack);
  REQUIRE(d.stops[0].frames[0].stack.size() == 2);  // the product and the constant 1
  CHECK(d.stops[0].frames[0].stack[0].as_i32() == 6);
  // Arriving by a step from the multiply (its breakpoint) instead.
  clear_breakpoint(*d.module, at);
  d.stops.clear();
  uint32_t mul_at = d.breakpoint_at_marker(18);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("slotless", 4, 5) == 21);
  REQUIRE(d.stops.size() == 2);  // the multiply, then the add
  CHECK(d.stops[1].frames[0].code_offset == at);
  REQUIRE(d.stops[1].frames[0].has_stack);
  CHECK(d.stops[1].frames[0].stack[0].as_i32() == 20);
  clear_breakpoint(*d.module, mul_at);
  // Paused at the add, saved, and resumed in another store.
  d.breakpoint_at_marker(17);
  Snapshot paused;
  d.store.set_debug_handler([&](const DebugStop&) {
    auto r = capture_paused(*d.inst, paused);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return DebugAction::Abort;
  });
  CHECK_FALSE(d.inst->call<int32_t>("slotless", 6, 7).ok());
  clear_breakpoint(*d.module, at);
  Debuggee fresh;
  auto result = resume_paused(*fresh.inst, paused);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().to_string()));
  CHECK((*result)[0].as_i32() == 43);
  REQUIRE(fresh.stops.size() == 1);  // the resumed call's stop, where it was paused
  REQUIRE(fresh.stops[0].frames[0].has_stack);
  CHECK(fresh.stops[0].frames[0].stack[0].as_i32() == 42);
}

TEST_CASE("a stop at a sub reading its second operand from the integer accumulator") {
  // x - (y ^ 5): the xor writes no slot (I32Xor_si_noslot), the sub reads it from the register
  // as its second operand (I32Sub_sa), and writes none either, the return reading it there
  // (I32Sub_sa_noslot). A stop at the sub shows both operands, and x written there is the one
  // the sub, resumed in its slot form, subtracts from.
  Debuggee d;
  CHECK(d.count_in("sub_second", detail::IOp::I32Xor_si_noslot) == 1);
  CHECK(d.count_in("sub_second", detail::IOp::I32Sub_sa_noslot) == 1);
  uint32_t at = d.breakpoint_at_marker(25);
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 0, Value::i32(1000)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("sub_second", 50, 3) == 1000 - 6);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].frames[0].code_offset == at);
  REQUIRE(d.stops[0].frames[0].has_stack);
  REQUIRE(d.stops[0].frames[0].stack.size() == 2);  // x, then y ^ 5
  CHECK(d.stops[0].frames[0].stack[0].as_i32() == 50);
  CHECK(d.stops[0].frames[0].stack[1].as_i32() == 6);
  // Arriving by a step from the xor instead: the same operands.
  clear_breakpoint(*d.module, at);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    return d.stops.size() == 1 ? DebugAction::StepInto : DebugAction::Continue;
  });
  REQUIRE(set_breakpoint(*d.module, d.marker(25) - 1).ok());  // the i32.xor before the marker
  CHECK(*d.inst->call<int32_t>("sub_second", int32_t(0x80000000), 4) == 0x7fffffff);
  REQUIRE(d.stops.size() == 2);  // the xor, then the sub
  CHECK(d.stops[1].frames[0].code_offset == at);
  REQUIRE(d.stops[1].frames[0].has_stack);
  REQUIRE(d.stops[1].frames[0].stack.size() == 2);
  CHECK(d.stops[1].frames[0].stack[1].as_i32() == 1);
}

TEST_CASE("a trap in the reader of a slotless producer shows its value") {
  // p << 4 writes no slot (I32Shl_si_noslot); the load based on it (I32Load_a, slotless too)
  // traps: the trap stop shows the address on the operand stack.
  Debuggee d;
  CHECK(d.count_in("slotless_load", detail::IOp::I32Shl_si_noslot) == 1);
  CHECK(d.count_in("slotless_load", detail::IOp::I32Load_a_noslot) == 1);
  d.store.set_break_on_trap(true);
  auto r = d.inst->call<int32_t>("slotless_load", 0x100000);
  REQUIRE_FALSE(r.ok());
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].reason == DebugStop::Reason::Trap);
  REQUIRE(d.stops[0].frames[0].has_stack);
  REQUIRE(d.stops[0].frames[0].stack.size() == 1);
  CHECK(d.stops[0].frames[0].stack[0].as_i32() == 0x1000000);
}

TEST_CASE("fuel running out at a branch back that reads a slotless producer shows its value") {
  // a | 1 writes no slot (I32Or_si_noslot); the br_if back to the loop reads it from the
  // register (BrIfLoop_a), and the budget check there calls out of the interpreter.
  Debuggee d;
  CHECK(d.count_in("slotless_spin", detail::IOp::I32Or_si_noslot) == 1);
  CHECK(d.count_in("slotless_spin", detail::IOp::BrIfLoop_a) == 1);
  d.store.set_break_on_trap(true);
  d.store.set_fuel(5000);
  auto r = d.inst->call<void>("slotless_spin", 4);
  REQUIRE_FALSE(r.ok());
  REQUIRE(d.stops.size() == 1);
  REQUIRE(d.stops[0].trap);
  CHECK(d.stops[0].trap->kind == TrapKind::OutOfFuel);
  REQUIRE(d.stops[0].frames[0].has_stack);
  REQUIRE(d.stops[0].frames[0].stack.size() == 1);
  CHECK(d.stops[0].frames[0].stack[0].as_i32() == 5);
}

TEST_CASE("a stop at a compare fused into a select reads the operands written there") {
  // lt_s and select are one SelectI32LtS_ss (compile/translate.cpp, fuse_select_compare): a
  // stop there is before both, and the compare reads a local written at the stop.
  Debuggee d;
  CHECK(d.count(detail::IOp::SelectI32LtS_ss) == 1);
  uint32_t at = d.breakpoint_at_marker(11);
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("pick", 1, 2, 10, 20) == 10);
  REQUIRE(d.stops.size() == 2);  // the fused select, then the end
  CHECK(d.stops[0].frames[0].code_offset == at);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 0, Value::i32(3)).ok());  // a = 3: not below b
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("pick", 1, 2, 10, 20) == 20);
  CHECK(d.stops.size() == 1);
}

TEST_CASE("a stop at a byte load fused into the branch after it reads the index written there") {
  // p[i] != 'x' and the br_if are one BrI32Ne_x8i (an _idx load fused into the branch,
  // compile/translate_control.cpp): the stop is at the load, before the compare and the branch,
  // and a step goes past both.
  Debuggee d;
  CHECK(d.count(detail::IOp::BrI32Ne_x8i) == 1);
  d.inst->memory("memory")->store<uint8_t>(2005, 'x');
  uint32_t at = d.breakpoint_at_marker(13);
  REQUIRE(at < d.bytes.size());
  CHECK(d.bytes[at] == 0x2D);  // i32.load8_u: the add before it has no code of its own
  d.script = {DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("byte_is_x", 2000, 5) == 1);
  REQUIRE(d.stops.size() == 2);  // the fused load, then the return
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[1].frames[0].code_offset > at);
  d.stops.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    REQUIRE(set_local(s.frames[0], 1, Value::i32(4)).ok());  // i = 4: p[4] is not 'x'
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("byte_is_x", 2000, 5) == 0);
  CHECK(d.stops.size() == 1);
}

TEST_CASE("stops at m &= m - 1 fused into the branch on its eqz") {
  // The step, its local.tee, the eqz and the br_if are one BrI64ClearLowZ with the step's
  // offset: a stop there is before the step (m as it was), a step goes past the branch (m
  // stepped), and m written at the stop is the value stepped.
  Debuggee d;
  CHECK(d.count_in("clear_steps", detail::IOp::BrI64ClearLowZ) == 1);
  uint32_t at = d.breakpoint_at_marker(22);
  std::vector<std::pair<uint32_t, int64_t>> seen;  // (offset, m) at each stop
  auto record = [&](DebugStop& s) {
    d.stops.push_back(s);
    seen.emplace_back(s.frames[0].code_offset, s.frames[0].locals[0].as_i64());
  };
  d.store.set_debug_handler([&](DebugStop& s) {
    record(s);
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("clear_steps", int64_t(0b1011)) == 2);
  REQUIRE(seen.size() == 3);  // m = 11, 10, 8; the third step leaves 0
  CHECK(seen[0] == std::pair<uint32_t, int64_t>{at, 0b1011});
  CHECK(seen[1] == std::pair<uint32_t, int64_t>{at, 0b1010});
  CHECK(seen[2] == std::pair<uint32_t, int64_t>{at, 0b1000});
  seen.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    record(s);
    return seen.size() == 1 ? DebugAction::StepInto : DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("clear_steps", int64_t(0b1011)) == 2);
  REQUIRE(seen.size() >= 2);
  CHECK(seen[1].first > at);
  CHECK(seen[1].second == 0b1010);
  seen.clear();
  d.store.set_debug_handler([&](DebugStop& s) {
    record(s);
    if (seen.size() == 1) REQUIRE(set_local(s.frames[0], 0, Value::i64(0b1111)).ok());
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("clear_steps", int64_t(1)) == 3);  // 15, 14, 12, 8, then 0
  CHECK(seen.size() == 4);
}

TEST_CASE("stops around a stack pointer's bumps, fused") {
  // `sp - 16` into fp and sp is one GlobalBump, `sp = fp + 16` one GlobalSet_add
  // (compile/translate.cpp, fuse_global_add and fuse_global_set): a stop sees both writes
  // before it or both after.
  Debuggee d;
  CHECK(d.count(detail::IOp::GlobalBump) == 1);
  CHECK(d.count(detail::IOp::GlobalSet_add) == 1);
  uint32_t at = d.breakpoint_at_marker(12);
  std::vector<std::pair<int32_t, int32_t>> seen;  // (fp, sp) at each stop
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    seen.emplace_back(s.frames[0].locals[1].as_i32(), d.inst->global("sp")->get().as_i32());
    return DebugAction::StepInto;
  });
  CHECK(*d.inst->call<int32_t>("frame", 77) == 77);
  REQUIRE(seen.size() >= 4);  // the bump, the store, the frame given back, the load
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(seen[0] == std::pair<int32_t, int32_t>{0, 1024});
  CHECK(seen[1] == std::pair<int32_t, int32_t>{1008, 1008});
  CHECK(seen[2] == std::pair<int32_t, int32_t>{1008, 1008});
  CHECK(seen[3] == std::pair<int32_t, int32_t>{1008, 1024});
  CHECK(d.inst->global("sp")->get().as_i32() == 1024);
}

TEST_CASE("locals written by a multiply-add that computes their sums") {
  Debuggee d;
  uint32_t at = d.breakpoint_at_marker(9);
  d.script = {DebugAction::StepInto, DebugAction::StepInto, DebugAction::StepInto};
  Memory* mem = d.inst->memory("memory");
  REQUIRE(mem != nullptr);
  for (uint32_t i = 0; i < 6; i++) {
    mem->store<double>(1000 + 8 * i, i + 1.0);
    mem->store<double>(2000 + 8 * i, 10.0);
  }
  d.store.set_fuel(10000);
  REQUIRE(d.inst->call<void>("scale_rows", 2.0, 1000, 2000, 3 * 16).ok());
  for (uint32_t i = 0; i < 6; i++) CHECK(mem->load<double>(2000 + 8 * i) == 10.0 + 2 * (i + 1));
  // The stop is at the compare (the step, compare and branch are one instruction), after the
  // `local.tee $j`: j has its next value there, and p = row + j - 16 + 8, q = col + j - 16,
  // as the iteration's two elements wrote them.
  CHECK(at > d.marker(9));
  std::vector<int32_t> seen;
  for (const DebugStop& s : d.stops) {
    REQUIRE(s.frames.size() == 1);
    const std::vector<Value>& l = s.frames[0].locals;
    REQUIRE(l.size() == 7);  // a, col, row, n, j, p, q
    if (s.frames[0].code_offset != at) continue;
    int32_t j = l[4].as_i32();
    seen.push_back(j);
    CHECK(l[5].as_i32() == 2000 + j - 16 + 8);
    CHECK(l[6].as_i32() == 1000 + j - 16);
  }
  CHECK(seen == std::vector<int32_t>{16, 32, 48});
  size_t pairs = 0;
  for (const detail::CompiledFunc& f : d.module->compiled().funcs)
    for (const detail::OffsetEntry& e : f.offsets)
      pairs += f.code[e.code_index].op ==
               detail::handler_table()[size_t(detail::IOp::F64MulAdd_sum2_reg)];
  CHECK(pairs == 1);
}

TEST_CASE("a stop marks the locals that are dead there") {
  Debuggee d;
  d.breakpoint_at_marker(5);
  d.breakpoint_at_marker(6);
  CHECK(*d.inst->call<int32_t>("walk", 2) == 0);
  REQUIRE(d.stops.size() == 4);  // the multiply, then the load and add, in each iteration
  for (size_t i = 0; i < 4; i++) {
    const DebugFrame& f = d.stops[i].frames[0];
    REQUIRE(f.dead.size() == 3);  // n, p, s
    int32_t n = 2 - int32_t(i / 2);
    CHECK(f.locals[0].as_i32() == n);
    CHECK_FALSE(f.dead[0]);
    CHECK_FALSE(f.dead[2]);
    if (i % 2 == 0) {
      CHECK(f.dead[1]);  // at the header: about to be overwritten
    } else {
      CHECK_FALSE(f.dead[1]);
      CHECK(f.locals[1].as_i32() == n * 8 + 4);  // the bump still deferred
    }
  }
}

TEST_CASE("stops around two bumps emitted as one I32Inc2 show both locals exactly") {
  Debuggee d;
  uint32_t top = d.breakpoint_at_marker(19);
  auto after = [&](std::vector<uint8_t> pattern) {  // the local.set ending `pattern`, in bump_pair
    auto at = std::search(d.bytes.begin() + top, d.bytes.end(), pattern.begin(), pattern.end());
    REQUIRE(at != d.bytes.end());
    return uint32_t(at - d.bytes.begin()) + uint32_t(pattern.size()) - 2;
  };
  uint32_t set_p = after({0x20, 0x00, 0x41, 0x04, 0x6a, 0x21, 0x00});
  uint32_t set_q = after({0x20, 0x01, 0x41, 0x0c, 0x6a, 0x21, 0x01});
  Memory* mem = d.inst->memory("memory");
  for (uint32_t i = 0; i < 3; i++) {
    mem->store<uint32_t>(100 + 4 * i, i + 1);
    mem->store<uint32_t>(200 + 12 * i, 10 * (i + 1));
  }
  size_t pairs = 0;  // (counted before the steps patch the code)
  for (const detail::CompiledFunc& f : d.module->compiled().funcs)
    for (const detail::OffsetEntry& e : f.offsets)
      pairs += f.code[e.code_index].op == detail::handler_table()[size_t(detail::IOp::I32Inc2)];
  CHECK(pairs == 1);
  d.script.assign(40, DebugAction::StepOver);
  CHECK(*d.inst->call<int32_t>("bump_pair", 100, 200, 3) == 66 + 112 * 236);
  size_t it = 0, at_branch = 0;
  for (const DebugStop& s : d.stops) {
    const DebugFrame& f = s.frames[0];
    if (f.func_name != "bump_pair") continue;
    if (s.reason == DebugStop::Reason::Breakpoint && f.code_offset == top && &s != &d.stops[0])
      it++;
    // wasm's order: p and q change at their local.set, whatever the code does in between.
    uint32_t p = 100 + 4 * uint32_t(it + (f.code_offset > set_p));
    uint32_t q = 200 + 12 * uint32_t(it + (f.code_offset > set_q));
    if (f.code_offset > set_q) at_branch++;
    CHECK(uint32_t(f.locals[0].as_i32()) == p);
    CHECK(uint32_t(f.locals[1].as_i32()) == q);
  }
  CHECK(it == 2);
  CHECK(at_branch >= 3);  // a stop between the bumps and the next iteration, in each one
}

TEST_CASE("stops around a bump that took the jump back (I32AddBrLoop_si) show it exactly") {
  Debuggee d;
  uint32_t top = d.breakpoint_at_marker(29);
  std::vector<uint8_t> pattern{0x20, 0x00, 0x41, 0x04, 0x6a, 0x21, 0x00};  // p = p + 4
  auto at = std::search(d.bytes.begin() + top, d.bytes.end(), pattern.begin(), pattern.end());
  REQUIRE(at != d.bytes.end());
  uint32_t set_p = uint32_t(at - d.bytes.begin()) + uint32_t(pattern.size()) - 2;
  Memory* mem = d.inst->memory("memory");
  for (uint32_t i = 0; i < 3; i++) mem->store<uint32_t>(100 + 4 * i, 7 * (i + 1));
  size_t fused = 0;  // (counted before the steps patch the code)
  for (const detail::CompiledFunc& f : d.module->compiled().funcs)
    for (const detail::OffsetEntry& e : f.offsets)
      fused +=
          f.code[e.code_index].op == detail::handler_table()[size_t(detail::IOp::I32AddBrLoop_si)];
  CHECK(fused >= 1);  // bump_br's (and another function's)
  d.script.assign(60, DebugAction::StepOver);
  CHECK(*d.inst->call<int32_t>("bump_br", 100, 112) == 42 * 1000 + 112);
  uint32_t br = set_p + 2;  // the br after the local.set: the fused instruction's offset
  size_t it = 0, at_br = 0;
  for (const DebugStop& s : d.stops) {
    const DebugFrame& f = s.frames[0];
    if (f.func_name != "bump_br") continue;
    if (s.reason == DebugStop::Reason::Breakpoint && f.code_offset == top && &s != &d.stops[0])
      it++;
    // wasm's order: p changes at its local.set, whatever the code does in between (the
    // addition runs in the br's instruction, after a stop there).
    at_br += f.code_offset == br;
    uint32_t p = 100 + 4 * uint32_t(it + (f.code_offset > set_p && f.code_offset <= br));
    CHECK(uint32_t(f.locals[0].as_i32()) == p);
  }
  CHECK(it == 3);
  CHECK(at_br == 3);  // one stop at the br in each iteration
}

TEST_CASE("pause: the next call stops in the debug handler, then runs on") {
  Debuggee d;
  d.store.pause();
  CHECK(*d.inst->call<int32_t>("count", 5) == 5);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].reason == DebugStop::Reason::Pause);
  REQUIRE(d.stops[0].frames.size() == 1);
  CHECK(d.stops[0].frames[0].func_name == "count");
  CHECK(detail::patched_instructions() == 0);  // Continue took the pause's patches back
  CHECK(*d.inst->call<int32_t>("count", 5) == 5);
  CHECK(d.stops.size() == 1);  // a pause stops once
}

TEST_CASE("pause from another thread stops a running loop; Abort ends the call") {
  Debuggee d;
  d.script = {DebugAction::Abort};
  std::atomic<bool> done{false};
  std::thread pauser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    d.store.pause();
    // A watchdog: if the pause were lost, end the call instead of hanging the test.
    for (int i = 0; i < 1000 && !done; i++)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!done) d.store.interrupt();
  });
  auto r = d.inst->call<void>("forever");
  done = true;
  pauser.join();
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::Interrupted);
  CHECK(t.message == "stopped by the debugger");
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].reason == DebugStop::Reason::Pause);
  CHECK(d.stops[0].frames[0].func_name == "forever");
}

TEST_CASE("pause without a debug handler does nothing, and is not kept for later") {
  Debuggee d;
  d.store.set_debug_handler({});
  d.store.pause();
  CHECK(*d.inst->call<int32_t>("count", 3) == 3);
  d.store.set_debug_handler([&](const DebugStop& s) {
    d.stops.push_back(s);
    return DebugAction::Continue;
  });
  CHECK(*d.inst->call<int32_t>("count", 3) == 3);
  CHECK(d.stops.empty());
}

TEST_CASE("breakpoints without a debug handler, fuel, bad offsets, module lifetime") {
  Debuggee d;
  d.store.set_fuel(1000);
  CHECK(*d.inst->call<int32_t>("sum_squares", 4) == 14);
  uint64_t used = 1000 - *d.store.fuel();
  CHECK(used > 4);

  // A store without a debug handler runs through breakpoints, paying the same fuel.
  d.breakpoint_at_marker(1);
  d.store.set_debug_handler({});
  d.store.set_fuel(1000);
  CHECK(*d.inst->call<int32_t>("sum_squares", 4) == 14);
  CHECK(1000 - *d.store.fuel() == used);
  CHECK(d.stops.empty());

  CHECK_FALSE(set_breakpoint(*d.module, 3).ok());  // in the header, not a function body

  // A module destroyed with breakpoints set leaves nothing behind: the next one (whose code
  // may reuse the same addresses) gets its own breakpoints.
  {
    Debuggee other;
    other.breakpoint_at_marker(1);
  }
  Debuggee fresh;
  CHECK(*fresh.inst->call<int32_t>("sum_squares", 3) == 5);
  CHECK(fresh.stops.empty());
  fresh.breakpoint_at_marker(1);
  CHECK(*fresh.inst->call<int32_t>("sum_squares", 3) == 5);
  CHECK(fresh.stops.size() == 3);
}

namespace {
std::vector<int64_t> ints(const DebugFrame& f) {  // the stack's integer values, bottom first
  std::vector<int64_t> v;
  for (const Value& x : f.stack) v.push_back(x.type == ValType::I64 ? x.as_i64() : x.as_i32());
  return v;
}
std::vector<double> floats(const DebugFrame& f) {
  std::vector<double> v;
  for (const Value& x : f.stack) v.push_back(x.as_f64());
  return v;
}
}  // namespace

TEST_CASE("a stop shows the operand stack: lazy locals, constants, computed values, floats") {
  Debuggee d;
  d.breakpoint_at_marker(7);
  d.script = std::vector<DebugAction>(6, DebugAction::StepInto);
  CHECK(*d.inst->call<double>("stacky", 3, 1.5) == (3 + 7 + 15) * 2.0);
  REQUIRE(d.stops.size() == 7);
  for (const DebugStop& s : d.stops) REQUIRE(s.frames[0].has_stack);
  using I = std::vector<int64_t>;
  using F = std::vector<double>;
  CHECK(ints(d.stops[0].frames[0]) == I{3, 7, 3, 5});  // a, 7, a, 5: at the multiply
  CHECK(ints(d.stops[1].frames[0]) == I{3, 7, 15});
  CHECK(ints(d.stops[2].frames[0]) == I{3, 22});
  CHECK(ints(d.stops[3].frames[0]) == I{25});  // at the conversion
  CHECK(d.stops[3].frames[0].stack[0].type == ValType::I32);
  CHECK(floats(d.stops[4].frames[0]) == F{25.0, 1.5, 0.5});
  CHECK(d.stops[4].frames[0].stack[1].type == ValType::F64);
  CHECK(floats(d.stops[5].frames[0]) == F{25.0, 2.0});
  CHECK(floats(d.stops[6].frames[0]) == F{50.0});  // at the end: the result
}

TEST_CASE("the operand stack in a loop with deferred additions, and in callers") {
  Debuggee d;
  d.breakpoint_at_marker(5);
  d.breakpoint_at_marker(6);
  d.inst->memory("memory")->store<uint32_t>(20, 7);
  d.inst->memory("memory")->store<uint32_t>(12, 9);
  CHECK(*d.inst->call<int32_t>("walk", 2) == 16);
  REQUIRE(d.stops.size() == 4);
  using I = std::vector<int64_t>;
  CHECK(ints(d.stops[0].frames[0]) == I{2, 8});   // n * 8
  CHECK(ints(d.stops[1].frames[0]) == I{0, 20});  // s, and p = 2 * 8 + 4 with its addition
  CHECK(ints(d.stops[2].frames[0]) == I{1, 8});   // deferred: the slot holds 16
  CHECK(ints(d.stops[3].frames[0]) == I{7, 12});

  // A caller's stack is what lies below the call's arguments.
  Debuggee c;
  c.breakpoint_at_marker(1);
  CHECK(*c.inst->call<int32_t>("around_call", 5) == 15 + 5 + 16);
  REQUIRE(c.stops.size() == 1);
  const DebugStop& s = c.stops[0];
  CHECK(ints(s.frames[0]) == I{4, 4});  // x, x: at square's multiply
  REQUIRE(s.frames.size() == 2);
  REQUIRE(s.frames[1].has_stack);
  CHECK(ints(s.frames[1]) == I{15, 5});  // 3a, a: square(4) still to come
  CHECK(*c.inst->call<int32_t>("sum_squares", 2) == 1);
  REQUIRE(c.stops.size() == 3);
  CHECK(c.stops[2].frames[1].has_stack);
  CHECK(c.stops[2].frames[1].stack.empty());  // nothing below the call's argument
}

TEST_CASE("stops at the copy of a call's result, which it reads from the integer accumulator") {
  // r = square(x): square's return leaves its result in the integer accumulator as well as in
  // the caller's slot, and the copy to r reads it there (CopyI32_a). Coming back to a stop at
  // the copy (a breakpoint, a step out of square, steps through its return), the copy shows the
  // result on the operand stack and resumes in its slot form; a call paused in square and
  // resumed in another store comes back through the return.
  Debuggee d;
  CHECK(d.count_in("call_copy", detail::IOp::CopyI32_a) == 1);
  uint32_t at = d.breakpoint_at_marker(23);
  CHECK(*d.inst->call<int32_t>("call_copy", 3) == 12);
  REQUIRE(d.stops.size() == 1);
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(ints(d.stops[0].frames[0]) == std::vector<int64_t>{9});
  CHECK(d.stops[0].frames[0].locals[1].as_i32() == 0);  // r, not yet written
  clear_breakpoint(*d.module, at);
  uint32_t mul = d.breakpoint_at_marker(1);  // square's multiply
  using Steps = std::vector<DebugAction>;
  for (const Steps& steps : {Steps{DebugAction::StepOut}, Steps(2, DebugAction::StepInto)}) {
    d.stops.clear();
    d.script = steps;
    CHECK(*d.inst->call<int32_t>("call_copy", 4) == 20);
    REQUIRE(d.stops.size() == steps.size() + 1);
    const DebugFrame& back = d.stops.back().frames[0];
    CHECK(back.func_name == "call_copy");
    CHECK(back.code_offset == at);
    CHECK(ints(back) == std::vector<int64_t>{16});
  }
  Snapshot paused;
  d.store.set_debug_handler([&](const DebugStop&) {
    auto r = capture_paused(*d.inst, paused);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return DebugAction::Abort;
  });
  CHECK_FALSE(d.inst->call<int32_t>("call_copy", 5).ok());
  clear_breakpoint(*d.module, mul);
  Debuggee fresh;
  auto result = resume_paused(*fresh.inst, paused);
  REQUIRE_MESSAGE(result.ok(), (result.ok() ? "" : result.error().to_string()));
  CHECK((*result)[0].as_i32() == 30);
}

TEST_CASE(
    "writes while stopped: a local (also where the loop register holds it), a global, memory") {
  Debuggee d;
  d.breakpoint_at_marker(8);
  Memory* mem = d.inst->memory("memory");
  REQUIRE(mem != nullptr);
  for (uint32_t i = 0; i < 5; i++) mem->store<uint32_t>(100 + 4 * i, 1u << i);
  // At the first iteration's load (x = q + 0 already computed), j becomes 8: the loop goes on
  // from j = 12, so it sums the words at 0, 12 and 16. The loop reads j from the register.
  d.store.set_debug_handler([&](DebugStop& s) {
    d.stops.push_back(s);
    if (d.stops.size() == 1) {
      REQUIRE(set_local(s.frames[0], 2, Value::i32(8)).ok());
      CHECK(s.frames[0].locals[2].as_i32() == 8);
      CHECK_FALSE(set_local(s.frames[0], 2, Value::i64(8)).ok());  // j is an i32
      CHECK_FALSE(set_local(s.frames[0], 9, Value::i32(8)).ok());
      CHECK(write_memory(*d.inst, 112, std::vector<uint8_t>{100, 0, 0, 0}).ok());  // word 3
      CHECK_FALSE(write_memory(*d.inst, mem->size() - 2, std::vector<uint8_t>{1, 2, 3}).ok());
    }
    return DebugAction::Continue;
  });
  d.store.set_fuel(10000);
  auto r = d.inst->call<int32_t>("sum_words", 100, 5);
  REQUIRE(r.ok());
  CHECK(*r == 1 + 100 + 16);
  CHECK(d.stops.size() == 3);
  // After the stop its frames cannot be written.
  CHECK(set_local(d.stops[0].frames[0], 2, Value::i32(0)).error().message ==
        "the stop is over: its frames can no longer be written");
}

TEST_CASE("set_global: mutable globals of the right type only") {
  auto m = test::load_test_module("snapshot.wasm");
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, m);
  REQUIRE(inst.ok());
  REQUIRE(set_global(**inst, 0, Value::i32(41)).ok());
  REQUIRE((*inst)->call<void>("step", 1).ok());
  CHECK((*inst)->global("steps")->get().as_i32() == 42);
  CHECK(set_global(**inst, 0, Value::i64(1)).error().message == "global 0 is i32, not i64");
  CHECK(set_global(**inst, 5, Value::i32(1)).error().message == "the instance has no global 5");
}

TEST_CASE("stops at a deferred step read as a value (--i), and writes there") {
  // i - 1 read by the and: the deferred step is emitted into i right there, with the and's
  // offset (FuncCompiler::emit_deferred_for). A step stops once at that offset, at the step
  // (the and, which runs right after it, does not stop it again: debug/debugger.cpp,
  // continues_step_start). Each stop shows i's new value, and a value written to i at any of
  // them is the one read after it.
  using detail::IOp;
  using I = std::vector<int64_t>;
  Debuggee d;
  CHECK(d.count_in("predec", IOp::I32Add_si) + d.count_in("predec", IOp::I32Add_si_noslot) == 1);
  uint32_t at = d.breakpoint_at_marker(24);
  d.script = {DebugAction::StepInto, DebugAction::StepInto};
  CHECK(*d.inst->call<int32_t>("predec", 3, 12) == (11 & 7) + 11 * 3);
  REQUIRE(d.stops.size() == 3);  // the step and the and, the multiply, then the add
  CHECK(d.stops[0].frames[0].code_offset == at);
  CHECK(d.stops[1].frames[0].code_offset > at);
  CHECK(d.stops[2].frames[0].code_offset > d.stops[1].frames[0].code_offset);
  for (const DebugStop& s : d.stops) CHECK(s.frames[0].locals[1].as_i32() == 11);
  CHECK(ints(d.stops[0].frames[0]) == I{11, 7});
  CHECK(ints(d.stops[1].frames[0]) == I{3, 11, 3});
  CHECK(ints(d.stops[2].frames[0]) == I{3, 33});
  for (size_t write_at : {1, 2}) {  // i = 20 at the step and the and, or at the multiply
    size_t n = 0;
    d.store.set_debug_handler([&](DebugStop& s) {
      if (++n < write_at) return DebugAction::StepInto;
      REQUIRE(set_local(s.frames[0], 1, Value::i32(20)).ok());
      return DebugAction::Continue;
    });
    int32_t anded = write_at < 2 ? 20 & 7 : 11 & 7;
    CHECK(*d.inst->call<int32_t>("predec", 3, 12) == anded + 20 * 3);
    CHECK(n == write_at);
  }
}
