// Memories, tables and the small object methods of the public API.
#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <new>

#include "glint/glint.h"
#include "snapshot/dirty_pages.h"
#include "snapshot/page_image.h"

namespace glint {

static constexpr uint64_t kPage = 65536;
static constexpr uint64_t kMaxPages = 65536;  // 4 GiB: the 32-bit address space

// The whole maximum (the type's, capped by the limit) is reserved up front (no access), and
// pages are made accessible as the memory grows: data() never moves, so host pointers stay
// valid across memory.grow.
Memory::Memory(MemoryType type, uint64_t max_pages, MemoryBudget* budget)
    : type_(type), budget_(budget) {
  max_pages_ = std::min({type.limits.max.value_or(kMaxPages), max_pages, kMaxPages});
  // The initial size is the module's to ask for: the linker refused it before if it is over
  // the limits, and a host-made memory gets what it asked.
  max_pages_ = std::max(max_pages_, std::min(type.limits.min, kMaxPages));
  reserved_ = max_pages_ * kPage;
  if (reserved_ == 0) return;
  void* p = mmap(nullptr, reserved_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  base_ = static_cast<uint8_t*>(p);
  MemoryBudget* counted = budget_;
  budget_ = nullptr;  // the initial pages count, but are never refused
  if (grow(type.limits.min) < 0) throw std::bad_alloc();
  budget_ = counted;
  if (budget_) budget_->used_pages += pages();
}

Memory::~Memory() {
  dirty_.reset();  // unregisters from the kernel while the memory is still mapped
  if (base_) munmap(base_, reserved_);
  if (budget_) budget_->used_pages -= pages();
}

int64_t Memory::grow(uint64_t delta_pages) {
  uint64_t old_pages = size_ / kPage;
  if (delta_pages > max_pages_ - old_pages) return -1;
  if (budget_ &&
      delta_pages > budget_->max_pages - std::min(budget_->max_pages, budget_->used_pages))
    return -1;
  uint64_t new_size = (old_pages + delta_pages) * kPage;
  if (new_size > reserved_) return -1;
  if (delta_pages && mprotect(base_ + size_, new_size - size_, PROT_READ | PROT_WRITE) != 0)
    return -1;
  size_ = new_size;
  if (budget_) budget_->used_pages += delta_pages;
  return int64_t(old_pages);
}

bool Memory::resize_for_restore(uint64_t bytes) {
  if (bytes % kPage || bytes > reserved_) return false;
  if (bytes >= size_) return grow((bytes - size_) / kPage) >= 0;
  // Give the pages back: they read as zeros if the memory grows over them again, as new pages do.
  if (madvise(base_ + bytes, size_ - bytes, MADV_DONTNEED) != 0 ||
      mprotect(base_ + bytes, size_ - bytes, PROT_NONE) != 0)
    return false;
  if (dirty_) dirty_->mark(bytes / detail::kSnapshotPage, size_ / detail::kSnapshotPage);
  if (budget_) budget_->used_pages -= (size_ - bytes) / kPage;
  size_ = bytes;
  return true;
}

std::span<uint8_t> Memory::span(uint64_t addr, uint64_t len) {
  if (!in_bounds(addr, len)) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "out of bounds memory access: %llu bytes at address %llu, memory is %llu bytes",
                  (unsigned long long)len, (unsigned long long)addr, (unsigned long long)size_);
    throw TrapError{buf, TrapKind::MemoryOutOfBounds};
  }
  return {base_ + addr, size_t(len)};
}

std::string_view Memory::string(uint64_t addr, uint64_t len) {
  auto s = span(addr, len);
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

Table::Table(TableType type, uint64_t init) : type_(type) {
  elems_.assign(size_t(type.limits.min), init);
}

int64_t Table::grow(uint32_t delta, uint64_t init) {
  uint64_t old = elems_.size();
  // Capped far below 4G entries (ResourceLimits::max_table_elements): a script should not be
  // able to exhaust host memory.
  uint64_t limit = std::min(type_.limits.max.value_or(0xFFFFFFFFull), max_elements_);
  if (delta > limit - std::min(limit, old) || old + delta > limit) return -1;
  elems_.resize(size_t(old + delta), init);
  return int64_t(old);
}

std::string Function::name() const {
  if (host_) return host_->name;
  if (instance_) return instance_->module().function_name(index_);
  return "func[" + std::to_string(index_) + "]";
}

Memory& Caller::memory() {
  if (!instance_ || !instance_->mem0_)
    throw TrapError{"host function needs the caller's memory, but the caller has none"};
  return *instance_->mem0_;
}

}  // namespace glint
