// Dirty page tracking with userfaultfd's asynchronous write protection (dirty_pages.h).
#include "snapshot/dirty_pages.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace glint::detail {

namespace {

// Linux 6.7's uapi (linux/fs.h, linux/userfaultfd.h), which Debian 12's headers predate.
struct PmScanArg {
  uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
      category_mask, category_anyof_mask, return_mask;
};
struct PageRegion {
  uint64_t start, end, categories;
};
constexpr unsigned long kPagemapScan = _IOWR('f', 16, PmScanArg);
constexpr uint64_t kScanWpMatching = 1 << 0, kScanCheckWpAsync = 1 << 1;
constexpr uint64_t kPageIsWritten = 1 << 1;
constexpr uint64_t kFeatureWpUnpopulated = 1 << 13, kFeatureWpAsync = 1 << 15;
constexpr int kUserModeOnly = 1;  // UFFD_USER_MODE_ONLY: allowed without privileges

}  // namespace

std::unique_ptr<DirtyPages> DirtyPages::start(Memory& mem) {
  if (mem.dirty_ || !mem.base_) return nullptr;
  int uffd = int(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | kUserModeOnly));
  if (uffd < 0) return nullptr;
  uffdio_api api{};
  api.api = UFFD_API;
  api.features = kFeatureWpAsync | kFeatureWpUnpopulated;
  int pagemap = ioctl(uffd, UFFDIO_API, &api) == 0 ? open("/proc/self/pagemap", O_RDONLY) : -1;
  if (pagemap < 0) {
    close(uffd);
    return nullptr;
  }
  std::unique_ptr<DirtyPages> d(new DirtyPages(mem, uffd, pagemap));
  std::vector<uint32_t> scratch;
  if (!d->watch(0, mem.size_) || !d->collect(scratch)) return nullptr;  // PAGEMAP_SCAN works?
  mem.dirty_ = d.get();
  return d;
}

DirtyPages::~DirtyPages() {
  if (watched_) {
    uffdio_range r{uint64_t(uintptr_t(mem_.base_)), watched_};
    ioctl(uffd_, UFFDIO_UNREGISTER, &r);
  }
  close(pagemap_);
  close(uffd_);
  if (mem_.dirty_ == this) mem_.dirty_ = nullptr;
}

bool DirtyPages::watch(uint64_t from, uint64_t to) {
  if (from >= to) return true;
  uffdio_register reg{};
  reg.range = {uint64_t(uintptr_t(mem_.base_ + from)), to - from};
  reg.mode = UFFDIO_REGISTER_MODE_WP;
  uffdio_writeprotect wp{};
  wp.range = reg.range;
  wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
  if (ioctl(uffd_, UFFDIO_REGISTER, &reg) != 0 || ioctl(uffd_, UFFDIO_WRITEPROTECT, &wp) != 0)
    return false;
  watched_ = to;
  return true;
}

bool DirtyPages::collect(std::vector<uint32_t>& pages) {
  uint64_t size = mem_.size_, base = uint64_t(uintptr_t(mem_.base_));
  if (size > watched_) {  // grown: the new pages are written as far as anyone knows
    for (uint64_t p = watched_ / kSnapshotPage; p < size / kSnapshotPage; p++)
      pages.push_back(uint32_t(p));
    uint64_t from = watched_;
    if (!watch(from, size)) return false;
    size = from;  // the new pages are listed: scan the rest
  }
  regions_.resize(3 * 256);
  for (uint64_t at = base; at < base + size;) {
    PmScanArg arg{};
    arg.size = sizeof arg;
    arg.flags = kScanWpMatching | kScanCheckWpAsync;
    arg.start = at;
    arg.end = base + size;
    arg.vec = uint64_t(uintptr_t(regions_.data()));
    arg.vec_len = regions_.size() / 3;
    arg.category_mask = kPageIsWritten;
    arg.return_mask = kPageIsWritten;
    long n = ioctl(pagemap_, kPagemapScan, &arg);
    if (n < 0) return false;
    auto* found = reinterpret_cast<const PageRegion*>(regions_.data());
    for (long i = 0; i < n; i++)
      for (uint64_t a = found[i].start; a < found[i].end; a += kSnapshotPage)
        pages.push_back(uint32_t((a - base) / kSnapshotPage));
    if (arg.walk_end <= at) return false;  // no progress: should not happen
    at = arg.walk_end;
  }
  return true;
}

}  // namespace glint::detail
