// WASI state: the guest's file descriptor table and the sandboxed path resolution behind it.
#pragma once
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "glint/wasi.h"

namespace glint::wasi {

// WASI errno values (preview1).
enum Errno : int32_t {
  kSuccess = 0,
  kAcces = 2,
  kAgain = 6,
  kBadf = 8,
  kExist = 20,
  kFault = 21,
  kInval = 28,
  kIo = 29,
  kIsdir = 31,
  kLoop = 32,
  kMfile = 33,
  kNametoolong = 37,
  kNoent = 44,
  kNosys = 52,
  kNotdir = 54,
  kNotempty = 55,
  kNotsup = 58,
  kPerm = 63,
  kSpipe = 70,
  kXdev = 75,
  kNotcapable = 76,
};
int32_t errno_from_host(int e);

enum FileType : uint8_t {
  kUnknown = 0,
  kBlockDevice = 1,
  kCharDevice = 2,
  kDirectory = 3,
  kRegularFile = 4,
  kSocketDgram = 5,
  kSocketStream = 6,
  kSymlink = 7,
};

struct FdEntry {
  int host = -1;  // host file descriptor, -1 when the slot is free
  bool is_dir = false;
  std::string preopen;  // guest path for preopened directories, else empty
  bool owned = true;    // close the host fd when the guest closes it
};

class Context {
 public:
  explicit Context(Config config);
  ~Context();

  const Config& config() const { return config_; }
  FdEntry* get(int32_t fd);
  int32_t add(FdEntry e);  // the lowest free guest fd
  int32_t close(int32_t fd);

  // Paths are resolved beneath the directory `dirfd`: symbolic links are followed while they
  // stay inside it; absolute paths, `..` above it and links that lead out (to `/`, or through
  // `..` past it) are refused with ENOTCAPABLE. No race between check and use: the kernel
  // resolves with openat2's RESOLVE_BENEATH where it has it, else each component is opened
  // from the fd of the one before with O_NOFOLLOW and links are followed by hand
  // (GLINT_WASI_NO_OPENAT2=1 forces that path, for tests).

  // Opens `path` with open(2) `flags` (O_NOFOLLOW is added unless `follow_final`). Returns a
  // WASI errno; on success `out_fd` is the new host fd.
  int32_t open_beneath(int32_t dirfd, std::string_view path, int flags, mode_t mode,
                       bool follow_final, int& out_fd);
  // Opens the directory that holds `path`'s last component (following links on the way, not
  // the last one), for calls that act on a name in a directory (mkdir, unlink, rename, stat of
  // a link). On success `parent` is an owned O_PATH fd and `name` the last component ("." for
  // the directory itself).
  int32_t resolve_parent(int32_t dirfd, std::string_view path, int& parent, std::string& name);

 private:
  Config config_;
  std::vector<FdEntry> fds_;
};

}  // namespace glint::wasi
