// call_indirect while its table changes: a call must read the elements as they are after
// table.grow (which moves them), table.set, a host function or another instance changing the
// table in the middle of a call, and a snapshot restore; and the table 0 of the instance it
// runs in. What an interpreter that kept a table (or its elements) at hand to shorten the
// call's chain of loads would get wrong (runtime/DESIGN.md, "Calls and the VM stack").
#include <doctest/doctest.h>

#include <functional>

#include "glint/glint.h"
#include "glint/snapshot.h"
#include "support.h"

using namespace glint;
using test::trap_of;

namespace {

struct Indirect {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  std::function<void(Caller&, int32_t)> mutate = [](Caller&, int32_t) {};
  Indirect() {
    linker.func("env", "mutate", [this](Caller& c, int32_t i) { mutate(c, i); });
    auto r = linker.instantiate(store, test::load_test_module("indirect.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  int32_t call(int32_t i, int32_t x) {
    auto r = inst->call<int32_t>("call", i, x);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return *r;
  }
  TrapKind trap_calling(int32_t i) {
    auto r = inst->call<int32_t>("call", i, 1);
    return trap_of(r).kind;
  }
  int32_t size() { return *inst->call<int32_t>("size"); }
  Table& table() { return *inst->table("table"); }
  // A second instance, of `file`, whose imports from "a" are this one's exports.
  Instance* instance_importing_this(const char* file) {
    Linker other;
    other.define_instance("a", *inst);
    auto r = other.instantiate(store, test::load_test_module(file));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return *r;
  }
};

}  // namespace

TEST_CASE("call_indirect after table.grow and table.set in the same activation") {
  Indirect t;
  CHECK(t.call(0, 5) == 6);   // plus1
  CHECK(t.call(1, 5) == 10);  // times2
  // plus1(5), then the table grows from 4 to 104 with $square, then table[50](5).
  CHECK(*t.inst->call<int32_t>("call_grow_call", 0, 100, 50, 5) == 6 + 4 * 1000 + 25);
  CHECK(t.size() == 104);
  CHECK(t.call(103, 6) == 36);
  CHECK(t.trap_calling(104) == TrapKind::UndefinedElement);
  // times2(7), then element 1 becomes $minus3, then table[1](7).
  CHECK(*t.inst->call<int32_t>("call_set_call", 1, 7) == 14 * 1000 + 4);
  CHECK(t.call(1, 7) == 4);
  REQUIRE(t.inst->call<void>("set_null", 2).ok());
  CHECK(t.trap_calling(2) == TrapKind::UninitializedElement);
  REQUIRE(t.inst->call<void>("set_nothing", 3).ok());
  CHECK(t.trap_calling(3) == TrapKind::IndirectCallTypeMismatch);
  // The second table is not table 0: other[0] is times2 and table[0] still plus1; other[1]
  // is plus1 and table[1] minus3.
  CHECK(*t.inst->call<int32_t>("call_other", 0, 5) == 10 + 6);
  CHECK(*t.inst->call<int32_t>("call_other", 1, 5) == 6 + 2);
}

TEST_CASE("call_indirect after a host function grew and set the table during the call") {
  Indirect t;
  t.mutate = [&t](Caller&, int32_t i) {
    Table& table = t.table();
    Value times2 = table.get(1);
    REQUIRE(table.grow(1000, 0) == 4);  // null elements; the vector moves
    table.set(uint32_t(i), times2);
  };
  // plus1(5), then element 0 is times2: times2(5).
  CHECK(*t.inst->call<int32_t>("call_mutate_call", 0, 5) == 6 * 1000 + 10);
  CHECK(t.size() == 1004);
  CHECK(t.trap_calling(1003) == TrapKind::UninitializedElement);
  CHECK(t.trap_calling(1004) == TrapKind::UndefinedElement);
}

TEST_CASE("call_indirect through a table another instance grows and sets") {
  Indirect t;
  Instance* user = t.instance_importing_this("indirect_user.wasm");
  // From the host: the other instance grows the table by 500 and sets element 2 to $negate.
  CHECK(*user->call<int32_t>("grow_set_call", 500, 2, 9) == -9);
  CHECK(t.size() == 504);
  CHECK(t.call(2, 9) == -9);
  CHECK(t.call(503, 9) == -9);
  // In the middle of a call of the first instance, through a host function calling the other.
  t.mutate = [user](Caller&, int32_t i) {
    REQUIRE(*user->call<int32_t>("grow_set_call", 2000, i, 1) == -1);
  };
  CHECK(*t.inst->call<int32_t>("call_mutate_call", 0, 5) == 6 * 1000 - 5);
  CHECK(t.size() == 2504);
  CHECK(t.call(2503, 3) == -3);
}

TEST_CASE("call_indirect reads the table 0 of the instance it runs in, across calls and returns") {
  Indirect t;
  Instance* caller = t.instance_importing_this("indirect_caller.wasm");
  // own[0] is plus100, the first instance's table[0] plus1: own, theirs, own again.
  CHECK(*caller->call<int32_t>("mix", 0, 5) == 105 * 1000000 + 6 * 1000 + 105);
  CHECK(*caller->call<int32_t>("mix", 1, 5) == -95 * 1000000 + 10 * 1000 - 95);
}

TEST_CASE("call_indirect after a snapshot restore changed the table back") {
  Indirect t;
  Snapshot before;
  REQUIRE(capture(*t.inst, before).ok());
  CHECK(*t.inst->call<int32_t>("call_grow_call", 0, 100, 60, 3) == 4 + 4 * 1000 + 9);
  CHECK(*t.inst->call<int32_t>("call_set_call", 0, 3) == 4 * 1000 + 0);
  CHECK(t.call(0, 3) == 0);  // minus3
  Snapshot after;
  REQUIRE(capture(*t.inst, after).ok());
  REQUIRE(restore(*t.inst, before).ok());
  CHECK(t.size() == 4);
  CHECK(t.call(0, 3) == 4);  // plus1 again
  CHECK(*t.inst->call<int32_t>("call_n", 1, 3, 10) == 60);
  CHECK(t.trap_calling(60) == TrapKind::UndefinedElement);
  REQUIRE(restore(*t.inst, after).ok());
  CHECK(t.size() == 104);
  CHECK(t.call(60, 3) == 9);  // square
  CHECK(*t.inst->call<int32_t>("call_n", 0, 3, 10) == 0);
}

// call_indirect pushes the callee's frame from its Function's copies of the CompiledFunc's
// counts and entry (runtime/DESIGN.md, "Calls and the VM stack"): wrong copies would leave a
// callee's locals dirty, overwrite its parameters, run another function or miss a full stack.
TEST_CASE("call_indirect enters the callee its Function names, with its frame") {
  Store store;
  Linker linker;
  linker.func("env", "twice", [](int32_t x) { return 2 * x; });
  linker.func("env", "sum6", [](int32_t a, int32_t b, int32_t c, int32_t d, int32_t e, int32_t f) {
    return a + b + c + d + e + f + 1000;
  });
  auto r = linker.instantiate(store, test::load_test_module("indirect_frames.wasm"));
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
  Instance* inst = *r;
  auto dirty_then = [inst](int32_t i) { return inst->call<int32_t>("dirty_then", i); };
  auto unary = [inst](int32_t i, int32_t x) { return inst->call<int32_t>("unary", i, x); };
  auto kind = [](const Result<int32_t>& r) {  // the trap's kind, its message the kind's words
    const Trap& trap = trap_of(r);
    CHECK(trap.message == to_string(trap.kind));
    return trap.kind;
  };
  // Six parameters (two argument chunks) and 20 locals (three zeroing chunks), after a callee
  // that set the same slots to all ones.
  CHECK(*dirty_then(1) == 654321);
  CHECK(*dirty_then(6) == 21);  // f64 locals
  // Host functions in the table: their own arguments, their results.
  CHECK(*dirty_then(3) == 1021);
  CHECK(*unary(2, 21) == 42);
  // The type is checked against the element's function, host or not.
  CHECK(kind(dirty_then(2)) == TrapKind::IndirectCallTypeMismatch);
  CHECK(kind(unary(3, 1)) == TrapKind::IndirectCallTypeMismatch);
  CHECK(kind(unary(1, 1)) == TrapKind::IndirectCallTypeMismatch);
  CHECK(kind(unary(7, 1)) == TrapKind::UninitializedElement);
  CHECK(kind(unary(8, 1)) == TrapKind::UndefinedElement);
  // A trap in a callee entered through the table names it.
  CHECK(*unary(5, 4) == 25);
  auto div = unary(5, 0);
  const Trap& trap = trap_of(div);
  CHECK(trap.kind == TrapKind::IntegerDivideByZero);
  REQUIRE(trap.backtrace.size() >= 2);
  CHECK(trap.backtrace[0].func_name == "div");
  // Recursion through the table: 1000 levels of 41-slot frames fit; without end, the VM stack
  // (8 MiB: about 23k such frames, fewer than the 50k frame limit) is full first.
  CHECK(*inst->call<int64_t>("deep", int64_t(1000)) == 1000);
  auto deep = inst->call<int64_t>("deep", int64_t(1) << 40);
  CHECK(trap_of(deep).kind == TrapKind::StackExhausted);
  CHECK(*inst->call<int64_t>("deep", int64_t(20)) == 20);  // usable after the trap
}
