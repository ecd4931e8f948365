// Host calls in each argument form the translator picks (compile/translate_control.cpp,
// FuncCompiler::call): arguments computed in place (CallImportInPlace: no copies), read from
// locals (CallImportShort), more than one chunk of them (CallImport's list); their results, and
// a host trap in the middle of a loop of them.
#include <doctest/doctest.h>

#include <string>

#include "glint/glint.h"
#include "handler_count.h"
#include "support.h"

using namespace glint;
using test::trap_of;

namespace {

struct HostCalls {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  int ticks = 0, steps = 0, trap_at_step = 0;
  HostCalls() {
    linker.func("env", "step", [this](Caller& c, uint32_t x) -> uint32_t {
      if (++steps == trap_at_step) c.trap("step " + std::to_string(steps) + " traps");
      return x * 3 + 1;
    });
    linker.func("env", "sum5", [](int32_t a, int32_t b, int32_t c, int32_t d, int32_t e) {
      return a + 10 * b + 100 * c + 1000 * d + 10000 * e;
    });
    linker.func("env", "tick", [this] { return ++ticks; });
    auto r = linker.instantiate(store, test::load_test_module("host_calls.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  // How many of the exported function's internal instructions run `op`'s handler.
  size_t count(const char* func, detail::IOp op) const {
    return test::count_handlers(inst->module(), func, op);
  }
};

uint32_t host_loop(uint32_t n) {
  uint32_t acc = 1;
  for (uint32_t i = 0; i < n; i++) acc = (acc ^ i) * 3 + 1;
  return acc;
}

}  // namespace

TEST_CASE("host calls with their arguments in place, from locals and in a list") {
  HostCalls h;
  CHECK(h.count("loop", detail::IOp::CallImportInPlace) == 1);
  CHECK(h.count("step_local", detail::IOp::CallImportShort) == 1);
  CHECK(h.count("sum5_in_place", detail::IOp::CallImportInPlace) == 1);
  CHECK(h.count("sum5_locals", detail::IOp::CallImport) == 1);
  CHECK(h.count("tick_twice", detail::IOp::CallImportInPlace) == 2);
  // acc = step(...): the copy reads the host's result from the integer accumulator, which the
  // host call sets from the result slot (a stale register would give the xor).
  CHECK(h.count("loop", detail::IOp::CopyI32_a) == 1);
  CHECK(*h.inst->call<uint32_t>("loop", 500u) == host_loop(500));
  CHECK(*h.inst->call<uint32_t>("step_local", 7u) == 22);
  CHECK(*h.inst->call<int32_t>("sum5_in_place", 0, 1, 2, 3, 4) == 54321);
  CHECK(*h.inst->call<int32_t>("sum5_locals", 1, 2, 3, 4, 5) == 54321);
  CHECK(*h.inst->call<int32_t>("tick_twice") == 100 - 2);
  CHECK(h.ticks == 2);
}

TEST_CASE("a host trap in a loop of in-place host calls") {
  HostCalls h;
  h.trap_at_step = 777;
  auto r = h.inst->call<uint32_t>("loop", 2000u);
  const Trap& t = trap_of(r);
  CHECK(t.kind == TrapKind::Host);
  CHECK(t.message.find("step 777 traps") != std::string::npos);
  REQUIRE(!t.backtrace.empty());
  CHECK(t.backtrace.back().func_name == "loop");
  CHECK(h.steps == 777);
  // The store keeps working after the trap.
  h.trap_at_step = 0;
  CHECK(*h.inst->call<uint32_t>("loop", 10u) == host_loop(10));
  CHECK(h.steps == 787);
}
