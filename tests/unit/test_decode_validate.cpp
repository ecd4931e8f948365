// The decoder and validator on hand-built bytes: LEB128, section framing, names, the name
// section, custom sections, validation errors with offsets; traps located by name and offset;
// and a fuzz loop feeding mutated real modules to load + instantiate + call.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "decode/instr.h"
#include "decode/module.h"
#include "decode/reader.h"
#include "glint/glint.h"
#include "support.h"

using namespace glint;
using test::Bytes;
using test::offset_of;
using test::trap_of;

namespace {

// ---- A tiny module builder ---------------------------------------------------------------

void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(b | (v ? 0x80 : 0));
  } while (v);
}

Bytes str(const std::string& s) {
  Bytes out;
  leb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes section(uint8_t id, const Bytes& body) {
  Bytes out{id};
  leb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

// Type section with the given function types, each written as raw bytes after 0x60.
Bytes types(std::initializer_list<Bytes> sigs) {
  Bytes body;
  leb(body, sigs.size());
  for (const Bytes& s : sigs) {
    body.push_back(0x60);
    body.insert(body.end(), s.begin(), s.end());
  }
  return section(1, body);
}

Bytes funcs(std::initializer_list<uint8_t> type_indices) {
  Bytes body;
  leb(body, type_indices.size());
  for (uint8_t t : type_indices) body.push_back(t);
  return section(3, body);
}

// Code section; each body is its locals declaration plus instructions (with the final end).
Bytes code(std::initializer_list<Bytes> bodies) {
  Bytes body;
  leb(body, bodies.size());
  for (const Bytes& b : bodies) {
    leb(body, b.size());
    body.insert(body.end(), b.begin(), b.end());
  }
  return section(10, body);
}

Bytes export_func(const std::string& name, uint8_t index) {
  return section(7, cat({{0x01}, str(name), {0x00, index}}));
}

Error load_error(const Bytes& bytes) {
  auto r = Module::load(bytes);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

const Bytes kVoid = {0x00, 0x00};                  // () -> ()
const Bytes kI32ToI32 = {0x01, 0x7F, 0x01, 0x7F};  // (i32) -> (i32)
const Bytes kToI32 = {0x00, 0x01, 0x7F};           // () -> (i32)

// ---- LEB128 through the Reader -------------------------------------------------------------

struct LebCase {
  Bytes bytes;
  const char* error;  // nullptr: decodes
  size_t offset;      // of the error, or bytes consumed
};

template <class F>
void check_leb(const LebCase& c, F read) {
  CAPTURE(c.error);
  detail::Reader r(c.bytes.data(), c.bytes.size(), 100);
  if (!c.error) {
    read(r);
    CHECK(r.offset() == 100 + c.offset);
    return;
  }
  try {
    read(r);
    FAIL("no error");
  } catch (const detail::DecodeError& e) {
    CHECK(std::string(e.what()) == c.error);
    CHECK(e.offset == 100 + c.offset);
  }
}

}  // namespace

TEST_CASE("LEB128: values, and malformed encodings named at the offending byte") {
  Bytes b{0xE5, 0x8E, 0x26};
  detail::Reader r(b.data(), b.size());
  CHECK(r.u32() == 624485u);
  Bytes neg{0xC0, 0xBB, 0x78};
  detail::Reader rn(neg.data(), neg.size());
  CHECK(rn.s32() == -123456);
  Bytes max64{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
  detail::Reader rm(max64.data(), max64.size());
  CHECK(rm.u64() == UINT64_MAX);
  Bytes padded{0x80, 0x80, 0x80, 0x80, 0x00};  // zero, padded to 5 bytes: allowed
  detail::Reader rp(padded.data(), padded.size());
  CHECK(rp.u32() == 0);

  auto u32 = [](detail::Reader& r) { (void)r.u32(); };
  auto s32 = [](detail::Reader& r) { (void)r.s32(); };
  auto s64 = [](detail::Reader& r) { (void)r.s64(); };
  check_leb({{0xE5, 0x8E, 0x26}, nullptr, 3}, u32);
  check_leb({{0x80}, "unexpected end of LEB128 integer", 1}, u32);
  check_leb({{}, "unexpected end of LEB128 integer", 0}, u32);
  check_leb({{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, "integer representation too long", 4}, u32);
  check_leb({{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, "integer too large", 4}, u32);
  check_leb({{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, nullptr, 5}, u32);
  check_leb({{0x80, 0x80, 0x80, 0x80, 0x70}, "integer too large", 4}, s32);
  check_leb({{0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, nullptr, 5}, s32);  // -1, sign bits all set
  check_leb({{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E}, "integer too large", 9},
            s64);
}

// With 8 bytes left, u32 and s32 read a multi-byte LEB128 in one word (Reader::leb32_length);
// with fewer, byte by byte. Both must agree on every value, length and error: random encodings
// of 1-6 bytes read both ways (padding behind a copy makes the word read possible).
TEST_CASE("LEB128: the word-at-once u32 and s32 agree with the byte loop") {
  std::mt19937 rng(17);
  auto outcome = [](const Bytes& b, bool is_signed) {
    detail::Reader r(b.data(), b.size(), 100);
    try {
      int64_t v = is_signed ? int64_t(r.s32()) : int64_t(r.u32());
      return std::to_string(v) + " @" + std::to_string(r.offset());
    } catch (const detail::DecodeError& e) {
      return std::string(e.what()) + " @" + std::to_string(e.offset);
    }
  };
  for (int i = 0; i < 200000; i++) {
    size_t n = 1 + rng() % 6;
    Bytes b(n);
    for (size_t k = 0; k < n; k++) {
      uint32_t pick = rng() % 4;  // edge bytes often: the last byte's unused bits matter
      b[k] = uint8_t(pick == 0 ? 0xFF : pick == 1 ? 0x80 : pick == 2 ? 0x7F : rng());
      if (k + 1 < n) b[k] |= 0x80;
    }
    Bytes padded = b;
    padded.insert(padded.end(), 8, uint8_t(rng()));
    for (bool is_signed : {false, true}) {
      CAPTURE(i);
      std::string slow = outcome(b, is_signed), fast = outcome(padded, is_signed);
      if (slow.find("unexpected end") != std::string::npos) continue;  // padding ends it
      CHECK(fast == slow);
    }
  }
}

TEST_CASE("malformed LEB128 inside a module names the byte") {
  // The type section's size as a 6-byte LEB128: byte 13 still has its continuation bit.
  Bytes m = module({{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}});
  Error e = load_error(m);
  CHECK(e.kind == ErrorKind::Malformed);
  CHECK(e.message.find("integer representation too long") != std::string::npos);
  CHECK(e.offset == 13u);
}

TEST_CASE("section framing: size mismatch, length out of bounds, order, unknown id") {
  Bytes type_body = {0x01, 0x60, 0x00, 0x00};
  Bytes longer = {0x01, 0x05};  // claims 5 bytes, the entries use 4
  longer.insert(longer.end(), type_body.begin(), type_body.end());
  longer.push_back(0x00);
  Error e = load_error(module({longer}));
  CHECK(e.kind == ErrorKind::Malformed);
  CHECK(e.message == "section size mismatch");
  CHECK(e.offset == 14u);  // the byte the entries did not use

  Bytes shorter = {0x01, 0x03, 0x01, 0x60, 0x00, 0x00};  // claims 3, the entry needs 4
  e = load_error(module({shorter}));
  CHECK(e.kind == ErrorKind::Malformed);
  CHECK(e.offset.has_value());
  CHECK(*e.offset >= 10u);
  CHECK(*e.offset <= 13u);

  e = load_error(module({{0x01, 0x7F, 0x01}}));  // 127 bytes promised, 1 present
  CHECK(e.message == "length out of bounds");
  CHECK(e.offset == 10u);

  Bytes m = module({funcs({0}), types({kVoid})});  // function section before type section
  e = load_error(m);
  CHECK(e.message.find("unexpected content after last section") != std::string::npos);
  CHECK(e.offset == 8u + funcs({0}).size());

  e = load_error(module({{0x0E, 0x00}}));  // 13 is the tag section (exception handling)
  CHECK(e.message == "malformed section id");
  CHECK(e.offset == 8u);
}

TEST_CASE("names must be valid UTF-8; the error points at the name") {
  Bytes head = cat({types({kVoid}), funcs({0})});
  auto with_export_name = [&](const Bytes& name) {
    Bytes exp{0x01};
    leb(exp, name.size());
    exp.insert(exp.end(), name.begin(), name.end());
    exp.insert(exp.end(), {0x00, 0x00});
    return module({head, section(7, exp), code({{0x00, 0x0B}})});
  };
  // Header, then the export section's id, size, count and the name's length: 4 bytes.
  const size_t name_at = 8 + head.size() + 4;
  const Bytes bad[] = {
      {0xC0, 0x80},              // overlong NUL
      {'a', 0xED, 0xA0, 0x80},   // a surrogate
      {0xE2, 0x82},              // cut short
      {0xF4, 0x90, 0x80, 0x80},  // above U+10FFFF
      {0xFF},
  };
  for (const Bytes& name : bad) {
    Error e = load_error(with_export_name(name));
    CHECK(e.kind == ErrorKind::Malformed);
    CHECK(e.message == "malformed UTF-8 encoding");
    CHECK(e.offset == name_at);
  }
  const std::string good = "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x8E\xAE";
  auto m = Module::load(with_export_name(Bytes(good.begin(), good.end())));
  REQUIRE(m.ok());
  REQUIRE((*m)->exports().size() == 1);
  CHECK((*m)->exports()[0].name == good);
}

// ---- The name section and custom sections ------------------------------------------------

namespace {

Bytes subsection(uint8_t id, const Bytes& body) { return section(id, body); }

// "tester": func 0 "inner" (param x, local tmp), func 1 "outer", func 2 unnamed (export "entry").
Bytes name_section() {
  Bytes funcs_names{0x02};
  funcs_names = cat({funcs_names, {0x00}, str("inner"), {0x01}, str("outer")});
  Bytes local_names = cat({{0x01, 0x00, 0x02}, {0x00}, str("x"), {0x01}, str("tmp")});
  return section(0, cat({str("name"), subsection(0, str("tester")), subsection(1, funcs_names),
                         subsection(2, local_names)}));
}

// inner(x) = 10 / x; outer(x) = inner(x); entry(x) = outer(x), exported.
Bytes named_module(const Bytes& extra_custom = {}) {
  return module({
      section(0, cat({str("first"), {1, 2, 3}})),
      types({kI32ToI32}),
      funcs({0, 0, 0}),
      export_func("entry", 2),
      code({{0x01, 0x01, 0x7E, 0x41, 0x0A, 0x20, 0x00, 0x6D, 0x0B},
            {0x00, 0x20, 0x00, 0x10, 0x00, 0x0B},
            {0x00, 0x20, 0x00, 0x10, 0x01, 0x0B}}),
      name_section(),
      extra_custom,
  });
}

}  // namespace

TEST_CASE("the name section gives module, function and local names") {
  Bytes bytes = named_module();
  detail::ModuleDesc d = detail::decode_module(bytes.data(), bytes.size());
  CHECK(d.module_name == "tester");
  REQUIRE(d.func_names.size() == 2);
  CHECK(d.func_names.at(0) == "inner");
  CHECK(d.func_names.at(1) == "outer");
  REQUIRE(d.local_names.count(0) == 1);
  CHECK(d.local_names.at(0).at(0) == "x");
  CHECK(d.local_names.at(0).at(1) == "tmp");

  auto m = Module::load(bytes);
  REQUIRE(m.ok());
  CHECK((*m)->name() == "tester");
  CHECK((*m)->function_name(1) == "outer");
  CHECK((*m)->function_name(2) == "entry");  // unnamed: its export name
}

TEST_CASE("a malformed name section is ignored, not an error") {
  // Function names whose one entry's name is cut short.
  Bytes broken = section(0, cat({str("name"), subsection(1, {0x01, 0x00, 0x05, 'a'})}));
  Bytes bytes = module({types({kI32ToI32}), funcs({0}), code({{0x00, 0x20, 0x00, 0x0B}}), broken});
  auto m = Module::load(bytes);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
  CHECK((*m)->function_name(0) == "func[0]");
}

TEST_CASE("custom sections are kept, with their place and bytes") {
  Bytes bytes = named_module(section(0, cat({str("last"), {'x', 'y', 'z'}})));
  detail::ModuleDesc d = detail::decode_module(bytes.data(), bytes.size());
  REQUIRE(d.customs.size() == 3);
  CHECK(d.customs[0].name == "first");
  CHECK(d.customs[1].name == "name");
  CHECK(d.customs[2].name == "last");
  auto data = [&](const detail::CustomSection& c) {
    return Bytes(d.bytes.begin() + c.data_begin, d.bytes.begin() + c.data_begin + c.data_size);
  };
  CHECK(data(d.customs[0]) == Bytes{1, 2, 3});
  CHECK(data(d.customs[2]) == Bytes{'x', 'y', 'z'});

  auto m = Module::load(bytes);
  REQUIRE(m.ok());
  std::vector<std::string> names;
  for (const SectionInfo& s : (*m)->sections()) names.push_back(s.name);
  CHECK(names ==
        std::vector<std::string>{"first", "type", "function", "export", "code", "name", "last"});
  const SectionInfo first = (*m)->sections().front();
  CHECK(first.id == 0);
  CHECK(first.offset == 10u);  // after the header, id and size bytes
  CHECK(first.size == str("first").size() + 3);
}

// ---- Validation errors: message and offset -------------------------------------------------

namespace {

// A module with one function of the given type and body; the error for it.
Error validate_error(const Bytes& type, const Bytes& body, Bytes* out_bytes = nullptr) {
  Bytes bytes = module({types({type}), funcs({0}), code({body})});
  if (out_bytes) *out_bytes = bytes;
  Error e = load_error(bytes);
  CHECK(e.kind == ErrorKind::Invalid);
  REQUIRE(e.offset.has_value());
  return e;
}

}  // namespace

TEST_CASE("validator errors name the rule and the instruction's offset") {
  Bytes m;
  SUBCASE("type mismatch: i64 where the result is i32") {
    Error e = validate_error(kToI32, {0x00, 0x42, 0x07, 0x0B}, &m);
    CHECK(e.message == "type mismatch");
    CHECK(e.offset == offset_of(m, {0x42, 0x07, 0x0B}) + 2);  // at the `end`
  }
  SUBCASE("type mismatch: i32.add with one operand") {
    Error e = validate_error(kToI32, {0x00, 0x41, 0x01, 0x6A, 0x0B}, &m);
    CHECK(e.message == "type mismatch");
    CHECK(e.offset == offset_of(m, {0x41, 0x01, 0x6A}) + 2);  // at the i32.add
  }
  SUBCASE("unknown local") {
    Error e = validate_error(kI32ToI32, {0x01, 0x01, 0x7F, 0x20, 0x05, 0x0B}, &m);
    CHECK(e.message == "unknown local 5");
    CHECK(e.offset == offset_of(m, {0x20, 0x05}));
  }
  SUBCASE("branch depth past the function's labels") {
    // block { br 2 } : labels 0 (block) and 1 (function) exist, 2 does not.
    Error e = validate_error(kVoid, {0x00, 0x02, 0x40, 0x0C, 0x02, 0x0B, 0x0B}, &m);
    CHECK(e.message == "unknown label");
    CHECK(e.offset == offset_of(m, {0x0C, 0x02}));
  }
  SUBCASE("call to a function that does not exist") {
    Error e = validate_error(kVoid, {0x00, 0x10, 0x09, 0x0B}, &m);
    CHECK(e.message == "unknown function 9");
    CHECK(e.offset == offset_of(m, {0x10, 0x09}));
  }
  SUBCASE("load without a memory") {
    Error e = validate_error(kToI32, {0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x0B}, &m);
    CHECK(e.message == "unknown memory 0");
    CHECK(e.offset == offset_of(m, {0x28, 0x02, 0x00}));
  }
}

TEST_CASE("unreachable code is stack-polymorphic, and still checked") {
  // unreachable; i32.add; end  -> valid for () -> (i32)
  CHECK(Module::load(module({types({kToI32}), funcs({0}), code({{0x00, 0x00, 0x6A, 0x0B}})})).ok());
  // unreachable; i64.const 0; i32.add -> the i64 operand is still a type mismatch
  Bytes m;
  Error e = validate_error(kToI32, {0x00, 0x00, 0x42, 0x00, 0x6A, 0x0B}, &m);
  CHECK(e.message == "type mismatch");
  CHECK(e.offset == offset_of(m, {0x42, 0x00, 0x6A}) + 2);
}

// ---- Traps: named function, exact offset, backtrace; call depth; interrupts ----------------

TEST_CASE("a trap names the function (name section), the exact offset and the backtrace") {
  Bytes bytes = named_module();
  auto m = Module::load(bytes);
  REQUIRE(m.ok());
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, *m);
  REQUIRE(inst.ok());
  CHECK(*(*inst)->call<int32_t>("entry", 5) == 2);
  auto r = (*inst)->call<int32_t>("entry", 0);
  const Trap& t = trap_of(r);
  CHECK(t.kind == TrapKind::IntegerDivideByZero);
  REQUIRE(t.backtrace.size() == 3);
  CHECK(t.backtrace[0].func_name == "inner");
  CHECK(t.backtrace[0].func_index == 0);
  CHECK(t.backtrace[0].module == "tester");
  CHECK(t.backtrace[0].code_offset == offset_of(bytes, {0x20, 0x00, 0x6D}) + 2);  // i32.div_s
  CHECK(t.backtrace[1].func_name == "outer");
  CHECK(t.backtrace[1].code_offset == offset_of(bytes, {0x10, 0x00, 0x0B}));  // its call
  CHECK(t.backtrace[2].func_name == "entry");
  CHECK(t.backtrace[2].code_offset == offset_of(bytes, {0x10, 0x01, 0x0B}));
  std::string text = r.error().to_string();
  CHECK(text.find("integer divide by zero in 'inner'") != std::string::npos);
  CHECK(text.find("at tester!outer") != std::string::npos);
}

namespace {

// dive(): depth += 1; dive()  — with the global "depth" exported.
Bytes diving_module() {
  Bytes global = section(6, {0x01, 0x7F, 0x01, 0x41, 0x00, 0x0B});
  Bytes exports = section(7, cat({{0x02}, str("dive"), {0x00, 0x00}, str("depth"), {0x03, 0x00}}));
  Bytes body = {0x00, 0x23, 0x00, 0x41, 0x01, 0x6A, 0x24, 0x00, 0x10, 0x00, 0x0B};
  return module({types({kVoid}), funcs({0}), global, exports, code({body})});
}

}  // namespace

TEST_CASE("call depth is configurable; exhaustion traps at that depth") {
  auto m = Module::load(diving_module());
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
  for (uint32_t limit : {100u, 5000u}) {
    CAPTURE(limit);
    StoreConfig config;
    config.max_call_depth = limit;
    Store store(config);
    Linker linker;
    auto inst = linker.instantiate(store, *m);
    REQUIRE(inst.ok());
    auto r = (*inst)->call<void>("dive");
    const Trap& t = trap_of(r);
    CHECK(t.kind == TrapKind::StackExhausted);
    int32_t depth = (*inst)->global("depth")->get().as_i32();
    CHECK(depth >= int32_t(limit) - 1);
    CHECK(depth <= int32_t(limit));
    CHECK(t.backtrace.size() >= size_t(depth));
  }
}

TEST_CASE("an interrupt requested before a call stops that call, then is cleared") {
  auto m = Module::load(diving_module());
  REQUIRE(m.ok());
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, *m);
  REQUIRE(inst.ok());
  store.interrupt();
  auto r = (*inst)->call<void>("dive");
  CHECK(trap_of(r).kind == TrapKind::Interrupted);
  CHECK((*inst)->global("depth")->get().as_i32() <= 1);
  // Cleared: the next call runs until it exhausts the stack instead.
  r = (*inst)->call<void>("dive");
  CHECK(trap_of(r).kind == TrapKind::StackExhausted);
}

// ---- Fuzz: mutated real modules never crash the runtime -----------------------------------

namespace {

// Satisfies any import with a stub of the right type, so mutated modules can instantiate.
void stub_imports(Linker& linker, Store& store, const Module& m) {
  for (const ImportInfo& im : m.imports()) {
    switch (im.kind) {
      case ExternKind::Func:
        linker.func_dynamic(im.module, im.name, im.func,
                            [](Caller&, std::span<const Value>, std::span<Value> results) {
                              for (Value& v : results) v.bits = 0;
                            });
        break;
      case ExternKind::Memory:
        if (im.memory.limits.min <= 64)
          linker.define(im.module, im.name, Extern::of(store.new_memory(im.memory)));
        break;
      case ExternKind::Table:
        if (im.table.limits.min <= 1000)
          linker.define(im.module, im.name,
                        Extern::of(store.new_table(im.table, Value::null(im.table.elem))));
        break;
      case ExternKind::Global: {
        Value zero;
        zero.type = im.global.type;
        zero.bits = 0;
        linker.define(im.module, im.name, Extern::of(store.new_global(im.global, zero)));
        break;
      }
      case ExternKind::Tag:
        linker.define(im.module, im.name, Extern::of(store.new_tag(im.func)));
        break;
    }
  }
}

struct FuzzStats {
  int loaded = 0, rejected = 0, instantiated = 0, calls = 0;
};

// Loads `bytes`; when it loads, instantiates it and calls every export with zero arguments
// under a small fuel budget. Any outcome but a crash is fine; errors must say where.
void try_module(const Bytes& bytes, FuzzStats& stats) {
  auto m = Module::load(bytes);
  if (!m) {
    stats.rejected++;
    const Error& e = m.error();
    CHECK_FALSE(e.message.empty());
    if (e.kind == ErrorKind::Malformed || e.kind == ErrorKind::Invalid) {
      REQUIRE_MESSAGE(e.offset.has_value(), e.to_string());
      CHECK(*e.offset <= bytes.size());
    }
    return;
  }
  stats.loaded++;
  Store store;
  store.set_fuel(20000);
  Linker linker;
  stub_imports(linker, store, **m);
  auto inst = linker.instantiate(store, *m);
  if (!inst) return;
  stats.instantiated++;
  for (const ExportInfo& ex : (*m)->exports()) {
    if (ex.kind != ExternKind::Func) continue;
    Function* f = (*inst)->func(ex.name);
    std::vector<Value> args;
    for (ValType t : f->type().params) {
      Value v;
      v.type = t;
      v.bits = 0;
      args.push_back(v);
    }
    store.set_fuel(20000);
    (void)store.call(f, args);
    stats.calls++;
  }
}

Bytes mutate(const Bytes& original, std::mt19937& rng) {
  Bytes b = original;
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  switch (pick(5)) {
    case 0:  // truncate
      b.resize(pick(b.size()));
      break;
    case 1:  // flip a few random bits
      for (size_t i = 0, n = 1 + pick(4); i < n; i++) b[pick(b.size())] ^= uint8_t(1 << pick(8));
      break;
    case 2:  // bytes that matter to LEB128 and opcodes
      for (size_t i = 0, n = 1 + pick(3); i < n; i++) {
        static const uint8_t kInteresting[] = {0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0B, 0x40, 0x60};
        b[pick(b.size())] = kInteresting[pick(sizeof kInteresting)];
      }
      break;
    case 3:  // insert a byte
      b.insert(b.begin() + long(pick(b.size())), uint8_t(pick(256)));
      break;
    default: {  // delete a run of up to 16 bytes
      size_t at = pick(b.size());
      size_t n = std::min(b.size() - at, 1 + pick(16));
      b.erase(b.begin() + long(at), b.begin() + long(at + n));
      break;
    }
  }
  return b;
}

void fuzz(const std::string& path, int rounds, uint32_t seed) {
  Bytes original = test::read_bytes(path);
  REQUIRE(original.size() > 8);
  REQUIRE(Module::load(original).ok());
  std::mt19937 rng(seed);
  FuzzStats stats;
  for (int i = 0; i < rounds; i++) {
    Bytes b = mutate(original, rng);
    CAPTURE(i);
    try_module(b, stats);
  }
  MESSAGE(path << ": " << stats.rejected << " rejected, " << stats.loaded << " loaded, "
               << stats.instantiated << " instantiated, " << stats.calls << " calls");
  CHECK(stats.rejected + stats.loaded == rounds);
  CHECK(stats.rejected > 0);
  CHECK(stats.loaded > 0);  // some mutations survive validation and run
}

}  // namespace

TEST_CASE("fuzz: mutated copies of a small module only ever give errors") {
  fuzz(std::string(GLINT_TEST_WASM_DIR) + "/basics.wasm", 4000, 1);
  fuzz(std::string(GLINT_TEST_WASM_DIR) + "/basics.wasm", 2000, 2);
}

TEST_CASE("fuzz: mutated copies of a wasi-libc program only ever give errors") {
  fuzz(std::string(GLINT_WASI_PROGRAMS) + "/stdin_stats.wasm", 400, 3);
}

// scan_instr (decode/instr.h) repeats read_instr's reading of immediates without keeping them:
// the two must stop at the same byte after every instruction, and agree on the opcode and the
// first index immediate, or the translator's read-ahead would misread the bodies after one.
TEST_CASE("scan_instr stops where read_instr stops, on every instruction of the test modules") {
  using namespace glint::detail;
  size_t instructions = 0;
  for (const char* name : {"basics.wasm", "fusion.wasm", "simd.wasm", "memory64.wasm",
                           "multi_memory.wasm", "exceptions.wasm", "tail_calls.wasm", "debug.wasm",
                           "narrow_operands.wasm", "indirect_frames.wasm"}) {
    CAPTURE(name);
    test::Bytes bytes = test::test_wasm_bytes(name);
    ModuleDesc m = decode_module(bytes.data(), bytes.size());
    std::vector<uint32_t> scratch;
    for (const FuncBody& body : m.bodies) {
      size_t size = body.code_end - body.code_begin;
      Reader full(m.bytes.data() + body.code_begin, size, body.code_begin);
      Reader scan(m.bytes.data() + body.code_begin, size, body.code_begin);
      while (!full.done()) {
        Instr in = read_instr(full, scratch, &m.memories);
        uint32_t a = 0;
        Op op = scan_instr(scan, a, m.memories);
        CAPTURE(in.offset);
        REQUIRE(op == in.op);
        REQUIRE(scan.offset() == full.offset());
        if (op_immediate(op) == Imm::Label || op_immediate(op) == Imm::Local) CHECK(a == in.a);
        instructions++;
      }
    }
  }
  CHECK(instructions > 1000);
}
