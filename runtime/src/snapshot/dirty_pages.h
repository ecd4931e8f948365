// Which 4 KiB pages of a linear memory were written, told by the kernel: userfaultfd write
// protection in its asynchronous mode (the kernel resolves each first write itself and marks
// the page written; no signal, no handler thread), read and protected again in one
// PAGEMAP_SCAN ioctl. Linux 6.7 or later; elsewhere of() returns null and the callers compare
// pages instead. runtime/SNAPSHOTS.md has the measurements behind it.
//
// One tracker per memory (the memory owns it), shared by everything that wants to know: each
// refresh() stamps the pages written since the one before with a new generation, and each user
// (the capture's page image, a SnapshotRing) remembers the generation it has seen.
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "glint/objects.h"

namespace glint::detail {

constexpr uint64_t kSnapshotPage = 4096;

// Appends to `out` the pages in [from_page, to_page) of the memory that may hold something
// other than zeros, as the kernel's page tables tell (pages resident, or swapped out: not those
// never touched), ascending; the others are zeros. False if the kernel cannot tell (out is then
// as it was): every page may.
bool pages_maybe_not_zeros(const Memory& mem, uint64_t from_page, uint64_t to_page,
                           std::vector<uint32_t>& out);

class DirtyPages {
 public:
  // The memory's tracker, started on first use (every page then counts as written). Null if
  // the kernel cannot, or if it refused once since. refresh false: a tracker started here is
  // not refreshed (nothing is protected yet, and whether the kernel can scan is not known
  // until the caller's first refresh, which then protects every page).
  static DirtyPages* of(Memory& mem, bool refresh = true);
  // For tests: false makes of() return null from then on (the path of kernels without it).
  static void allow_kernel_tracking(bool allow);
  // How many protecting refreshes must find a page written before it is left open
  // (protect_again); 0: never. Default 3, or the environment's GLINT_OPEN_HOT_PAGES
  // (benches compare with 0).
  static void set_open_after(unsigned refreshes);
  ~DirtyPages();
  DirtyPages(const DirtyPages&) = delete;
  DirtyPages& operator=(const DirtyPages&) = delete;

  // Asks the kernel which pages were written since the last refresh, protects them again and
  // stamps them (and the pages the memory grew by) with a new generation. False if the kernel
  // refused: then the callers must compare pages, and of() returns null from then on.
  // protect false only looks: the pages stay written (so the next refresh stamps them again),
  // for a caller about to write them all anyway (a restore), which saves protecting them and
  // then unprotecting them for its own writes.
  bool refresh(bool protect = true);
  uint64_t generation() const { return generation_; }
  // Appends the pages stamped after generation `seen` (ascending, below the memory's size).
  void changed_since(uint64_t seen, std::vector<uint32_t>& pages) const;
  // Lets the caller write pages [from, to) without a fault per page (a restore about to write
  // many): they read as written at the next refresh. Pages not registered yet are skipped.
  void unprotect(uint64_t from_page, uint64_t to_page);
  // Stamps pages [from, to) as changed (a restore gave them back: they read as zeros if the
  // memory grows over them again).
  void mark(uint64_t from_page, uint64_t to_page);
  // Whether the last refresh left the page unprotected because it was written at most of the
  // refreshes before (see protect_again): it reads as written at every refresh.
  bool is_open(uint64_t page) const { return std::binary_search(open_.begin(), open_.end(), page); }

 private:
  DirtyPages(Memory& mem, int uffd, int pagemap) : mem_(mem), uffd_(uffd), pagemap_(pagemap) {}
  bool watch(uint64_t from, uint64_t to);  // register and write-protect [from, to)
  void stamp(uint64_t page);
  // After a scan: protects what it found written, but for the hot pages (it leaves them open).
  bool protect_again(bool scan_protected);
  bool write_protect(uint64_t from_page, uint64_t to_page, bool protect);
  bool scan(uint64_t from, uint64_t to, bool protect);
  Memory& mem_;
  int uffd_, pagemap_;
  uint64_t watched_ = 0;  // bytes registered from the memory's start
  uint64_t generation_ = 1;
  bool broken_ = false;
  std::vector<uint64_t> stamps_;   // per page: the generation it last changed in
  std::vector<uint64_t> regions_;  // PAGEMAP_SCAN output, reused
  std::vector<uint32_t> found_;    // pages the refresh found written, ascending
  std::vector<uint8_t> hits_;      // per page: protecting refreshes that found it, since recheck
  std::vector<uint32_t> open_;     // pages the last refresh left unprotected, ascending
  uint64_t since_recheck_ = 0;     // protecting refreshes since the last recheck
  std::vector<std::pair<uint64_t, uint64_t>> gaps_;  // pages [from, to) a refresh scans
  static constexpr uint64_t kFewRuns = 8, kFewGaps = 4;
  uint64_t protect_runs_ = kFewRuns + 1;  // runs of pages the last refresh had to protect
  // found_ is every page stamped with the latest generation (no growth, no mark since):
  // changed_since(generation - 1) copies it instead of looking at every page's stamp.
  bool found_is_latest_ = false;
};

}  // namespace glint::detail
