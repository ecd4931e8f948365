// Internal: the groups of WASI functions, each registered by its own file, once per WASI version.
#pragma once
#include <memory>

#include "glint/wasi.h"

namespace glint::wasi {
class Context;

// The WASI versions a module may import. Snapshot 0 ("wasi_unstable", still emitted by older
// toolchains) has preview1's calls, numbers (errno, rights, flags, lookupflags, clock ids) and
// most layouts (fdstat, dirent, prestat, event); it differs in three places:
//   fd_seek whence       cur = 0, end = 1, set = 2 (preview1: set, cur, end)
//   filestat             56 bytes: nlink is a u32 at 20, then size, atim, mtim, ctim from 24
//                        (preview1: 64 bytes, nlink a u64 at 24)
//   subscription         56 bytes: a clock subscription starts with a u64 identifier at 16,
//                        then clock id, timeout, precision, flags (preview1: 48, no identifier)
struct Abi {
  const char* module;
  bool snapshot0;
};
inline constexpr Abi kPreview1{"wasi_snapshot_preview1", false};
inline constexpr Abi kSnapshot0{"wasi_unstable", true};

void add_fs(Linker& linker, const std::shared_ptr<Context>& ctx, Abi abi);    // wasi_fs.cpp
void add_proc(Linker& linker, const std::shared_ptr<Context>& ctx, Abi abi);  // wasi_proc.cpp
}  // namespace glint::wasi
