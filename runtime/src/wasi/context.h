// WASI state: the guest's file descriptor table and the sandboxed path resolution behind it.
#pragma once
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

  // Resolves `path` (relative, inside the directory `dirfd`) to a path relative to that
  // directory's host fd, refusing absolute paths, escapes through `..` and symlinks on the
  // way. Returns a WASI errno; on success `out_dir` is the host dir fd and `out_rel` the path.
  int32_t resolve(int32_t dirfd, std::string_view path, int& out_dir, std::string& out_rel,
                  bool allow_final_symlink = false);

 private:
  Config config_;
  std::vector<FdEntry> fds_;
};

}  // namespace glint::wasi
