// v128 values through everything that carries values (the spec suite's simd_*.wast scripts
// test the lane operations): the API, locals, globals, select, blocks and branches, calls of
// every kind, memory, the translator's constants, the debugger; and a SIMD module on a CPU
// without SSE4.1.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "compile/code.h"
#include "execute/cpu.h"
#include "execute/interpreters.h"
#include "glint/cpu.h"
#include "glint/disassembly.h"
#include "glint/glint.h"
#include "support.h"

using namespace glint;

namespace {

using I32x4 = std::array<int32_t, 4>;
using F32x4 = std::array<float, 4>;

Value v128(const I32x4& lanes) {
  uint8_t bytes[16];
  std::memcpy(bytes, lanes.data(), 16);
  return Value::v128(bytes);
}
I32x4 i32x4(const Value& v) {
  REQUIRE(v.type == ValType::V128);
  return {v.lane<int32_t>(0), v.lane<int32_t>(1), v.lane<int32_t>(2), v.lane<int32_t>(3)};
}
F32x4 f32x4(const Value& v) {
  REQUIRE(v.type == ValType::V128);
  return {v.lane<float>(0), v.lane<float>(1), v.lane<float>(2), v.lane<float>(3)};
}

struct SimdModule {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  int host_calls = 0;
  SimdModule() {
    // env.scale: i32 lanes times the f32, truncated.
    linker.func_dynamic("env", "scale", {{ValType::V128, ValType::F32}, {ValType::V128}},
                        [this](Caller&, std::span<const Value> args, std::span<Value> results) {
                          host_calls++;
                          I32x4 v = i32x4(args[0]);
                          for (int32_t& x : v) x *= int32_t(args[1].as_f32());
                          results[0] = v128(v);
                        });
    auto r = linker.instantiate(store, test::load_test_module("simd.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  std::vector<Value> call(const char* name, std::vector<Value> args) {
    auto r = inst->invoke(name, args);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return *r;
  }
};

}  // namespace

TEST_CASE("v128 parameters and results mixed with scalars") {
  SimdModule m;
  auto r = m.call("mixed",
                  {Value::i32(10), v128({1, 2, 3, 4}), Value::f64(-7.9), v128({-1, -2, -3, -4})});
  REQUIRE(r.size() == 3);
  CHECK(i32x4(r[0]) == I32x4{11, 12, 13, 14});
  CHECK(r[1].type == ValType::I64);
  CHECK(r[1].as_i64() == -7);
  CHECK(i32x4(r[2]) == I32x4{-1, -2, -3, -4});
  CHECK(r[0].to_string() == "11 12 13 14");
  CHECK(r[2].lanes("i64x2") == "-4294967297 -12884901891");
  // Type checks at the API: a v128 where an i32 goes, and the other way.
  CHECK_FALSE(
      m.inst->invoke("mixed", std::vector<Value>{v128({}), v128({}), Value::f64(0), v128({})})
          .ok());
}

TEST_CASE("v128 locals between scalar locals keep their values") {
  SimdModule m;
  auto r = m.call("locals", {Value::i32(5)});
  REQUIRE(r.size() == 4);
  CHECK(r[0].as_i32() == 6);
  CHECK(i32x4(r[1]) == I32x4{10, 20, 30, 40});
  CHECK(r[2].as_i64() == 6);
  CHECK(i32x4(r[3]) == I32x4{5, 10, 15, 20});
}

TEST_CASE("v128 globals: read and written by wasm and through the API") {
  SimdModule m;
  Global* g = m.inst->global("g");
  REQUIRE(g);
  CHECK(g->type().type == ValType::V128);
  CHECK(i32x4(g->get()) == I32x4{1, 2, 3, 4});
  m.call("bump_g", {});
  CHECK(i32x4(g->get()) == I32x4{2, 4, 6, 8});
  g->set(v128({-5, 0, 5, 1 << 30}));
  CHECK(i32x4(m.call("get_g", {})[0]) == I32x4{-5, 0, 5, 1 << 30});
  CHECK(f32x4(m.call("get_k", {})[0]) == F32x4{0.5f, 0.5f, 0.5f, 0.5f});
}

TEST_CASE("select picks a v128, with and without a type") {
  SimdModule m;
  auto first = m.call("pick", {Value::i32(1), v128({1, 1, 1, 1}), v128({2, 2, 2, 2})});
  CHECK(i32x4(first[0]) == I32x4{1, 1, 1, 1});
  CHECK(i32x4(first[1]) == I32x4{7, 0, 7, 0});
  auto second = m.call("pick", {Value::i32(0), v128({1, 1, 1, 1}), v128({2, 2, 2, 2})});
  CHECK(i32x4(second[0]) == I32x4{2, 2, 2, 2});
  CHECK(i32x4(second[1]) == I32x4{2, 2, 2, 2});
}

TEST_CASE("blocks, br_table, br and br_if carry v128 values") {
  SimdModule m;
  I32x4 v{1, -2, 3, -4};
  auto zero = m.call("branches", {v128(v), Value::i32(0)});
  CHECK(i32x4(zero[0]) == I32x4{2, -1, 4, -3});
  CHECK(i32x4(zero[1]) == I32x4{100, 100, 100, 100});
  auto one = m.call("branches", {v128(v), Value::i32(1)});
  CHECK(i32x4(one[0]) == I32x4{2, -4, 6, -8});
  CHECK(i32x4(one[1]) == I32x4{200, 200, 200, 200});
  auto other = m.call("branches", {v128(v), Value::i32(9)});
  CHECK(i32x4(other[0]) == v);
  CHECK(i32x4(other[1]) == I32x4{7, 7, 7, 7});
}

TEST_CASE("a loop with a v128 accumulator") {
  SimdModule m;
  int32_t s = 99 * 100 / 2;
  CHECK(i32x4(m.call("loop_sum", {Value::i32(100)})[0]) == I32x4{s, 2 * s, 3 * s, 4 * s});
  CHECK(i32x4(m.call("loop_sum", {Value::i32(0)})[0]) == I32x4{0, 0, 0, 0});
}

TEST_CASE("direct, indirect and host calls pass v128 arguments and results") {
  SimdModule m;
  // (v + 2 + (11, 21, 31, 41)) then, through the table, swap_halves or + 5, then * 2 (host)
  auto swapped = m.call("calls", {v128({1, 2, 3, 4}), Value::i32(0)});
  CHECK(i32x4(swapped[0]) == I32x4{2 * 36, 2 * 47, 2 * 14, 2 * 25});
  auto added = m.call("calls", {v128({1, 2, 3, 4}), Value::i32(1)});
  CHECK(i32x4(added[0]) == I32x4{2 * 19, 2 * 30, 2 * 41, 2 * 52});
  CHECK(m.host_calls == 2);
  CHECK(i32x4(m.call("scale_twice", {v128({4, -8, 12, 1})})[0]) == I32x4{0, 0, 0, 0});
  CHECK(m.host_calls == 4);  // 3 then 0.5 truncated to 0
  auto bad = m.inst->invoke("calls", std::vector<Value>{v128({}), Value::i32(7)});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().trap->kind == TrapKind::UndefinedElement);
}

TEST_CASE("v128 loads and stores at offsets, lanes, and their traps") {
  SimdModule m;
  auto r = m.call("memory_ops", {Value::i32(64)});
  CHECK(f32x4(r[0]) == F32x4{1.5f, -2, 3, 4});  // plus the denormal 77 * 2^-149: no change
  CHECK(r[1].as_i32() == 77 << 24);             // byte 0 of 77 into lane byte 3
  CHECK(r[2].as_f32() == -2.0f);
  uint8_t* mem = m.inst->memory()->data();
  float stored[4];
  std::memcpy(stored, mem + 64 + 16, 16);
  CHECK(stored[0] == 1.5f);
  CHECK(stored[3] == 4.0f);
  // The last 16 bytes of memory load; one byte further traps, at the load's offset.
  uint32_t end = uint32_t(m.inst->memory()->size());
  CHECK(m.inst->invoke("load_at", std::vector<Value>{Value::i32(int32_t(end - 24))}).ok());
  auto oob = m.inst->invoke("load_at", std::vector<Value>{Value::i32(int32_t(end - 23))});
  REQUIRE_FALSE(oob.ok());
  CHECK(oob.error().trap->kind == TrapKind::MemoryOutOfBounds);
  CHECK(oob.error().trap->backtrace.at(0).func_name == "load_at");
}

TEST_CASE("splats and lanes of constants fold into constants") {
  SimdModule m;
  auto r = m.call("constants", {});
  CHECK(f32x4(r[0]) == F32x4{2.5f, 2.5f, 2.5f, 2.5f});
  CHECK(r[1].as_i32() == -3);
  CHECK(r[2].as_f32() == 3.25f);
}

TEST_CASE("the debugger shows v128 locals and operands") {
  auto bytes = test::test_wasm_bytes("simd.wasm");
  auto module = test::load_test_module("simd.wasm");
  Store store;
  Linker linker;
  linker.func_dynamic("env", "scale", {{ValType::V128, ValType::F32}, {ValType::V128}},
                      [](Caller&, std::span<const Value>, std::span<Value>) {});
  auto inst = linker.instantiate(store, module);
  REQUIRE(inst.ok());
  uint32_t marker = uint32_t(test::offset_of(bytes, {0x41, 0xb1, 0xea, 0x01}));  // 30001
  REQUIRE(set_breakpoint(*module, marker).ok());
  std::vector<DebugStop> stops;
  store.set_debug_handler([&](const DebugStop& s) {
    stops.push_back(s);
    return DebugAction::Continue;
  });
  uint8_t bytes_in[16];
  float in[4] = {1, 2, 3, 4};
  std::memcpy(bytes_in, in, 16);
  auto r = (*inst)->invoke("debug_me", std::vector<Value>{Value::v128(bytes_in)});
  REQUIRE(r.ok());
  CHECK(f32x4((*r)[0]) == F32x4{3, 6, 9, 12});
  REQUIRE(stops.size() == 1);
  const DebugFrame& f = stops[0].frames[0];
  REQUIRE(f.locals.size() == 2);
  CHECK(f32x4(f.locals[0]) == F32x4{1, 2, 3, 4});
  CHECK(f32x4(f.locals[1]) == F32x4{2, 4, 6, 8});
  CHECK(f.locals[1].lanes("f32x4") == "2 4 6 8");
  // The marker and its drop have no code: the stop is at the add, which takes w and v.
  REQUIRE(f.has_stack);
  REQUIRE(f.stack.size() == 2);
  CHECK(f.stack[0].type == ValType::V128);
  CHECK(f32x4(f.stack[0]) == F32x4{2, 4, 6, 8});
  CHECK(f32x4(f.stack[1]) == F32x4{1, 2, 3, 4});
}

TEST_CASE("a SIMD module on a CPU without SSE4.1 is refused at load, with where") {
  auto bytes = test::test_wasm_bytes("simd.wasm");
  detail::CpuFeatures real = detail::cpu_features();
  detail::set_cpu_features({});
  auto m = Module::load(bytes);
  auto valid = Module::validate(bytes);
  auto scalar = Module::load(test::test_wasm_bytes("basics.wasm"));
  detail::set_cpu_features(real);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().kind == ErrorKind::Unsupported);
  CHECK(m.error().message.find("SSE4.1") != std::string::npos);
  CHECK(m.error().offset.has_value());
  CHECK(m.error().to_string().find("unsupported module") == 0);
  CHECK(valid.ok());   // validating needs no SIMD handlers
  CHECK(scalar.ok());  // and modules without SIMD load as before
  CHECK(Module::load(bytes).ok());
}

TEST_CASE("disassembly shows SIMD immediates: lanes, 16-byte constants, shuffles, alignment") {
  auto module = test::load_test_module("simd.wasm");
  std::vector<std::string> lines;  // without the indentation
  for (const FunctionCode& f : defined_functions(*module))
    for (const WasmInstruction& in : disassemble(*module, f.func_index))
      lines.push_back(in.text.substr(in.text.find_first_not_of(' ')));
  auto has = [&](const char* line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  CHECK(has("v128.store offset=16"));  // natural alignment (16 bytes) left out
  CHECK(has("v128.load32_splat offset=40"));
  CHECK(has("v128.load8_lane offset=40 3"));
  CHECK(has("i32x4.extract_lane 0"));
  CHECK(has("i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7"));
  CHECK(has("v128.const i32x4 0x0000000a 0x00000014 0x0000001e 0x00000028"));
}

// runtime/DESIGN.md, "CPU variants": compiled code holds the chosen copy's handler addresses, so
// the copy is the one the CPU check chose at start and pretending another CPU does not switch it.
TEST_CASE("the process runs one copy of the interpreter, the one the CPU check chose") {
  const detail::Interpreter& chosen = detail::interpreter();
  bool v3 = detail::cpu_features().x86_64_v3;
  CHECK(&chosen == (v3 ? &detail::x86_64_v3::kInterpreter : &detail::baseline::kInterpreter));
  CHECK(interpreter_variant() == (v3 ? "x86-64-v3" : "x86-64"));
  CHECK(detail::handler_table() == chosen.handler_table());
  if (v3)  // (the v3 copy's code may not run on another CPU, not even to give its table)
    CHECK(detail::x86_64_v3::kInterpreter.handler_table() !=
          detail::baseline::kInterpreter.handler_table());
  detail::CpuFeatures real = detail::cpu_features();
  detail::set_cpu_features({});
  CHECK(&detail::interpreter() == &chosen);
  detail::set_cpu_features(real);
}

// runtime/CMakeLists.txt: g++ starts every handler on a 64-byte boundary (runtime/SPEED.md,
// "Handlers on cache lines"), but only those whose run count it estimates high enough; this
// checks that its estimate still lets all of them through. Optimized g++ builds without the
// sanitizers only: the others do not align them.
#if defined(__GNUC__) && !defined(__clang__) && defined(__OPTIMIZE__) && \
    !defined(__SANITIZE_ADDRESS__)
TEST_CASE("every handler of the interpreter that runs starts a cache line") {
  const void* const* handlers = detail::handler_table();
  size_t unaligned = 0;
  for (size_t i = 0; i < size_t(detail::IOp::Count); i++)
    unaligned += reinterpret_cast<uintptr_t>(handlers[i]) % 64 != 0;
  CHECK(unaligned == 0);
}
#endif
