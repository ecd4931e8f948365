// SnapshotRing (glint/snapshot.h): per-frame snapshots as a base image plus page versions.
//
// The oldest held frame is a full copy of each memory (`base`). Every later frame stores the
// pages written since the frame before it, as versions: for each page, the list of (frame,
// bytes) it had, oldest first. A page's bytes at frame k are its latest version at or before
// k, else the base's. Dropping the oldest frame folds the next frame's versions into the base,
// so both pushing and dropping cost in proportion to the pages a frame wrote.
//
// Globals, tables and segment drops are small and copied whole every frame, as raw words (the
// ring lives in this process; snapshot() turns them into a portable Snapshot).
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <deque>

#include "glint/glint.h"
#include "glint/snapshot.h"
#include "snapshot/dirty_pages.h"
#include "snapshot/page_image.h"
#include "snapshot/state.h"

namespace glint {

using detail::kSnapshotPage;

namespace {

struct PageVersion {
  uint64_t frame;
  uint8_t* bytes;
};

struct TrackedMemory {
  Memory* mem = nullptr;
  detail::DirtyPages* dirty = nullptr;  // the memory's write tracking (null: compare pages)
  uint64_t seen = 0;                    // the tracking's generation at the last sync
  std::vector<uint8_t*> base;  // the oldest frame's pages (null: zeros; also past its size)
  std::vector<std::vector<PageVersion>> versions;
};

struct Entry {
  uint64_t frame = 0;
  std::vector<uint64_t> sizes;               // per memory
  std::vector<std::vector<uint32_t>> pages;  // per memory: the versions this frame made
  std::vector<uint64_t> globals;             // raw bits, two words each (a v128 needs both)
  std::vector<std::vector<uint64_t>> tables;
  std::vector<uint8_t> dropped_elems, dropped_datas;
  std::vector<uint8_t> extra;
  size_t bytes() const {
    size_t n = sizeof(Entry) + extra.size() + globals.size() * 8;
    for (const auto& t : tables) n += t.size() * 8;
    for (const auto& p : pages) n += p.size() * (4 + kSnapshotPage);
    return n;
  }
};

}  // namespace

// Page copies come from 2 MiB slabs of ordinary 4 KiB pages, faulted in as they are first
// used; freed pages are reused. Not transparent huge pages: a huge page fault may compact
// memory first, synchronously, and on a machine whose memory was fragmented that made some
// pushes cost 5-23 ms of CPU time (the rewind timeline's hitches: glint-demo --rewind 600,
// 300 frames, a push above 15 ms in 4 of 5 runs, a frame recorded in 0.9-1.2 ms on average);
// with 4 KiB pages no push took over 0.7 ms of CPU and the mean was 0.12-0.21 ms. Asking the
// kernel to populate a slab at once (MAP_POPULATE) cost 0.8-1.1 ms per slab, more than the
// faults it saves.
class PagePool {
 public:
  ~PagePool() {
    for (void* s : slabs_) munmap(s, kSlab);
  }
  uint8_t* take() {
    if (free_.empty()) grow();
    uint8_t* p = free_.back();
    free_.pop_back();
    return p;
  }
  void give(uint8_t* p) { free_.push_back(p); }

 private:
  static constexpr size_t kSlab = size_t(2) << 20;
  void grow() {
    void* s = mmap(nullptr, kSlab, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED) throw std::bad_alloc();
    slabs_.push_back(s);
    for (size_t at = kSlab; at > 0; at -= kSnapshotPage)
      free_.push_back(static_cast<uint8_t*>(s) + at - kSnapshotPage);
  }
  std::vector<void*> slabs_;
  std::vector<uint8_t*> free_;
};

struct SnapshotRing::Impl {
  std::vector<TrackedMemory> memories;
  std::deque<Entry> entries;
  PagePool pool;
  size_t bytes = 0;             // entries' bytes (their page versions included)
  uint64_t pages_pushed = 0;    // pages copied by pushes after the first
  uint64_t synced = 0;          // the frame the instance was last pushed as or restored to
  std::vector<uint32_t> dirty;  // scratch

  const Entry* find(uint64_t frame) const {
    auto it = std::lower_bound(entries.begin(), entries.end(), frame,
                               [](const Entry& e, uint64_t f) { return e.frame < f; });
    return it != entries.end() && it->frame == frame ? &*it : nullptr;
  }

  // A page's bytes at `frame` (null: zeros).
  static const uint8_t* page_at(const TrackedMemory& m, uint64_t page, uint64_t frame) {
    if (page < m.versions.size()) {
      const auto& list = m.versions[page];
      for (auto it = list.rbegin(); it != list.rend(); ++it)
        if (it->frame <= frame) return it->bytes;
    }
    return page < m.base.size() ? m.base[page] : nullptr;
  }

  // Whether a page's bytes are those it had at the frame the instance was last synchronized
  // with. Pages the write tracking leaves open (written frame after frame, so not protected)
  // read as written whether they were or not: a version equal to the last one is not kept.
  bool unchanged(const TrackedMemory& m, uint64_t page, const uint8_t* now) const {
    static const uint8_t zeros[kSnapshotPage] = {};
    const uint8_t* old = page_at(m, page, synced);
    return std::memcmp(now, old ? old : zeros, kSnapshotPage) == 0;
  }

  // Pages of memory `i` written since the instance was last synchronized (sorted, unique).
  bool written_since_sync(size_t i, std::vector<uint32_t>& out) {
    TrackedMemory& m = memories[i];
    out.clear();
    if (m.dirty && !m.dirty->refresh()) m.dirty = nullptr;  // the kernel refused: compare
    if (m.dirty) {
      m.dirty->changed_since(m.seen, out);
      m.seen = m.dirty->generation();
    } else {
      static const uint8_t zeros[kSnapshotPage] = {};
      uint64_t pages = m.mem->size_ / kSnapshotPage;
      for (uint64_t p = 0; p < pages; p++) {
        const uint8_t* old = page_at(m, p, synced);
        if (std::memcmp(m.mem->base_ + p * kSnapshotPage, old ? old : zeros, kSnapshotPage))
          out.push_back(uint32_t(p));
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return true;
  }

  void drop_newest() {
    Entry& e = entries.back();
    for (size_t i = 0; i < memories.size(); i++)
      for (uint32_t p : e.pages[i]) {
        pool.give(memories[i].versions[p].back().bytes);
        memories[i].versions[p].pop_back();
      }
    bytes -= e.bytes();
    entries.pop_back();
  }

  // The second oldest frame becomes the base.
  void drop_oldest() {
    bytes -= entries.front().bytes();
    entries.pop_front();
    Entry& e = entries.front();
    for (size_t i = 0; i < memories.size(); i++) {
      TrackedMemory& m = memories[i];
      if (m.base.size() < e.sizes[i] / kSnapshotPage) m.base.resize(e.sizes[i] / kSnapshotPage);
      for (uint32_t p : e.pages[i]) {  // the version becomes the base page
        if (m.base[p]) pool.give(m.base[p]);
        m.base[p] = m.versions[p].front().bytes;
        m.versions[p].erase(m.versions[p].begin());
      }
      bytes -= e.pages[i].size() * (4 + kSnapshotPage);
      e.pages[i].clear();
    }
  }

  size_t base_bytes() const {
    size_t n = 0;
    for (const auto& m : memories)
      n += m.base.size() * (kSnapshotPage + 8) + m.versions.size() * sizeof(m.versions[0]);
    return n;
  }

  void fit(const RingConfig& c) {
    while (entries.size() > 1 &&
           (entries.size() > c.max_frames || bytes + base_bytes() > c.max_bytes))
      drop_oldest();
  }
};

SnapshotRing::SnapshotRing(Instance& inst, RingConfig config)
    : inst_(&inst), config_(config), impl_(std::make_unique<Impl>()) {
  for (Memory* m : inst.memories_) impl_->memories.emplace_back().mem = m;
}

SnapshotRing::~SnapshotRing() = default;

Result<void> SnapshotRing::push(uint64_t frame, std::vector<uint8_t> extra) {
  Impl& r = *impl_;
  if (!r.entries.empty() && frame <= r.synced)
    return detail::usage_error("frame " + std::to_string(frame) +
                               " does not come after the frame the instance is at (" +
                               std::to_string(r.synced) + ")");
  Entry e;
  e.frame = frame;
  for (const Global* g : inst_->globals_)
    e.globals.insert(e.globals.end(), {g->bits_, g->bits_hi_});
  for (const Table* t : inst_->tables_) e.tables.push_back(t->elems_);
  Snapshot drops;
  detail::capture_drops(*inst_, drops);
  e.dropped_elems = std::move(drops.dropped_elems);
  e.dropped_datas = std::move(drops.dropped_datas);
  e.extra = std::move(extra);
  while (!r.entries.empty() && r.entries.back().frame > r.synced) r.drop_newest();
  bool first = r.entries.empty();
  e.pages.resize(r.memories.size());
  for (size_t i = 0; i < r.memories.size(); i++) {
    TrackedMemory& m = r.memories[i];
    uint64_t size = m.mem->size_;
    e.sizes.push_back(size);
    if (first) {  // the base: a full copy, and tracking starts
      for (uint8_t* page : m.base) r.pool.give(page);
      m.base.resize(size / kSnapshotPage);
      for (uint64_t p = 0; p < m.base.size(); p++) {
        m.base[p] = r.pool.take();
        std::memcpy(m.base[p], m.mem->base_ + p * kSnapshotPage, kSnapshotPage);
      }
      if (config_.kernel_tracking && !m.dirty) m.dirty = detail::DirtyPages::of(*m.mem);
      // A capture of this memory would copy all of it (no image yet): its blocks are faulted
      // in now on the helper thread, not in that capture (16 MiB: 4 ms -> kept blocks' 1.5).
      if (!m.mem->image_) detail::prepare_blocks(size);
      if (m.dirty && m.dirty->refresh()) m.seen = m.dirty->generation();  // base: as of now
      continue;
    }
    r.written_since_sync(i, r.dirty);
    if (m.versions.size() < size / kSnapshotPage) m.versions.resize(size / kSnapshotPage);
    for (uint32_t p : r.dirty) {
      if (uint64_t(p) * kSnapshotPage >= size) continue;
      const uint8_t* now = m.mem->base_ + uint64_t(p) * kSnapshotPage;
      if (m.dirty && m.dirty->is_open(p) && r.unchanged(m, p, now)) continue;
      uint8_t* bytes = r.pool.take();
      std::memcpy(bytes, now, kSnapshotPage);
      m.versions[p].push_back({frame, bytes});
      e.pages[i].push_back(p);
      r.pages_pushed++;
    }
  }
  r.bytes += e.bytes();
  r.entries.push_back(std::move(e));
  r.synced = frame;
  r.fit(config_);
  return {};
}

Result<void> SnapshotRing::restore(uint64_t frame) {
  Impl& r = *impl_;
  const Entry* target = r.find(frame);
  if (!target) return detail::usage_error("frame " + std::to_string(frame) + " is not in the ring");
  uint64_t lo = std::min(frame, r.synced), hi = std::max(frame, r.synced);
  for (size_t i = 0; i < r.memories.size(); i++) {
    TrackedMemory& m = r.memories[i];
    std::vector<uint32_t>& pages = r.dirty;
    r.written_since_sync(i, pages);
    for (const Entry& e : r.entries)  // pages whose bytes differ between the two frames
      if (e.frame > lo && e.frame <= hi)
        pages.insert(pages.end(), e.pages[i].begin(), e.pages[i].end());
    uint64_t live = m.mem->size_, size = target->sizes[i];
    for (uint64_t p = live / kSnapshotPage; p < size / kSnapshotPage; p++)
      pages.push_back(uint32_t(p));  // grown back: new pages are zeros
    if (!m.mem->resize_for_restore(size))
      return detail::snapshot_error("cannot resize memory " + std::to_string(i) + " to " +
                                    std::to_string(size) + " bytes");
    std::sort(pages.begin(), pages.end());
    pages.erase(std::unique(pages.begin(), pages.end()), pages.end());
    for (uint32_t p : pages) {
      if (uint64_t(p) * kSnapshotPage >= size) break;
      const uint8_t* bytes = Impl::page_at(m, p, frame);
      uint8_t* to = m.mem->base_ + uint64_t(p) * kSnapshotPage;
      if (bytes)
        std::memcpy(to, bytes, kSnapshotPage);
      else
        std::memset(to, 0, kSnapshotPage);
    }
    if (m.dirty) r.written_since_sync(i, pages);  // our own writes are not changes
  }
  for (size_t g = 0; g < inst_->globals_.size(); g++) {
    Global& global = *inst_->globals_[g];
    if (!global.type_.mut) continue;
    global.bits_ = target->globals[2 * g];
    global.bits_hi_ = target->globals[2 * g + 1];
  }
  for (size_t t = 0; t < target->tables.size(); t++) inst_->tables_[t]->elems_ = target->tables[t];
  Snapshot drops;
  drops.dropped_elems = target->dropped_elems;
  drops.dropped_datas = target->dropped_datas;
  detail::write_drops(*inst_, drops);
  r.synced = frame;
  return {};
}

Result<void> SnapshotRing::snapshot(uint64_t frame, Snapshot& out) const {
  const Impl& r = *impl_;
  const Entry* e = r.find(frame);
  if (!e) return detail::usage_error("frame " + std::to_string(frame) + " is not in the ring");
  out.module_hash = inst_->module().content_hash();
  out.paused.reset();
  out.memories.resize(r.memories.size());
  for (size_t i = 0; i < r.memories.size(); i++) {
    MemoryState& m = out.memories[i];
    m.size = e->sizes[i];
    m.pages.assign(m.size / kSnapshotPage, nullptr);
    for (uint64_t p = 0; p < m.pages.size(); p++)
      if (const uint8_t* bytes = Impl::page_at(r.memories[i], p, frame)) {
        auto page = std::make_shared_for_overwrite<SnapshotPage>();
        std::memcpy(page->data(), bytes, kSnapshotPage);
        m.pages[p] = std::move(page);
      }
  }
  detail::FuncIndex funcs(*inst_);
  out.globals.resize(inst_->globals_.size());
  for (size_t g = 0; g < out.globals.size(); g++) {
    ValType t = inst_->globals_[g]->type_.type;
    auto bits = detail::portable_bits(funcs, t, e->globals[2 * g]);
    if (!bits) return bits.error();
    out.globals[g] = GlobalState{t, *bits, e->globals[2 * g + 1]};
  }
  out.tables.resize(e->tables.size());
  for (size_t t = 0; t < e->tables.size(); t++) {
    ValType elem = inst_->tables_[t]->type_.elem;
    out.tables[t].elem = elem;
    out.tables[t].refs.clear();
    for (uint64_t ref : e->tables[t]) {
      auto bits = detail::portable_bits(funcs, elem, ref);
      if (!bits) return bits.error();
      out.tables[t].refs.push_back(*bits);
    }
  }
  out.dropped_elems = e->dropped_elems;
  out.dropped_datas = e->dropped_datas;
  return {};
}

const std::vector<uint8_t>* SnapshotRing::extra(uint64_t frame) const {
  const Entry* e = impl_->find(frame);
  return e ? &e->extra : nullptr;
}

bool SnapshotRing::holds(uint64_t frame) const { return impl_->find(frame) != nullptr; }
std::optional<uint64_t> SnapshotRing::first_frame() const {
  if (impl_->entries.empty()) return std::nullopt;
  return impl_->entries.front().frame;
}
std::optional<uint64_t> SnapshotRing::last_frame() const {
  if (impl_->entries.empty()) return std::nullopt;
  return impl_->entries.back().frame;
}
size_t SnapshotRing::frames() const { return impl_->entries.size(); }
size_t SnapshotRing::bytes_used() const { return impl_->bytes + impl_->base_bytes(); }
uint64_t SnapshotRing::pages_pushed() const { return impl_->pages_pushed; }

void SnapshotRing::drop_oldest() {
  if (impl_->entries.size() > 1) impl_->drop_oldest();
}

void SnapshotRing::set_config(RingConfig config) {
  config_ = config;
  impl_->fit(config_);
}

const char* SnapshotRing::tracking() const {
  if (impl_->entries.empty()) return "none yet";
  for (const auto& m : impl_->memories)
    if (!m.dirty) return "page comparison";
  return "userfaultfd write protection";
}

}  // namespace glint
