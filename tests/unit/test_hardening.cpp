// Hardening: regressions for undefined behaviour the sanitizer build found, resource limits,
// and a store that stays usable after runaway scripts.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "decode/reader.h"
#include "execute/vm.h"
#include "glint/glint.h"
#include "support.h"

using namespace glint;
using test::Bytes;
using test::trap_of;

// ---- Undefined behaviour found by UBSan ---------------------------------------------------

TEST_CASE("signed LEB128 that fills the top bits sign-extends without overflow") {
  // Nine bytes of s64 end at bit 63: sign-extending set bit 63 by negating INT64_MIN before.
  Bytes nine = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40};
  detail::Reader r9(nine.data(), nine.size());
  CHECK(r9.s64() == -(int64_t(1) << 62));
  CHECK(r9.done());
  Bytes min64 = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F};
  detail::Reader r10(min64.data(), min64.size());
  CHECK(r10.s64() == INT64_MIN);
  Bytes min32 = {0x80, 0x80, 0x80, 0x80, 0x78};
  detail::Reader r5(min32.data(), min32.size());
  CHECK(r5.s32() == INT32_MIN);
  Bytes minus_one = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F};
  detail::Reader rm(minus_one.data(), minus_one.size());
  CHECK(rm.s64() == -1);
  // The checks on the last byte still hold.
  Bytes too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  detail::Reader rl(too_long.data(), too_long.size());
  CHECK_THROWS_AS(rl.s64(), detail::DecodeError);
  Bytes too_large = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x3F};
  detail::Reader rt(too_large.data(), too_large.size());
  CHECK_THROWS_AS(rt.s64(), detail::DecodeError);
}

TEST_CASE("bulk operations of length 0 on a 0-page memory and empty tables") {
  auto m = test::load_test_module("zero_length.wasm");
  Store store;
  auto inst = Linker().instantiate(store, m);
  REQUIRE(inst.ok());
  Instance& i = **inst;
  REQUIRE(i.memory()->size() == 0);
  // In bounds at 0 (the data segment has 3 bytes: 3 is its end), nothing copied.
  CHECK(i.call<void>("memory_init", 0, 0, 0).ok());
  CHECK(i.call<void>("memory_init", 0, 3, 0).ok());
  CHECK(i.call<void>("memory_fill", 0, 0).ok());
  CHECK(i.call<void>("memory_copy", 0, 0, 0).ok());
  CHECK(i.call<void>("table_copy", 0, 0, 0).ok());
  CHECK(i.call<void>("table_init", 0, 0, 0).ok());
  CHECK(i.call<void>("table_fill", 0, 0).ok());
  // Out of bounds with length 0 still traps.
  auto r = i.call<void>("memory_init", 1, 0, 0);
  CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  r = i.call<void>("memory_init", 0, 4, 0);
  CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  r = i.call<void>("memory_fill", 1, 0);
  CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  r = i.call<void>("memory_copy", 0, 1, 0);
  CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  r = i.call<void>("table_copy", 1, 0, 0);
  CHECK(trap_of(r).kind == TrapKind::TableOutOfBounds);
  r = i.call<void>("table_init", 0, 1, 0);
  CHECK(trap_of(r).kind == TrapKind::TableOutOfBounds);
  r = i.call<void>("table_fill", 1, 0);
  CHECK(trap_of(r).kind == TrapKind::TableOutOfBounds);
}

// ---- Resource limits ----------------------------------------------------------------------

namespace {

Linker limits_linker(Function** spin_target = nullptr) {
  Linker linker;
  linker.func("env", "call_back", [spin_target](Caller& c) {
    Function* spin = c.instance()->func("spin");
    auto r = c.store().call(spin, {});
    if (spin_target) *spin_target = spin;
    if (!r) c.trap("call_back: " + r.error().message);
  });
  return linker;
}

StoreConfig with(ResourceLimits limits) {
  StoreConfig c;
  c.limits = limits;
  return c;
}

void check_limit_error(const Error& e, const char* limit) {
  CHECK(e.kind == ErrorKind::Limit);
  CHECK_MESSAGE(e.message.find(limit) != std::string::npos, e.to_string());
}

// limits.wasm instantiated in a store of its own.
struct LimitsInstance {
  explicit LimitsInstance(StoreConfig config = {}) : store(config) {
    auto r = limits_linker().instantiate(store, test::load_test_module("limits.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  template <class R, class... A>
  Result<R> call(const char* name, A... args) {
    return inst->call<R>(name, args...);
  }
  Store store;
  Instance* inst = nullptr;
};

}  // namespace

TEST_CASE("limits: module size, functions and locals per function, at load") {
  Bytes bytes = test::test_wasm_bytes("limits.wasm");
  CHECK(Module::load(bytes).ok());
  ResourceLimits small;
  small.max_module_bytes = 16;
  auto m = Module::load(bytes, small);
  REQUIRE_FALSE(m.ok());
  check_limit_error(m.error(), "max_module_bytes = 16");

  ResourceLimits few;
  few.max_functions = 3;  // 1 import + 8 defined
  m = Module::load(bytes, few);
  REQUIRE_FALSE(m.ok());
  check_limit_error(m.error(), "functions: 9, over the limit max_functions = 3");

  ResourceLimits narrow;
  narrow.max_locals = 8;  // recurse has 17
  m = Module::load(bytes, narrow);
  REQUIRE_FALSE(m.ok());
  check_limit_error(m.error(), "over the limit max_locals = 8");
  CHECK(m.error().offset.has_value());
}

TEST_CASE("limits: a module over a store's limits fails to instantiate, naming the limit") {
  auto m = test::load_test_module("limits.wasm");
  struct Case {
    const char* limit;
    ResourceLimits limits;
  };
  ResourceLimits pages, tables, functions, locals;
  pages.max_memory_pages = 1;
  tables.max_table_elements = 2;
  functions.max_functions = 8;
  locals.max_locals = 16;
  for (const Case& c : {Case{"max_memory_pages = 1", pages}, Case{"max_table_elements = 2", tables},
                        Case{"max_functions = 8", functions}, Case{"max_locals = 16", locals}}) {
    CAPTURE(c.limit);
    Store store(with(c.limits));
    auto inst = limits_linker().instantiate(store, m);
    REQUIRE_FALSE(inst.ok());
    check_limit_error(inst.error(), c.limit);
    CHECK(store.memory_pages() == 0);  // nothing was made
  }
}

TEST_CASE("limits: memory.grow past the per-memory limit returns -1") {
  ResourceLimits l;
  l.max_memory_pages = 4;
  LimitsInstance i(with(l));
  CHECK(*i.call<int32_t>("grow", 2) == 2);
  CHECK(*i.call<int32_t>("grow", 1) == -1);
  CHECK(*i.call<int32_t>("size") == 4);
  CHECK(*i.call<int32_t>("grow", 0) == 4);
  CHECK(i.store.memory_pages() == 4);
}

TEST_CASE("limits: the memory pages of a whole store") {
  auto m = test::load_test_module("limits.wasm");
  ResourceLimits l;
  l.max_store_memory_pages = 5;
  Store store(with(l));
  auto a = limits_linker().instantiate(store, m);
  auto b = limits_linker().instantiate(store, m);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(store.memory_pages() == 4);
  auto c = limits_linker().instantiate(store, m);
  REQUIRE_FALSE(c.ok());
  check_limit_error(c.error(),
                    "memory pages in this store, with this module's: 6, over the limit "
                    "max_store_memory_pages = 5");
  CHECK(*(*a)->call<int32_t>("grow", 1) == 2);   // 5 pages in the store
  CHECK(*(*b)->call<int32_t>("grow", 1) == -1);  // a sixth would be over
  CHECK(store.memory_pages() == 5);
  // Host-made memories count too.
  Memory* host = store.new_memory(MemoryType{Limits{0, 10}});
  CHECK(host->grow(1) == -1);
}

TEST_CASE("limits: table.grow past the limit returns -1") {
  ResourceLimits l;
  l.max_table_elements = 10;
  LimitsInstance i(with(l));
  CHECK(*i.call<int32_t>("table_grow", 7) == 3);
  CHECK(*i.call<int32_t>("table_grow", 1) == -1);
  CHECK(i.inst->table("table")->size() == 10);
}

TEST_CASE("limits: instances per store") {
  auto m = test::load_test_module("limits.wasm");
  ResourceLimits l;
  l.max_instances = 2;
  Store store(with(l));
  CHECK(limits_linker().instantiate(store, m).ok());
  CHECK(limits_linker().instantiate(store, m).ok());
  auto third = limits_linker().instantiate(store, m);
  REQUIRE_FALSE(third.ok());
  check_limit_error(third.error(),
                    "instances in this store, with this one: 3, over the limit "
                    "max_instances = 2");
  CHECK(store.instance_count() == 2);
}

TEST_CASE("limits: a failed instantiation does not count toward max_instances") {
  ResourceLimits l;
  l.max_instances = 1;
  Store store(with(l));
  auto m = test::load_test_module("limits.wasm");
  for (int round = 0; round < 5; round++) {
    auto unlinked = Linker().instantiate(store, m);  // env.call_back is missing
    REQUIRE_FALSE(unlinked.ok());
    CHECK(unlinked.error().kind == ErrorKind::Link);
    CHECK(store.memory_pages() == 0);  // what it made is gone
  }
  auto trapping = test::load_test_module("start_trap.wasm");
  for (int round = 0; round < 5; round++) {
    auto trapped = Linker().instantiate(store, trapping);
    CHECK(trap_of(trapped).kind == TrapKind::Unreachable);
  }
  CHECK(store.memory_pages() == 5);  // a trap after the objects were made keeps them (spec)
  CHECK(store.instance_count() == 0);
  CHECK(limits_linker().instantiate(store, m).ok());
  CHECK(store.instance_count() == 1);
  auto second = limits_linker().instantiate(store, m);
  REQUIRE_FALSE(second.ok());
  check_limit_error(second.error(), "max_instances = 1");
}

TEST_CASE("limits: VM stack bytes and call depth") {
  StoreConfig small;
  small.stack_bytes = 64 << 10;  // 8,192 slots: about 400 frames of `recurse`
  LimitsInstance i(small);
  CHECK(*i.call<int32_t>("recurse", 100) == 100);
  auto deep = i.call<int32_t>("recurse", 1000);
  CHECK(trap_of(deep).kind == TrapKind::StackExhausted);
  CHECK(*i.call<int32_t>("recurse", 100) == 100);  // and the store goes on

  StoreConfig shallow;
  shallow.max_call_depth = 50;
  LimitsInstance i2(shallow);
  CHECK(*i2.call<int32_t>("recurse", 40) == 40);
  auto too_deep = i2.call<int32_t>("recurse", 60);
  CHECK(trap_of(too_deep).kind == TrapKind::StackExhausted);
}

// ---- Runaway scripts leave the store reusable ---------------------------------------------

TEST_CASE("a runaway script stopped by fuel or interrupt, many times: the next call works") {
  LimitsInstance limited;
  Store& store = limited.store;
  Instance& i = *limited.inst;
  const detail::Vm& vm = store.vm();
  const uint64_t* empty_stack = vm.stack_top;
  const detail::Frame* no_frame = vm.frame;
  for (int round = 0; round < 300; round++) {
    CAPTURE(round);
    store.set_fuel(2000 + uint64_t(round));
    const char* which = round % 3 == 0   ? "spin"
                        : round % 3 == 1 ? "spin_deep"
                                         : "spin_through_host";
    auto r = round % 3 == 1 ? i.call<void>(which, 100) : i.call<void>(which);
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.error().trap);
    if (round % 3 == 2) {  // the host's call back ran out, and the host passed the trap on
      CHECK(r.error().trap->kind == TrapKind::Host);
      CHECK(r.error().message.find("out of fuel") != std::string::npos);
    } else {
      CHECK(r.error().trap->kind == TrapKind::OutOfFuel);
    }
    CHECK(vm.stack_top == empty_stack);  // nothing left on the VM stack
    CHECK(vm.frame == no_frame);
    store.set_fuel(1000);
    CHECK(*i.call<int32_t>("many_locals") == 7);
    CHECK(*i.call<int32_t>("recurse", 50) == 50);
  }
  store.clear_fuel();
  for (int round = 0; round < 30; round++) {
    CAPTURE(round);
    std::atomic<bool> stop{false};
    std::thread interrupter([&] {
      while (!stop.load()) {
        store.interrupt();
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    auto r = round % 2 ? i.call<void>("spin_deep", 100) : i.call<void>("spin");
    stop = true;
    interrupter.join();
    CHECK(trap_of(r).kind == TrapKind::Interrupted);
    CHECK(vm.stack_top == empty_stack);
    CHECK(vm.frame == no_frame);
    (void)i.call<int32_t>("size");  // may see the interrupt that came after the trap...
    CHECK(*i.call<int32_t>("many_locals") == 7);  // ...this one then runs
  }
}

// ---- Found by differential testing (tests/fuzz/diff.py) ------------------------------------

TEST_CASE("byte and half loads under operators without a memory-operand form") {
  auto m = test::load_test_module("narrow_operands.wasm");
  Store store;
  auto inst = Linker().instantiate(store, m);
  REQUIRE(inst.ok());
  Instance& i = **inst;
  CHECK(*i.call<int32_t>("shl8", 1, 0) == 8);    // 1 << 3
  CHECK(*i.call<int32_t>("div16", 21, 2) == 3);  // 21 / 7
  CHECK(*i.call<int32_t>("rem8", 20, 2) == 6);   // 20 % 7
  CHECK(*i.call<int32_t>("rotl16", 1, 0) == 8);  // rotl(1, 3)
  for (const char* f : {"shl8", "div16", "rem8", "rotl16"}) {
    CAPTURE(f);
    auto r = i.call<int32_t>(f, 5, 70000);
    CHECK(trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  }
  auto r = i.call<int32_t>("div16", 5, 1);  // the half at 1 is 0x0700: 5 / 1792 = 0
  CHECK(*r == 0);
  r = i.call<int32_t>("rem8", 5, 1);  // the byte at 1 is 0
  CHECK(trap_of(r).kind == TrapKind::IntegerDivideByZero);
}
