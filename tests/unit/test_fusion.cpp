// Fused internal instructions (see runtime/src/compile/compiler.cpp) behave exactly as the
// wasm instructions they replace, including 32-bit wrap-around and out-of-bounds traps.
#include <doctest/doctest.h>

#include <cmath>

#include "glint/glint.h"

using namespace glint;

namespace {
struct Fusion {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  Fusion() {
    auto m = Module::load_file(std::string(GLINT_TEST_WASM_DIR) + "/fusion.wasm");
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
    auto r = linker.instantiate(store, *m);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  void poke32(uint32_t addr, uint32_t v) { inst->memory("memory")->store<uint32_t>(addr, v); }
};
}  // namespace

TEST_CASE("load with a fused base + constant address") {
  Fusion f;
  f.poke32(100, 0xABCD1234);
  CHECK(*f.inst->call<int32_t>("load_add", 104) == int32_t(0xABCD1234));  // 104 - 8 + 4
  // 4 - 8 wraps to 0xFFFFFFFC; + offset 4 is 2^32, past the end: a trap, not address 0.
  auto r = f.inst->call<int32_t>("load_add", 4);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("load with a fused base + (index << shift) address") {
  Fusion f;
  f.poke32(200 + 4 * 5, 77);
  CHECK(*f.inst->call<int32_t>("load_idx", 200, 5) == 77);
  // The shift wraps in 32 bits: (0x40000005 << 2) == 20 (mod 2^32).
  CHECK(*f.inst->call<int32_t>("load_idx", 200, 0x40000005) == 77);
  f.poke32(300 + 8 * 3 + 8, 0x11111111);
  f.poke32(300 + 8 * 3 + 12, 0x22222222);
  CHECK(*f.inst->call<int64_t>("load_idx64", 300, 3) == 0x2222222211111111);
  auto r = f.inst->call<int32_t>("load_idx", 65536 - 2, 0);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().trap->kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("stores with fused and unfused address computations") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("store_idx", 1000, 7, 0x1FF) == 0xFF);
  CHECK(f.inst->memory("memory")->load<uint8_t>(1007) == 0xFF);
  CHECK(*f.inst->call<int32_t>("store_add", 2000, 14) == 42);
  auto r = f.inst->call<int32_t>("store_idx", 65535, 1, 1);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().trap->kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("a shift whose result is also stored to a local is not fused away") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("shl_tee", 3) == 96);
}

TEST_CASE("i64 compare and branch") {
  Fusion f;
  CHECK(*f.inst->call<int64_t>("count_below", int64_t(1000)) == 1000);
  CHECK(*f.inst->call<int64_t>("count_below", int64_t(0)) == 0);
  CHECK(*f.inst->call<int32_t>("sign", int64_t(-5)) == -1);
  CHECK(*f.inst->call<int32_t>("sign", int64_t(INT64_MIN)) == -1);
  CHECK(*f.inst->call<int32_t>("sign", int64_t(0)) == 0);
  CHECK(*f.inst->call<int32_t>("sign", int64_t(1) << 40) == 1);
}

TEST_CASE("lazy local + constant operands") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("plus_then_write", 1) == 106);  // (1 + 5) + 100
  CHECK(*f.inst->call<int32_t>("plus_tee_self", 5) == 19);     // (5 - 1) + 15
  CHECK(*f.inst->call<int32_t>("plus_chain_wraps", 1) == int32_t(0x80000001));
  CHECK(*f.inst->call<int32_t>("plus_block_result", 1, 1) == 8);
  CHECK(*f.inst->call<int32_t>("plus_block_result", 1, 0) == -1);
  CHECK(*f.inst->call<int32_t>("plus_call_arg", 39) == 42);
  // Stores 101 * 3 at 100 + 8 + 4, then loads from 101 + 11: the same address.
  CHECK(*f.inst->call<int32_t>("plus_store_load", 100, 3) == 303);
  f.poke32(0, 0x5A5A5A5A);
  CHECK(*f.inst->call<int32_t>("plus_load_wraps", 4) == 0x5A5A5A5A);
  auto r = f.inst->call<int32_t>("plus_load_wraps", 0);  // 0 - 4 wraps: out of bounds
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().trap->kind == TrapKind::MemoryOutOfBounds);
  CHECK(*f.inst->call<int32_t>("plus_loop", 10) == 55);
}

TEST_CASE("zero stores to locals that are still zero are dropped, and only those") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("zero_stores", 4) == 13);  // acc 12, i 0, sign bit of -0.0
}

TEST_CASE("constant-first operators and selects of constants") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("rsub32", 3) == 7);
  CHECK(*f.inst->call<int32_t>("rsub32", 11) == -1);
  CHECK(*f.inst->call<int64_t>("rsub64", int64_t(-5)) == 15);
  CHECK(*f.inst->call<int32_t>("rshl", 4) == 48);
  CHECK(*f.inst->call<int32_t>("rshl", 33) == 6);  // the shift count is taken mod 32
  CHECK(*f.inst->call<float>("rsubf32", 0.25f) == 1.25f);
  CHECK(*f.inst->call<double>("rsubf64", 2.0) == -0.5);
  CHECK(*f.inst->call<float>("rdivf32", 4.0f) == 0.25f);
  CHECK(*f.inst->call<double>("rdivf64", -8.0) == -0.125);
  CHECK(std::isinf(*f.inst->call<double>("rdivf64", 0.0)));
  CHECK(*f.inst->call<int32_t>("select_ii", 1) == 7);
  CHECK(*f.inst->call<int32_t>("select_ii", 0) == 9);
  CHECK(*f.inst->call<int32_t>("select_is", 5, 0) == 5);
  CHECK(*f.inst->call<int32_t>("select_is", 5, -3) == 7);
  CHECK(*f.inst->call<int64_t>("select_si", int64_t(1) << 40, 1) == int64_t(1) << 40);
  CHECK(*f.inst->call<int64_t>("select_si", int64_t(1) << 40, 0) == -1);
  CHECK(*f.inst->call<double>("select_f64", 2) == 2.5);
  CHECK(std::signbit(*f.inst->call<double>("select_f64", 0)));
}

TEST_CASE("loads and stores at constant addresses") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("const_addr", 0x1234) == 0x1234 + 0x34);
  CHECK(*f.inst->call<int32_t>("const_addr", -1) == -1 + 0xFF);
  auto r = f.inst->call<int32_t>("const_addr_oob");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().trap->kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("float compare and branch, NaN included") {
  Fusion f;
  const float nan32 = std::nanf("");
  const double nan64 = std::nan("");
  CHECK(*f.inst->call<int32_t>("if_f32_lt", 1.0f, 2.0f) == 1);
  CHECK(*f.inst->call<int32_t>("if_f32_lt", 2.0f, 1.0f) == 0);
  CHECK(*f.inst->call<int32_t>("if_f32_lt", nan32, 1.0f) == 0);
  CHECK(*f.inst->call<int32_t>("if_f32_lt", 1.0f, nan32) == 0);
  CHECK(*f.inst->call<int32_t>("if_f64_ge_imm", 2.5) == 1);
  CHECK(*f.inst->call<int32_t>("if_f64_ge_imm", 2.0) == 0);
  CHECK(*f.inst->call<int32_t>("if_f64_ge_imm", nan64) == 0);
  CHECK(*f.inst->call<int32_t>("if_f32_ne", nan32, nan32) == 1);
  CHECK(*f.inst->call<int32_t>("if_f32_ne", 3.0f, 3.0f) == 0);
  CHECK(*f.inst->call<int32_t>("if_f64_eq", nan64, nan64) == 0);
  CHECK(*f.inst->call<int32_t>("if_f64_eq", -0.0, 0.0) == 1);
  CHECK(*f.inst->call<int32_t>("br_if_f32_gt", 0.5f) == 1);
  CHECK(*f.inst->call<int32_t>("br_if_f32_gt", -0.5f) == 0);
  CHECK(*f.inst->call<int32_t>("br_if_f32_gt", nan32) == 0);
  CHECK(*f.inst->call<int32_t>("halvings", 16.0) == 4);
  CHECK(*f.inst->call<int32_t>("halvings", nan64) == 1);
}
