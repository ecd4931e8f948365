// Fuzz target 2: structurally valid modules, made from the fuzzer's bytes by wasm_gen with every
// feature it knows (SIMD with relaxed SIMD, tail calls, exceptions, memory64, multi-memory), are
// loaded (they must load: a failure is a generator or validator bug), instantiated, and every
// export is called under fuel. Traps are fine; crashes, sanitizer reports and leaks are not.
#include <cstdio>
#include <cstdlib>

#include "glint/glint.h"
#include "wasm_gen.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzzgen::Source src(data, size);
  fuzzgen::GenOptions options;
  options.features = fuzzgen::kAllFeatures;
  fuzzgen::Bytes wasm = fuzzgen::generate_module(src, options);
  auto m = glint::Module::load(wasm);
  if (!m) {
    std::fprintf(stderr, "a generated module does not load: %s\n", m.error().to_string().c_str());
    std::abort();
  }
  glint::Store store;
  glint::Linker linker;
  store.set_fuel(100000);
  auto inst = linker.instantiate(store, *m);
  if (!inst) return 0;  // the data segment may not fit
  for (const auto& ex : (*m)->exports()) {
    glint::Function* f = (*inst)->func(ex.name);
    if (!f) continue;
    std::vector<glint::Value> args;
    for (glint::ValType t : f->type().params) args.push_back(glint::Value{t, 0x5555});
    store.set_fuel(100000);
    (void)store.call(f, args);
  }
  return 0;
}
