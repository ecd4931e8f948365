// glint-code-hash [-v] FILE.wasm...: a hash of the slot code each module translates to (and of
// each function with -v), for checking that a change to the loader leaves the code it emits the
// same: run two builds on the same files in the same order and compare (see bench/README.md).
// Handler addresses are hashed as IOp numbers, jump targets as code indexes and callees as
// function indexes, so the hashes do not depend on where the binary or the code sits. Type ids
// (call_indirect) are interned process-wide, so they depend on the modules loaded before.
#include <xxhash.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

#include "compile/code.h"
#include "glint/glint.h"

using namespace glint;
using namespace glint::detail;

int main(int argc, char** argv) {
  bool verbose = argc > 1 && std::strcmp(argv[1], "-v") == 0;
  const void* const* handlers = handler_table();
  std::unordered_map<const void*, uint64_t> iop_of;
  for (size_t i = 0; i < size_t(IOp::Count); i++) iop_of.emplace(handlers[i], i);
  for (int a = verbose ? 2 : 1; a < argc; a++) {
    auto m = Module::load_file(argv[a]);
    if (!m) {
      std::printf("%s: error %s\n", argv[a], m.error().message.c_str());
      continue;
    }
    const CompiledModule& cm = (*m)->compiled();
    std::unordered_map<const void*, uint64_t> func_of;
    for (size_t f = 0; f < cm.funcs.size(); f++) func_of.emplace(&cm.funcs[f], f);
    XXH3_state_t* all = XXH3_createState();
    XXH3_64bits_reset(all);
    size_t cells = 0;
    for (size_t f = 0; f < cm.funcs.size(); f++) {
      const CompiledFunc& fn = cm.funcs[f];
      std::string s;
      auto put = [&s](char tag, uint64_t v) {
        s += tag;
        s.append(reinterpret_cast<const char*>(&v), 8);
      };
      put('N', fn.frame_slots);
      put('N', fn.num_locals);
      put('N', fn.zeroed_slots);
      for (const Cell& c : fn.code) {
        auto h = iop_of.find(c.op);
        auto g = func_of.find(c.op);
        if (h != iop_of.end())
          put('H', h->second);
        else if (g != func_of.end())
          put('F', g->second);
        else if (c.target >= fn.code.data() && c.target <= fn.code.data() + fn.code.size() &&
                 c.u > 0x10000)
          put('T', uint64_t(c.target - fn.code.data()));
        else
          put('V', c.u);
      }
      for (const OffsetEntry& e : fn.offsets)
        put('O', uint64_t(e.code_index) << 32 | e.wasm_offset);
      for (const OffsetEntry& e : fn.later_accesses)
        put('L', uint64_t(e.code_index) << 32 | e.wasm_offset);
      for (const LocalLag& l : fn.local_lags) {
        put('G', uint64_t(l.code_begin) << 32 | l.code_end);
        put('g', uint64_t(l.local) << 32 | l.delta);
        put('d', l.dead);
      }
      cells += fn.code.size();
      uint64_t h = XXH3_64bits(s.data(), s.size());
      if (verbose)
        std::printf("  func %zu: %zu cells %016llx\n", f, fn.code.size(), (unsigned long long)h);
      XXH3_64bits_update(all, &h, sizeof h);
    }
    std::printf("%s: %zu funcs %zu cells %016llx\n", argv[a], cm.funcs.size(), cells,
                (unsigned long long)XXH3_64bits_digest(all));
    XXH3_freeState(all);
  }
}
