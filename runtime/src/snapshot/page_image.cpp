// The memory's page image: what capture shares between snapshots (page_image.h).
#include "snapshot/page_image.h"

#include <sanitizer/asan_interface.h>  // no-ops unless built with ASan
#include <sys/mman.h>
#if defined(__x86_64__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>

#include "compile/helper_thread.h"
#include "snapshot/dirty_pages.h"

namespace glint {

namespace {

using detail::kSnapshotPage;
static_assert(kSnapshotPageSize == detail::kSnapshotPage);

const SnapshotPage kZeros{};

const uint8_t* page_bytes(const SharedPage& p) { return p ? p->data() : kZeros.data(); }
bool all_zeros(const uint8_t* p) { return std::memcmp(p, kZeros.data(), kSnapshotPage) == 0; }

// Many pages copied at once (a first capture, or one after every page was written) go into
// 2 MiB blocks with transparent huge pages: a page fault per block instead of per page. A block
// whose last page is dropped waits for the next big copy (up to kKeptBlocks of them) instead of
// going back to the kernel: pages from the kernel are faulted in and zeroed first, which cost
// as much as the copy (a first capture of 16 MiB into new blocks 2.8 ms fastest, into kept
// ones 1.3).
constexpr size_t kBlockBytes = size_t(2) << 20, kBlockPages = kBlockBytes / kSnapshotPage;
constexpr size_t kKeptBlocks = 32;  // 64 MiB

struct KeptBlocks {
  std::mutex mutex;
  std::vector<void*> blocks;
};
KeptBlocks& kept_blocks() {
  static auto* kept = new KeptBlocks;  // never destroyed: snapshots in statics outlive it
  return *kept;
}

void give_block(SnapshotPage* block) {
  KeptBlocks& kept = kept_blocks();
  {
    std::lock_guard lock(kept.mutex);
    if (kept.blocks.size() < kKeptBlocks) return kept.blocks.push_back(block);
  }
  munmap(block, kBlockBytes);
}

// A block new from the kernel, faulted in; null if there is no memory for it.
void* new_block() {
  void* p = mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  madvise(p, kBlockBytes, MADV_HUGEPAGE);
  // Faulted in here, by whoever takes or prepares the block, rather than by the first store of
  // the copy, which may be the helper thread's: a helper taken off the CPU in the middle of a
  // huge page's fault (zeroing 2 MiB) kept the caller waiting for it (first captures of 16 MiB
  // into new blocks shared with the helper: 1.7-1.9 ms fastest, but medians of 5-20 ms).
  madvise(p, kBlockBytes, MADV_POPULATE_WRITE);  // Linux 5.14; older: EINVAL, faulted later
  return p;
}

// Blocks the helper thread is asked to fault in and keep (prepare_blocks) and has not started.
std::atomic<size_t> g_blocks_wanted{0};

bool claim_wanted_block() {
  size_t w = g_blocks_wanted.load(std::memory_order_relaxed);
  while (w && !g_blocks_wanted.compare_exchange_weak(w, w - 1, std::memory_order_relaxed)) {
  }
  return w != 0;
}

std::shared_ptr<SnapshotPage> take_block() {
  void* p = nullptr;
  KeptBlocks& kept = kept_blocks();
  {
    std::lock_guard lock(kept.mutex);
    if (!kept.blocks.empty()) {
      p = kept.blocks.back();
      kept.blocks.pop_back();
    }
  }
  if (!p) {
    // None ready: this thread makes one, and the helper one less. It never waits for the
    // helper's block in the making (the helper may be off the CPU in the middle of its fault):
    // that one is kept for the next copy.
    claim_wanted_block();
    p = new_block();
    if (!p) throw std::bad_alloc();
  }
  return std::shared_ptr<SnapshotPage>(static_cast<SnapshotPage*>(p), give_block);
}

// Pages copied one by one (fewer than a block's worth) come from 2 MiB slabs of ordinary
// pages and go back to a free list: glibc's free of a 4 KiB chunk coalesces it with its
// neighbours (perf: half as long as the copies themselves in captures of 2% of 16 MiB). Up
// to kKeptPages free pages keep their memory; past that, and on release_kept_blocks, a free
// page is given back to the kernel (MADV_DONTNEED) and reused last, as a new one.
class SinglePages {
 public:
  SnapshotPage* take() {
    std::lock_guard lock(mutex_);
    if (resident_.empty() && released_.empty()) grow();
    auto& from = resident_.empty() ? released_ : resident_;
    SnapshotPage* p = from.back();
    from.pop_back();
    ASAN_UNPOISON_MEMORY_REGION(p, kSnapshotPage);
    return p;
  }
  // A free page is poisoned for ASan, which cannot see into these slabs as it sees into
  // malloc's chunks: a use after the snapshot dropped it is reported, not read silently.
  void give(const SnapshotPage* page) {
    auto* p = const_cast<SnapshotPage*>(page);
    ASAN_POISON_MEMORY_REGION(p, kSnapshotPage);
    std::lock_guard lock(mutex_);
    if (resident_.size() < kKeptPages) return resident_.push_back(p);
    madvise(p, kSnapshotPage, MADV_DONTNEED);
    released_.push_back(p);
  }
  void release() {
    std::lock_guard lock(mutex_);
    for (SnapshotPage* p : resident_) madvise(p, kSnapshotPage, MADV_DONTNEED);
    released_.insert(released_.end(), resident_.begin(), resident_.end());
    resident_.clear();
  }
  size_t kept_bytes() {
    std::lock_guard lock(mutex_);
    return resident_.size() * kSnapshotPage;
  }

 private:
  static constexpr size_t kKeptPages = 8192;  // 32 MiB
  void grow() {
    void* s =
        mmap(nullptr, kBlockBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) throw std::bad_alloc();
    ASAN_POISON_MEMORY_REGION(s, kBlockBytes);
    for (size_t i = kBlockPages; i > 0; i--)  // as new as released ones
      released_.push_back(static_cast<SnapshotPage*>(s) + i - 1);
  }
  std::mutex mutex_;
  std::vector<SnapshotPage*> resident_, released_;
};
SinglePages& single_pages() {
  static auto* pool = new SinglePages;  // never destroyed: snapshots in statics outlive it
  return *pool;
}

// A page copy that nobody reads soon, with non-temporal stores: they do not read the
// destination's cache lines first, nor push the memory's out of the cache (16 MiB: 1.24 ms
// fastest against 1.58 with memcpy). SSE2 is part of x86-64; elsewhere, memcpy. `next` is the
// page copied after this one (or this one): its lines are fetched meanwhile, so its copy does
// not start with a miss the hardware's prefetcher, which stops at a page's end, leaves to it
// (restores of 16 MiB, whose pages come from memory: medians 1.09-1.10 -> 1.02-1.03 ms on one
// core, 0.96 -> 0.88-0.91 with the helper; captures, whose pages were just written, the same).
void copy_page_streaming(uint8_t* to, const uint8_t* from, const uint8_t* next) {
#if defined(__x86_64__)
  for (size_t i = 0; i < kSnapshotPage; i += 64) {
    _mm_prefetch(reinterpret_cast<const char*>(next + i), _MM_HINT_T0);
    auto* s = reinterpret_cast<const __m128i*>(from + i);
    auto* d = reinterpret_cast<__m128i*>(to + i);
    __m128i a = _mm_loadu_si128(s), b = _mm_loadu_si128(s + 1), c = _mm_loadu_si128(s + 2),
            e = _mm_loadu_si128(s + 3);
    _mm_stream_si128(d, a);
    _mm_stream_si128(d + 1, b);
    _mm_stream_si128(d + 2, c);
    _mm_stream_si128(d + 3, e);
  }
#else
  std::memcpy(to, from, kSnapshotPage);
#endif
}
// The same, unless the page is all zeros (then nothing is written): whether it was. A page
// that is not zeros usually shows it in its first line.
bool copy_page_streaming_unless_zeros(uint8_t* to, const uint8_t* from) {
#if defined(__x86_64__)
  auto* s = reinterpret_cast<const __m128i*>(from);
  __m128i any = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(s), _mm_loadu_si128(s + 1)),
                             _mm_or_si128(_mm_loadu_si128(s + 2), _mm_loadu_si128(s + 3)));
  if (_mm_movemask_epi8(_mm_cmpeq_epi8(any, _mm_setzero_si128())) == 0xffff && all_zeros(from))
    return true;
#else
  if (all_zeros(from)) return true;
#endif
  copy_page_streaming(to, from, from);
  return false;
}
void end_streaming() {
#if defined(__x86_64__)
  _mm_sfence();  // the streamed stores are seen before the pages are published
#endif
}

// Copies n pages, page i from from(i) to to(i), streamed, in chunks shared with the helper
// thread: one core's copy is bound by how many misses it keeps in flight, not by the machine's
// bandwidth (16 MiB: 0.74 ms fastest with one core, 0.33 with two, runtime/SNAPSHOTS.md). The
// caller never waits for the helper to start (helper_thread_share), so on a loaded machine,
// where the helper may not get a core in time, this is the one-core copy plus a wake-up.
//
// before, if given, is run by the caller before it copies (a helper that got a core copies
// meanwhile): a memory's first capture write-protects the memory there. zeros, if given: pages
// of zeros are not copied, and zeros[i] says which were.
struct Work {
  void (*run)(void* context) noexcept;
  void* context;
};
template <class From, class To>
void copy_many_pages(size_t n, const From& from, const To& to, const Work* before = nullptr,
                     uint8_t* zeros = nullptr) {
  struct Job {
    const From& from;
    const To& to;
    size_t n;
    const Work* before;
    uint8_t* zeros;
  } job{from, to, n, before, zeros};
  constexpr size_t kChunk = 32;  // pages: 128 KiB, a few microseconds
  // Chunk 0 is `before` (or nothing): the caller takes the chunks from the front, and the
  // helper never takes the last one left.
  detail::helper_thread_share(
      1 + (n + kChunk - 1) / kChunk,
      [](void* context, size_t chunk) noexcept {
        const Job& j = *static_cast<const Job*>(context);
        if (chunk-- == 0) {
          if (j.before) j.before->run(j.before->context);
          return;
        }
        for (size_t i = chunk * kChunk, end = std::min(j.n, i + kChunk); i < end; i++)
          if (j.zeros)
            j.zeros[i] = copy_page_streaming_unless_zeros(j.to(i), j.from(i));
          else
            copy_page_streaming(j.to(i), j.from(i), i + 1 < end ? j.from(i + 1) : j.from(i));
        end_streaming();
      },
      &job);
}

// Copies pages `which` of `from` (4 KiB each): to[p] for each p in which. Whole blocks' worth
// go into blocks; the rest (fewer than a block) are allocated one by one, from the warm heap.
// skip_zeros: pages of zeros among them are left null (in a block, their place stays unused).
// before: as copy_many_pages.
void copy_pages(const uint8_t* from, const std::vector<uint32_t>& which, SharedPage* to,
                bool skip_zeros = false, const Work* before = nullptr) {
  size_t blocks = which.size() / kBlockPages, in_blocks = blocks * kBlockPages;
  std::vector<std::shared_ptr<SnapshotPage>> taken(blocks);
  for (auto& block : taken) block = take_block();
  const uint32_t* pages = which.data();
  static thread_local std::vector<uint8_t> zeros;
  zeros.assign(skip_zeros ? in_blocks : 0, 0);
  copy_many_pages(
      in_blocks, [&](size_t i) { return from + uint64_t(pages[i]) * kSnapshotPage; },
      [&](size_t i) { return taken[i / kBlockPages].get()[i % kBlockPages].data(); }, before,
      skip_zeros ? zeros.data() : nullptr);
  for (size_t i = 0; i < in_blocks; i++)  // shares the block's count
    to[pages[i]] =
        skip_zeros && zeros[i]
            ? nullptr
            : SharedPage(taken[i / kBlockPages], taken[i / kBlockPages].get() + i % kBlockPages);
  for (size_t k = in_blocks; k < which.size(); k++) {
    if (skip_zeros && all_zeros(from + uint64_t(pages[k]) * kSnapshotPage)) {
      to[pages[k]] = nullptr;
      continue;
    }
    SnapshotPage* page = single_pages().take();
    std::memcpy(page->data(), from + uint64_t(pages[k]) * kSnapshotPage, kSnapshotPage);
    to[pages[k]] = SharedPage(page, [](const SnapshotPage* p) { single_pages().give(p); });
  }
}

// Whether n pages of a and b are the same pages, for a run at a time: the pointers' bytes
// compared in bulk, rather than a compare and a branch each (4096 pages of 16 MiB looked at
// twice in a restore, once in a capture, when few of them differ). Equal bytes are the same
// pages; unequal bytes may still be (the same page with another owner): the callers then look
// at each.
constexpr size_t kSameRun = 32;
bool same_pages(const SharedPage* a, const SharedPage* b, size_t n) {
  return std::memcmp(static_cast<const void*>(a), static_cast<const void*>(b),
                     n * sizeof(SharedPage)) == 0;
}

detail::PageImage& image_of(Memory& mem) {
  if (!mem.image_) mem.image_ = std::make_unique<detail::PageImage>();
  return *mem.image_;
}

// Pages of the memory (below both its size and the image's) whose bytes may differ from the
// image's, ascending. False: nobody tracks writes (then only a comparison can tell).
// protect: as DirtyPages::refresh.
bool written_pages(Memory& mem, detail::PageImage& img, std::vector<uint32_t>& out,
                   bool protect = true) {
  detail::DirtyPages* d = detail::DirtyPages::of(mem);
  if (!d || !d->refresh(protect)) return false;
  d->changed_since(img.seen, out);
  img.seen = d->generation();
  uint64_t end = std::min(mem.size_, img.size) / kSnapshotPage;
  out.erase(std::lower_bound(out.begin(), out.end(), uint32_t(end)), out.end());
  return true;
}

}  // namespace

namespace detail {

void release_kept_blocks() {
  single_pages().release();
  KeptBlocks& kept = kept_blocks();
  std::lock_guard lock(kept.mutex);
  for (void* b : kept.blocks) munmap(b, kBlockBytes);
  kept.blocks.clear();
}

void prepare_blocks(uint64_t bytes) {
  size_t want = std::min<size_t>(bytes / kBlockBytes, kKeptBlocks);  // whole blocks' worth
  KeptBlocks& kept = kept_blocks();
  {
    std::lock_guard lock(kept.mutex);
    if (kept.blocks.size() >= want) return;
    want -= kept.blocks.size();
  }
  if (want < 2) return;  // not worth a thread's wake-up
  g_blocks_wanted.store(want);
  try {
    helper_thread_post([] {
      while (claim_wanted_block()) {
        void* p = new_block();
        if (!p) return g_blocks_wanted.store(0);
        give_block(static_cast<SnapshotPage*>(p));
      }
    });
  } catch (...) {  // no thread: the copies fault their blocks in themselves
  }
}

size_t kept_bytes() {
  size_t n = single_pages().kept_bytes();
  KeptBlocks& kept = kept_blocks();
  std::lock_guard lock(kept.mutex);
  return n + kept.blocks.size() * kBlockBytes;
}

void share_pages(const std::vector<SharedPage>& from, std::vector<SharedPage>& to) {
  to.resize(from.size());
  for (size_t at = 0; at < from.size(); at += kSameRun) {
    size_t end = std::min(from.size(), at + kSameRun);
    if (same_pages(from.data() + at, to.data() + at, end - at)) continue;
    for (size_t p = at; p < end; p++)
      if (to[p] != from[p]) to[p] = from[p];
  }
}

const PageImage& sync_image(Memory& mem) {
  PageImage& img = image_of(mem);
  uint64_t old_pages = std::min(mem.size_, img.size) / kSnapshotPage;
  uint64_t pages = mem.size_ / kSnapshotPage;
  static thread_local std::vector<uint32_t> changed;
  changed.clear();
  // A memory's first capture (no image yet) copies every page but those of zeros, whatever
  // was written: the tracker's start and first refresh (which write-protects all of it; 16
  // MiB: 0.2-0.3 ms) say nothing it needs, so the caller does them as its first part of the
  // copy while the helper thread, if it gets a core, copies.
  bool first = old_pages == 0;
  struct FirstRefresh {
    Memory& mem;
    DirtyPages* tracker = nullptr;
    bool ok = false;
    std::exception_ptr error;
  } refresh{mem, nullptr, false, nullptr};
  Work start_tracking{[](void* context) noexcept {
                        auto& r = *static_cast<FirstRefresh*>(context);
                        try {
                          r.tracker = DirtyPages::of(r.mem, false);
                          r.ok = r.tracker && r.tracker->refresh();
                        } catch (...) {
                          r.error = std::current_exception();
                        }
                      },
                      &refresh};
  if (!first && !written_pages(mem, img, changed))
    for (uint64_t p = 0; p < old_pages; p++)
      if (std::memcmp(mem.base_ + p * kSnapshotPage, page_bytes(img.pages[p]), kSnapshotPage))
        changed.push_back(uint32_t(p));
  // New to the image (zeros stay null): the pages the kernel says may hold something (not
  // those never written, which are not read, so not faulted in either), each looked at as it
  // is copied; else every page, looked at first (a miss per page, so the ones ahead are
  // fetched meanwhile).
  img.pages.resize(pages);
  for (uint64_t p = old_pages; p < pages; p++) img.pages[p] = nullptr;
  bool skip_zeros = old_pages < pages && pages_maybe_not_zeros(mem, old_pages, pages, changed);
  constexpr uint64_t kAhead = 16;
  for (uint64_t p = old_pages; !skip_zeros && p < pages; p++) {
    if (p + kAhead < pages) __builtin_prefetch(mem.base_ + (p + kAhead) * kSnapshotPage);
    if (!all_zeros(mem.base_ + p * kSnapshotPage)) changed.push_back(uint32_t(p));
  }
  copy_pages(mem.base_, changed, img.pages.data(), skip_zeros, first ? &start_tracking : nullptr);
  if (refresh.error) std::rethrow_exception(refresh.error);
  if (refresh.ok) img.seen = refresh.tracker->generation();
  img.size = mem.size_;
  return img;
}

void restore_image(Memory& mem, const MemoryState& state) {
  PageImage& img = image_of(mem);
  uint64_t pages = state.size / kSnapshotPage;
  static thread_local std::vector<uint32_t> written, todo, unwritten;
  written.clear();
  todo.clear();
  unwritten.clear();
  // The pages written since are looked at, not protected again: they are written back below,
  // and the refresh at the end protects what this wrote (16 MiB all written: 2.0 -> 1.05 ms).
  bool tracked = written_pages(mem, img, written, false);
  // Pages the image knows are written back if the instance wrote them or the snapshot's page
  // is another one; the rest (all of them when nobody tracks writes) unconditionally.
  // The image becomes the snapshot's pages on the way (the copies below read the snapshot's).
  uint64_t known = tracked ? std::min(img.size, state.size) / kSnapshotPage : 0;
  img.pages.resize(pages);
  size_t next = 0;
  for (uint64_t at = 0; at < known; at += kSameRun) {
    uint64_t end = std::min<uint64_t>(known, at + kSameRun);
    if ((next == written.size() || written[next] >= end) &&
        same_pages(state.pages.data() + at, img.pages.data() + at, end - at))
      continue;
    for (uint64_t p = at; p < end; p++) {
      bool wrote = next < written.size() && written[next] == p;
      next += wrote;
      bool other = state.pages[p] != img.pages[p];
      if (wrote || other) todo.push_back(uint32_t(p));
      if (!wrote && other) unwritten.push_back(uint32_t(p));
      if (other) img.pages[p] = state.pages[p];
    }
  }
  for (uint64_t p = known; p < pages; p++) {
    todo.push_back(uint32_t(p));
    unwritten.push_back(uint32_t(p));
    img.pages[p] = state.pages[p];
  }
  // Pages not written since are still protected: unprotected in runs of 8 or more first, so
  // they are written without a fault each (16 MiB: 15 ms with a fault per page). (A page a
  // ring protected again since it was written faults once: correct, only slower.)
  DirtyPages* d = DirtyPages::of(mem);
  for (size_t k = 0; d && k < unwritten.size();) {
    size_t run = 1;
    while (k + run < unwritten.size() && unwritten[k + run] == unwritten[k] + run) run++;
    if (run >= 8) d->unprotect(unwritten[k], unwritten[k] + run);
    k += run;
  }
  // Many pages: streamed, as a capture copies them (they do not fit in the cache anyway), and
  // with the helper thread. (todo is this thread's: the helper gets its data, not its name.)
  const uint32_t* pages_to_write = todo.data();
  uint8_t* base = mem.base_;
  if (todo.size() >= kBlockPages)
    copy_many_pages(
        todo.size(), [&](size_t i) { return page_bytes(state.pages[pages_to_write[i]]); },
        [&](size_t i) { return base + uint64_t(pages_to_write[i]) * kSnapshotPage; });
  else
    for (uint32_t p : todo)
      std::memcpy(base + uint64_t(p) * kSnapshotPage, page_bytes(state.pages[p]), kSnapshotPage);
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
