// WASI preview1 ("wasi_snapshot_preview1") for ordinary C (wasi-libc) and Rust std programs,
// and its predecessor snapshot 0 ("wasi_unstable", which older toolchains still emit): the same
// calls with snapshot 0's own layouts where they differ (fd_seek's whence, filestat,
// poll_oneoff's subscriptions).
//
//   glint::Linker linker;
//   glint::wasi::add_to_linker(linker, {.args = {"prog", "x"}, .preopens = {{"data", "/data"}}});
//   auto code = glint::wasi::run_command(store, linker, module);   // Result<int>: exit code
//
// Preopened directories are a sandbox: guest paths are resolved inside them, `..` cannot leave
// them, and symbolic links are followed only while they stay inside (a link to `/`, or one
// whose target leads out through `..`, is refused with ENOTCAPABLE; absolute links always).
// The check and the open are one step (openat2 with RESOLVE_BENEATH, or a walk of O_NOFOLLOW
// opens from directory fds), so nothing can swap a link in between. Calls that are not
// implemented return ENOSYS.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "glint/glint.h"

namespace glint::wasi {

struct Preopen {
  std::string host_path, guest_path;
};

struct Config {
  std::vector<std::string> args;  // argv; args[0] is the program name
  std::vector<std::string> env;   // "K=V"
  std::vector<Preopen> preopens;
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;  // host fds behind guest fds 0..2
};

class Context;  // fd table and state; kept alive by the host functions that use it

// Adds every wasi_snapshot_preview1 and wasi_unstable import to the linker.
std::shared_ptr<Context> add_to_linker(Linker& linker, Config config);

// Instantiates `module` and runs `_start`; returns the exit code (0 if _start returns), or an
// Error for a trap or link failure.
Result<int> run_command(Store& store, Linker& linker, std::shared_ptr<const Module> module);

}  // namespace glint::wasi
