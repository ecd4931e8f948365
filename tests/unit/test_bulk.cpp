// memory.copy and memory.fill (execute/bulk_small.h: memory 0 in bounds in place, up to 64 bytes
// inline): every small size, overlapping copies both ways, and the traps, which name the
// instruction and write nothing.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <tuple>
#include <vector>

#include "fusion_module.h"
#include "glint/glint.h"

using namespace glint;

using Fusion = test::FusionModule;

TEST_CASE("memory.copy and memory.fill of every small size, overlapping both ways, and traps") {
  Fusion f;
  auto* mem = f.inst->memory("memory");
  auto pattern = [&](std::vector<uint8_t>& ref) {
    for (uint32_t i = 0; i < ref.size(); i++) {
      ref[i] = uint8_t(i * 37 + 11);
      mem->store<uint8_t>(1000 + i, ref[i]);
    }
  };
  std::vector<uint8_t> ref(400);
  for (int32_t n = 0; n <= 100; n++) {
    for (int32_t delta : {-70, -33, -32, -17, -16, -9, -8, -5, -4, -3, -2, -1, 0,  1,  2,  3,
                          4,   5,   7,   8,   9,   15, 16, 17, 31, 32, 33, 63, 64, 65, 100}) {
      pattern(ref);
      std::memmove(ref.data() + 150 + delta, ref.data() + 150, size_t(n));
      REQUIRE(f.inst->call<void>("copy", 1150 + delta, 1150, n).ok());
      for (uint32_t i = 0; i < ref.size(); i++) REQUIRE(mem->load<uint8_t>(1000 + i) == ref[i]);
    }
    pattern(ref);
    std::memset(ref.data() + 150, 0xA5, size_t(n));
    REQUIRE(f.inst->call<void>("fill", 1150, 0x7A5, n).ok());  // the value's low byte only
    for (uint32_t i = 0; i < ref.size(); i++) REQUIRE(mem->load<uint8_t>(1000 + i) == ref[i]);
  }
  // Up to the end is in bounds, a byte past it traps before anything is written; a length of 0
  // at the end is fine, one past it is not.
  REQUIRE(f.inst->call<void>("copy", 65536 - 8, 0, 8).ok());
  REQUIRE(f.inst->call<void>("fill", 65536 - 8, 1, 8).ok());
  CHECK(f.inst->call<void>("copy", 65536, 0, 0).ok());
  CHECK(f.inst->call<void>("fill", 65536, 0, 0).ok());
  mem->store<uint64_t>(65536 - 8, 0);
  test::Bytes bytes = test::test_wasm_bytes("fusion.wasm");
  for (auto [func, a, b, n] : {std::tuple{"copy", 65536 - 8, 0, 9},
                               {"copy", 0, 65536 - 8, 9},
                               {"copy", 65537, 0, 0},
                               {"copy", 0, 65537, 0},
                               {"copy", 8, 0, -1},
                               {"fill", 65536 - 8, 1, 9},
                               {"fill", 65537, 1, 0},
                               {"fill", 8, 1, -1}}) {
    auto r = f.inst->call<void>(func, a, b, n);
    const Trap& t = test::trap_of(r);
    CHECK(t.kind == TrapKind::MemoryOutOfBounds);
    REQUIRE_FALSE(t.backtrace.empty());
    CHECK(t.backtrace[0].func_name == func);
    REQUIRE(t.backtrace[0].code_offset + 1 < bytes.size());
    CHECK(bytes[t.backtrace[0].code_offset] == 0xFC);  // memory.copy (10), memory.fill (11)
    CHECK(bytes[t.backtrace[0].code_offset + 1] == (std::string(func) == "copy" ? 10 : 11));
    CHECK(mem->load<uint64_t>(65536 - 8) == 0);
  }
}
