// The embedding API end to end: load, link host functions, typed calls, traps as values,
// fuel, interrupts, stack exhaustion and memory views.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "glint/glint.h"
#include "support.h"

using namespace glint;
using test::load_test_module;
using test::trap_of;

struct Basics {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  int poked = 0;
  Basics() {
    linker.func("env", "twice", [](int32_t x) { return 2 * x; });
    linker.func("env", "poke", [this](Caller& c, int32_t ptr, int32_t len) {
      c.memory().span(uint32_t(ptr), uint32_t(len))[0] = 1;
      poked++;
    });
    auto r = linker.instantiate(store, load_test_module("basics.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
};

TEST_CASE("typed calls into wasm") {
  Basics b;
  CHECK(*b.inst->call<int32_t>("add", 40, 2) == 42);
  CHECK(*b.inst->call<int32_t>("add", -1, 1) == 0);
  auto fib = b.inst->typed<int32_t(int32_t)>("fib");
  REQUIRE(fib.ok());
  CHECK(*(*fib)(20) == 6765);
  CHECK(*b.inst->call<int64_t>("sum_to", int64_t(100000)) == int64_t(5000050000));
  auto swapped = b.inst->call<std::tuple<double, int32_t>>("swap", 7, 2.5);
  REQUIRE(swapped.ok());
  CHECK(std::get<0>(*swapped) == 2.5);
  CHECK(std::get<1>(*swapped) == 7);
}

TEST_CASE("wrong signatures and names are usage errors") {
  Basics b;
  auto r = b.inst->call<int64_t>("add", 1, 2);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Usage);
  CHECK(r.error().message.find("(i32, i32) -> (i32)") != std::string::npos);
  CHECK_FALSE(b.inst->call<void>("no_such_export").ok());
}

TEST_CASE("host functions are called with deduced signatures") {
  Basics b;
  CHECK(*b.inst->call<int32_t>("call_twice", 21) == 42);
}

TEST_CASE("traps are values with a named backtrace") {
  Basics b;
  auto r = b.inst->call<int32_t>("outer", 0);
  const Trap& t = trap_of(r);
  CHECK(t.kind == TrapKind::IntegerDivideByZero);
  REQUIRE(t.backtrace.size() == 2);
  CHECK(t.backtrace[0].func_name == "divide");
  CHECK(t.backtrace[1].func_name == "outer");
  CHECK(t.backtrace[0].code_offset > 0);
  // The store keeps working after a trap.
  CHECK(*b.inst->call<int32_t>("add", 1, 2) == 3);
}

TEST_CASE("a call whose arguments are computed in place reports the call in backtraces") {
  Basics b;
  CHECK(*b.inst->call<int32_t>("outer_computed", 3) == 2);  // (3 + 1) / (3 - 1)
  auto r = b.inst->call<int32_t>("outer_computed", 1);      // 2 / 0
  const Trap& t = trap_of(r);
  CHECK(t.kind == TrapKind::IntegerDivideByZero);
  REQUIRE(t.backtrace.size() == 2);
  CHECK(t.backtrace[1].func_name == "outer_computed");
  // local.get, i32.const, i32.add, local.get, i32.const, i32.sub: the call is 10 bytes in.
  auto start = function_code_offset(b.inst->module(), "outer_computed");
  REQUIRE(start.ok());
  CHECK(t.backtrace[1].code_offset == *start + 10);
}

TEST_CASE("deep recursion exhausts the VM stack, not the C stack") {
  Basics b;
  auto r = b.inst->call<int32_t>("recurse", 0);
  CHECK(trap_of(r).kind == TrapKind::StackExhausted);
  CHECK(*b.inst->call<int32_t>("fib", 10) == 55);
}

TEST_CASE("fuel stops a runaway loop") {
  Basics b;
  b.store.set_fuel(10000);
  auto r = b.inst->call<void>("spin");
  CHECK(trap_of(r).kind == TrapKind::OutOfFuel);
  CHECK(*b.store.fuel() == 0);
  b.store.set_fuel(1000);
  CHECK(*b.inst->call<int32_t>("add", 2, 2) == 4);
  CHECK(*b.store.fuel() < 1000);
  b.store.clear_fuel();
  CHECK(*b.inst->call<int32_t>("fib", 15) == 610);
}

// The interpreter hands fuel to its loops in slices (see take_budget in interpreter.cpp); the
// count a script sees must still be exact, across slice boundaries and at the last unit.
TEST_CASE("fuel is counted exactly, one per function entry and loop iteration") {
  Basics b;
  auto consumed = [&](int64_t n) {
    b.store.set_fuel(1'000'000);
    CHECK(*b.inst->call<int64_t>("sum_to", n) == n * (n + 1) / 2);
    return 1'000'000 - int64_t(*b.store.fuel());
  };
  int64_t base = consumed(0);
  CHECK(base >= 1);
  for (int64_t n : {1, 1000, 1023, 1024, 1025, 5000, 70000}) CHECK(consumed(n) == base + n);
  // Exactly enough fuel finishes with none left; one unit less traps.
  for (int64_t n : {10, 3000}) {
    b.store.set_fuel(uint64_t(base + n));
    CHECK(*b.inst->call<int64_t>("sum_to", n) == n * (n + 1) / 2);
    CHECK(*b.store.fuel() == 0);
    b.store.set_fuel(uint64_t(base + n - 1));
    auto r = b.inst->call<int64_t>("sum_to", n);
    CHECK(trap_of(r).kind == TrapKind::OutOfFuel);
    CHECK(*b.store.fuel() == 0);
  }
  // Host calls in the loop: the slice goes back to the store around each one.
  auto consumed_calling = [&](int32_t n) {
    b.store.set_fuel(1'000'000);
    CHECK(*b.inst->call<int32_t>("twice_n_times", n) == n * (n + 1));
    return 1'000'000 - int64_t(*b.store.fuel());
  };
  int64_t calling_base = consumed_calling(0);
  int64_t per_iteration = consumed_calling(1) - calling_base;
  CHECK(per_iteration >= 1);
  CHECK(consumed_calling(1500) == calling_base + 1500 * per_iteration);
  b.store.clear_fuel();
}

TEST_CASE("another thread can interrupt a running script") {
  Basics b;
  std::thread watchdog([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    b.store.interrupt();
  });
  auto r = b.inst->call<void>("spin");
  watchdog.join();
  CHECK(trap_of(r).kind == TrapKind::Interrupted);
  CHECK(*b.inst->call<int32_t>("add", 1, 1) == 2);
}

TEST_CASE("memory views are bounds-checked for the host") {
  Basics b;
  Memory* mem = b.inst->memory("memory");
  REQUIRE(mem);
  mem->store<int32_t>(64, 1234);
  CHECK(*b.inst->call<int32_t>("load", 64) == 1234);
  REQUIRE(b.inst->call<void>("store", 128, -5).ok());
  CHECK(mem->load<int32_t>(128) == -5);
  CHECK_THROWS_AS(mem->span(65530, 10), TrapError);
  auto r = b.inst->call<void>("poke_bad");
  CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  CHECK(trap_of(r).message.find("2147483647") != std::string::npos);
  CHECK(b.poked == 0);
  auto oob = b.inst->call<int32_t>("load", 65535);
  CHECK(trap_of(oob).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("memory.grow keeps host pointers valid") {
  Basics b;
  Memory* mem = b.inst->memory();
  uint8_t* before = mem->data();
  CHECK(*b.inst->call<int32_t>("grow", 3) == 1);
  CHECK(mem->pages() == 4);
  CHECK(mem->data() == before);
  REQUIRE(b.inst->call<void>("store", 4 * 65536 - 4, 9).ok());
  CHECK(*b.inst->call<int32_t>("grow", 70000) == -1);
}

TEST_CASE("globals are shared with the host") {
  Basics b;
  REQUIRE(b.inst->call<void>("bump").ok());
  REQUIRE(b.inst->call<void>("bump").ok());
  CHECK(b.inst->global("counter")->get().as_i32() == 2);
}

TEST_CASE("link errors name the import and both types") {
  Store store;
  Linker linker;
  linker.func("env", "twice", [](int64_t x) { return x; });
  auto r = linker.instantiate(store, load_test_module("basics.wasm"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Link);
  CHECK(r.error().message.find("env.twice") != std::string::npos);
  CHECK(r.error().message.find("(i32) -> (i32)") != std::string::npos);
  CHECK(r.error().message.find("(i64) -> (i64)") != std::string::npos);
}

TEST_CASE("malformed bytes are an error with an offset, never a crash") {
  const uint8_t junk[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01};
  auto r = Module::load(junk);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Malformed);
  CHECK(r.error().offset.has_value());
  const uint8_t not_wasm[] = {'h', 'e', 'l', 'l', 'o'};
  CHECK_FALSE(Module::load(not_wasm).ok());
}

TEST_CASE("instances of one module are independent") {
  Basics a, b;
  REQUIRE(a.inst->call<void>("bump").ok());
  CHECK(a.inst->global("counter")->get().as_i32() == 1);
  CHECK(b.inst->global("counter")->get().as_i32() == 0);
}

TEST_CASE("one linker instantiating into stores made one after another") {
  // Host functions become one Function per store; a store allocated where a destroyed one was
  // must not see the old store's (freed) Function.
  Linker linker;
  linker.func("env", "twice", [](int32_t x) { return 2 * x; });
  linker.func("env", "poke", [](Caller&, int32_t, int32_t) {});
  auto module = load_test_module("basics.wasm");
  for (int i = 0; i < 50; i++) {
    auto store = std::make_unique<Store>();
    auto inst = linker.instantiate(*store, module);
    REQUIRE_MESSAGE(inst.ok(), (inst.ok() ? "" : inst.error().to_string()));
    CHECK(*(*inst)->call<int32_t>("call_twice", i) == 2 * i);
  }
}
