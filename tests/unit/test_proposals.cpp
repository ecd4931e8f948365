// The WebAssembly 3.0 proposals that C and Rust compilers emit, beyond what the spec suite's
// proposal scripts check: tail calls in constant VM stack, to wasm and to the host; multi-memory;
// exceptions as the host sees them (uncaught, through a host function, with fuel and the
// debugger).
#include <doctest/doctest.h>

#include <cstring>

#include "glint/disassembly.h"
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

namespace {
struct MultiMemory {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  MultiMemory() {
    auto r = linker.instantiate(store, test::load_test_module("multi_memory.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  int32_t call(const char* name, std::vector<Value> args = {}) {
    auto r = inst->invoke(name, args);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return r->empty() ? 0 : (*r)[0].as_i32();
  }
};
}  // namespace

TEST_CASE("multi-memory: each access reaches the memory it names") {
  MultiMemory m;
  CHECK(m.inst->module().features() ==
        std::vector<std::string>{"bulk-memory", "multi-memory", "simd"});
  CHECK(m.call("sum_both", {Value::i32(0)}) == 0x01 + 0x10);
  CHECK(m.call("load0", {Value::i32(4)}) == 0);
  CHECK(m.call("load1", {Value::i32(4)}) == 0x20);
  CHECK(m.call("load1_8u", {Value::i32(3)}) == 0x20);
  // A load of memory 1 stored into memory 0: memory 0 changes, memory 1 does not.
  m.call("move_1_to_0", {Value::i32(4), Value::i32(8)});
  CHECK(m.call("load0", {Value::i32(8)}) == 0x20);
  CHECK(m.call("load1", {Value::i32(8)}) == 0);
  m.call("store1", {Value::i32(12), Value::i32(5)});
  CHECK(m.call("load1", {Value::i32(12)}) == 5);
  CHECK(m.call("load0", {Value::i32(12)}) == 0);
  CHECK(m.call("sum1", {Value::i32(16)}) == 0x20 + 5);  // [4] + [8] + [12] + [16]
  m.call("v128_store1", {Value::i32(32), Value::i32(7)});
  CHECK(m.call("v128_lane1", {Value::i32(28)}) == 7);  // bytes 32..35
  CHECK(m.call("load0", {Value::i32(32)}) == 0);
  // The host sees both, by export name.
  Memory* mem1 = m.inst->memory("mem1");
  REQUIRE(mem1);
  CHECK(mem1->size() == 65536);
  CHECK(m.inst->memory("mem0")->size() == 2 * 65536);
}

TEST_CASE("multi-memory: size, grow, fill, copy and init of memory 1; its own bounds") {
  MultiMemory m;
  CHECK(m.call("size0") == 2);
  CHECK(m.call("size1") == 1);
  // memory 0 has two pages, memory 1 one: an address valid in memory 0 traps in memory 1.
  CHECK(m.call("load0", {Value::i32(70000)}) == 0);
  auto out = m.inst->invoke("load1", std::vector<Value>{Value::i32(70000)});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().trap->kind == TrapKind::MemoryOutOfBounds);
  CHECK(m.call("load0", {Value::i32(0)}) == 1);  // memory 0 again after the trap
  CHECK(m.call("grow1", {Value::i32(1)}) == 1);
  CHECK(m.call("size1") == 2);
  CHECK(m.call("size0") == 2);
  CHECK(m.call("grow1", {Value::i32(5)}) == -1);  // past its maximum of 3
  CHECK(m.call("load1", {Value::i32(70000)}) == 0);
  m.call("fill1", {Value::i32(100), Value::i32(0x7F), Value::i32(4)});
  CHECK(m.call("load1", {Value::i32(100)}) == 0x7F7F7F7F);
  CHECK(m.call("load0", {Value::i32(100)}) == 0);
  m.call("copy_0_to_1", {Value::i32(200), Value::i32(0), Value::i32(4)});
  CHECK(m.call("load1", {Value::i32(200)}) == 1);
  m.call("init1", {Value::i32(300)});
  CHECK(uint32_t(m.call("load1", {Value::i32(300)})) == 0xDDCCBBAAu);
  CHECK(m.call("load0", {Value::i32(300)}) == 0);
}

TEST_CASE("multi-memory: the debugger stops exactly at an access to memory 1; traps name it") {
  MultiMemory m;
  test::Bytes bytes = test::test_wasm_bytes("multi_memory.wasm");
  // sum_both: i32.load (memory 0), local.get 0, i32.load 1 (flags 0x42, index 1), i32.add.
  auto in_sum =
      uint32_t(test::offset_of(bytes, {0x28, 0x02, 0x00, 0x20, 0x00, 0x28, 0x42, 0x01, 0x00}) + 5);
  // load1: local.get 0, i32.load 1, end.
  auto in_load1 = uint32_t(test::offset_of(bytes, {0x20, 0x00, 0x28, 0x42, 0x01, 0x00, 0x0b}) + 2);
  std::vector<uint32_t> stops;
  m.store.set_debug_handler([&](const DebugStop& s) {
    stops.push_back(s.frames[0].code_offset);
    return stops.size() == 1 ? DebugAction::StepInto : DebugAction::Continue;
  });
  auto at = set_breakpoint(m.inst->module(), in_sum);
  REQUIRE(at.ok());
  CHECK(*at == in_sum);
  CHECK(m.call("sum_both", {Value::i32(0)}) == 0x11);  // the patch runs the access as it was
  REQUIRE(stops.size() == 2);
  CHECK(stops[0] == in_sum);
  CHECK(stops[1] == in_sum + 4);  // the i32.add after it
  auto r = m.inst->invoke("load1", std::vector<Value>{Value::i32(70000)});
  CHECK(test::trap_of(r).backtrace[0].code_offset == in_load1);
}

namespace {
// exceptions.wasm, with a host function that calls `thrower` back and reports what it got.
struct Exceptions {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  std::string host_saw;  // the error the host function's call back returned
  Exceptions() {
    linker.func("env", "call_back", [this](Caller& c, int32_t x) -> int32_t {
      auto r = c.instance()->call<void>("thrower", x);
      if (r.ok()) return 0;
      host_saw = r.error().to_string();
      c.trap("call_back failed: " + r.error().message);
    });
    auto r = linker.instantiate(store, test::load_test_module("exceptions.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
};
}  // namespace

TEST_CASE("exceptions: a catch two frames out gets the values; the module just loads") {
  Exceptions e;
  CHECK(e.inst->module().features() == std::vector<std::string>{"exception-handling"});
  CHECK(*e.inst->call<int32_t>("catch_it", 41) == 42);
  CHECK(*e.inst->call<int32_t>("rethrown", 7) == 7);
  REQUIRE(e.inst->tag("boom"));
  CHECK(e.inst->tag("boom")->type() == FuncType{{ValType::I32}, {}});
}

TEST_CASE("exceptions: an uncaught exception is a trap naming the tag, its values and where") {
  Exceptions e;
  auto r = e.inst->call<void>("uncaught", 42);
  const Trap& t = test::trap_of(r);
  CHECK(t.kind == TrapKind::UncaughtException);
  CHECK(t.message == "uncaught exception: tag exceptions.boom (i32:42)");
  // The backtrace is where it was thrown: no frame was unwound.
  REQUIRE(t.backtrace.size() == 3);
  CHECK(t.backtrace[0].func_name == "thrower");
  CHECK(t.backtrace[1].func_name == "middle");
  CHECK(t.backtrace[2].func_name == "uncaught");
  CHECK(r.error().to_string().find(
            "uncaught exception: tag exceptions.boom (i32:42) in 'thrower'") != std::string::npos);
  // The store keeps working, and the same export runs again.
  CHECK(*e.inst->call<int32_t>("catch_it", 1) == 2);
}

TEST_CASE("exceptions: a throw stops at a host function, whose failure no catch takes") {
  Exceptions e;
  auto r = e.inst->call<int32_t>("through_host", 5);
  const Trap& t = test::trap_of(r);
  // The host's call back got the exception as an error...
  CHECK(e.host_saw.find("uncaught exception: tag exceptions.boom (i32:5)") != std::string::npos);
  // ...and its own failure is a trap in the caller, which catch_all does not take.
  CHECK(t.kind == TrapKind::Host);
  CHECK(t.message == "call_back failed: uncaught exception: tag exceptions.boom (i32:5)");
}

TEST_CASE("exceptions: thrown and caught in a loop, with fuel, and with the debugger on traps") {
  Exceptions e;
  CHECK(*e.inst->call<int32_t>("loop", 20000) == 20000 * 20001 / 2);
  e.store.set_fuel(1000);  // each iteration enters `thrower`: fuel runs out
  auto r = e.inst->call<int32_t>("loop", 100000);
  CHECK(test::trap_of(r).kind == TrapKind::OutOfFuel);
  e.store.clear_fuel();
  std::vector<DebugStop> stops;
  e.store.set_debug_handler([&](DebugStop& s) {
    stops.push_back(s);
    return DebugAction::Continue;
  });
  e.store.set_break_on_trap(true);
  auto u = e.inst->call<void>("uncaught", 3);
  CHECK(test::trap_of(u).kind == TrapKind::UncaughtException);
  REQUIRE(stops.size() == 1);
  CHECK(stops[0].reason == DebugStop::Reason::Trap);
  REQUIRE(stops[0].frames.size() == 3);  // stopped at the throw, every frame there
  CHECK(stops[0].frames[0].func_name == "thrower");
  CHECK(stops[0].frames[0].locals[0].bits == 3);
}

TEST_CASE("disassembly: memory indices other than 0, and exception handling's blocks") {
  auto text = [](const char* file) {
    auto module = test::load_test_module(file);
    std::vector<std::string> lines;  // with the indentation
    for (const FunctionCode& f : defined_functions(*module))
      for (const WasmInstruction& in : disassemble(*module, f.func_index)) lines.push_back(in.text);
    return lines;
  };
  auto has = [](const std::vector<std::string>& lines, const char* line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  };
  auto mm = text("multi_memory.wasm");
  CHECK(has(mm, "i32.load8_u 1 offset=1"));
  CHECK(has(mm, "i32.load 1"));
  CHECK(has(mm, "i32.load"));  // memory 0: no index
  CHECK(has(mm, "i32.store 1"));
  CHECK(has(mm, "memory.size 1"));
  CHECK(has(mm, "memory.grow 1"));
  CHECK(has(mm, "memory.fill 1"));
  CHECK(has(mm, "memory.copy 1 0"));
  CHECK(has(mm, "memory.init 1 2"));  // memory 1, data segment 2
  auto eh = text("exceptions.wasm");
  CHECK(has(eh, "throw 0"));
  CHECK(has(eh, "try (result i32)"));
  CHECK(has(eh, "catch 0"));
  CHECK(has(eh, "  i32.add"));  // in the catch
  CHECK(has(eh, "catch_all"));
  CHECK(has(eh, "  rethrow 0"));
  CHECK(has(eh, "    catch 0"));  // in the loop's block
}

namespace {
struct Memory64 {
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  explicit Memory64(StoreConfig config = {}) : store(config) {
    auto r = linker.instantiate(store, test::load_test_module("memory64.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
};
}  // namespace

TEST_CASE("memory64: i64 addresses, offsets past 4 GiB trap, the module just loads") {
  Memory64 m;
  CHECK(m.inst->module().features() == std::vector<std::string>{"bulk-memory", "memory64", "simd"});
  Memory* mem = m.inst->memory("mem");
  REQUIRE(mem);
  CHECK(mem->type().is64);
  CHECK(*m.inst->call<int32_t>("load", int64_t(8)) == 42);
  CHECK(*m.inst->call<int32_t>("load_offset", int64_t(0)) == 42);
  REQUIRE(m.inst->call<void>("store", int64_t(65532), int32_t(7)).ok());
  CHECK(mem->load<int32_t>(65532) == 7);
  // Addresses that would wrap to 8 in 32 bits, or whose sum with the offset passes 2^64.
  for (int64_t a : {int64_t(1) << 32 | 8, int64_t(65533), int64_t(-1), int64_t(-8)}) {
    CAPTURE(a);
    auto r = m.inst->call<int32_t>("load_offset", a);
    CHECK(test::trap_of(r).kind == TrapKind::MemoryOutOfBounds);
  }
  auto far = m.inst->call<int32_t>("load", int64_t(1) << 32 | 8);
  CHECK(test::trap_of(far).kind == TrapKind::MemoryOutOfBounds);
  CHECK(*m.inst->call<int32_t>("v128_lane1", int64_t(4)) == 42);
  CHECK(*m.inst->call<int32_t>("sum", int64_t(16)) == 42);
  REQUIRE(m.inst->call<void>("fill", int64_t(100), int32_t(1), int64_t(4)).ok());
  CHECK(mem->load<int32_t>(100) == 0x01010101);
  auto fill = m.inst->call<void>("fill", int64_t(1) << 40, int32_t(1), int64_t(4));
  CHECK(test::trap_of(fill).kind == TrapKind::MemoryOutOfBounds);
}

TEST_CASE("memory64: ResourceLimits bound a 64-bit memory as a 32-bit one") {
  StoreConfig config;
  config.limits.max_memory_pages = 4;
  Memory64 m(config);
  CHECK(*m.inst->call<int64_t>("size") == 1);
  CHECK(*m.inst->call<int64_t>("grow", int64_t(3)) == 1);
  CHECK(*m.inst->call<int64_t>("grow", int64_t(1)) == -1);  // past the limit: -1 as an i64
  CHECK(*m.inst->call<int64_t>("grow", int64_t(1) << 40) == -1);
  CHECK(*m.inst->call<int64_t>("grow", int64_t(-1)) == -1);
  CHECK(*m.inst->call<int64_t>("size") == 4);
  // A module asking for more pages than the limit is refused at instantiation.
  config.limits.max_memory_pages = 0;
  Store small(config);
  auto r = Linker().instantiate(small, test::load_test_module("memory64.wasm"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Limit);
  CHECK(r.error().message.find("max_memory_pages") != std::string::npos);
}
