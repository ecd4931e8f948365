// Dirty page tracking with userfaultfd's asynchronous write protection (dirty_pages.h).
#include "snapshot/dirty_pages.h"

#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iterator>
#include <mutex>
#include <string_view>

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
constexpr uint64_t kPageIsWritten = 1 << 1, kPageIsPresent = 1 << 3, kPageIsSwapped = 1 << 4,
                   kPageIsPfnZero = 1 << 5;
constexpr uint64_t kFeatureWpUnpopulated = 1 << 13, kFeatureWpAsync = 1 << 15;
constexpr int kUserModeOnly = 1;  // UFFD_USER_MODE_ONLY: allowed without privileges

std::atomic<bool> g_allowed{true};

unsigned open_after_default() {
  const char* env = std::getenv("GLINT_OPEN_HOT_PAGES");
  return env && *env ? unsigned(std::atoi(env)) : 3;
}
std::atomic<unsigned> g_open_after{open_after_default()};

// GLINT_KERNEL_TRACKING=0: compare pages instead, as where the kernel cannot (for benches).
bool kernel_tracking_wanted() {
  static const bool wanted = [] {
    const char* env = std::getenv("GLINT_KERNEL_TRACKING");
    return !(env && std::string_view(env) == "0");
  }();
  return wanted;
}

// /proc/self/pagemap, opened once for all memories (opening it took a few hundredths of a
// millisecond of a memory's first capture); again in a forked child, whose "self" is another.
int process_pagemap() {
  static std::mutex mutex;
  static int fd = -1;
  static pid_t pid = 0;
  std::lock_guard lock(mutex);
  if (fd < 0 || pid != getpid()) {
    fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    pid = getpid();
  }
  return fd;
}

// Appends the pages in [from, to) (addresses) that PAGEMAP_SCAN finds present but for the shared
// zero page, or swapped out.
bool scan_maybe_not_zeros(int pagemap, uint64_t base, uint64_t from, uint64_t to,
                          std::vector<uint32_t>& out) {
  PageRegion found[256];
  for (uint64_t at = from; at < to;) {
    PmScanArg arg{};
    arg.size = sizeof arg;
    arg.start = at;
    arg.end = to;
    arg.vec = uint64_t(uintptr_t(found));
    arg.vec_len = std::size(found);
    arg.category_inverted = kPageIsPfnZero;  // not the zero page
    arg.category_mask = kPageIsPfnZero;
    arg.category_anyof_mask = kPageIsPresent | kPageIsSwapped;  // and present or swapped
    arg.return_mask = kPageIsPresent | kPageIsSwapped;
    long n = ioctl(pagemap, kPagemapScan, &arg);
    if (n < 0 || arg.walk_end <= at) return false;
    for (long i = 0; i < n; i++)
      for (uint64_t a = found[i].start; a < found[i].end; a += kSnapshotPage)
        out.push_back(uint32_t((a - base) / kSnapshotPage));
    at = arg.walk_end;
  }
  return true;
}

}  // namespace

bool pages_maybe_not_zeros(const Memory& mem, uint64_t from_page, uint64_t to_page,
                           std::vector<uint32_t>& out) {
  if (from_page >= to_page) return true;
  if (!mem.base_ || !g_allowed || !kernel_tracking_wanted()) return false;
  int pagemap = process_pagemap();
  if (pagemap < 0) return false;
  size_t had = out.size();
  uint64_t base = uint64_t(uintptr_t(mem.base_));
  auto address = [&](uint64_t page) { return base + page * kSnapshotPage; };
  // Resident pages (mincore, 16 MiB: 0.01 ms) may hold anything. One that is not may still be
  // swapped out, which only PAGEMAP_SCAN tells, at 0.05 ms for 16 MiB of pages in use (next to
  // nothing where none is), so it looks only at the runs of pages that are not resident, or
  // at all of them if there are many runs.
  static thread_local std::vector<unsigned char> resident;
  static thread_local std::vector<std::pair<uint64_t, uint64_t>> gaps;
  resident.resize(to_page - from_page);
  gaps.clear();
  if (mincore(mem.base_ + from_page * kSnapshotPage, (to_page - from_page) * kSnapshotPage,
              resident.data()) != 0) {
    gaps.push_back({from_page, to_page});
  } else {
    for (uint64_t p = from_page; p < to_page;) {
      if (resident[p - from_page] & 1) {
        out.push_back(uint32_t(p++));
        continue;
      }
      uint64_t gap = p;
      while (p < to_page && !(resident[p - from_page] & 1)) p++;
      gaps.push_back({gap, p});
    }
    constexpr size_t kFewGaps = 8;
    if (gaps.size() > kFewGaps) {
      out.resize(had);
      gaps.assign(1, {from_page, to_page});
    }
  }
  size_t resident_end = out.size();
  for (auto [a, b] : gaps)
    if (!scan_maybe_not_zeros(pagemap, base, address(a), address(b), out)) {
      out.resize(had);
      return false;
    }
  std::inplace_merge(out.begin() + ptrdiff_t(had), out.begin() + ptrdiff_t(resident_end),
                     out.end());
  return true;
}

void DirtyPages::allow_kernel_tracking(bool allow) { g_allowed = allow; }
void DirtyPages::set_open_after(unsigned refreshes) { g_open_after = refreshes; }

DirtyPages* DirtyPages::of(Memory& mem, bool refresh) {
  if (mem.dirty_) return mem.dirty_->broken_ ? nullptr : mem.dirty_.get();
  if (!mem.base_ || !g_allowed || !kernel_tracking_wanted()) return nullptr;
  int uffd = int(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | kUserModeOnly));
  int pagemap = -1;
  if (uffd >= 0) {
    uffdio_api api{};
    api.api = UFFD_API;
    api.features = kFeatureWpAsync | kFeatureWpUnpopulated;
    if (ioctl(uffd, UFFDIO_API, &api) == 0) pagemap = process_pagemap();
  }
  mem.dirty_.reset(new DirtyPages(mem, uffd, pagemap));
  DirtyPages& d = *mem.dirty_;
  // Every page counts as written at first; the first refresh protects them all, and shows
  // that PAGEMAP_SCAN works (the caller's, if not here).
  d.broken_ = pagemap < 0 || !d.watch(0, mem.size_);
  d.stamps_.assign(mem.size_ / kSnapshotPage, d.generation_);
  if (!d.broken_ && refresh) d.refresh();
  return d.broken_ ? nullptr : &d;
}

DirtyPages::~DirtyPages() {
  if (watched_) {
    uffdio_range r{uint64_t(uintptr_t(mem_.base_)), watched_};
    ioctl(uffd_, UFFDIO_UNREGISTER, &r);
  }
  if (uffd_ >= 0) close(uffd_);
}

// Registers only: the next refresh's scan protects the pages there (they read as written until
// then, and are stamped as written anyway). Protecting them here as well, with
// UFFDIO_WRITEPROTECT, cost 0.6 ms of a 16 MiB memory's first capture for nothing.
bool DirtyPages::watch(uint64_t from, uint64_t to) {
  if (from >= to) return true;
  uffdio_register reg{};
  reg.range = {uint64_t(uintptr_t(mem_.base_ + from)), to - from};
  reg.mode = UFFDIO_REGISTER_MODE_WP;
  if (ioctl(uffd_, UFFDIO_REGISTER, &reg) != 0) return false;
  watched_ = to;
  return true;
}

void DirtyPages::stamp(uint64_t page) {
  if (page >= stamps_.size()) stamps_.resize(page + 1, 0);
  stamps_[page] = generation_;
}

void DirtyPages::mark(uint64_t from_page, uint64_t to_page) {
  generation_++;
  found_is_latest_ = false;
  for (uint64_t p = from_page; p < to_page; p++) stamp(p);
}

void DirtyPages::unprotect(uint64_t from_page, uint64_t to_page) {
  write_protect(from_page, to_page, false);
}

// false: not protected, so written as far as PAGEMAP_SCAN tells.
bool DirtyPages::write_protect(uint64_t from_page, uint64_t to_page, bool protect) {
  uint64_t from = from_page * kSnapshotPage, to = std::min(to_page * kSnapshotPage, watched_);
  if (broken_ || from >= to) return true;
  uffdio_writeprotect wp{};
  wp.range = {uint64_t(uintptr_t(mem_.base_ + from)), to - from};
  wp.mode = protect ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
  return ioctl(uffd_, UFFDIO_WRITEPROTECT, &wp) == 0;
}

// Calls f(from, to) for each run [from, to) of consecutive pages in `pages` (ascending).
template <class F>
void for_each_run(const std::vector<uint32_t>& pages, F f) {
  for (size_t i = 0; i < pages.size();) {
    size_t run = 1;
    while (i + run < pages.size() && pages[i + run] == pages[i] + run) run++;
    f(pages[i], uint32_t(pages[i] + run));
    i += run;
  }
}

// Appends the written pages in [from, to) (addresses) to found_, protecting them if asked.
bool DirtyPages::scan(uint64_t from, uint64_t to, bool protect) {
  uint64_t base = uint64_t(uintptr_t(mem_.base_));
  regions_.resize(3 * 256);
  for (uint64_t at = from; at < to;) {
    PmScanArg arg{};
    arg.size = sizeof arg;
    arg.flags = protect ? kScanWpMatching | kScanCheckWpAsync : kScanCheckWpAsync;
    arg.start = at;
    arg.end = to;
    arg.vec = uint64_t(uintptr_t(regions_.data()));
    arg.vec_len = regions_.size() / 3;
    arg.category_mask = kPageIsWritten;
    arg.return_mask = kPageIsWritten;
    long n = ioctl(pagemap_, kPagemapScan, &arg);
    if (n < 0) return false;
    auto* found = reinterpret_cast<const PageRegion*>(regions_.data());
    for (long i = 0; i < n; i++)
      for (uint64_t a = found[i].start; a < found[i].end; a += kSnapshotPage)
        found_.push_back(uint32_t((a - base) / kSnapshotPage));
    if (arg.walk_end <= at) return false;  // no progress: should not happen
    at = arg.walk_end;
  }
  return true;
}

bool DirtyPages::refresh(bool protect) {
  if (broken_) return false;
  generation_++;
  uint64_t size = mem_.size_, base = uint64_t(uintptr_t(mem_.base_));
  found_is_latest_ = size <= watched_;
  if (size > watched_) {  // grown: the new pages are written as far as anyone knows
    for (uint64_t p = watched_ / kSnapshotPage; p < size / kSnapshotPage; p++) stamp(p);
    if (!watch(watched_, size)) return !(broken_ = true);
  }
  found_.clear();
  // The scan protects what it finds, or only looks when the last refresh left few runs of
  // pages to protect (protect_again then protects them, and leaves the hot ones alone).
  bool scan_protects = protect && protect_runs_ > kFewRuns;
  uint64_t pages = size / kSnapshotPage;
  // A look skips the open pages, which read as written anyway: a memory written all over
  // every frame is all open and needs no scan (16 MiB: 0.06-0.1 ms a scan, three of them in a
  // capture and a restore). Only when they leave few gaps: a scan per gap.
  gaps_.clear();
  uint64_t from = 0;
  for_each_run(open_, [&](uint32_t a, uint32_t b) {
    if (a >= pages) return;
    if (a > from) gaps_.push_back({from, a});
    from = std::min<uint64_t>(b, pages);
  });
  if (from < pages) gaps_.push_back({from, pages});
  if (scan_protects || gaps_.size() > kFewGaps) {
    gaps_.assign(1, {0, pages});
  } else {
    for (uint32_t p : open_)
      if (p < pages) found_.push_back(p);
  }
  size_t open_found = found_.size();
  for (auto [a, b] : gaps_)
    if (!scan(base + a * kSnapshotPage, base + b * kSnapshotPage, scan_protects))
      return !(broken_ = true);
  std::inplace_merge(found_.begin(), found_.begin() + ptrdiff_t(open_found), found_.end());
  for (uint32_t p : found_) stamp(p);
  return !protect || protect_again(scan_protects);
}

// Protects the pages the refresh found written, but for those written frame after frame.
//
// Such a page (the game's stack, its entity arrays) would take a write fault every frame:
// kernel time inside the game's scripts (18-30% of the demo's script time, runtime/SNAPSHOTS.md).
// So a page found written by at least half of the protecting refreshes since the last recheck
// (and at least open_after of them: 3 by default) is left open, unprotected: it reads as
// written at each refresh, written or not (exact: a superset of the written pages; an
// unwritten one costs a page copy), and takes no fault. Not 2: an open page reads as found at
// every refresh, so it stays open until the recheck, and with 2 the random pages a game writes
// now and then (2% of 16 MiB a frame) left about 10 pages open, each copied at every capture
// and restore and unprotected by an ioctl of its own at every protecting refresh (2% capture
// 0.111-0.119 ms median -> 0.095-0.104 with 3; a page written every frame opens one refresh
// later). Every kRecheckEvery-th refresh
// protects every page again and starts the counts over, so a page the game stopped writing
// goes back to being tracked (one still written faults twice and is opened again). Counting
// found pages rather than refreshes in a row keeps this working with several users refreshing
// in one frame (a ring and captures).
//
// How: when the scan protected (scan_protected), the open pages are unprotected again, a run
// of pages an ioctl; when it only looked, the other pages are protected, a run an ioctl. Which
// one the next scan does depends on how many runs there were to protect: random pages (each a
// run of its own) are protected by the scan in one ioctl (82 runs of one page protected one by
// one made a 2%-written capture 0.07 ms dearer), while a game whose written pages are mostly
// open (every page written, each frame: none to protect) pays nothing for them.
bool DirtyPages::protect_again(bool scan_protected) {
  constexpr uint64_t kRecheckEvery = 32;
  unsigned open_after = std::min(g_open_after.load(std::memory_order_relaxed), 255u);
  open_.clear();
  if (open_after && ++since_recheck_ == kRecheckEvery) {
    since_recheck_ = 0;
    std::fill(hits_.begin(), hits_.end(), 0);
  } else if (open_after) {
    if (!found_.empty() && hits_.size() <= found_.back()) hits_.resize(found_.back() + 1, 0);
    for (uint32_t p : found_) {
      if (hits_[p] < 255) hits_[p]++;
      if (hits_[p] >= open_after && 2 * uint64_t(hits_[p]) >= since_recheck_) open_.push_back(p);
    }
  }
  if (scan_protected)
    for_each_run(open_, [&](uint32_t from, uint32_t to) { write_protect(from, to, false); });
  protect_runs_ = 0;
  bool ok = true;
  size_t next_open = 0;  // open_ is a subsequence of found_
  for (size_t i = 0; i < found_.size();) {
    if (next_open < open_.size() && open_[next_open] == found_[i]) {
      next_open++;
      i++;
      continue;
    }
    size_t run = 1;
    while (i + run < found_.size() && found_[i + run] == found_[i] + run &&
           !(next_open < open_.size() && open_[next_open] == found_[i + run]))
      run++;
    protect_runs_++;
    if (!scan_protected) ok &= write_protect(found_[i], found_[i] + run, true);
    i += run;
  }
  return ok || !(broken_ = true);
}

void DirtyPages::changed_since(uint64_t seen, std::vector<uint32_t>& pages) const {
  uint64_t n = std::min<uint64_t>(stamps_.size(), mem_.size_ / kSnapshotPage);
  // The usual case, one user refreshing before each look: the pages the refresh found, not a
  // look at all of the stamps (16 MiB: 4096 of them, a few microseconds a capture or restore).
  if (found_is_latest_ && seen + 1 == generation_) {
    pages.insert(pages.end(), found_.begin(), std::lower_bound(found_.begin(), found_.end(), n));
    return;
  }
  for (uint64_t p = 0; p < n; p++)
    if (stamps_[p] > seen) pages.push_back(uint32_t(p));
}

}  // namespace glint::detail
