// Fused internal instructions (see runtime/src/compile/translate.cpp) behave exactly as the
// wasm instructions they replace, including 32-bit wrap-around and out-of-bounds traps.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "fusion_module.h"
#include "glint/glint.h"

using namespace glint;

using Fusion = test::FusionModule;

TEST_CASE("load with a fused base + constant address") {
  Fusion f;
  f.poke32(100, 0xABCD1234);
  CHECK(*f.inst->call<int32_t>("load_add", 104) == int32_t(0xABCD1234));  // 104 - 8 + 4
  // 4 - 8 wraps to 0xFFFFFFFC; + offset 4 is 2^32, past the end: a trap, not address 0.
  auto r = f.inst->call<int32_t>("load_add", 4);
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
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
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("stores with fused and unfused address computations") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("store_idx", 1000, 7, 0x1FF) == 0xFF);
  CHECK(f.inst->memory("memory")->load<uint8_t>(1007) == 0xFF);
  CHECK(*f.inst->call<int32_t>("store_add", 2000, 14) == 42);
  auto r = f.inst->call<int32_t>("store_idx", 65535, 1, 1);
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
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
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
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
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("stores of constants take the value as an immediate") {
  Fusion f;
  // [p+4..12) = 0x11223344 fffe 77 ab after the byte and half stores, [p] = 0xffffffff,
  // [p+12] = -1.5f (0xbfc00000).
  CHECK(*f.inst->call<int64_t>("store_consts", 1000) ==
        int64_t(0x11223344FFFE77ABull + 0xFFFFFFFFull + 0xBFC00000ull));
  auto r = f.inst->call<int64_t>("store_consts", 65532);
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  CHECK(f.count("store_consts", detail::IOp::I64Store_k) == 1);  // address p, offset 4
  CHECK(f.count("store_consts", detail::IOp::I32Store8_k) == 1);
  CHECK(f.count("store_consts", detail::IOp::I32Store16_k) == 1);
  CHECK(f.count("store_consts", detail::IOp::F32Store_addk) == 1);
  CHECK(f.count("store_consts", detail::IOp::I64Store32_k) == 1);
  CHECK(f.count("store_consts", detail::IOp::Const) == 0);
}

TEST_CASE("a constant result is returned as an immediate") {
  Fusion f;
  CHECK(*f.inst->call<int64_t>("return_consts", 1) == -5);
  CHECK(*f.inst->call<int64_t>("return_consts", 0) == 0x123456789);
  CHECK(*f.inst->call<double>("return_f64") == -0.25);
  CHECK(f.count("return_consts", detail::IOp::Return1K) == 2);
  CHECK(f.count("return_consts", detail::IOp::Const) == 0);
  CHECK(f.count("return_f64", detail::IOp::Return1K) == 1);
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

TEST_CASE("operators with a memory operand") {
  Fusion f;
  auto* mem = f.inst->memory("memory");
  f.poke32(104, 5);
  CHECK(*f.inst->call<int32_t>("add_mem32", 10, 100) == 15);
  f.poke32(104, 0xFFFFFFFF);
  CHECK(*f.inst->call<int32_t>("add_mem32", 2, 100) == 1);  // wraps in 32 bits
  f.poke32(200, 7);
  CHECK(*f.inst->call<int32_t>("mem_mul32", 200, 6) == 42);
  mem->store<int64_t>(300, 10);
  CHECK(*f.inst->call<int64_t>("sub_mem64", int64_t(3), 300) == -7);
  mem->store<double>(400, 10.0);
  CHECK(*f.inst->call<double>("mem_sub_f64", 400, 2.5) == 7.5);  // [p] - x, not x - [p]
  f.poke32(200, 3);
  CHECK(*f.inst->call<int32_t>("mem_sub32", 200, 5) == -2);
  mem->store<float>(508, 1.5f);
  CHECK(*f.inst->call<float>("mul_mem_f32", 2.0f, 500) == 3.0f);
  mem->store<float>(0, 4.0f);  // p + 8 wraps to address 0
  CHECK(*f.inst->call<float>("mul_mem_f32", 0.5f, int32_t(0xFFFFFFF8)) == 2.0f);
  auto oob = f.inst->call<float>("mul_mem_f32", 2.0f, 65536 - 8);
  CHECK(test::trap_of(oob).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("a trap in a fused memory operand names the load's offset") {
  Fusion f;
  auto r = f.inst->call<int32_t>("add_mem32", 0, 65533);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  CHECK(t.backtrace[0].func_name == "add_mem32");
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x28);  // i32.load
}

TEST_CASE("read-modify-write fuses only when the store goes where the load came from") {
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (int i = 0; i < 6; i++) {
    mem->store<double>(1000 + 8 * i, i + 1.0);
    mem->store<double>(2000 + 8 * i, 10.0 * (i + 1));
  }
  REQUIRE(f.inst->call<void>("axpy", 2.0, 1000, 2000, 5).ok());
  for (int i = 0; i < 5; i++) CHECK(mem->load<double>(2000 + 8 * i) == 12.0 * (i + 1));
  CHECK(mem->load<double>(2000 + 8 * 5) == 60.0);  // past n: untouched
  CHECK(mem->load<double>(1000 + 8 * 4) == 5.0);   // the source is only read

  f.poke32(112, 40);
  f.poke32(100, 3);
  REQUIRE(f.inst->call<void>("bump", 100, 5).ok());
  CHECK(mem->load<uint32_t>(112) == 45);
  CHECK(mem->load<uint32_t>(100) == 3);

  mem->store<uint64_t>(64, 0x0F);
  REQUIRE(f.inst->call<void>("bump_const", int64_t(0xFF)).ok());
  CHECK(mem->load<uint64_t>(64) == 0xF0);

  f.poke32(700, 41);
  f.poke32(600, 0);
  REQUIRE(f.inst->call<void>("move_sum", 600, 700, 1).ok());
  CHECK(mem->load<uint32_t>(600) == 42);
  CHECK(mem->load<uint32_t>(700) == 41);

  f.poke32(800, 9);
  f.poke32(804, 100);
  REQUIRE(f.inst->call<void>("other_offset", 800, 1).ok());
  CHECK(mem->load<uint32_t>(804) == 10);
  CHECK(mem->load<uint32_t>(800) == 9);

  auto oob = f.inst->call<void>("bump", 65536 - 12, 1);
  CHECK(test::trap_of(oob).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("loop counters fused with the branch back") {
  Fusion f;
  CHECK(*f.inst->call<int32_t>("count_up", 0, 10) == 10);
  CHECK(*f.inst->call<int32_t>("count_up", 0x7FFFFFFE, int32_t(0x80000001)) == 3);  // wraps
  CHECK(*f.inst->call<int32_t>("count_up", 5, 5) == 1000);  // 5 is 2^32 steps away: capped
  CHECK(*f.inst->call<int32_t>("count_lt_s", 0) == 102);
  CHECK(*f.inst->call<int32_t>("count_lt_s", -10) == 101);
  CHECK(*f.inst->call<int32_t>("count_lt_u", -10) == -7);  // 0xFFFFFFF9 is not below 100
  // The fused back-edge still checks fuel.
  f.store.set_fuel(10000);
  auto r = f.inst->call<void>("spin", 0);
  CHECK(test::trap_of(r).kind == TrapKind::OutOfFuel);
  f.store.clear_fuel();
}

TEST_CASE("byte and half loads as operands keep their sign or zero extension") {
  Fusion f;
  auto* mem = f.inst->memory("memory");
  mem->store<uint8_t>(400, 0xFE);  // -2 signed, 254 unsigned
  mem->store<uint8_t>(401, 0xF0);
  mem->store<uint16_t>(402, 0xFFFD);  // -3 signed, 65533 unsigned
  CHECK(*f.inst->call<int32_t>("add_s8", 10, 400) == 8);
  CHECK(*f.inst->call<int32_t>("xor_u8", 0x0F, 400) == 0xFF);
  CHECK(*f.inst->call<int32_t>("mul_s16", 5, 400) == -15);
  CHECK(*f.inst->call<int32_t>("sub_u16", 0, 402) == -65533);
  CHECK(*f.inst->call<int32_t>("u8_sub", 4, 400) == 250);
  auto oob = f.inst->call<int32_t>("mul_s16", 1, 65534);  // 65534 + 2: past the end
  CHECK(test::trap_of(oob).kind == TrapKind::MemoryOutOfBounds);
  auto edge = f.inst->call<int32_t>("sub_u16", 0, 65534);  // the last two bytes: in bounds
  CHECK(edge.ok());
}

TEST_CASE("operators without a memory form after a byte or half load stay two instructions") {
  // mem_form's table once left such operators all-zero (IOp 0 is Halt) when g++ -O3 built it,
  // so `x / (short)p[0]` ended the call early with the wrong result.
  Fusion f;
  auto* mem = f.inst->memory("memory");
  mem->store<uint16_t>(402, 0xFFFD);  // -3
  mem->store<uint8_t>(404, 3);
  CHECK(*f.inst->call<int32_t>("div_s16", 30, 402) == -10);
  CHECK(*f.inst->call<int32_t>("shl_u8", 5, 404) == 40);
  CHECK(f.count("div_s16", detail::IOp::I32Load16S) == 1);
  CHECK(f.count("div_s16", detail::IOp::I32DivS_ss) == 1);
}

TEST_CASE("float multiply-add rounds the product first, as the two wasm operators do") {
  Fusion f;
  // (1 + 2^-27) * (1 - 2^-27) = 1 - 2^-54 rounds to 1.0, and 1.0 - 1 = 0. One fused rounding
  // (an FMA instruction) would give -2^-54.
  double a = 1 + std::ldexp(1.0, -27), b = 1 - std::ldexp(1.0, -27);
  CHECK(*f.inst->call<double>("madd", a, b, -1.0) == 0.0);
  CHECK(*f.inst->call<double>("addm", a, b, -1.0) == 0.0);
  float af = 1 + std::ldexp(1.0f, -13), bf = 1 - std::ldexp(1.0f, -13);  // 1 - 2^-26 rounds to 1
  CHECK(*f.inst->call<float>("madd_f32", af, bf, -1.0f) == 0.0f);
  CHECK(*f.inst->call<double>("madd", 3.0, 4.0, 0.5) == 12.5);
  CHECK(*f.inst->call<double>("addm", 3.0, 4.0, 0.5) == 12.5);
  CHECK(*f.inst->call<double>("sum_squares", 1.0, 2.0, 3.0) == 14.0);
  CHECK(*f.inst->call<double>("dot_n", 1.5, 4) == 9.0);
  CHECK(std::isnan(*f.inst->call<double>("madd", double(INFINITY), 0.0, 1.0)));
}

TEST_CASE("deferred increments: reads before and after, overwrites, 32-bit wrap, loops") {
  Fusion f;
  // The value read before the increment stays the old one once the addition is emitted.
  CHECK(*f.inst->call<int32_t>("defer_rebase", 5) == 5 + 1);
  CHECK(*f.inst->call<int32_t>("defer_rebase", -8) == -8 + 0);
  CHECK(*f.inst->call<int32_t>("defer_overwrite", 1) == 9 + 100);
  // p + 8 wraps to 4 before the offset is added: address 8, not a trap.
  f.poke32(8, 0x5EED);
  CHECK(*f.inst->call<int32_t>("defer_wrap", -4) == 0x5EED);
  auto r = f.inst->call<int32_t>("defer_wrap", 65536 - 12);  // 65536 - 4 + 4: past the end
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);

  uint32_t sum = 0;
  for (uint32_t i = 0; i < 11; i++) f.poke32(400 + 4 * i, i * i + 1);
  for (uint32_t i = 0; i < 10; i++) sum += (i * i + 1) + ((i + 1) * (i + 1) + 1);
  CHECK(*f.inst->call<int32_t>("defer_pairs", 400, 10) == int32_t(sum + 400 + 4 * 10));
}

TEST_CASE("a deferred step read as a value is emitted into its local (--i), and only then") {
  using detail::IOp;
  Fusion f;
  for (uint32_t k = 0; k < 8; k++) f.poke32(400 + 4 * k, 10 + k);
  // i = 3: reads [2], [1], [0], then [-1 & 7] = 17, the stop; i = -1 at the end.
  CHECK(*f.inst->call<int32_t>("predec_load", 400, 3, 7, 17) == (12 + 11 + 10) * 1000 - 1);
  CHECK(*f.inst->call<int32_t>("predec_load", 400, 0, 7, 17) == -1);  // wraps below 0
  CHECK(*f.inst->call<int32_t>("predec_load", 400, std::numeric_limits<int32_t>::min(), 7, 17) ==
        std::numeric_limits<int32_t>::max());
  CHECK(*f.inst->call<int32_t>("predec_load", 400, 10, 3, 12) == (11 + 10 + 13) * 1000 + 6);
  // One addition, the step into i: none into a temporary before it.
  CHECK(f.count("predec_load", IOp::I32Add_si) == 1);
  CHECK(f.count_exact("predec_load", IOp::I32Add_si_noslot) == 0);
  // Another entry reads the old i: the step stays deferred, and both values are right.
  CHECK(*f.inst->call<int32_t>("predec_shared", 5, 3) == 5 + 0 * 100 + 4 * 10000);
  CHECK(*f.inst->call<int32_t>("predec_shared", 0, 255) == 0 + 255 * 100 - 10000);
  CHECK(f.count("predec_shared", IOp::I32Add_si) == 2);
}

TEST_CASE("deferred pointer bumps in pairs (I32Inc2): values, 32-bit wrap, the accumulator") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (uint32_t i = 0; i < 64; i++) mem->store<uint8_t>(800 + i, uint8_t(i * 7 + 1));
  auto byte = [](uint32_t i) { return uint32_t(uint8_t(i * 7 + 1)); };
  // p, q bumped by one I32Inc2; w (3 - 5n wraps below 0) alone; n's step in the BrInc.
  for (uint32_t n : {1u, 5u, 9u}) {
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s += byte(i) - byte(2 * i);
    uint32_t p = 800 + n, q = 800 + 2 * n, w = 3 - 5 * n;
    CHECK(uint32_t(*f.inst->call<int32_t>("inc2_three", 800, 800, int32_t(n))) ==
          ((s * 1000 + p + q) ^ w));
  }
  CHECK(f.count("inc2_three", IOp::I32Inc2) == 1);
  CHECK(f.count("inc2_three", IOp::I32Add_si) == 1);
  CHECK(f.count("inc2_three", IOp::BrIncI32Ne_si_loop) == 1);
  // q and p bumped together, p last: the compare reads it from the integer accumulator.
  for (uint32_t n : {1u, 4u, 13u}) {
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s += byte(i);
    CHECK(uint32_t(*f.inst->call<int32_t>("inc2_until", 800, -7, 800 + n)) ==
          s * 1000 + uint32_t(-7 + 3 * int32_t(n)));
  }
  CHECK(f.count("inc2_until", IOp::I32Inc2) == 1);
  CHECK(f.count("inc2_until", IOp::I32Add_si) == 0);
  CHECK(f.count("inc2_until", IOp::BrI32Ne_as_loop) == 1);
}

TEST_CASE("more deferred bumps than four: I32Inc2 pairs, a full queue flushed in pairs") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (uint32_t i = 0; i < 64; i++) mem->store<uint8_t>(900 + i, uint8_t(i * 13 + 5));
  auto byte = [&](uint32_t a) { return uint32_t(mem->load<uint8_t>(a)); };
  for (uint32_t n : {1u, 2u, 7u}) {
    uint32_t s = 0, a = 900, b = 7, c = uint32_t(-9), d = 900;
    for (uint32_t i = 0; i < n; i++) {
      s = s * 3 + (byte(a) - byte(d + 1));
      a += 1, b += 2, c -= 3, d += 2;
    }
    CHECK(uint32_t(*f.inst->call<int32_t>("inc2_five", 900, int32_t(n))) ==
          ((s + a * 1000) ^ (b * 77 + (c + d))));
  }
  // a, b, c, d by two I32Inc2, n's step in the BrInc: no addition alone.
  CHECK(f.count("inc2_five", IOp::I32Inc2) == 2);
  CHECK(f.count("inc2_five", IOp::I32Add_si) == 0);
  CHECK(f.count("inc2_five", IOp::BrIncI32Ne_si_loop) == 1);
  // The ninth bump finds eight waiting: they go out as four I32Inc2, the ninth at the call.
  CHECK(*f.inst->call<int32_t>("inc2_nine", 5) == 100 - 5);
  CHECK(f.count("inc2_nine", IOp::I32Inc2) == 4);
  CHECK(f.count("inc2_nine", IOp::I32Add_si) == 1);
}

TEST_CASE("two lazy local + constant operands put in slots together (I32Add2_si)") {
  using detail::IOp;
  Fusion f;
  auto expect = [](uint32_t p, uint32_t q) {
    return int32_t((p + 8) * 3 - ((q + 0x7fffffffu) ^ (p - 4)));
  };
  for (auto [p, q] : {std::pair<int32_t, int32_t>{5, 9}, {-1, 1}, {0x7ffffff8, -0x80000000}})
    CHECK(*f.inst->call<int32_t>("add2_call", p, q) == expect(uint32_t(p), uint32_t(q)));
  CHECK(f.count("add2_call", IOp::I32Add2_si) == 1);
  CHECK(f.count("add2_call", IOp::I32Add_si) == 1);
}

TEST_CASE("a bump flushed by a br takes the jump (I32AddBr_si, I32AddBrLoop_si)") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (uint32_t i = 0; i < 32; i++) mem->store<uint8_t>(1200 + i, uint8_t(i * 11 + 3));
  for (uint32_t n : {0u, 1u, 9u}) {
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++) s = s * 5 + uint32_t(uint8_t(i * 11 + 3));
    CHECK(uint32_t(*f.inst->call<int32_t>("add_br_loop", 1200, int32_t(1200 + n))) ==
          s * 1000 + 1200 + n);
  }
  CHECK(f.count("add_br_loop", IOp::I32AddBrLoop_si) == 1);
  CHECK(f.count("add_br_loop", IOp::BrLoop) == 0);
  CHECK(*f.inst->call<int32_t>("add_br_fwd", 10, 1) == 14);
  CHECK(*f.inst->call<int32_t>("add_br_fwd", -2, 1) == 2);  // wraps
  CHECK(*f.inst->call<int32_t>("add_br_fwd", 10, 0) == 30);
  CHECK(f.count("add_br_fwd", IOp::I32AddBr_si) == 1);
  CHECK(f.count("add_br_fwd", IOp::Br) == 0);
}

TEST_CASE("constants: two in a row (Const2), one before a jump (ConstBr), a label between") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("const_pair", 1) == 700 - 3);
  CHECK(*f.inst->call<int32_t>("const_pair", 0) == 0);
  CHECK(f.count("const_pair", IOp::Const2) == 1);
  CHECK(f.count("const_pair", IOp::Const) == 0);
  CHECK(*f.inst->call<int32_t>("const_break", 1) == 11);
  CHECK(*f.inst->call<int32_t>("const_break", 0) == 2);
  CHECK(f.count("const_break", IOp::ConstBr) == 1);
  CHECK(f.count("const_break", IOp::Br) == 0);
  CHECK(*f.inst->call<int32_t>("const_label", 1) == 13);  // the jump lands on y = 3
  CHECK(*f.inst->call<int32_t>("const_label", 0) == 23);
  CHECK(f.count("const_label", IOp::Const2) == 0);
}

TEST_CASE("deferred increments across a loop's branch back") {
  Fusion f;
  // n = 3, 2, 1: q = 4n + 4 = 16, 12, 8; s = 36. On exit q must be 8, not 8 - 4.
  CHECK(*f.inst->call<int32_t>("defer_loop_exit", 3) == 8 * 1000 + 36);
  // q read first: 0, 4, 8 summed; q = 12 on exit.
  CHECK(*f.inst->call<int32_t>("defer_loop_read", 3) == 12 * 1000 + 12);
}

TEST_CASE("multiply-add into memory: [p] += a * [q], its twin, and which access trapped") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (int i = 0; i < 8; i++) {
    mem->store<double>(1000 + 8 * i, i + 1.0);
    mem->store<double>(2000 + 8 * i, 100.0 * (i + 1));
    mem->store<float>(3000 + 4 * i, i + 1.0f);
    mem->store<float>(4000 + 4 * i, 100.0f * (i + 1));
  }
  REQUIRE(f.inst->call<void>("axpy2", 0.5, 1000, 2000, 3).ok());
  REQUIRE(f.inst->call<void>("axpy2_f32", -2.0f, 3000, 4000, 3).ok());
  for (int i = 0; i < 6; i++) {
    CHECK(mem->load<double>(2000 + 8 * i) == 100.0 * (i + 1) + 0.5 * (i + 1));
    CHECK(mem->load<float>(4000 + 4 * i) == 100.0f * (i + 1) - 2.0f * (i + 1));
  }
  CHECK(mem->load<double>(2000 + 8 * 6) == 700.0);  // past n pairs: untouched
  CHECK(mem->load<double>(1000 + 8 * 5) == 6.0);    // the source is only read
  // One instruction per element, and the second of the two is the twin (execute/twins.def).
  CHECK(f.count("axpy2", IOp::F64MulAdd_rmw) == 1);
  CHECK(f.count("axpy2", IOp::F64MulAdd_rmw_twin) == 1);
  CHECK(f.count("axpy2_f32", IOp::F32MulAdd_rmw) == 1);
  CHECK(f.count("axpy2_f32", IOp::F32MulAdd_rmw_twin) == 1);
  CHECK(f.count("axpy", IOp::F64MulAdd_rmw) == 1);
  CHECK(f.count("axpy", IOp::F64MulAdd_rmw_twin) == 0);

  // A product also kept in a local is not fused away: the local gets it.
  mem->store<double>(500, 3.0);
  mem->store<double>(600, 1.0);
  CHECK(*f.inst->call<double>("axpy_keep", 2.0, 500, 600) == 6.0);
  CHECK(mem->load<double>(600) == 7.0);
  CHECK(f.count("axpy_keep", IOp::F64MulAdd_rmw) == 0);

  // A trap reports the load that failed: [q+24], read first, or [p+40], read second.
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  size_t load_q = test::offset_of(bytes, {0x20, 0x01, 0x2B, 0x03, 24}) + 2;
  size_t load_p = test::offset_of(bytes, {0x20, 0x02, 0x2B, 0x03, 40}) + 2;
  auto q_out = f.inst->call<void>("axpy_at", 1.0, 65536 - 30, 0);
  CHECK(test::trap_of(q_out).kind == TrapKind::MemoryOutOfBounds);
  CHECK(test::trap_of(q_out).backtrace.at(0).code_offset == load_q);
  auto p_out = f.inst->call<void>("axpy_at", 1.0, 0, 65536 - 46);
  CHECK(test::trap_of(p_out).kind == TrapKind::MemoryOutOfBounds);
  CHECK(test::trap_of(p_out).backtrace.at(0).code_offset == load_p);
  // The twin's second access: [p+8] of the second element runs past the end.
  mem->store<double>(0, 5.0);
  auto twin_out = f.inst->call<void>("axpy2", 1.0, 0, 65536 - 8, 1);
  const Trap& t = test::trap_of(twin_out);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE(t.backtrace.at(0).code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x2B);
  CHECK(bytes[t.backtrace[0].code_offset - 1] == 0x02);  // f64.load offset=8 (local.get $p)
  CHECK(mem->load<double>(65536 - 8) == 5.0);  // the first element, before the trap, was stored
}

TEST_CASE("the loop register: an innermost loop's counter, read from a machine register") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  for (int i = 0; i < 8; i++) {
    mem->store<double>(1000 + 8 * i, i + 1.0);
    mem->store<double>(2000 + 8 * i, 100.0 * (i + 1));
    mem->store<double>(3000 + 8 * i, 100.0 * (i + 1));
  }
  REQUIRE(f.inst->call<void>("axpy_reg", 0.5, 1000, 2000, 5 * 8).ok());
  REQUIRE(f.inst->call<void>("axpy_reg_call", 0.5, 1000, 3000, 5 * 8).ok());
  for (int i = 0; i < 5; i++) {
    CHECK(mem->load<double>(2000 + 8 * i) == 100.0 * (i + 1) + 0.5 * (i + 1));
    CHECK(mem->load<double>(3000 + 8 * i) == 100.0 * (i + 1) + 2 * (i + 1.0));
  }
  CHECK(mem->load<double>(2000 + 8 * 5) == 600.0);  // past n: untouched
  // Both additions of j went into the multiply-add, which reads j from the register (the
  // second, j + q, with its operands swapped), and so does the step.
  CHECK(f.count("axpy_reg", IOp::F64MulAdd_sum_reg) == 1);
  CHECK(f.count("axpy_reg", IOp::I32Add_ss) + f.count("axpy_reg", IOp::I32Add_sr) == 0);
  CHECK(f.count("axpy_reg", IOp::BrIncI32Ne_ss_reg) == 1);
  CHECK(f.count("axpy_reg", IOp::RegLoad) == 1);
  // A call in the loop: the register is not used.
  CHECK(f.count("axpy_reg_call", IOp::I32Add_sr) == 0);
  CHECK(f.count("axpy_reg_call", IOp::BrIncI32Ne_ss_loop) == 1);
  CHECK(f.count("axpy_reg_call", IOp::BrIncI32Ne_ss_reg) == 0);
  CHECK(f.count("axpy_reg_call", IOp::RegLoad) == 0);  // seen ahead: no RegLoad at its entry

  // The counter written elsewhere in the loop: not used, and the sum skips what it should.
  for (int i = 0; i < 8; i++) f.poke32(4000 + 4 * i, uint32_t(10 * i + (i == 2 || i == 5)));
  CHECK(*f.inst->call<int32_t>("sum_skip", 4000, 8 * 4) == 0 + 10 + 21 + 40 + 51 + 70);
  CHECK(f.count("sum_skip", IOp::I32Add_sr) == 0);
  CHECK(f.count("sum_skip", IOp::BrIncI32LtU_ss_reg) == 0);

  // Nested loops: only the inner one uses it; rows of 3 words from address 0.
  for (int i = 0; i < 12; i++) f.poke32(uint32_t(4 * i), uint32_t(1 << i));
  CHECK(*f.inst->call<int32_t>("sum_rows", 0, 4, 3 * 4) == (1 << 12) - 1);
  CHECK(*f.inst->call<int32_t>("sum_rows", 0, 2, 3 * 4) == (1 << 6) - 1);
  CHECK(f.count("sum_rows", IOp::I32Add_sr) == 1);
  CHECK(f.count("sum_rows", IOp::BrIncI32Ne_ss_reg) == 1);   // the inner loop's step
  CHECK(f.count("sum_rows", IOp::BrIncI32Ne_ss_loop) == 1);  // the outer loop's
  CHECK(f.count("sum_rows", IOp::RegLoad) == 1);  // the outer loop, with a loop inside, has none

  // Changed after it was taken: the second branch back loads it again (a second RegLoad).
  CHECK(*f.inst->call<int32_t>("reload", 5) == 0 + 1 + 2 + 3 + 4 + 10);
  CHECK(*f.inst->call<int32_t>("reload", 1) == 0 + 2);
  CHECK(f.count("reload", IOp::RegLoad) == 2);
  CHECK(f.count("reload", IOp::BrIncI32LtU_ss_reg) == 1);
}

TEST_CASE("address sums computed by the multiply-add that reads through them") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  auto fill = [&] {
    for (int i = 0; i < 8; i++) {
      mem->store<double>(1000 + 8 * i, i + 1.0);
      mem->store<double>(2000 + 8 * i, 100.0 * (i + 1));
    }
  };
  auto check_rows = [&](double a) {
    for (int i = 0; i < 6; i++)
      CHECK(mem->load<double>(2000 + 8 * i) == 100.0 * (i + 1) + a * (i + 1));
    CHECK(mem->load<double>(2000 + 8 * 6) == 700.0);  // past n: untouched
  };
  // Three pairs of elements; the locals get what the additions gave them: p = 2000 + 32 + 8,
  // q = 1000 + 32.
  const int32_t locals = (2040 << 16) | 1032;
  fill();
  CHECK(*f.inst->call<int32_t>("muladd_rows", 0.5, 1000, 2000, 3 * 16) == locals);
  check_rows(0.5);
  fill();
  CHECK(*f.inst->call<int32_t>("muladd_rows_call", -2.0, 1000, 2000, 3 * 16) == locals);
  check_rows(-2.0);
  // Two instructions per iteration: the additions are gone from the loop, and both elements
  // are one _sum2, which writes p and q and reads the same sums for p + 8 and q + 8.
  CHECK(f.count("muladd_rows", IOp::F64MulAdd_sum2_reg) == 1);
  CHECK(f.count("muladd_rows", IOp::F64MulAdd_sum_reg) == 0);
  CHECK(f.count("muladd_rows", IOp::I32Add_ss) + f.count("muladd_rows", IOp::I32Add_sr) == 0);
  CHECK(f.count("muladd_rows", IOp::BrIncI32Ne_ss_reg) == 1);
  // With a call in the loop, j comes from its slot.
  CHECK(f.count("muladd_rows_call", IOp::F64MulAdd_sum2) == 1);
  CHECK(f.count("muladd_rows_call", IOp::F64MulAdd_sum2_reg) == 0);
  // Another x for the second element: two instructions, the second the twin.
  fill();
  REQUIRE(f.inst->call<void>("muladd_two_scales", 0.5, -1.0, 1000, 2000, 3 * 16).ok());
  for (int i = 0; i < 6; i++)
    CHECK(mem->load<double>(2000 + 8 * i) == 100.0 * (i + 1) + (i % 2 ? -1.0 : 0.5) * (i + 1));
  CHECK(f.count("muladd_two_scales", IOp::F64MulAdd_sum_reg) == 1);
  CHECK(f.count("muladd_two_scales", IOp::F64MulAdd_sum_reg_twin) == 1);
  CHECK(f.count("muladd_two_scales", IOp::F64MulAdd_sum2_reg) == 0);

  for (int i = 0; i < 5; i++) {
    mem->store<float>(3000 + 4 * i, float(i + 1));
    mem->store<float>(4000 + 4 * i, 10.0f * float(i + 1));
  }
  REQUIRE(f.inst->call<void>("muladd_f32", 3.0f, 3000, 4000, 4 * 4).ok());
  for (int i = 0; i < 4; i++) CHECK(mem->load<float>(4000 + 4 * i) == 13.0f * float(i + 1));
  CHECK(mem->load<float>(4000 + 4 * 4) == 50.0f);
  CHECK(f.count("muladd_f32", IOp::F32MulAdd_sum_reg) == 1);

  // q = p + j, with p the first sum's local: not one instruction, and still right.
  fill();
  REQUIRE(f.inst->call<void>("muladd_chained", 2.0, 1000, 3 * 8).ok());  // [p] += 2 [p + j]
  CHECK(mem->load<double>(1000) == 1.0 + 2 * 1.0);
  CHECK(mem->load<double>(1008) == 2.0 + 2 * 3.0);
  CHECK(mem->load<double>(1016) == 3.0 + 2 * 5.0);
  CHECK(mem->load<double>(1024) == 4.0);
  CHECK(f.count("muladd_chained", IOp::F64MulAdd_sum) +
            f.count("muladd_chained", IOp::F64MulAdd_sum_reg) ==
        0);
  CHECK(f.count("muladd_chained", IOp::F64MulAdd_rmw) == 1);

  // A trap names the access that failed: the second element's [q + 8], read first, or its
  // [p + 8], read second (the _sum2's third and fourth accesses); the first element is done
  // by then.
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  fill();
  mem->store<double>(65536 - 8, 7.0);
  auto q_out = f.inst->call<int32_t>("muladd_rows", 1.0, 65536 - 8, 2000, 16);
  REQUIRE(!q_out.ok());
  CHECK(test::trap_of(q_out).kind == TrapKind::MemoryOutOfBounds);
  size_t q_at = test::trap_of(q_out).backtrace.at(0).code_offset;
  REQUIRE(q_at + 2 < bytes.size());
  CHECK(bytes[q_at] == 0x2B);   // f64.load
  CHECK(bytes[q_at + 2] == 8);  // offset=8: [q + 8]
  CHECK(mem->load<double>(2000) == 107.0);
  auto p_out = f.inst->call<int32_t>("muladd_rows", 1.0, 1000, 65536 - 8, 16);
  REQUIRE(!p_out.ok());
  CHECK(test::trap_of(p_out).kind == TrapKind::MemoryOutOfBounds);
  size_t p_at = test::trap_of(p_out).backtrace.at(0).code_offset;
  REQUIRE(p_at + 2 < bytes.size());
  CHECK(bytes[p_at] == 0x2B);
  CHECK(bytes[p_at - 2] == 0x20);  // local.get
  CHECK(bytes[p_at - 1] == 5);     // $p
  CHECK(p_at > q_at);              // the second element's, after its [q + 8]
  CHECK(mem->load<double>(65536 - 8) == 7.0 + 1.0);
}

TEST_CASE("a shift left and back by the same constant: one sign extension or mask") {
  using detail::IOp;
  Fusion f;
  auto call = [&](const char* name, uint32_t x) {
    return *f.inst->call<int32_t>(name, int32_t(x));
  };
  for (uint32_t x : {0u, 1u, 0x7fffu, 0x8000u, 0xffffu, 0x12345678u, 0x8001ff80u, 0xffffffffu}) {
    CAPTURE(x);
    CHECK(call("as_short", x) == int32_t(int16_t(uint16_t(x))));
    CHECK(call("as_char", x) == int32_t(int8_t(uint8_t(x))));
    CHECK(call("low_12", x) == int32_t(x & 0xfff));
    CHECK(call("as_12_bits", x) == (int32_t(x << 20) >> 20));
    CHECK(call("shl_then_other", x) == (int32_t(x << 16) >> 8));
  }
  CHECK(f.count("as_short", IOp::I32Extend16S) == 1);
  CHECK(f.count("as_short", IOp::I32Shl_si) == 0);
  CHECK(f.count("as_char", IOp::I32Extend8S) == 1);
  CHECK(f.count("low_12", IOp::I32And_si) == 1);
  CHECK(f.count("low_12", IOp::I32ShrU_si) == 0);
  // (The shift right reads the shift left's result from the integer accumulator: _ai.)
  CHECK(f.count("as_12_bits", IOp::I32ShrS_ai) == 1);
  CHECK(f.count("shl_then_other", IOp::I32ShrS_ai) == 1);
}

TEST_CASE("a load stored straight back elsewhere is one move, bits and traps kept") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  const uint64_t nan_bits = 0x7ff4000000000123;  // a signalling NaN with a payload
  const uint32_t nan32_bits = 0x7fa00042;
  mem->store<uint64_t>(1008, 0x1122334455667788);
  mem->store<uint64_t>(1016, nan_bits);
  mem->store<uint32_t>(1000, 0xdeadbeef);
  mem->store<uint32_t>(1004, nan32_bits);
  REQUIRE(f.inst->call<void>("move_fields", 2000, 1000).ok());
  CHECK(mem->load<uint64_t>(2016) == 0x1122334455667788);
  CHECK(mem->load<uint64_t>(2024) == nan_bits);
  CHECK(mem->load<uint32_t>(2032) == 0xdeadbeef);
  CHECK(mem->load<uint32_t>(2036) == nan32_bits);
  // Both pairs share their bases (p, q; the third's address is p + 32, the same base with an
  // add): one I64Move2, one I32Move2.
  CHECK(f.count("move_fields", IOp::I64Move2) == 1);
  CHECK(f.count("move_fields", IOp::I64Move) + f.count("move_fields", IOp::I64Move_twin) == 0);
  CHECK(f.count("move_fields", IOp::I32Move2) == 1);

  CHECK(*f.inst->call<int64_t>("move_keep", 3000, 1008) == 0x1122334455667788);
  CHECK(mem->load<uint64_t>(3000) == 0x1122334455667788);
  CHECK(f.count("move_keep", IOp::I64Move) == 0);

  // A trap names the load if it is out of bounds, else the store.
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  size_t load_at =  // i64.load offset=8, stored at offset=16
      test::offset_of(bytes, {0x20, 0x00, 0x20, 0x01, 0x29, 0x03, 8, 0x37, 0x03, 16}) + 4;
  size_t store_at = test::offset_of(bytes, {0x37, 0x03, 16});  // i64.store offset=16
  auto load_out = f.inst->call<void>("move_fields", 0, 65536 - 8);
  CHECK(test::trap_of(load_out).kind == TrapKind::MemoryOutOfBounds);
  CHECK(test::trap_of(load_out).backtrace.at(0).code_offset == load_at);
  mem->store<uint64_t>(2016, 7);
  auto store_out = f.inst->call<void>("move_fields", 65536 - 16, 1000);
  CHECK(test::trap_of(store_out).kind == TrapKind::MemoryOutOfBounds);
  CHECK(test::trap_of(store_out).backtrace.at(0).code_offset == store_at);
}

TEST_CASE("two moves with the same bases are one: order, overlap and each access's trap") {
  using detail::IOp;
  Fusion f;
  auto* mem = f.inst->memory("memory");
  mem->store<uint64_t>(1000, 0x1111111111111111);
  mem->store<uint64_t>(1008, 0x2222222222222222);
  REQUIRE(f.inst->call<void>("move_pair", 2000, 1000).ok());
  CHECK(mem->load<uint64_t>(2000) == 0x1111111111111111);
  CHECK(mem->load<uint64_t>(2008) == 0x2222222222222222);
  CHECK(f.count("move_pair", IOp::I64Move2) == 1);
  CHECK(f.count("move_pair", IOp::I64Move) + f.count("move_pair", IOp::I64Move_twin) == 0);
  // The first move's store is the second's source (p = q + 8): the second reads what the first
  // wrote, as the two moves did.
  REQUIRE(f.inst->call<void>("move_pair", 1008, 1000).ok());
  CHECK(mem->load<uint64_t>(1008) == 0x1111111111111111);
  CHECK(mem->load<uint64_t>(1016) == 0x1111111111111111);
  // Element copies whose addresses were just summed into locals.
  mem->store<uint64_t>(3040, 0x3333333333333333);
  mem->store<uint64_t>(3048, 0x4444444444444444);
  REQUIRE(f.inst->call<void>("move_element", 4000, 3000, 40).ok());
  CHECK(mem->load<uint64_t>(4040) == 0x3333333333333333);
  CHECK(mem->load<uint64_t>(4048) == 0x4444444444444444);
  CHECK(f.count("move_element", IOp::I64Move2) == 1);
  // Each of the four accesses traps with its own wasm offset, after the accesses before it.
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  size_t pair = test::offset_of(bytes, {0x20, 0x00, 0x20, 0x01, 0x29, 0x03, 0, 0x37, 0x03, 0,
                                        0x20, 0x00, 0x20, 0x01, 0x29, 0x03, 8, 0x37, 0x03, 8});
  size_t first_load = pair + 4, first_store = pair + 7;
  size_t second_load = pair + 14, second_store = pair + 17;
  auto trap_at = [&](int32_t p, int32_t q) {
    auto out = f.inst->call<void>("move_pair", p, q);
    CHECK(test::trap_of(out).kind == TrapKind::MemoryOutOfBounds);
    return test::trap_of(out).backtrace.at(0).code_offset;
  };
  mem->store<uint64_t>(5000, 0x5555555555555555);
  CHECK(trap_at(5008, 65536) == first_load);
  CHECK(mem->load<uint64_t>(5008) == 0);  // nothing written
  CHECK(trap_at(65536, 5000) == first_store);
  CHECK(trap_at(6000, 65536 - 8) == second_load);
  CHECK(mem->load<uint64_t>(6000) == mem->load<uint64_t>(65536 - 8));  // the first move ran
  mem->store<uint64_t>(5008, 0x6666666666666666);
  CHECK(trap_at(65536 - 8, 5000) == second_store);
  CHECK(mem->load<uint64_t>(65536 - 8) == 0x5555555555555555);  // the first move ran
}

TEST_CASE("bit tests, bit fields and a switch's bias") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("has_bit", 0x10) == 1);
  CHECK(*f.inst->call<int32_t>("has_bit", 0xEF) == 0);
  CHECK(f.count("has_bit", IOp::BrTestZ_si) == 1);
  CHECK(*f.inst->call<int32_t>("any_common", 6, 3) == 1);
  CHECK(*f.inst->call<int32_t>("any_common", 6, 9) == 0);
  CHECK(f.count("any_common", IOp::BrTest_ss) == 1);
  CHECK(*f.inst->call<int32_t>("field", int32_t(0xA000AB00)) == 0xAB + 0xA);
  CHECK(f.count("field", IOp::I32ShrAnd) == 2);
  CHECK(*f.inst->call<int32_t>("field_set", int32_t(0x10000000)) == 1);
  CHECK(*f.inst->call<int32_t>("field_set", 0x0FFFFFFF) == 0);
  CHECK(f.count("field_set", IOp::BrTestZ_si) == 1);
  CHECK(*f.inst->call<int32_t>("lacks_bit", 0xEF) == 1);
  CHECK(*f.inst->call<int32_t>("lacks_bit", 0x10) == 0);
  CHECK(f.count("lacks_bit", IOp::BrTestZ_si) == 1);
  CHECK(f.count("lacks_bit", IOp::I32Eqz) == 0);
  CHECK(*f.inst->call<int32_t>("lacks_field", 0x0F) == 1);
  CHECK(*f.inst->call<int32_t>("lacks_field", 0x10) == 0);
  CHECK(*f.inst->call<int32_t>("lacks_field", 0x40) == 1);
  CHECK(f.count("lacks_field", IOp::BrTest_si) == 1);
  CHECK(*f.inst->call<int32_t>("zero64", int64_t(0)) == 1);
  CHECK(*f.inst->call<int32_t>("zero64", int64_t(1) << 40) == 0);
  CHECK(f.count("zero64", IOp::BrI64Eq_si) == 1);
  CHECK(*f.inst->call<int32_t>("nonzero64", int64_t(0)) == 0);
  CHECK(*f.inst->call<int32_t>("nonzero64", int64_t(1) << 40) == 1);
  CHECK(f.count("nonzero64", IOp::BrI64Ne_si) == 1);
  CHECK(*f.inst->call<int32_t>("count_down", 0) == 1);
  CHECK(*f.inst->call<int32_t>("count_down", 1000) == 10);
  CHECK(f.count("count_down", IOp::BrI32Eq_si_loop) == 1);  // jumps while eqz(n) is 0
  for (int32_t x : {3, 4, 5, 2, -1, 1000}) {
    int32_t want = x == 3 ? 10 : x == 4 ? 11 : 12;  // 2 - 3 wraps to a large index: default
    CHECK(*f.inst->call<int32_t>("switch_local", x) == want);
    f.poke32(64, uint32_t(x));
    CHECK(*f.inst->call<int32_t>("switch_loaded", 64) == want);
  }
  CHECK(f.count("switch_loaded", IOp::I32Add_si) == 0);
}

TEST_CASE("a compare whose result only a select reads") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("sel_lts", -1, 0, 10, 20) == 10);
  CHECK(*f.inst->call<int32_t>("sel_lts", 0, -1, 10, 20) == 20);
  CHECK(f.count("sel_lts", IOp::SelectI32LtS_ss) == 1);
  CHECK(f.count("sel_lts", IOp::I32LtS_ss) == 0);
  CHECK(*f.inst->call<int32_t>("sel_geu", -1, 0, 10, 20) == 10);  // 0xFFFFFFFF >= 0
  CHECK(*f.inst->call<int32_t>("sel_geu", 0, -1, 10, 20) == 20);
  CHECK(*f.inst->call<int32_t>("sel_geu", 7, 7, 10, 20) == 10);
  CHECK(f.count("sel_geu", IOp::SelectI32LtU_ss) == 1);
  CHECK(*f.inst->call<int32_t>("sel_ne_k", 5, 10, 20) == 20);
  CHECK(*f.inst->call<int32_t>("sel_ne_k", 6, 10, 20) == 10);
  CHECK(f.count("sel_ne_k", IOp::SelectI32Eq_si) == 1);
  CHECK(*f.inst->call<int32_t>("sel_les_k", -2, 10, 20) == 10);
  CHECK(*f.inst->call<int32_t>("sel_les_k", -1, 10, 20) == 20);
  CHECK(f.count("sel_les_k", IOp::SelectI32GtS_si) == 1);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(*f.inst->call<float>("sel_f32_gt", 641.0f, 1.5f, 2.5f) == 1.5f);
  CHECK(*f.inst->call<float>("sel_f32_gt", 640.0f, 1.5f, 2.5f) == -2.5f);
  CHECK(*f.inst->call<float>("sel_f32_gt", nan, 1.5f, 2.5f) == -2.5f);
  CHECK(f.count("sel_f32_gt", IOp::SelectF32Gt_si) == 1);
  const int64_t big = int64_t(1) << 40;
  CHECK(*f.inst->call<int64_t>("sel_f64_lt", -1.0, 3.0, big, int64_t(3)) == big);
  CHECK(*f.inst->call<int64_t>("sel_f64_lt", 1.0, 3.0, big, int64_t(3)) == 3);
  CHECK(*f.inst->call<int64_t>("sel_f64_lt", double(nan), 3.0, int64_t(1), int64_t(3)) == 3);
  CHECK(f.count("sel_f64_lt", IOp::SelectF64Lt_ss) == 1);
  CHECK(*f.inst->call<int32_t>("sel_f32_le", nan, 1.0f, 10, 20) == 20);
  CHECK(*f.inst->call<int32_t>("sel_f32_le", 1.0f, 1.0f, 10, 20) == 10);
  CHECK(f.count("sel_f32_le", IOp::Select) == 1);
}

TEST_CASE("a copy or a constant carried to a label takes the jump") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("carry", -1, 42) == 42);
  CHECK(*f.inst->call<int32_t>("carry", 1, 42) == 7);
  CHECK(f.count("carry", IOp::CopyBr) == 1);
  CHECK(f.count("carry", IOp::ConstBr) == 1);
  CHECK(f.count("carry", IOp::Br) == 0);
}

TEST_CASE("calls copy arguments and zero locals in chunks") {
  Fusion f;
  // dirty: x + 6; sum_locals: 0 (its locals start at zero after dirty's frame); weigh: the
  // arguments 1, x, 1, x, 1, x, 1 weighed 1, 2, 4, ... 64.
  for (int32_t x : {0, 5, -7})
    CHECK(*f.inst->call<int32_t>("calls", x) == (x + 6) + 0 + (1 + 4 + 16 + 64) + x * (2 + 8 + 32));
}

TEST_CASE("calls with one chunk of argument sources and no constants are short") {
  using detail::IOp;
  Fusion f;
  // a = x - y, b = a - x, k = 7; the result 3b - y + 1000a + 100000b + 10^7 k.
  for (auto [x, y] : {std::pair{10, 3}, std::pair{-5, 9}}) {
    int32_t a = x - y, b = a - x;
    CHECK(*f.inst->call<int32_t>("short_calls", x, y) ==
          3 * b - y + 1000 * a + 100000 * b + 70000000);
  }
  CHECK(f.count("short_calls", IOp::CallShort) == 2);
  CHECK(f.count("short_calls", IOp::CallIndirectShort) == 2);
  CHECK(f.count("short_calls", IOp::Call) == 0);
  // Calls with constant arguments or more than a chunk of sources keep the lists.
  CHECK(f.count("calls", IOp::Call) == 2);
  CHECK(f.count("calls", IOp::CallShort) == 1);
}

TEST_CASE("a constant 0 argument keeps a call short") {
  using detail::IOp;
  Fusion f;
  for (int32_t x : {0, 5, -7}) CHECK(*f.inst->call<int32_t>("zero_args", x) == -x + 3 * x);
  CHECK(f.count("zero_args", IOp::CallShort) == 2);
  CHECK(f.count("zero_args", IOp::Call) == 0);
}

TEST_CASE("a direct call with one constant argument is a CallShortK") {
  using detail::IOp;
  Fusion f;
  // (x + 70 + 100x) + (3 + 0 + 100(x + 1)) + (5 + 10x + 900)
  for (int32_t x : {0, 4, -9})
    CHECK(*f.inst->call<int32_t>("short_k", x) ==
          (x + 70 + 100 * x) + (3 + 100 * (x + 1)) + (5 + 10 * x + 900));
  CHECK(f.count("short_k", IOp::CallShortK) == 2);
  CHECK(f.count("short_k", IOp::Call) == 1);  // two constants keep the lists
  CHECK(f.count("step_down", IOp::CallShortK) == 1);
  CHECK(*f.inst->call<int32_t>("step_down", 1000, 1) == 1 + 999 * 2);
}

TEST_CASE("recursion through CallShortK traps at the call depth and the stack size") {
  {
    Fusion f;  // the default depth limit, 50,000 frames
    CHECK(*f.inst->call<int32_t>("step_down", 49000, 2) == 98000);
    auto r = f.inst->call<int32_t>("step_down", 60000, 2);
    const Trap& t = test::trap_of(r);
    CHECK(t.kind == TrapKind::StackExhausted);
    CHECK(t.backtrace.size() > 1000);
    CHECK(t.backtrace[0].func_name == "step_down");
    CHECK(*f.inst->call<int32_t>("step_down", 3, 2) == 6);  // the store still works
  }
  StoreConfig small;
  small.stack_bytes = 64 << 10;  // 8,192 slots: the stack runs out long before the depth limit
  Store store(small);
  Linker linker;
  auto inst = linker.instantiate(store, test::load_test_module("fusion.wasm"));
  REQUIRE(inst.ok());
  auto r = (*inst)->call<int32_t>("step_down", 20000, 2);
  CHECK(test::trap_of(r).kind == TrapKind::StackExhausted);
  CHECK(*(*inst)->call<int32_t>("step_down", 100, 2) == 200);
}

TEST_CASE("a static table's element: (i << k) + c as one I32ShlAdd, read by one _tbl load") {
  using detail::IOp;
  Fusion f;
  f.poke32(1024 + 4 * 5 + 4, 0xDEADBEEF);
  CHECK(*f.inst->call<int32_t>("table32", 5) == int32_t(0xDEADBEEF));
  CHECK(f.count("table32", IOp::I32Load_tbl) == 1);
  CHECK(f.count("table32", IOp::I32Shl_si) == 0);
  // The shift and the sum wrap in 32 bits: (0x40000005 << 2) + 1024 is 1044 (mod 2^32).
  CHECK(*f.inst->call<int32_t>("table32", 0x40000005) == int32_t(0xDEADBEEF));
  // -256 << 2 is -1024: the sum is 0, and the offset 4 is added after the wrap.
  f.poke32(4, 0x12345678);
  CHECK(*f.inst->call<int32_t>("table32", -256) == 0x12345678);
  f.poke32(1024, 0x55);
  CHECK(*f.inst->call<int32_t>("table32", 0x3FFFFFFF) == 0x55);     // 0xFFFFFFFC + 1024 is 1020
  auto out = f.inst->call<int32_t>("table32", 0x3FFFFF00 + 16384);  // past the memory's end
  CHECK(test::trap_of(out).kind == TrapKind::MemoryOutOfBounds);
  f.poke32(1024 + 2 * 3, 0x80);
  CHECK(*f.inst->call<int32_t>("table8", 3) == -128);
  CHECK(f.count("table8", IOp::I32Load8S_tbl) == 1);
  CHECK(*f.inst->call<int32_t>("shl_sub", 5) == 32);
  CHECK(*f.inst->call<int32_t>("shl_sub", 0) == -8);
  CHECK(f.count("shl_sub", IOp::I32ShlAdd) == 1);
}

TEST_CASE("m & (m - 1) on i64 is one I64ClearLow, and with the branch on its eqz one branch") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int64_t>("clear_low", int64_t(0b101100)) == 0b101000);
  CHECK(*f.inst->call<int64_t>("clear_low", int64_t(0)) == 0);  // 0 & -1
  CHECK(*f.inst->call<int64_t>("clear_low", int64_t(INT64_MIN)) == 0);
  CHECK(*f.inst->call<int64_t>("clear_low", int64_t(-1)) == -2);
  CHECK(f.count("clear_low", IOp::I64ClearLow) == 1);
  CHECK(f.count("clear_low", IOp::I64And_ss) == 0);
  CHECK(f.count("clear_low", IOp::I64Add_si) == 0);
  CHECK(*f.inst->call<int64_t>("clear_low_sub", int64_t(0x100000000)) == 0);
  CHECK(*f.inst->call<int64_t>("clear_low_sub", int64_t(0x300000000)) == 0x200000000);
  CHECK(f.count("clear_low_sub", IOp::I64ClearLow) == 1);
  CHECK(*f.inst->call<int64_t>("and_other_minus_one", int64_t(0xff), int64_t(0x10)) == 0x0f);
  CHECK(f.count("and_other_minus_one", IOp::I64ClearLow) == 0);
  CHECK(f.count("and_other_minus_one", IOp::I64And_ss) == 1);
  CHECK(*f.inst->call<int32_t>("count_bits", int64_t(0)) == 0);
  CHECK(*f.inst->call<int32_t>("count_bits", int64_t(1)) == 1);
  CHECK(*f.inst->call<int32_t>("count_bits", int64_t(-1)) == 64);
  CHECK(*f.inst->call<int32_t>("count_bits", int64_t(INT64_MIN + 1)) == 2);
  CHECK(*f.inst->call<int32_t>("count_bits", int64_t(0x5500000000000055)) == 8);
  CHECK(f.count("count_bits", IOp::BrI64ClearLowZ) == 1);
  CHECK(f.count("count_bits", IOp::I64ClearLow) == 0);
  CHECK(f.count("count_bits", IOp::BrI64Eq_si) == 1);  // the test before the loop
  CHECK(*f.inst->call<int32_t>("count_bits_deferred", int64_t(-1)) == 64);
  CHECK(*f.inst->call<int32_t>("count_bits_deferred", int64_t(0x5500000000000055)) == 8);
  CHECK(*f.inst->call<int32_t>("count_bits_deferred", int64_t(0)) == 0);
  CHECK(f.count("count_bits_deferred", IOp::BrI64ClearLowZ) == 0);
  CHECK(f.count("count_bits_deferred", IOp::I64ClearLow) == 1);
  CHECK(*f.inst->call<int64_t>("pow2_test", int64_t(64)) == 164);
  CHECK(*f.inst->call<int64_t>("pow2_test", int64_t(0)) == 100);
  CHECK(*f.inst->call<int64_t>("pow2_test", int64_t(96)) == 96);
  CHECK(*f.inst->call<int64_t>("pow2_test", int64_t(INT64_MIN)) == INT64_MIN + 100);
  CHECK(f.count("pow2_test", IOp::BrI64ClearLowNZ) == 1);
  CHECK(f.count("pow2_test", IOp::I64Eqz) == 0);
}

TEST_CASE("a loop counting up to 0 that branches on its counter is one BrInc") {
  using detail::IOp;
  Fusion f;
  for (uint32_t a = 64; a < 64 + 16; a += 4) f.poke32(a, a);  // bytes 64, 68, 72, 76
  CHECK(*f.inst->call<int32_t>("sum_to_0", 16) == 64 + 68 + 72 + 76);
  CHECK(*f.inst->call<int32_t>("sum_to_0", 4) == 64);
  CHECK(f.count("sum_to_0", IOp::BrIfLoop) == 0);
  CHECK(f.count("sum_to_0", IOp::BrIncI32Ne_si_loop) +
            f.count("sum_to_0", IOp::BrIncI32Ne_si_reg) ==
        1);
}

TEST_CASE("a load whose value only the branch after it reads is one instruction") {
  using detail::IOp;
  Fusion f;
  f.poke32(64, 0);
  f.poke32(68, 5);  // p->x at 64 + 4
  CHECK(*f.inst->call<int32_t>("load_if", 64) == 1);
  CHECK(*f.inst->call<int32_t>("load_if", 60) == 0);
  CHECK(f.count("load_if", IOp::BrUnless_l) == 1);
  CHECK(*f.inst->call<int32_t>("load_not", 64) == 1);
  CHECK(*f.inst->call<int32_t>("load_not", 60) == 0);
  CHECK(f.count("load_not", IOp::BrUnless_l) == 1);
  f.poke32(80, 0x7878u << 8 | 'x');  // "xxx"
  CHECK(*f.inst->call<int32_t>("byte_is_x", 80) == 1);
  CHECK(*f.inst->call<int32_t>("byte_is_x", 83) == 0);
  CHECK(f.count("byte_is_x", IOp::BrI32Ne_l8i) == 1);
  f.poke32(76, uint32_t(-3));  // p->n at 64 + 4 + 8: -3, signed
  CHECK(*f.inst->call<int32_t>("below_field", 64, -4) == 1);
  CHECK(*f.inst->call<int32_t>("below_field", 64, -3) == 0);
  CHECK(*f.inst->call<int32_t>("below_field", 64, 7) == 0);
  CHECK(f.count("below_field", IOp::BrI32LeS_ls) == 1);
  f.poke32(88, 6);
  CHECK(*f.inst->call<int32_t>("flag_set", 88) == 1);
  CHECK(*f.inst->call<int32_t>("flag_set", 64) == 0);
  CHECK(f.count("flag_set", IOp::BrTestZ_li) == 1);
  for (uint32_t k : {0u, 1u, 2u, 3u, 200u}) {
    f.poke32(96, k << 8);
    CHECK(*f.inst->call<int32_t>("switch_byte", 96) == (k == 0 ? 10 : k == 1 ? 11 : 12));
  }
  CHECK(f.count("switch_byte", IOp::BrTable_l8) == 1);
  CHECK(*f.inst->call<int32_t>("load_kept", 68) == 6);
  CHECK(*f.inst->call<int32_t>("load_kept", 64) == 0);
  CHECK(f.count("load_kept", IOp::BrUnless_l) == 0);
  CHECK(f.count("load_kept", IOp::BrUnless_lk) == 1);
  CHECK(*f.inst->call<int32_t>("load_kept_nonzero", 64) == 5);  // p->x at 64 + 4
  CHECK(*f.inst->call<int32_t>("load_kept_nonzero", 60) == -1);
  CHECK(f.count("load_kept_nonzero", IOp::BrIf_lk) == 1);
  // A trap in the fused instruction is the load's: its offset names the i32.load.
  auto r = f.inst->call<int32_t>("load_if", 65534);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  CHECK(t.backtrace[0].func_name == "load_if");
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x28);  // i32.load
}

TEST_CASE("a load kept in a local and read by the branch after it is one instruction") {
  using detail::IOp;
  Fusion f;
  auto poke8 = [&](uint32_t a, uint8_t v) { f.inst->memory("memory")->store<uint8_t>(a, v); };
  const char* s = "abcdef";
  for (uint32_t i = 0; i < 6; i++) {
    poke8(1000 + i, uint8_t(s[i]));
    poke8(2002 + i, uint8_t(s[i]));
  }
  poke8(2002 + 4, 'z');  // "abcdzf" against "abcdef"
  CHECK(*f.inst->call<int32_t>("bytes_cmp", 1000, 2000, 4) == 0);
  CHECK(*f.inst->call<int32_t>("bytes_cmp", 1000, 2000, 6) == int32_t('e') - int32_t('z'));
  CHECK(*f.inst->call<int32_t>("bytes_cmp", 1001, 2000, 1) == int32_t('b') - int32_t('a'));
  CHECK(f.count("bytes_cmp", IOp::BrI32Ne_l8ks) == 1);
  CHECK(f.count("bytes_cmp", IOp::I32Load8U) + f.count("bytes_cmp", IOp::I32Load8U_twin) == 1);
  f.poke32(400 + 4 * 3 + 4, 7);
  CHECK(*f.inst->call<int32_t>("entry_kept", 400, 3, 8) == 7);
  CHECK(*f.inst->call<int32_t>("entry_kept", 400, 3, 7) == -1);
  CHECK(*f.inst->call<int32_t>("entry_kept", 400, 0x40000003, 8) == 7);  // the shift wraps
  CHECK(f.count("entry_kept", IOp::BrI32GeU_xks) == 1);
  poke8(3000, 9);
  poke8(3001, 5);
  CHECK(*f.inst->call<int32_t>("kept_old", 3000) == 9);
  CHECK(*f.inst->call<int32_t>("kept_old", 3001) == -1);
  f.poke32(3004, 0xFFFFFFFF);
  CHECK(*f.inst->call<int32_t>("kept_self", 3004) == -1);  // the value, not the else arm
  f.poke32(3004, 12);
  CHECK(*f.inst->call<int32_t>("kept_self", 3004) == 12);
  // A trap in the fused instruction is the load's (its offset names the i32.load8_u), and the
  // local keeps the value it had.
  auto r = f.inst->call<int32_t>("bytes_cmp", 1000, 65534, 6);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  CHECK(t.backtrace[0].func_name == "bytes_cmp");
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x2D);  // i32.load8_u
}

TEST_CASE("an _idx load whose value only the branch after it reads is one instruction") {
  using detail::IOp;
  Fusion f;
  auto poke8 = [&](uint32_t a, uint8_t v) { f.inst->memory("memory")->store<uint8_t>(a, v); };
  poke8(101, 'q');
  poke8(201, 'q');
  poke8(202, 'r');
  CHECK(*f.inst->call<int32_t>("bytes_differ", 100, 0, 200, 0) == 0);
  CHECK(*f.inst->call<int32_t>("bytes_differ", 100, 0, 200, 1) == 1);
  CHECK(*f.inst->call<int32_t>("bytes_differ", 90, 10, 190, 10) == 0);
  // base + index wraps in 32 bits: 300 + (2^32 - 200) is 100.
  CHECK(*f.inst->call<int32_t>("bytes_differ", 300, -200, 200, 0) == 0);
  CHECK(f.count("bytes_differ", IOp::BrI32Ne_x8s) == 1);
  CHECK(f.count("bytes_differ", IOp::I32Load8U_idx) == 1);
  f.poke32(400 + 4 * 3 + 4, 7);
  CHECK(*f.inst->call<int32_t>("entry_below", 400, 3, 8) == 1);
  CHECK(*f.inst->call<int32_t>("entry_below", 400, 3, 7) == 0);
  CHECK(*f.inst->call<int32_t>("entry_below", 400, 3, -1) == 1);  // unsigned
  // (index << 2) wraps: 0x40000003 << 2 is 12.
  CHECK(*f.inst->call<int32_t>("entry_below", 400, 0x40000003, 8) == 1);
  CHECK(f.count("entry_below", IOp::BrI32GeU_xs) == 1);
  f.poke32(500 + 4 * 2, 0);
  f.poke32(500 + 4 * 5, 9);
  CHECK(*f.inst->call<int32_t>("entry_set", 500, 2) == 0);
  CHECK(*f.inst->call<int32_t>("entry_set", 500, 5) == 1);
  CHECK(f.count("entry_set", IOp::BrUnless_x) == 1);
  poke8(600 + 3, 2);
  poke8(600 + 4, 5);
  CHECK(*f.inst->call<int32_t>("byte_bit_clear", 600, 3) == 0);
  CHECK(*f.inst->call<int32_t>("byte_bit_clear", 600, 4) == 1);
  CHECK(f.count("byte_bit_clear", IOp::BrTest_x8i) == 1);
  poke8(700 + 1, 1);
  CHECK(*f.inst->call<int32_t>("switch_entry", 700, 0) == 10);
  CHECK(*f.inst->call<int32_t>("switch_entry", 700, 1) == 11);
  // (The BrTable reads the loaded index from the integer accumulator: BrTable_a.)
  CHECK(f.count("switch_entry", IOp::BrTable) + f.count("switch_entry", IOp::BrTable_a) == 1);
  // A trap in the fused instruction is the load's: its offset names the i32.load8_u.
  auto r = f.inst->call<int32_t>("bytes_differ", 100, 0, 65535, 0);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  CHECK(t.backtrace[0].func_name == "bytes_differ");
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x2D);  // i32.load8_u
}

TEST_CASE(
    "slotless producers: a temporary that only the next instruction reads, from the register") {
  using detail::IOp;
  Fusion f;
  // a * b + 7: the product is a temporary the add reads from the register: no slot written.
  CHECK(*f.inst->call<int32_t>("acc_add", 6, 7) == 49);
  CHECK(f.count_exact("acc_add", IOp::I32Mul_ss_noslot) == 1);
  CHECK(f.count_exact("acc_add", IOp::I32Mul_ss) == 0);
  // x = a * b writes local x, which stays a slot; the xor after it is a temporary again.
  CHECK(*f.inst->call<int32_t>("acc_local", 6, 7) == 43);
  CHECK(f.count_exact("acc_local", IOp::I32Mul_ss) == 1);
  CHECK(f.count_exact("acc_local", IOp::I32Xor_ai_noslot) == 1);
  // c - (a * b): the sub reads the product from the register as its second operand (_sa).
  CHECK(*f.inst->call<int32_t>("acc_sub_second", 3, 5, 100) == 85);
  CHECK(f.count_exact("acc_sub_second", IOp::I32Mul_ss_noslot) == 1);
  // Copies between the multiply and the add that read it (retire_readers_before_last).
  CHECK(f.count_exact("acc_retired", IOp::I32Mul_ss) == 1);
  // The load that read the xor from the register became a branch reading its slot (LOADBR,
  // rewritten in place): the xor writes it.
  f.poke32(64, 120);
  CHECK(*f.inst->call<int32_t>("slotless_loadbr", 64, 0) == 1);
  CHECK(*f.inst->call<int32_t>("slotless_loadbr", 68, 0) == 0);
  CHECK(*f.inst->call<int32_t>("slotless_loadbr", 60, 4) == 0);  // 60 ^ 4 = 56
  CHECK(f.count_exact("slotless_loadbr", IOp::I32Xor_ss) == 1);
  CHECK(f.count_exact("slotless_loadbr", IOp::I32Load_a) == 0);
}

TEST_CASE("the integer accumulator: a result read from a register by the instruction after it") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("acc_add", 6, 7) == 49);
  CHECK(*f.inst->call<int32_t>("acc_add", 0x10000, 0x10000) == 7);  // the product wraps
  CHECK(f.count("acc_add", IOp::I32Add_ai) == 1);
  CHECK(*f.inst->call<int32_t>("acc_xor_second", 3, 5, 0xff) == (0xff ^ 15));
  CHECK(f.count("acc_xor_second", IOp::I32Xor_as) == 1);
  CHECK(*f.inst->call<int32_t>("acc_sub_second", 3, 5, 100) == 85);
  CHECK(f.count("acc_sub_second", IOp::I32Sub_as) == 0);  // not swapped: the second, _sa
  CHECK(f.count("acc_sub_second", IOp::I32Sub_sa) == 1);
  CHECK(*f.inst->call<int32_t>("acc_shr_s", 1, 9) == -4);  // the accumulator's i32 is signed here
  CHECK(f.count("acc_shr_s", IOp::I32ShrS_ai) == 1);
  CHECK(*f.inst->call<int32_t>("acc_below", 2, 3, 6) == 1);
  CHECK(*f.inst->call<int32_t>("acc_below", 2, 4, 6) == 0);
  CHECK(*f.inst->call<int32_t>("acc_below", -1, 2, 6) == 1);  // 0xffffffff + 2 wraps to 1
  CHECK(f.count("acc_below", IOp::BrI32GeU_as) == 1);
  CHECK(*f.inst->call<int32_t>("acc_above", 2, 3, 4) == 1);
  CHECK(*f.inst->call<int32_t>("acc_above", 2, 3, 5) == 0);
  CHECK(*f.inst->call<int32_t>("acc_above", 2, -3, 0) == 0);  // signed: 0 < -1 is false
  CHECK(f.count("acc_above", IOp::BrI32LeS_as) == 1);
  CHECK(*f.inst->call<int32_t>("acc_br_if", 1, -1) == 0);  // the sum's 32 bits are 0
  CHECK(*f.inst->call<int32_t>("acc_br_if", 1, 1) == 1);
  CHECK(f.count("acc_br_if", IOp::BrIf_a) == 1);
  for (int32_t k : {0, 1, 2, 3, -1})
    CHECK(*f.inst->call<int32_t>("acc_switch", k * 16 + 5) == (k == 0 ? 10 : k == 1 ? 11 : 12));
  CHECK(f.count("acc_switch", IOp::BrTable_a) == 1);
  f.poke32(200 + 8, 300);  // p->next at 200 + 8 is 300; its x at 300 + 4
  f.poke32(304, 0xC0FFEE);
  CHECK(*f.inst->call<int32_t>("acc_chase", 200) == 0xC0FFEE);
  CHECK(f.count("acc_chase", IOp::I32Load_a) == 1);
  f.poke32(208, 65534);  // a next past the memory's end: the second load traps
  auto r = f.inst->call<int32_t>("acc_chase", 200);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset + 1 < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x28);      // i32.load
  CHECK(bytes[t.backtrace[0].code_offset + 2] == 0x04);  // offset=4: the second one
  f.poke32(400, 0x44332211);
  CHECK(*f.inst->call<int32_t>("acc_byte", 400 ^ 0x55, 0x55) == 0x44);
  CHECK(f.count("acc_byte", IOp::I32Load8U_a) == 1);
  CHECK(*f.inst->call<int32_t>("acc_local", 6, 7) == 43);
  CHECK(f.count("acc_local", IOp::I32Xor_ai) == 1);
  // x + 5 is computed after the product (an I32Add_si, which leaves x + 5 in the register): the
  // add of 1 reads the product from its slot.
  CHECK(*f.inst->call<int32_t>("acc_retired", 6, 7, 100) == 105 + 43);
  CHECK(f.count("acc_retired", IOp::I32Add_ai) == 0);
  CHECK(f.count("acc_add", IOp::Return1_a) == 1);  // the sum returned from the register
  CHECK(*f.inst->call<int32_t>("acc_bit_field", 0x123, 3) == ((0x123 * 3) >> 4 & 15));
  CHECK(f.count("acc_bit_field", IOp::I32ShrAnd_a) == 1);
  f.poke32(1024 + 4 * 6, 0xABCD);
  CHECK(*f.inst->call<int32_t>("acc_table", 5, 3) == 0xABCD);
  CHECK(f.count("acc_table", IOp::I32Load_tbl_a) == 1);
  f.poke32(500 + 4 * 5, 77);
  CHECK(*f.inst->call<int32_t>("acc_index", 500, 13) == 77);  // 13 & 7 is 5
  CHECK(f.count("acc_index", IOp::I32Load_idx_ia) == 1);
  f.poke32(600, 0x5A);
  CHECK(*f.inst->call<int32_t>("acc_xor_byte", 0x100, 3, 600) == (0x300 ^ 0x5A));
  CHECK(f.count("acc_xor_byte", IOp::I32Xor_sm8u_a) == 1);
  auto out = f.inst->call<int32_t>("acc_xor_byte", 1, 1, 65536);  // the byte past the end
  CHECK(test::trap_of(out).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("the integer accumulator: stores and I32AddShl reading it") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("acc_store", 100, 6, 7) == 42);
  CHECK(*f.inst->call<int32_t>("acc_store", 100, 0x10000, 0x10001) == 0x10000);  // wraps
  CHECK(f.count("acc_store", IOp::I32Store_v) == 1);
  f.poke32(200, 0x11223344);
  CHECK(*f.inst->call<int32_t>("acc_store8", 200, 0x1FF) == 0xFF223344);  // the low byte only
  CHECK(f.count("acc_store8", IOp::I32Store8_addv) == 1);
  CHECK(*f.inst->call<int32_t>("acc_store_idx", 300, 3, 5, 9) == 45);
  CHECK(f.count("acc_store_idx", IOp::I32Store_idxv) == 1);
  f.poke32(400 + 8, 500);  // p->next at 400 + 8 is 500; its x at 500 + 4
  REQUIRE(f.inst->call<void>("acc_store_base", 400, 1234).ok());
  CHECK(f.inst->memory("memory")->load<uint32_t>(504) == 1234);
  CHECK(f.count("acc_store_base", IOp::I32Store_a) == 1);
  REQUIRE(f.inst->call<void>("acc_store_const", 400).ok());
  CHECK(f.inst->memory("memory")->load<uint32_t>(504) == 99);
  CHECK(f.count("acc_store_const", IOp::I32Store_ka) == 1);
  f.poke32(408, 65534);  // a next past the memory's end: the store traps, not the load
  auto r = f.inst->call<void>("acc_store_base", 400, 1);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::MemoryOutOfBounds);
  REQUIRE_FALSE(t.backtrace.empty());
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  REQUIRE(t.backtrace[0].code_offset < bytes.size());
  CHECK(bytes[t.backtrace[0].code_offset] == 0x36);  // i32.store
  f.poke32(600, 0xFFFFFFFF);
  f.poke32(604, 0x7FFFFFFF);
  CHECK(*f.inst->call<int64_t>("acc_store64", 608, 600, int64_t(1)) ==
        int64_t(0x8000000000000000ull));
  CHECK(f.count("acc_store64", IOp::I64Store_v) == 1);
  f.poke32(700, 0x40000001);  // << 2 wraps to 4
  CHECK(*f.inst->call<int32_t>("acc_add_shl", 1000, 700) == 1004);
  CHECK(f.count("acc_add_shl", IOp::I32AddShl_ia) == 1);
  CHECK(*f.inst->call<int32_t>("acc_add_shl_base", 700, 2) == 0x40000001 + 16);
  CHECK(f.count("acc_add_shl_base", IOp::I32AddShl_a) == 1);
}

TEST_CASE("the integer accumulator: branches back to a loop reading it") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("acc_loop_turned", 10) == 12);
  CHECK(*f.inst->call<int32_t>("acc_loop_turned", -5) == 3);  // signed: -5 > 3 is false
  CHECK(f.count("acc_loop_turned", IOp::BrI32LtS_as_loop) == 1);
  CHECK(*f.inst->call<int32_t>("acc_loop_br_if", 11) == (11 ^ 5 ^ 2 ^ 1));
  CHECK(*f.inst->call<int32_t>("acc_loop_br_if", int32_t(0x80000000)) == -1);  // 31 shifts
  CHECK(f.count("acc_loop_br_if", IOp::BrIfLoop_a) == 1);
}

TEST_CASE("the integer accumulator: a copy from it, which keeps it for the instruction after") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("acc_copy", 3, 10) == 6);  // d = -7: (d >> 31) ^ d
  CHECK(*f.inst->call<int32_t>("acc_copy", 10, 3) == 7);
  CHECK(f.count("acc_copy", IOp::CopyI32_a) == 1);
  CHECK(f.count("acc_copy", IOp::I32ShrS_ai) == 1);  // y, the copy's destination, from it
  CHECK(*f.inst->call<int32_t>("acc_copy_src", 6, 7) == 3);
  CHECK(*f.inst->call<int32_t>("acc_copy_src", 0x10000, 0x10001) == 3);  // the product wraps
  CHECK(f.count("acc_copy_src", IOp::CopyI32_a) == 1);
  CHECK(f.count("acc_copy_src", IOp::I32Add_ai) == 1);  // x, the copy's source, from it
  f.inst->memory("memory")->store<uint64_t>(800, 0x8000000100000002ull);
  CHECK(*f.inst->call<int64_t>("acc_copy64", 800) == int64_t(0x0000000200000004ull));
  CHECK(f.inst->memory("memory")->load<uint64_t>(808) == 0x8000000100000002ull);
  CHECK(f.count("acc_copy64", IOp::CopyI32_a) == 1);
  CHECK(f.count("acc_copy64", IOp::I64Store_v) == 1);
  f.inst->memory("memory")->store<uint8_t>(900, 0xF9);  // -7
  f.inst->memory("memory")->store<uint8_t>(901, 5);
  CHECK(*f.inst->call<int32_t>("acc_abs_byte", 900) == 7);
  CHECK(*f.inst->call<int32_t>("acc_abs_byte", 901) == 5);
  CHECK(f.count("acc_abs_byte", IOp::CopyI32_a) == 1);
  CHECK(f.count("acc_abs_byte", IOp::I32ShrS_ai) == 1);
  f.poke32(920, 0x0F0F0F0F);
  CHECK(*f.inst->call<int32_t>("acc_xor_word", 0x08000003, 920) ==
        int32_t((0x60 ^ 0x0F0F0F0F) + 1));
  CHECK(f.count("acc_xor_word", IOp::I32Xor_sm_a) == 1);
  CHECK(f.count_exact("acc_xor_word", IOp::I32Shl_si_noslot) == 1);  // read only from the register
  auto trap = f.inst->call<int32_t>("acc_xor_word", 1, 65534);       // the word past the end
  CHECK(test::trap_of(trap).kind == TrapKind::MemoryOutOfBounds);
  CHECK(*f.inst->call<int32_t>("acc_select", 3, 5, 10, 20) == 10);  // 6 > 5
  CHECK(*f.inst->call<int32_t>("acc_select", 3, 6, 10, 20) == 20);
  CHECK(*f.inst->call<int32_t>("acc_select", 5, -1, 10, 20) == 20);  // 0 > 0xffffffff: unsigned
  CHECK(f.count("acc_select", IOp::SelectI32GtU_as) == 1);
  CHECK(f.count_exact("acc_select", IOp::I32Xor_si_noslot) == 1);  // read only from the register
  CHECK(*f.inst->call<int32_t>("acc_select_turned", 3, 5, 10, 20) == 10);  // 5 < 6
  CHECK(*f.inst->call<int32_t>("acc_select_turned", 3, 6, 10, 20) == 20);
  CHECK(*f.inst->call<int32_t>("acc_select_turned", 3, -1, 10, 20) == 10);  // signed: -1 < 6
  CHECK(f.count("acc_select_turned", IOp::SelectI32GtS_as) == 1);
  CHECK(*f.inst->call<int32_t>("acc_copy_loop", 0xB) == 7);  // three bits
  CHECK(*f.inst->call<int32_t>("acc_copy_loop", 0) == 1);
  CHECK(*f.inst->call<int32_t>("acc_copy_loop", -1) == -1);  // 32
  CHECK(f.count("acc_copy_loop", IOp::CopyI32_a) == 1);
  CHECK(f.count("acc_copy_loop", IOp::BrIfLoop_a) == 1);
}

TEST_CASE("a call's result in the integer accumulator: read by the copy or branch after it") {
  using detail::IOp;
  Fusion f;
  // a = x, b = x - y, k = 7 (through the table), t = k - b (a tail call), + 1000 if x != y.
  CHECK(*f.inst->call<int32_t>("call_acc", 5, 3) == 5 * 1000000 + 2 * 10000 + 7 * 100 + 1005);
  CHECK(*f.inst->call<int32_t>("call_acc", 4, 4) == 4 * 1000000 + 0 + 7 * 100 + 7);
  CHECK(f.count("call_acc", IOp::CopyI32_a) == 4);   // a, b, k and t from the register
  CHECK(f.count("call_acc", IOp::BrUnless_a) == 1);  // the if on sub2's result
  CHECK(*f.inst->call<int64_t>("call_acc64", 0x0000000100000002) ==
        int64_t(0x8000000000000001ull));  // (x ^ 0x8000000000000001) - x: all 64 bits
  CHECK(f.count("call_acc64", IOp::CopyI32_a) == 1);
}

TEST_CASE("the float accumulator: read twice, by compare-and-branch, and through a copy") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<double>("facc_square", 1.5, 2.0) == 12.25);
  CHECK(f.count("facc_square", IOp::F64Mul_aa) == 1);
  CHECK(*f.inst->call<float>("facc_double_f32", 1.5f, 3.0f) == 9.0f);
  CHECK(f.count("facc_double_f32", IOp::F32Add_aa) == 1);
  // x * x <= 4 after each doubling: 0.2, 0.4, 0.8, 1.6, 3.2 (10.24 > 4 leaves); NaN leaves at
  // once (the compare is false).
  CHECK(*f.inst->call<int32_t>("facc_loop", 0.1, 1) == 5);
  CHECK(*f.inst->call<int32_t>("facc_loop", std::nan(""), 1) == 1);
  CHECK(f.count("facc_loop", IOp::BrF64Le_ai_loop) == 1);
  CHECK(f.count("facc_loop", IOp::F64Mul_aa) == 1);
  const float nan32 = std::numeric_limits<float>::quiet_NaN();
  CHECK(*f.inst->call<int32_t>("facc_if_lt", 2.0f, 3.0f, 7.0f) == 1);
  CHECK(*f.inst->call<int32_t>("facc_if_lt", 2.0f, 3.0f, 6.0f) == 2);
  CHECK(*f.inst->call<int32_t>("facc_if_lt", nan32, 3.0f, 6.0f) == 2);  // not a < b: not a >= b
  CHECK(f.count("facc_if_lt", IOp::BrNotF32Lt_as) == 1);
  CHECK(*f.inst->call<int32_t>("facc_br_gt", 5.0, 2.0, 4.0) == 1);
  CHECK(*f.inst->call<int32_t>("facc_br_gt", 5.0, 2.0, 3.0) == 0);
  CHECK(*f.inst->call<int32_t>("facc_br_gt", 5.0, 2.0, std::nan("")) == 0);
  CHECK(f.count("facc_br_gt", IOp::BrF64Lt_as) == 1);
  CHECK(*f.inst->call<double>("facc_copy", 2.0, 3.0) == 30.0);
  CHECK(f.count("facc_copy", IOp::CopyF64_a) == 1);
  CHECK(f.count("facc_copy", IOp::F64Mul_aa) == 1);
  CHECK(*f.inst->call<float>("facc_copy_f32", 5.0f, 2.0f) == 9.0f);
  CHECK(f.count("facc_copy_f32", IOp::CopyF32_a) == 1);
  CHECK(f.count("facc_copy_f32", IOp::F32Mul_aa) == 1);  // y, the copy's destination, from it
  // Operators with a memory operand leave their result there too.
  f.inst->memory("memory")->store<double>(800, 5.5);
  CHECK(*f.inst->call<double>("facc_mem", 800, 2.0) == 12.25);
  CHECK(f.count("facc_mem", IOp::F64Sub_ms) == 1);
  CHECK(f.count("facc_mem", IOp::F64Mul_aa) == 1);
  f.inst->memory("memory")->store<float>(804, 1.5f);
  CHECK(*f.inst->call<float>("facc_mem_f32", 800, 3.0f) == 9.0f);
  CHECK(f.count("facc_mem_f32", IOp::F32Mul_sm) == 1);
  CHECK(f.count("facc_mem_f32", IOp::F32Add_aa) == 1);
  auto r = f.inst->call<double>("facc_mem", 65536 - 4, 2.0);  // the load's trap, as before
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("the integer accumulator: the second operand of sub and the shifts read from it") {
  using detail::IOp;
  Fusion f;
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax = std::numeric_limits<int32_t>::max();
  // x - (y ^ 5): the order matters (the register is the subtrahend), and it wraps.
  CHECK(*f.inst->call<int32_t>("acc_sub_by_value", 100, 1) == 96);  // 100 - 4
  CHECK(*f.inst->call<int32_t>("acc_sub_by_value", 0, 5) == 0);
  CHECK(*f.inst->call<int32_t>("acc_sub_by_value", kMin, 4) == kMax);      // kMin - 1
  CHECK(*f.inst->call<int32_t>("acc_sub_by_value", 0, kMin ^ 5) == kMin);  // 0 - kMin
  CHECK(f.count("acc_sub_by_value", IOp::I32Sub_sa) == 1);
  CHECK(f.count_exact("acc_sub_by_value", IOp::I32Xor_si_noslot) == 1);  // read only from there
  // Shift counts are taken mod 32 (n ^ 1 is 32 for n = 33, 0x7ffffffe for kMax).
  CHECK(*f.inst->call<int32_t>("acc_shl_second", 3, 3) == 12);       // 3 << 2
  CHECK(*f.inst->call<int32_t>("acc_shl_second", 3, 33) == 3);       // << 32 is << 0
  CHECK(*f.inst->call<int32_t>("acc_shl_second", 1, 30) == kMin);    // << 31
  CHECK(*f.inst->call<int32_t>("acc_shl_second", 6, kMax) == kMin);  // << 0x7ffffffe: << 30
  CHECK(f.count("acc_shl_second", IOp::I32Shl_sa) == 1);
  CHECK(*f.inst->call<int32_t>("acc_shr_s_second", kMin, 30) == -1);    // >> 31, signed
  CHECK(*f.inst->call<int32_t>("acc_shr_s_second", kMin, 33) == kMin);  // >> 32 is >> 0
  CHECK(*f.inst->call<int32_t>("acc_shr_s_second", -64, 5) == -4);      // >> 4
  CHECK(f.count("acc_shr_s_second", IOp::I32ShrS_sa) == 1);
  CHECK(*f.inst->call<int32_t>("acc_shr_u_second", kMin, 30) == 1);  // >> 31, unsigned
  CHECK(*f.inst->call<int32_t>("acc_shr_u_second", -1, 33) == -1);   // >> 32 is >> 0
  CHECK(*f.inst->call<int32_t>("acc_shr_u_second", -64, 5) == 0x0FFFFFFC);
  CHECK(f.count("acc_shr_u_second", IOp::I32ShrU_sa) == 1);
  // A constant first operand: 10 - (y ^ 5) and 1 << (n ^ 1).
  CHECK(*f.inst->call<int32_t>("acc_sub_const_first", 1) == 6);
  CHECK(*f.inst->call<int32_t>("acc_sub_const_first", 15) == 0);
  CHECK(*f.inst->call<int32_t>("acc_sub_const_first", kMin ^ 5) == kMin + 10);  // wraps
  CHECK(f.count("acc_sub_const_first", IOp::I32Sub_ia) == 1);
  CHECK(*f.inst->call<int32_t>("acc_shl_const_first", 2) == 8);      // 1 << 3
  CHECK(*f.inst->call<int32_t>("acc_shl_const_first", 30) == kMin);  // 1 << 31
  CHECK(*f.inst->call<int32_t>("acc_shl_const_first", 33) == 1);     // 1 << 32 is 1 << 0
  CHECK(f.count("acc_shl_const_first", IOp::I32Shl_ia) == 1);
}

TEST_CASE("the float accumulator: second operands, multiply-adds, stores, and loads") {
  using detail::IOp;
  Fusion f;
  // 2 - 1 / (c / (c - a * b)): the order of each sub and div matters.
  CHECK(*f.inst->call<double>("facc_second", 2.0, 3.0, 8.0) == 1.75);  // 2 - 1 / (8 / 2)
  CHECK(*f.inst->call<double>("facc_second", 2.0, 4.0, 8.0) == 2.0);   // 2 - 1 / (8 / 0)
  for (IOp o : {IOp::F64Sub_sa, IOp::F64Div_sa, IOp::F64Div_ia, IOp::F64Sub_ia})
    CHECK(f.count("facc_second", o) == 1);
  CHECK(*f.inst->call<float>("facc_second_f32", 2.0f, 3.0f, 8.0f) == 1.75f);
  for (IOp o : {IOp::F32Sub_sa, IOp::F32Div_sa, IOp::F32Div_ia, IOp::F32Sub_ia})
    CHECK(f.count("facc_second_f32", o) == 1);
  CHECK(*f.inst->call<double>("facc_muladd", 2.0, 3.0, 4.0, 5.0) == 49.0);  // 24 + 5 + 20
  CHECK(f.count("facc_muladd", IOp::F64MulAdd_a) == 1);
  CHECK(f.count("facc_muladd", IOp::F64MulAdd_za) == 1);
  auto mem = f.inst->memory("memory");
  mem->store<uint32_t>(800, 880);
  CHECK(*f.inst->call<double>("facc_store", 800, 4, 2.0, 3.0) == 16.0);  // 6 + 5 + -1 + 6
  CHECK(mem->load<double>(808) == 6.0);
  CHECK(mem->load<double>(832) == 5.0);
  CHECK(mem->load<double>(880) == -1.0);
  CHECK(mem->load<float>(804) == 6.0f);
  for (IOp o : {IOp::F64Store_addv, IOp::F64Store_idxv, IOp::F64Store_v, IOp::F32Store_v})
    CHECK(f.count("facc_store", o) == 1);
  mem->store<uint32_t>(800, 65536 - 4);  // the plain store's trap, as before
  auto r = f.inst->call<double>("facc_store", 800, 4, 2.0, 3.0);
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  mem->store<double>(900, 8.0);
  mem->store<double>(908, 2.0);
  mem->store<double>(916, 20.0);
  CHECK(*f.inst->call<double>("facc_load", 900, 5.0) == 30.25);  // 20 - 6 + 16 + 5 / 20
  for (IOp o : {IOp::F64Sub_sm_a, IOp::F64Sub_ms_a, IOp::F64Mul_sm_a, IOp::F64Div_sa})
    CHECK(f.count("facc_load", o) == 1);
  r = f.inst->call<double>("facc_load", 65536 - 12, 5.0);  // [p + 8]: the fused load's trap
  CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  mem->store<float>(920, 1.5f);
  mem->store<float>(924, 2.25f);
  CHECK(*f.inst->call<float>("facc_load_f32", 920) == 3.75f);
  CHECK(f.count("facc_load_f32", IOp::F32Add_sm_a) == 1);
}

TEST_CASE("the eqz of a float compare fuses into its branch, taken the other way") {
  using detail::IOp;
  Fusion f;
  CHECK(*f.inst->call<int32_t>("fcmp_eqz", 1.0, 2.0) == 11);
  CHECK(*f.inst->call<int32_t>("fcmp_eqz", 2.0, 2.0) == 0);
  CHECK(*f.inst->call<int32_t>("fcmp_eqz", std::nan(""), 2.0) == 10);
  CHECK(*f.inst->call<int32_t>("fcmp_eqz", 1.0, std::nan("")) == 10);
  CHECK(f.count("fcmp_eqz", IOp::BrNotF64Lt_ss) == 1);
  CHECK(f.count("fcmp_eqz", IOp::BrF64Ge_ss) == 1);
  CHECK(f.count("fcmp_eqz", IOp::I32Eqz) == 0);
  CHECK(f.count("fcmp_eqz", IOp::F64Lt_ss) + f.count("fcmp_eqz", IOp::F64Ge_ss) == 0);
}

TEST_CASE("call_indirect reads an index just loaded from the integer accumulator") {
  using detail::IOp;
  Fusion f;
  auto mem = f.inst->memory("memory");
  mem->store<uint32_t>(960, 0);                                       // sub2
  mem->store<uint32_t>(964, 1);                                       // seven
  CHECK(*f.inst->call<int32_t>("vtable_calls", 960, 10) == 7 + 700);  // (10 - 3) + 7 * 100
  mem->store<uint32_t>(964, 0);
  CHECK(*f.inst->call<int32_t>("vtable_calls", 960, 10) == 7);  // 7 + (10 - 10) * 100
  CHECK(f.count("vtable_calls", IOp::CallIndirect_a) == 1);     // the constant 3: the general form
  CHECK(f.count("vtable_calls", IOp::CallIndirectShort_a) == 1);
  mem->store<uint32_t>(960, 2);  // past the table's end: the call's trap, as before
  auto r = f.inst->call<int32_t>("vtable_calls", 960, 10);
  CHECK(test::trap_of(r).kind == TrapKind::UndefinedElement);
  mem->store<uint32_t>(960, 0);
  mem->store<uint32_t>(964, 5);
  r = f.inst->call<int32_t>("vtable_calls", 960, 10);
  CHECK(test::trap_of(r).kind == TrapKind::UndefinedElement);
}
