// The WebAssembly 3.0 proposals that C and Rust compilers emit, beyond what the spec suite's
// proposal scripts check: tail calls in constant VM stack, to wasm and to the host.
#include <doctest/doctest.h>

#include <cstring>

#include "glint/glint.h"
#include "support.h"

using namespace glint;

namespace {
struct TailCalls {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  explicit TailCalls(StoreConfig config = {}) : store(config) {
    linker.func("env", "triple", [](int32_t x) { return 3 * x; });
    auto r = linker.instantiate(store, test::load_test_module("tail_calls.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
};
}  // namespace

TEST_CASE("a loop of tail calls runs in constant VM stack") {
  StoreConfig small;
  small.max_call_depth = 64;  // plain calls 1,000,000 deep exhaust it at once
  TailCalls t(small);
  CHECK(*t.inst->call<int32_t>("even", 1000000) == 1);
  CHECK(*t.inst->call<int32_t>("odd", 1000001) == 1);
  CHECK(*t.inst->call<int32_t>("even_indirect", 999999) == 0);
  auto deep = t.inst->call<int32_t>("even_deep", 1000);
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().trap->kind == TrapKind::StackExhausted);
  CHECK(*t.inst->call<int32_t>("even_deep", 10) == 1);  // within the depth it works
}

TEST_CASE("tail calls to host functions return the host's result") {
  TailCalls t;
  CHECK(*t.inst->call<int32_t>("host_direct", 4) == 15);
  CHECK(*t.inst->call<int32_t>("host_indirect", 7) == 21);
}

TEST_CASE("tail calls pass v128 and scalar arguments, and check fuel") {
  TailCalls t;
  int32_t lanes[4] = {1, 2, 3, 4};
  uint8_t bytes[16];
  std::memcpy(bytes, lanes, 16);
  auto r = t.inst->invoke(
      "lanes", std::vector<Value>{Value::v128(bytes), Value::i32(3), Value::i32(100000)});
  REQUIRE(r.ok());
  CHECK((*r)[0].as_i32() == (1 + 100000) * 3 + (4 + 100000) * 3);
  t.store.set_fuel(1000);  // each tail call is a function entry: it counts
  auto out = t.inst->call<int32_t>("even", 1000000);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().trap->kind == TrapKind::OutOfFuel);
}
