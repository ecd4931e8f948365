// Fuzz target 4: snapshot and replay files (glint/snapshot.h, glint_host/replay.h). The first
// byte picks what the rest is:
//   0  a whole file, through unpack_file (header, sizes, checksum, zstd);
//   1  the content of an instance snapshot, packed with a valid header and checksum for the
//      instance's module (so the fuzzer gets past the checksum), decoded, checked and restored
//      into an instance of a generated module, which is then called;
//   2  the content of a replay, packed the same way, through decode_replay;
//   3  the content of a game snapshot, packed for a game of one generated module, through
//      Game::load_snapshot.
// Bad input must be refused with an error (the instance or game untouched); nothing may crash.
#include <cstdio>
#include <cstdlib>

#include "glint/snapshot.h"
#include "glint_host/replay.h"
#include "headless_game.h"
#include "wasm_gen.h"

namespace {

// A module with a memory, globals and a table, made once.
const std::shared_ptr<const glint::Module>& module() {
  static std::shared_ptr<const glint::Module> m = [] {
    static const uint8_t choices[] = {2, 1, 3, 0, 0, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    fuzzgen::Source src(choices, sizeof choices);
    auto loaded = glint::Module::load(fuzzgen::generate_module(src));
    if (!loaded) std::abort();
    return *loaded;
  }();
  return m;
}

std::vector<uint8_t> packed(glint::FileKind kind, uint64_t module_hash,
                            std::span<const uint8_t> content) {
  glint::PackedFile f;
  f.kind = kind;
  f.module_hash = module_hash;
  f.content.assign(content.begin(), content.end());
  return glint::pack_file(f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> rest(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)glint::unpack_file(rest);
      break;
    case 1: {
      glint::Store store;
      auto inst = glint::Linker().instantiate(store, module());
      if (!inst) std::abort();
      uint64_t hash = module()->content_hash();
      auto snap =
          glint::decode_snapshot(packed(glint::FileKind::InstanceSnapshot, hash, rest), hash);
      if (!snap) break;
      if (glint::check_restore(**inst, *snap) && glint::restore(**inst, *snap)) {
        store.set_fuel(10000);
        (void)(*inst)->invoke("f0", {});  // may trap (wrong arguments are an error too)
      }
      break;
    }
    case 2:
      (void)glint::host::decode_replay(packed(glint::FileKind::Replay, 0, rest));
      break;
    default: {
      auto game = fuzzgen::HeadlessHost::get().game();
      game->add_module("fuzz_guest.wasm", module()->bytes());
      (void)game->load_snapshot(packed(glint::FileKind::GameSnapshot, 0, rest));
      game->update();
      break;
    }
  }
  return 0;
}
