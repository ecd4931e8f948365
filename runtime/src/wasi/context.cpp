#include "wasi/context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

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

int32_t Context::resolve(int32_t dirfd, std::string_view path, int& out_dir, std::string& out_rel,
                         bool allow_final_symlink) {
  FdEntry* dir = get(dirfd);
  if (!dir) return kBadf;
  if (!dir->is_dir) return kNotdir;
  if (!path.empty() && path[0] == '/') return kNotcapable;
  // Normalize logically: `..` may only pop components this path pushed.
  std::vector<std::string> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string part(path.substr(i, j - i));
    i = j + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return kNotcapable;
      parts.pop_back();
      continue;
    }
    parts.push_back(std::move(part));
  }
  // No component on the way may be a symlink (it could point anywhere).
  std::string rel;
  for (size_t k = 0; k < parts.size(); k++) {
    rel += (k ? "/" : "") + parts[k];
    bool last = k + 1 == parts.size();
    struct stat st;
    if (fstatat(dir->host, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (last && errno == ENOENT) break;  // may be created
      return errno_from_host(errno);
    }
    if (S_ISLNK(st.st_mode) && !(last && allow_final_symlink)) return kNotcapable;
  }
  out_dir = dir->host;
  out_rel = rel.empty() ? "." : rel;
  return kSuccess;
}

}  // namespace glint::wasi
