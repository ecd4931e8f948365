// WASI file descriptors and paths: fd_* and path_* calls over the sandboxed fd table.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "wasi/context.h"
#include "wasi/wasi_impl.h"

namespace glint::wasi {
namespace {

using Ctx = std::shared_ptr<Context>;

// Gathers a guest iovec array (struct { u32 buf; u32 len; }) into host iovecs; every buffer
// is bounds-checked (an out-of-bounds one traps the guest with the call's name). More than
// kMaxIovecs is EINVAL, as for readv/writev (callers check with too_many_iovecs).
constexpr uint32_t kMaxIovecs = 1024;
bool too_many_iovecs(int32_t n) { return uint32_t(n) > kMaxIovecs; }
std::vector<iovec> iovecs(Caller& c, uint32_t iovs, uint32_t n) {
  Memory& mem = c.memory();
  std::vector<iovec> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t buf = mem.load<uint32_t>(uint64_t(iovs) + 8ull * i);
    uint32_t len = mem.load<uint32_t>(uint64_t(iovs) + 8ull * i + 4);
    auto s = mem.span(buf, len);
    out.push_back({s.data(), s.size()});
  }
  return out;
}

uint8_t filetype(mode_t m) {
  if (S_ISREG(m)) return kRegularFile;
  if (S_ISDIR(m)) return kDirectory;
  if (S_ISCHR(m)) return kCharDevice;
  if (S_ISBLK(m)) return kBlockDevice;
  if (S_ISLNK(m)) return kSymlink;
  if (S_ISSOCK(m)) return kSocketStream;
  return kUnknown;
}

uint64_t nanos(const timespec& t) {
  return uint64_t(t.tv_sec) * 1000000000ull + uint64_t(t.tv_nsec);
}

// A filestat, in the layout of the module's WASI version (wasi_impl.h).
void write_filestat(Caller& c, Abi abi, uint32_t buf, const struct stat& st) {
  Memory& mem = c.memory();
  auto out = mem.span(buf, abi.snapshot0 ? 56 : 64);
  std::fill(out.begin(), out.end(), 0);
  mem.store<uint64_t>(buf + 0, st.st_dev);
  mem.store<uint64_t>(buf + 8, st.st_ino);
  mem.store<uint8_t>(buf + 16, filetype(st.st_mode));
  uint32_t size_at = 32;  // size, atim, mtim, ctim follow
  if (abi.snapshot0) {
    mem.store<uint32_t>(buf + 20, uint32_t(st.st_nlink));
    size_at = 24;
  } else {
    mem.store<uint64_t>(buf + 24, st.st_nlink);
  }
  mem.store<uint64_t>(buf + size_at, uint64_t(st.st_size));
  mem.store<uint64_t>(buf + size_at + 8, nanos(st.st_atim));
  mem.store<uint64_t>(buf + size_at + 16, nanos(st.st_mtim));
  mem.store<uint64_t>(buf + size_at + 24, nanos(st.st_ctim));
}

// A path argument. One of PATH_MAX bytes or more is not read from the guest: a stand-in of
// PATH_MAX bytes takes its place, and the call fails with ENAMETOOLONG as the kernel says.
std::string guest_path(Caller& c, uint32_t ptr, uint32_t len) {
  if (len >= PATH_MAX) return std::string(PATH_MAX, 'x');
  return std::string(c.memory().string(ptr, len));
}

// A host fd closed when it goes out of scope.
struct HostFd {
  int fd = -1;
  HostFd() = default;
  HostFd(const HostFd&) = delete;
  ~HostFd() {
    if (fd >= 0) ::close(fd);
  }
};

constexpr int32_t kLookupFollow = 1;  // lookupflags: symlink_follow
constexpr uint64_t kRightRead = 1ull << 1, kRightWrite = 1ull << 6, kRightReaddir = 1ull << 14,
                   kRightSetSize = 1ull << 22;

}  // namespace

void add_fs(Linker& l, const Ctx& ctx, Abi abi) {
  const char* m = abi.module;
  l.func(m, "fd_write", [ctx](Caller& c, int32_t fd, int32_t iovs, int32_t n, int32_t nwritten) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    if (too_many_iovecs(n)) return int32_t(kInval);
    auto v = iovecs(c, uint32_t(iovs), uint32_t(n));
    ssize_t r = ::writev(e->host, v.data(), int(v.size()));
    if (r < 0) return errno_from_host(errno);
    c.memory().store<uint32_t>(uint32_t(nwritten), uint32_t(r));
    return int32_t(kSuccess);
  });
  l.func(m, "fd_read", [ctx](Caller& c, int32_t fd, int32_t iovs, int32_t n, int32_t nread) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    if (e->is_dir) return int32_t(kIsdir);
    if (too_many_iovecs(n)) return int32_t(kInval);
    auto v = iovecs(c, uint32_t(iovs), uint32_t(n));
    ssize_t r = ::readv(e->host, v.data(), int(v.size()));
    if (r < 0) return errno_from_host(errno);
    c.memory().store<uint32_t>(uint32_t(nread), uint32_t(r));
    return int32_t(kSuccess);
  });
  l.func(m, "fd_pread",
         [ctx](Caller& c, int32_t fd, int32_t iovs, int32_t n, int64_t offset, int32_t nread) {
           FdEntry* e = ctx->get(fd);
           if (!e) return int32_t(kBadf);
           if (too_many_iovecs(n)) return int32_t(kInval);
           auto v = iovecs(c, uint32_t(iovs), uint32_t(n));
           ssize_t r = ::preadv(e->host, v.data(), int(v.size()), off_t(offset));
           if (r < 0) return errno_from_host(errno);
           c.memory().store<uint32_t>(uint32_t(nread), uint32_t(r));
           return int32_t(kSuccess);
         });
  l.func(m, "fd_pwrite",
         [ctx](Caller& c, int32_t fd, int32_t iovs, int32_t n, int64_t offset, int32_t nwritten) {
           FdEntry* e = ctx->get(fd);
           if (!e) return int32_t(kBadf);
           if (too_many_iovecs(n)) return int32_t(kInval);
           auto v = iovecs(c, uint32_t(iovs), uint32_t(n));
           ssize_t r = ::pwritev(e->host, v.data(), int(v.size()), off_t(offset));
           if (r < 0) return errno_from_host(errno);
           c.memory().store<uint32_t>(uint32_t(nwritten), uint32_t(r));
           return int32_t(kSuccess);
         });
  l.func(m, "fd_close", [ctx](int32_t fd) { return ctx->close(fd); });
  l.func(m, "fd_seek",
         [ctx, abi](Caller& c, int32_t fd, int64_t offset, int32_t whence, int32_t newoffset) {
           FdEntry* e = ctx->get(fd);
           if (!e) return int32_t(kBadf);
           if (whence < 0 || whence > 2) return int32_t(kInval);
           static const int kWhence[] = {SEEK_SET, SEEK_CUR, SEEK_END};
           static const int kWhence0[] = {SEEK_CUR, SEEK_END, SEEK_SET};  // snapshot 0
           off_t r = ::lseek(e->host, off_t(offset), (abi.snapshot0 ? kWhence0 : kWhence)[whence]);
           if (r < 0) return errno_from_host(errno);
           c.memory().store<uint64_t>(uint32_t(newoffset), uint64_t(r));
           return int32_t(kSuccess);
         });
  l.func(m, "fd_tell", [ctx](Caller& c, int32_t fd, int32_t out) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    off_t r = ::lseek(e->host, 0, SEEK_CUR);
    if (r < 0) return errno_from_host(errno);
    c.memory().store<uint64_t>(uint32_t(out), uint64_t(r));
    return int32_t(kSuccess);
  });
  l.func(m, "fd_sync", [ctx](int32_t fd) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    return ::fsync(e->host) == 0 ? int32_t(kSuccess) : errno_from_host(errno);
  });
  l.func(m, "fd_datasync", [ctx](int32_t fd) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    return ::fdatasync(e->host) == 0 ? int32_t(kSuccess) : errno_from_host(errno);
  });
  l.func(m, "fd_fdstat_get", [ctx](Caller& c, int32_t fd, int32_t buf) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    struct stat st;
    if (::fstat(e->host, &st) != 0) return errno_from_host(errno);
    int fl = ::fcntl(e->host, F_GETFL);
    uint16_t flags = (fl & O_APPEND ? 1 : 0) | (fl & O_NONBLOCK ? 4 : 0);
    Memory& mem = c.memory();
    auto out = mem.span(uint32_t(buf), 24);
    std::fill(out.begin(), out.end(), 0);
    mem.store<uint8_t>(uint32_t(buf), filetype(st.st_mode));
    mem.store<uint16_t>(uint32_t(buf) + 2, flags);
    mem.store<uint64_t>(uint32_t(buf) + 8, ~0ull);   // all rights: the sandbox is the
    mem.store<uint64_t>(uint32_t(buf) + 16, ~0ull);  // preopen, not per-fd rights
    return int32_t(kSuccess);
  });
  l.func(m, "fd_fdstat_set_flags", [ctx](int32_t fd, int32_t flags) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    int fl = ::fcntl(e->host, F_GETFL);
    fl =
        (fl & ~(O_APPEND | O_NONBLOCK)) | (flags & 1 ? O_APPEND : 0) | (flags & 4 ? O_NONBLOCK : 0);
    return ::fcntl(e->host, F_SETFL, fl) == 0 ? int32_t(kSuccess) : errno_from_host(errno);
  });
  l.func(m, "fd_filestat_get", [ctx, abi](Caller& c, int32_t fd, int32_t buf) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    struct stat st;
    if (::fstat(e->host, &st) != 0) return errno_from_host(errno);
    write_filestat(c, abi, uint32_t(buf), st);
    return int32_t(kSuccess);
  });
  l.func(m, "fd_filestat_set_size", [ctx](int32_t fd, int64_t size) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    return ::ftruncate(e->host, off_t(size)) == 0 ? int32_t(kSuccess) : errno_from_host(errno);
  });
  l.func(m, "fd_prestat_get", [ctx](Caller& c, int32_t fd, int32_t buf) {
    FdEntry* e = ctx->get(fd);
    if (!e) return int32_t(kBadf);
    if (e->preopen.empty()) return int32_t(kBadf);
    c.memory().store<uint32_t>(uint32_t(buf), 0);  // tag 0: a directory
    c.memory().store<uint32_t>(uint32_t(buf) + 4, uint32_t(e->preopen.size()));
    return int32_t(kSuccess);
  });
  l.func(m, "fd_prestat_dir_name", [ctx](Caller& c, int32_t fd, int32_t path, int32_t len) {
    FdEntry* e = ctx->get(fd);
    if (!e || e->preopen.empty()) return int32_t(kBadf);
    if (uint32_t(len) < e->preopen.size()) return int32_t(kNametoolong);
    auto out = c.memory().span(uint32_t(path), e->preopen.size());
    std::copy(e->preopen.begin(), e->preopen.end(), out.begin());
    return int32_t(kSuccess);
  });
  l.func(m, "fd_readdir",
         [ctx](Caller& c, int32_t fd, int32_t buf, int32_t len, int64_t cookie, int32_t bufused) {
           FdEntry* e = ctx->get(fd);
           if (!e) return int32_t(kBadf);
           if (!e->is_dir) return int32_t(kNotdir);
           int dupfd = ::openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
           DIR* d = dupfd >= 0 ? ::fdopendir(dupfd) : nullptr;
           if (!d) return errno_from_host(errno);
           // Entry i has cookie i + 1; each is a 24-byte dirent followed by its name. The last one
           // may be cut short: the guest sees bufused == len and asks again from its cookie.
           Memory& mem = c.memory();
           auto out = mem.span(uint32_t(buf), uint32_t(len));
           size_t used = 0;
           uint64_t index = 0;
           while (dirent* de = ::readdir(d)) {
             if (index++ < uint64_t(cookie)) continue;
             std::string name = de->d_name;
             uint8_t rec[24] = {};
             uint64_t next = index, ino = de->d_ino;
             uint32_t namlen = uint32_t(name.size());
             uint8_t type = de->d_type == DT_DIR   ? kDirectory
                            : de->d_type == DT_REG ? kRegularFile
                            : de->d_type == DT_LNK ? kSymlink
                                                   : kUnknown;
             std::memcpy(rec, &next, 8);
             std::memcpy(rec + 8, &ino, 8);
             std::memcpy(rec + 16, &namlen, 4);
             rec[20] = type;
             for (size_t k = 0; k < 24 && used < out.size(); k++) out[used++] = rec[k];
             for (size_t k = 0; k < name.size() && used < out.size(); k++)
               out[used++] = uint8_t(name[k]);
             if (used >= out.size()) break;
           }
           ::closedir(d);
           mem.store<uint32_t>(uint32_t(bufused), uint32_t(used));
           return int32_t(kSuccess);
         });
  l.func(
      m, "path_open",
      [ctx](Caller& c, int32_t dirfd, int32_t lookup, int32_t path, int32_t path_len,
            int32_t oflags, int64_t rights, int64_t inheriting, int32_t fdflags, int32_t out_fd) {
        (void)inheriting;
        bool want_write = uint64_t(rights) & (kRightWrite | kRightSetSize);
        bool want_read = uint64_t(rights) & (kRightRead | kRightReaddir);
        int flags = want_write ? (want_read ? O_RDWR : O_WRONLY) : O_RDONLY;
        if (oflags & 1) flags |= O_CREAT;
        if (oflags & 2) flags |= O_DIRECTORY;
        if (oflags & 4) flags |= O_EXCL;
        if (oflags & 8) flags |= O_TRUNC;
        if (fdflags & 1) flags |= O_APPEND;
        if (fdflags & 4) flags |= O_NONBLOCK;
        int fd;
        int32_t err = ctx->open_beneath(dirfd, guest_path(c, uint32_t(path), uint32_t(path_len)),
                                        flags, 0644, lookup & kLookupFollow, fd);
        if (err) return err;
        struct stat st;
        ::fstat(fd, &st);
        int32_t gfd = ctx->add({fd, S_ISDIR(st.st_mode), "", true});
        c.memory().store<uint32_t>(uint32_t(out_fd), uint32_t(gfd));
        return int32_t(kSuccess);
      });
  l.func(
      m, "path_filestat_get",
      [ctx, abi](Caller& c, int32_t dirfd, int32_t flags, int32_t path, int32_t len, int32_t buf) {
        std::string p = guest_path(c, uint32_t(path), uint32_t(len));
        struct stat st;
        if (flags & kLookupFollow) {  // the file a link leads to, if it stays inside
          HostFd fd;
          int32_t err = ctx->open_beneath(dirfd, p, O_PATH, 0, true, fd.fd);
          if (err) return err;
          if (::fstat(fd.fd, &st) != 0) return errno_from_host(errno);
        } else {  // a link itself
          HostFd parent;
          std::string name;
          int32_t err = ctx->resolve_parent(dirfd, p, parent.fd, name);
          if (err) return err;
          if (::fstatat(parent.fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
            return errno_from_host(errno);
        }
        write_filestat(c, abi, uint32_t(buf), st);
        return int32_t(kSuccess);
      });
  // Calls on a name in a directory: the directory is resolved (links on the way followed
  // beneath the preopen), the call acts on the name in it and never follows it.
  auto on_name = [ctx](Caller& c, int32_t dirfd, int32_t path, int32_t len, auto&& act) {
    HostFd parent;
    std::string name;
    int32_t err =
        ctx->resolve_parent(dirfd, guest_path(c, uint32_t(path), uint32_t(len)), parent.fd, name);
    if (err) return err;
    return act(parent.fd, name.c_str()) == 0 ? int32_t(kSuccess) : errno_from_host(errno);
  };
  l.func(m, "path_create_directory",
         [on_name](Caller& c, int32_t dirfd, int32_t path, int32_t len) {
           return on_name(c, dirfd, path, len,
                          [](int dir, const char* name) { return ::mkdirat(dir, name, 0755); });
         });
  l.func(m, "path_remove_directory",
         [on_name](Caller& c, int32_t dirfd, int32_t path, int32_t len) {
           return on_name(c, dirfd, path, len, [](int dir, const char* name) {
             return ::unlinkat(dir, name, AT_REMOVEDIR);
           });
         });
  l.func(m, "path_unlink_file", [on_name](Caller& c, int32_t dirfd, int32_t path, int32_t len) {
    return on_name(c, dirfd, path, len,
                   [](int dir, const char* name) { return ::unlinkat(dir, name, 0); });
  });
  l.func(m, "path_rename",
         [ctx](Caller& c, int32_t fd, int32_t old_path, int32_t old_len, int32_t new_fd,
               int32_t new_path, int32_t new_len) {
           HostFd old_dir, new_dir;
           std::string old_name, new_name;
           int32_t err = ctx->resolve_parent(
               fd, guest_path(c, uint32_t(old_path), uint32_t(old_len)), old_dir.fd, old_name);
           if (err) return err;
           err = ctx->resolve_parent(new_fd, guest_path(c, uint32_t(new_path), uint32_t(new_len)),
                                     new_dir.fd, new_name);
           if (err) return err;
           return ::renameat(old_dir.fd, old_name.c_str(), new_dir.fd, new_name.c_str()) == 0
                      ? int32_t(kSuccess)
                      : errno_from_host(errno);
         });
}

}  // namespace glint::wasi
