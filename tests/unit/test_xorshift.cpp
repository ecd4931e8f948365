// Xorshift steps (`x ^= x << k`, `x ^= x >> k`) fused into one instruction each
// (FuncCompiler::fuse_xor_shift): results, both operand orders, the accumulator forms, and the
// shapes that are not steps.
#include <doctest/doctest.h>

#include <cstdint>

#include "fusion_module.h"
#include "glint/glint.h"

using namespace glint;

using Fusion = test::FusionModule;

TEST_CASE("xorshift steps are one instruction each, i32 chained through the accumulator") {
  Fusion f;
  auto xorshift32 = [](uint32_t x, int n) {
    do {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
    } while (--n);
    return x;
  };
  for (uint32_t seed : {1u, 0x3e3e3u, 0xDEADBEEFu, 0x80000000u})
    CHECK(uint32_t(*f.inst->call<int32_t>("xorshift32", int32_t(seed), 100)) ==
          xorshift32(seed, 100));
  uint64_t x = 0x9E3779B97F4A7C15ull;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  CHECK(uint64_t(*f.inst->call<int64_t>("xorshift64", int64_t(0x9E3779B97F4A7C15ull))) == x);
  CHECK(*f.inst->call<int32_t>("xor_shift_other", 0x1234, 0x55) ==
        int32_t(((0x1234 << 3) ^ 0x55) + ((0x1234 >> 3) ^ 0x1234)));
  using detail::IOp;
  CHECK(f.count_exact("xorshift32", IOp::I32XorShl) +
            f.count_exact("xorshift32", IOp::I32XorShl_a) ==
        2);
  CHECK(f.count_exact("xorshift32", IOp::I32XorShrU) +
            f.count_exact("xorshift32", IOp::I32XorShrU_a) ==
        1);
  CHECK(f.count_exact("xorshift32", IOp::I32XorShrU_a) == 1);  // the value of the step before
  CHECK(f.count_exact("xorshift64", IOp::I64XorShl) == 2);
  CHECK(f.count_exact("xorshift64", IOp::I64XorShrU) == 1);
  CHECK(f.count_exact("xor_shift_other", IOp::I32XorShl) == 0);
  CHECK(f.count_exact("xor_shift_other", IOp::I32XorShrU) == 0);
}
