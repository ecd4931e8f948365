#include "wasi/context.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace glint::wasi {

int32_t errno_from_host(int e) {
  switch (e) {
    case 0:
      return kSuccess;
    case EACCES:
      return kAcces;
    case EAGAIN:
      return kAgain;
    case EBADF:
      return kBadf;
    case EEXIST:
      return kExist;
    case EFAULT:
      return kFault;
    case EINVAL:
      return kInval;
    case EISDIR:
      return kIsdir;
    case ELOOP:
      return kLoop;
    case EMFILE:
      return kMfile;
    case ENAMETOOLONG:
      return kNametoolong;
    case ENOENT:
      return kNoent;
    case ENOSYS:
      return kNosys;
    case ENOTDIR:
      return kNotdir;
    case ENOTEMPTY:
      return kNotempty;
    case EOPNOTSUPP:
      return kNotsup;
    case EPERM:
      return kPerm;
    case ESPIPE:
      return kSpipe;
    case EXDEV:
      return kXdev;
    default:
      return kIo;
  }
}

Context::Context(Config config) : config_(std::move(config)) {
  fds_.push_back({config_.stdin_fd, false, "", false});
  fds_.push_back({config_.stdout_fd, false, "", false});
  fds_.push_back({config_.stderr_fd, false, "", false});
  for (const auto& p : config_.preopens) {
    int fd = ::open(p.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;  // add_to_linker's caller checked it; a vanished dir is just absent
    fds_.push_back({fd, true, p.guest_path, true});
  }
}

Context::~Context() {
  for (auto& e : fds_)
    if (e.host >= 0 && e.owned) ::close(e.host);
}

FdEntry* Context::get(int32_t fd) {
  if (fd < 0 || size_t(fd) >= fds_.size() || fds_[fd].host < 0) return nullptr;
  return &fds_[fd];
}

int32_t Context::add(FdEntry e) {
  for (size_t i = 0; i < fds_.size(); i++)
    if (fds_[i].host < 0) {
      fds_[i] = std::move(e);
      return int32_t(i);
    }
  fds_.push_back(std::move(e));
  return int32_t(fds_.size() - 1);
}

int32_t Context::close(int32_t fd) {
  FdEntry* e = get(fd);
  if (!e) return kBadf;
  if (e->owned) ::close(e->host);
  *e = FdEntry{};
  return kSuccess;
}

// ---- paths beneath a directory -----------------------------------------------------------

namespace {

constexpr int kMaxSymlinks = 40;  // as Linux's own path walk
// (Strings are set to "." with assign(1, '.'): g++ 12 warns falsely, -Wrestrict, on = ".".)

// Splits a guest path into components; "" for an empty path. Absolute paths are refused by
// the caller.
std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

// The first n components as a relative path ("." for none).
std::string joined(const std::vector<std::string>& parts, size_t n) {
  std::string rel = ".";
  for (size_t i = 0; i < n; i++) {
    rel += '/';
    rel += parts[i];
  }
  return rel;
}

bool have_openat2() {
  static const bool have = [] {
    if (const char* off = std::getenv("GLINT_WASI_NO_OPENAT2"); off && *off && *off != '0')
      return false;
    open_how how{};
    how.flags = O_PATH | O_CLOEXEC;
    int fd = int(syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how));
    if (fd >= 0) ::close(fd);
    return fd >= 0 || errno != ENOSYS;
  }();
  return have;
}

// openat2 beneath `root`; EXDEV (the path or a link leads out) becomes ENOTCAPABLE.
int32_t open_kernel(int root, const std::string& rel, int flags, mode_t mode, int& out) {
  open_how how{};
  how.flags = uint64_t(flags | O_CLOEXEC);
  // A mode only with O_CREAT or O_TMPFILE (which includes O_DIRECTORY's bit): else EINVAL.
  how.mode = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? mode : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int tries = 0;; tries++) {
    out = int(syscall(SYS_openat2, root, rel.c_str(), &how, sizeof how));
    if (out >= 0) return kSuccess;
    if (errno == EAGAIN && tries < 16) continue;  // a rename raced the walk: walk again
    return errno == EXDEV ? int32_t(kNotcapable) : errno_from_host(errno);
  }
}

// The same by hand: a stack of directory fds from `root` down, each opened with O_NOFOLLOW
// from the one above; a component that is a link is read and its target's components are
// walked in its place (`..` pops the stack, never past `root`; an absolute target is refused).
class Walk {
 public:
  explicit Walk(int root) : root_(root) {}
  ~Walk() {
    for (int fd : dirs_) ::close(fd);
  }
  int top() const { return dirs_.empty() ? root_ : dirs_.back(); }

  // Walks `todo`, then what is still pending, up to the last component, which it returns in
  // `last` ("." if none).
  int32_t to_parent(std::vector<std::string> todo, std::string& last) {
    push(std::move(todo));
    while (!pending_.empty()) {
      std::string name = std::move(pending_.back());
      pending_.pop_back();
      if (name == ".") continue;
      if (name == "..") {
        if (dirs_.empty()) return kNotcapable;
        ::close(dirs_.back());
        dirs_.pop_back();
        continue;
      }
      if (pending_.empty()) {
        last.swap(name);
        return kSuccess;
      }
      int fd = ::openat(top(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0) {
        dirs_.push_back(fd);
        continue;
      }
      int err = errno;
      if (int32_t r = follow(name, err); r != kSuccess) return r;
    }
    last.assign(1, '.');
    return kSuccess;
  }

  // `name` in the current directory could not be opened as a directory: if it is a link, its
  // target's components are walked next; else the open's error stands.
  int32_t follow(const std::string& name, int open_errno) {
    char target[4096];
    ssize_t n = ::readlinkat(top(), name.c_str(), target, sizeof target - 1);
    if (n < 0) return errno_from_host(open_errno);
    if (++links_ > kMaxSymlinks) return kLoop;
    if (n == 0 || target[0] == '/') return kNotcapable;
    push(components(std::string_view(target, size_t(n))));
    return kSuccess;
  }

  void push(std::vector<std::string> parts) {  // walked before what is pending
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending_.push_back(std::move(*it));
  }

  // Opens the last component; a link there is followed (and the walk goes on) if asked.
  int32_t open_last(std::string last, int flags, mode_t mode, bool follow_final, int& out) {
    for (;;) {
      if (last == "..") {
        if (dirs_.empty()) return kNotcapable;
        ::close(dirs_.back());
        dirs_.pop_back();
        last.assign(1, '.');
      }
      out = ::openat(top(), last.c_str(), flags | O_NOFOLLOW | O_CLOEXEC, mode);
      int err = errno;
      if (out >= 0 && follow_final && (flags & O_PATH)) {  // O_PATH opens a link itself
        struct stat st;
        if (::fstat(out, &st) == 0 && S_ISLNK(st.st_mode)) {
          ::close(out);
          out = -1;
          err = ELOOP;
        }
      }
      if (out >= 0) return kSuccess;
      if (!follow_final || (err != ELOOP && err != ENOTDIR && err != EMLINK))
        return errno_from_host(err);
      if (int32_t r = follow(last, err); r != kSuccess) return r;
      if (int32_t r = to_parent({}, last); r != kSuccess) return r;
    }
  }

  int release_top() {  // the current directory, now owned by the caller
    if (dirs_.empty()) return ::fcntl(root_, F_DUPFD_CLOEXEC, 0);
    int fd = dirs_.back();
    dirs_.pop_back();
    return fd;
  }

 private:
  int root_;
  std::vector<int> dirs_;
  std::vector<std::string> pending_;
  int links_ = 0;
};

}  // namespace

int32_t Context::open_beneath(int32_t dirfd, std::string_view path, int flags, mode_t mode,
                              bool follow_final, int& out_fd) {
  FdEntry* dir = get(dirfd);
  if (!dir) return kBadf;
  if (!dir->is_dir) return kNotdir;
  if (!path.empty() && path[0] == '/') return kNotcapable;
  if (!follow_final) flags |= O_NOFOLLOW;
  auto parts = components(path);
  if (have_openat2()) {
    return open_kernel(dir->host, joined(parts, parts.size()), flags, mode, out_fd);
  }
  Walk walk(dir->host);
  std::string last;
  if (int32_t r = walk.to_parent(std::move(parts), last); r != kSuccess) return r;
  return walk.open_last(std::move(last), flags, mode, follow_final, out_fd);
}

int32_t Context::resolve_parent(int32_t dirfd, std::string_view path, int& parent,
                                std::string& name) {
  FdEntry* dir = get(dirfd);
  if (!dir) return kBadf;
  if (!dir->is_dir) return kNotdir;
  if (!path.empty() && path[0] == '/') return kNotcapable;
  auto parts = components(path);
  if (have_openat2()) {
    name = parts.empty() ? "." : parts.back();
    std::string rel = joined(parts, parts.empty() ? 0 : parts.size() - 1);
    if (name == "..") {  // `a/..` names the directory `a` is in: it is the parent, of "."
      rel += "/..";
      name.assign(1, '.');
    }
    return open_kernel(dir->host, rel, O_PATH | O_DIRECTORY, 0, parent);
  }
  Walk walk(dir->host);
  if (int32_t r = walk.to_parent(std::move(parts), name); r != kSuccess) return r;
  if (name == "..") {
    std::string dot;
    if (int32_t r = walk.to_parent({"..", "."}, dot); r != kSuccess) return r;
    name.assign(1, '.');
  }
  parent = walk.release_top();
  return parent >= 0 ? int32_t(kSuccess) : errno_from_host(errno);
}

}  // namespace glint::wasi
