// Fuzz target 3: the host API surface. The fuzzer's bytes become a guest that imports every
// host function (module "glint") and calls a sequence of them from update() and draw(), with
// pointers, lengths, ids and floats chosen to hit the edges (0, the end of memory, past it,
// 2^31, NaN, huge sizes), over a memory holding fuzzer bytes. The game runs headless (SDL's
// software renderer). A bad argument must trap that module only, with a message; the host must
// not crash, leak, or read or write outside the guest's memory.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "glint_host/api_table.h"
#include "headless_game.h"
#include "wasm_gen.h"

using namespace fuzzgen;
using glint::ValType;

namespace {

void value(Source& s, ValType t, Bytes& code) {
  switch (t) {
    case ValType::I32: {
      static const uint32_t edges[] = {0,          1,          8,     16,         65535,
                                       65536,      65536 - 8,  65520, 0x7FFFFFFF, 0x80000000,
                                       0xFFFFFFFF, 0xFFFFFFF0, 100,   1000000};
      uint32_t v = s.chance(160) ? edges[s.below(14)] : s.chance(128) ? s.below(128) : s.u32();
      code.push_back(0x41);
      put_s64(code, int32_t(v));
      return;
    }
    case ValType::I64:
      code.push_back(0x42);
      put_s64(code, s.chance(128) ? int64_t(s.below(16)) : int64_t(s.u64()));
      return;
    case ValType::F32: {
      static const uint32_t edges[] = {0x00000000, 0x3F800000, 0xBF800000, 0x7FC00000, 0x7F800000,
                                       0xFF800000, 0x7F7FFFFF, 0x42C80000, 0xC2C80000, 0x00000001};
      uint32_t v = s.chance(180) ? edges[s.below(10)] : s.u32();
      code.push_back(0x43);
      for (int i = 0; i < 4; i++) code.push_back(uint8_t(v >> (8 * i)));
      return;
    }
    case ValType::F64: {
      uint64_t v = s.chance(128) ? 0x7FF8000000000000ull : s.u64();
      code.push_back(0x44);
      for (int i = 0; i < 8; i++) code.push_back(uint8_t(v >> (8 * i)));
      return;
    }
    default:
      std::abort();  // the host API has only number types
  }
}

// A body of host calls: (import, arguments...) drop the results.
Bytes body(Source& s, const std::vector<glint::host::ApiImport>& imports, uint32_t max_calls) {
  Bytes code;
  code.push_back(0x00);  // no locals
  for (uint32_t i = 0, n = s.below(max_calls + 1); i < n && !s.empty(); i++) {
    uint32_t f = s.byte() | (s.byte() << 8);
    f %= uint32_t(imports.size());
    for (ValType p : imports[f].type.params) value(s, p, code);
    code.push_back(0x10);
    put_u32(code, f);
    for (size_t r = 0; r < imports[f].type.results.size(); r++) code.push_back(0x1A);
  }
  code.push_back(0x0B);
  Bytes out;
  put_u32(out, code.size());
  out.insert(out.end(), code.begin(), code.end());
  return out;
}

Bytes guest(Source& s, const std::vector<glint::host::ApiImport>& imports) {
  std::vector<glint::FuncType> types;
  auto type_of = [&](const glint::FuncType& t) {
    for (size_t i = 0; i < types.size(); i++)
      if (types[i] == t) return uint32_t(i);
    types.push_back(t);
    return uint32_t(types.size() - 1);
  };
  std::vector<uint32_t> import_types;
  for (const auto& im : imports) import_types.push_back(type_of(im.type));
  uint32_t none = type_of({}), update = type_of({{ValType::F32}, {}});

  Bytes out = module_header(), sec;
  put_u32(sec, types.size());
  for (const auto& t : types) {
    sec.push_back(0x60);
    put_u32(sec, t.params.size());
    for (ValType v : t.params) sec.push_back(uint8_t(v));
    put_u32(sec, t.results.size());
    for (ValType v : t.results) sec.push_back(uint8_t(v));
  }
  put_section(out, 1, sec);
  sec.clear();
  put_u32(sec, imports.size());
  for (size_t i = 0; i < imports.size(); i++) {
    put_name(sec, "glint");
    put_name(sec, imports[i].name);
    sec.push_back(0x00);
    put_u32(sec, import_types[i]);
  }
  put_section(out, 2, sec);
  sec.clear();
  put_u32(sec, 3);  // init, update, draw
  put_u32(sec, none), put_u32(sec, update), put_u32(sec, none);
  put_section(out, 3, sec);
  sec.clear();
  put_u32(sec, 1), sec.push_back(0x00), put_u32(sec, 1);  // memory: 1 page
  put_section(out, 5, sec);
  sec.clear();
  uint32_t first = uint32_t(imports.size());
  put_u32(sec, 4);
  put_name(sec, "init"), sec.push_back(0x00), put_u32(sec, first);
  put_name(sec, "update"), sec.push_back(0x00), put_u32(sec, first + 1);
  put_name(sec, "draw"), sec.push_back(0x00), put_u32(sec, first + 2);
  put_name(sec, "memory"), sec.push_back(0x02), put_u32(sec, 0);
  put_section(out, 7, sec);
  // Data first in the input, so the strings the calls point at are the fuzzer's too.
  Bytes data;
  for (uint32_t i = 0, n = s.below(200); i < n; i++) data.push_back(s.byte());
  sec.clear();
  put_u32(sec, 3);
  for (int f = 0; f < 3; f++) {
    Bytes b = body(s, imports, 24);
    sec.insert(sec.end(), b.begin(), b.end());
  }
  put_section(out, 10, sec);
  Bytes d;
  put_u32(d, 1);
  d.push_back(0x00);
  d.push_back(0x41), put_s64(d, 0), d.push_back(0x0B);
  put_u32(d, data.size());
  d.insert(d.end(), data.begin(), data.end());
  put_section(out, 11, d);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<glint::host::ApiImport> imports = glint::host::api_imports();
  Source s(data, size);
  Bytes wasm = guest(s, imports);
  auto game = HeadlessHost::get().game();
  glint::host::GuestModule& m = game->add_module("fuzz_guest.wasm", wasm);
  if (!m.module) {
    std::fprintf(stderr, "fuzz_host: the generated guest does not load: %s\n", m.error.c_str());
    std::abort();
  }
  for (int frame = 0; frame < 2; frame++) {
    game->update();
    game->draw();
    game->end_frame();
  }
  return 0;
}
