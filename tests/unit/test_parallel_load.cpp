// Large modules are validated and translated by two threads (compile/compiler.cpp). The result
// must not depend on it: calls across the two threads' halves work, and an invalid module gets
// the error a single thread reading in order meets first (Module::validate is single-threaded).
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "glint/glint.h"

using namespace glint;

namespace {

using Bytes = std::vector<uint8_t>;

void leb(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(v ? b | 0x80 : b);
  } while (v);
}

void section(Bytes& module, uint8_t id, const Bytes& content) {
  module.push_back(id);
  leb(module, content.size());
  module.insert(module.end(), content.begin(), content.end());
}

// Body i of a module of `() -> i32` functions: a long run of arithmetic (so the module is large
// enough to be translated in parallel), then f(i) = f(i - 1) + 1, with f(0) = 1.
Bytes body(uint32_t i, int bad_kind) {
  Bytes code = {0x00};  // no locals
  code.insert(code.end(), {0x41, 0x01});
  for (int k = 0; k < 150; k++) code.insert(code.end(), {0x41, 0x01, 0x6A});  // i32.const 1 add
  code.push_back(0x1A);                                                       // drop
  if (i == 0) {
    code.insert(code.end(), {0x41, 0x00});
  } else {
    code.push_back(0x10);  // call i - 1
    leb(code, i - 1);
  }
  code.insert(code.end(), {0x41, 0x01, 0x6A});
  if (bad_kind == 1) code.insert(code.end(), {0x20, 0x63, 0x1A});  // local.get 99: unknown
  if (bad_kind == 2) code.insert(code.end(), {0x1A, 0x42, 0x00});  // returns an i64
  code.push_back(0x0B);
  Bytes sized;
  leb(sized, code.size());
  sized.insert(sized.end(), code.begin(), code.end());
  return sized;
}

// `n` functions, all exported as f<i>; bad[i] makes body i invalid in one of two ways.
Bytes big_module(uint32_t n, const std::vector<std::pair<uint32_t, int>>& bad = {}) {
  Bytes m = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, {0x01, 0x60, 0x00, 0x01, 0x7F});  // one type: () -> i32
  Bytes funcs;
  leb(funcs, n);
  for (uint32_t i = 0; i < n; i++) funcs.push_back(0x00);
  section(m, 3, funcs);
  Bytes exports;
  leb(exports, n);
  for (uint32_t i = 0; i < n; i++) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 'f');
    leb(exports, name.size());
    exports.insert(exports.end(), name.begin(), name.end());
    exports.push_back(0x00);
    leb(exports, i);
  }
  section(m, 7, exports);
  Bytes code;
  leb(code, n);
  for (uint32_t i = 0; i < n; i++) {
    int kind = 0;
    for (auto [index, k] : bad)
      if (index == i) kind = k;
    Bytes b = body(i, kind);
    code.insert(code.end(), b.begin(), b.end());
  }
  section(m, 10, code);
  return m;
}

}  // namespace

TEST_CASE("a module large enough for two threads runs the same") {
  Bytes bytes = big_module(300);
  REQUIRE(bytes.size() > 128 * 1024);  // well past the size where loading goes parallel
  auto m = Module::load(bytes);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
  Store store;
  Linker linker;
  auto inst = linker.instantiate(store, *m);
  REQUIRE(inst.ok());
  CHECK(*(*inst)->call<int32_t>("f0") == 1);
  CHECK(*(*inst)->call<int32_t>("f150") == 151);
  CHECK(*(*inst)->call<int32_t>("f299") == 300);  // calls through every body, both halves
}

TEST_CASE("loading in parallel reports the first invalid body, as a single thread would") {
  for (auto bad : std::vector<std::vector<std::pair<uint32_t, int>>>{
           {{250, 2}}, {{20, 1}, {250, 2}}, {{250, 1}, {280, 2}}, {{5, 2}, {6, 1}}}) {
    Bytes bytes = big_module(300, bad);
    auto loaded = Module::load(bytes);
    auto checked = Module::validate(bytes);
    REQUIRE_FALSE(loaded.ok());
    REQUIRE_FALSE(checked.ok());
    CHECK(loaded.error().message == checked.error().message);
    CHECK(loaded.error().offset == checked.error().offset);
    CHECK(loaded.error().message == (bad[0].second == 1 ? "unknown local 99" : "type mismatch"));
  }
}
