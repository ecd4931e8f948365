// Which 4 KiB pages of a linear memory were written since the last look, told by the kernel:
// userfaultfd write protection in its asynchronous mode (the kernel resolves each first write
// itself and marks the page written; no signal, no handler thread), read and protected again
// in one PAGEMAP_SCAN ioctl. Linux 6.7 or later; elsewhere start() returns null and the ring
// compares pages instead. runtime/DESIGN.md ("Snapshots") has the measurements behind it.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "glint/objects.h"

namespace glint::detail {

constexpr uint64_t kSnapshotPage = 4096;

class DirtyPages {
 public:
  // Starts tracking `mem` (every page counts as written until the first collect). Null if the
  // kernel cannot, or another tracker already watches this memory.
  static std::unique_ptr<DirtyPages> start(Memory& mem);
  ~DirtyPages();
  DirtyPages(const DirtyPages&) = delete;
  DirtyPages& operator=(const DirtyPages&) = delete;

  // Appends the pages written since the last collect to `pages` and protects them again.
  // Pages the memory grew by count as written. False if the kernel refused (then the caller
  // must compare pages, and this tracker is of no further use).
  bool collect(std::vector<uint32_t>& pages);

 private:
  DirtyPages(Memory& mem, int uffd, int pagemap) : mem_(mem), uffd_(uffd), pagemap_(pagemap) {}
  bool watch(uint64_t from, uint64_t to);  // register and write-protect [from, to)
  Memory& mem_;
  int uffd_, pagemap_;
  uint64_t watched_ = 0;  // bytes registered from the memory's start
  bool first_ = true;
  std::vector<uint64_t> regions_;  // PAGEMAP_SCAN output, reused
};

}  // namespace glint::detail
