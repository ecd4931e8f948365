// A memory's pages as its last capture or restore left them (MemoryState's shared pages), kept
// with the memory so that the next capture copies only the pages written since and shares the
// rest, and a restore writes only the pages that differ. Which pages were written: the
// memory's DirtyPages where the kernel has them, else a comparison of each page with the image.
#pragma once
#include <vector>

#include "glint/objects.h"
#include "glint/snapshot.h"

namespace glint::detail {

struct PageImage {
  std::vector<SharedPage> pages;  // of the first `size` bytes; null: zeros
  uint64_t size = 0;              // bytes the pages are of
  uint64_t seen = 0;              // the DirtyPages generation the image is up to date with
};

// Brings the memory's image up to date (copying the pages written since) and returns it.
const PageImage& sync_image(Memory& mem);
// Writes `state` into the memory (resized already to state.size): only the pages written since
// the image was last synchronized and those whose image page differs; then the image is
// `state`'s pages.
void restore_image(Memory& mem, const MemoryState& state);
// Big copies recycle the 2 MiB blocks of dropped snapshots, small ones their single pages;
// this gives the kept ones back to the kernel (glint-snapshot-bench measures a first capture
// with pages new to the process). kept_bytes: the memory they keep now.
void release_kept_blocks();
size_t kept_bytes();
// Snapshots of a memory of `bytes` start (a ring of it): the helper thread faults
// in the blocks a copy of all of it takes, and keeps them as dropped blocks are kept, so the
// first big copy does not fault them in itself. Returns at once.
void prepare_blocks(uint64_t bytes);
// to = from, touching only the pages that differ (most are the same between two captures: a
// count update for each of 4096 pages would cost more than the copies).
void share_pages(const std::vector<SharedPage>& from, std::vector<SharedPage>& to);

}  // namespace glint::detail
