// The memory's page image: what capture shares between snapshots (page_image.h).
#include "snapshot/page_image.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "snapshot/dirty_pages.h"

namespace glint {

namespace {

using detail::kSnapshotPage;
static_assert(kSnapshotPageSize == detail::kSnapshotPage);

const SnapshotPage kZeros{};

const uint8_t* page_bytes(const SharedPage& p) { return p ? p->data() : kZeros.data(); }
bool all_zeros(const uint8_t* p) { return std::memcmp(p, kZeros.data(), kSnapshotPage) == 0; }

// Many pages copied at once (a first capture) are made in one block with transparent huge
// pages: one page fault per 2 MiB instead of one per page (most of a first capture's time went
// to those faults). Each page holds its block, which lives while any of its pages is held by a
// snapshot or an image. Fewer pages are allocated one by one, from the warm heap.
class PageBlock {
 public:
  static constexpr size_t kMinPages = (size_t(2) << 20) / kSnapshotPage;
  explicit PageBlock(size_t pages) : bytes_(pages * kSnapshotPage) {
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, bytes_, MADV_HUGEPAGE);
    base_ = static_cast<SnapshotPage*>(p);
  }
  ~PageBlock() { munmap(base_, bytes_); }
  PageBlock(const PageBlock&) = delete;
  PageBlock& operator=(const PageBlock&) = delete;
  SnapshotPage* page(size_t i) { return base_ + i; }

 private:
  size_t bytes_;
  SnapshotPage* base_ = nullptr;
};

// Copies pages `which` of `from` (4 KiB each): to[p] for each p in which.
void copy_pages(const uint8_t* from, const std::vector<uint32_t>& which, SharedPage* to) {
  if (which.size() < PageBlock::kMinPages) {
    for (uint32_t p : which) {
      auto page = std::make_shared_for_overwrite<SnapshotPage>();
      std::memcpy(page->data(), from + uint64_t(p) * kSnapshotPage, kSnapshotPage);
      to[p] = std::move(page);
    }
    return;
  }
  auto block = std::make_shared<PageBlock>(which.size());
  for (size_t k = 0; k < which.size(); k++) {
    SnapshotPage* page = block->page(k);
    std::memcpy(page->data(), from + uint64_t(which[k]) * kSnapshotPage, kSnapshotPage);
    to[which[k]] = SharedPage(block, page);  // shares the block's count
  }
}

detail::PageImage& image_of(Memory& mem) {
  if (!mem.image_) mem.image_ = std::make_unique<detail::PageImage>();
  return *mem.image_;
}

// Pages of the memory (below both its size and the image's) whose bytes may differ from the
// image's, ascending. False: nobody tracks writes (then only a comparison can tell).
bool written_pages(Memory& mem, detail::PageImage& img, std::vector<uint32_t>& out) {
  detail::DirtyPages* d = detail::DirtyPages::of(mem);
  if (!d || !d->refresh()) return false;
  d->changed_since(img.seen, out);
  img.seen = d->generation();
  uint64_t end = std::min(mem.size_, img.size) / kSnapshotPage;
  out.erase(std::lower_bound(out.begin(), out.end(), uint32_t(end)), out.end());
  return true;
}

}  // namespace

namespace detail {

void share_pages(const std::vector<SharedPage>& from, std::vector<SharedPage>& to) {
  to.resize(from.size());
  for (size_t p = 0; p < from.size(); p++)
    if (to[p] != from[p]) to[p] = from[p];
}

const PageImage& sync_image(Memory& mem) {
  PageImage& img = image_of(mem);
  uint64_t old_pages = std::min(mem.size_, img.size) / kSnapshotPage;
  uint64_t pages = mem.size_ / kSnapshotPage;
  static thread_local std::vector<uint32_t> changed;
  changed.clear();
  if (!written_pages(mem, img, changed))
    for (uint64_t p = 0; p < old_pages; p++)
      if (std::memcmp(mem.base_ + p * kSnapshotPage, page_bytes(img.pages[p]), kSnapshotPage))
        changed.push_back(uint32_t(p));
  img.pages.resize(pages);
  for (uint64_t p = old_pages; p < pages; p++) {  // new to the image: zeros stay null
    img.pages[p] = nullptr;
    if (!all_zeros(mem.base_ + p * kSnapshotPage)) changed.push_back(uint32_t(p));
  }
  copy_pages(mem.base_, changed, img.pages.data());
  img.size = mem.size_;
  return img;
}

void restore_image(Memory& mem, const MemoryState& state) {
  PageImage& img = image_of(mem);
  uint64_t pages = state.size / kSnapshotPage;
  static thread_local std::vector<uint32_t> written, todo;
  written.clear();
  todo.clear();
  bool tracked = written_pages(mem, img, written);
  // Pages the image knows are written back if the instance wrote them or the snapshot's page
  // is another one; the rest (all of them when nobody tracks writes) unconditionally.
  uint64_t known = tracked ? std::min(img.size, state.size) / kSnapshotPage : 0;
  size_t next = 0;
  for (uint64_t p = 0; p < known; p++) {
    bool wrote = next < written.size() && written[next] == p;
    next += wrote;
    if (wrote || state.pages[p] != img.pages[p]) todo.push_back(uint32_t(p));
  }
  for (uint64_t p = known; p < pages; p++) todo.push_back(uint32_t(p));
  DirtyPages* d = DirtyPages::of(mem);
  for (size_t k = 0; k < todo.size();) {
    size_t run = 1;  // consecutive pages: written without a fault each
    while (k + run < todo.size() && todo[k + run] == todo[k] + run) run++;
    if (d && run >= 8) d->unprotect(todo[k], todo[k] + run);
    for (size_t e = k + run; k < e; k++)
      std::memcpy(mem.base_ + uint64_t(todo[k]) * kSnapshotPage, page_bytes(state.pages[todo[k]]),
                  kSnapshotPage);
  }
  share_pages(state.pages, img.pages);
  img.size = state.size;
  if (d && d->refresh()) img.seen = d->generation();  // our writes are not changes
}

}  // namespace detail

std::vector<uint8_t> MemoryState::bytes() const {
  std::vector<uint8_t> out(size);
  copy_to(out.data());
  return out;
}

void MemoryState::copy_to(uint8_t* out) const {
  for (size_t p = 0; p < pages.size(); p++)
    std::memcpy(out + p * kSnapshotPage, page_bytes(pages[p]), kSnapshotPage);
}

void MemoryState::assign(std::span<const uint8_t> bytes) {
  size = bytes.size();
  pages.assign(size / kSnapshotPage, nullptr);
  std::vector<uint32_t> used;
  for (size_t p = 0; p < pages.size(); p++)
    if (!all_zeros(bytes.data() + p * kSnapshotPage)) used.push_back(uint32_t(p));
  copy_pages(bytes.data(), used, pages.data());
}

}  // namespace glint
