// Bulk memory and table instructions: rare enough to live outside the interpreter loop.
// Bounds are checked before anything is written, as the 2.0 spec requires. A length of 0 still
// checks its bounds but copies nothing: a memory of 0 pages (or an empty table) may have a null
// base, and memcpy/memmove/memset from or to null is undefined even for 0 bytes.
#include <algorithm>
#include <cstring>

#include "decode/module.h"
#include "execute/vm.h"

namespace glint::detail {

static bool fail(Vm& vm, TrapKind k) {
  vm.trap_kind = k;
  return false;
}

bool memory_fill(Vm& vm, Instance* inst, uint32_t mem, uint64_t d, uint32_t val, uint64_t n) {
  Memory* m = inst->memories_[mem];
  if (!m->in_bounds(d, n)) return fail(vm, TrapKind::MemoryOutOfBounds);
  if (n) std::memset(m->base_ + d, int(val & 0xFF), n);
  return true;
}

bool memory_copy(Vm& vm, Instance* inst, uint32_t dst_mem, uint32_t src_mem, uint64_t d, uint64_t s,
                 uint64_t n) {
  Memory* dst = inst->memories_[dst_mem];
  Memory* src = inst->memories_[src_mem];
  if (!dst->in_bounds(d, n) || !src->in_bounds(s, n)) return fail(vm, TrapKind::MemoryOutOfBounds);
  if (n) std::memmove(dst->base_ + d, src->base_ + s, n);
  return true;
}

bool memory_init(Vm& vm, Instance* inst, uint32_t mem, uint32_t seg, uint64_t d, uint64_t s,
                 uint64_t n) {
  Memory* m = inst->memories_[mem];
  const DataSegment& data = inst->module().desc().datas[seg];
  uint64_t len = inst->dropped_datas_[seg] ? 0 : data.data_size;
  if (s > len || n > len - s || !m->in_bounds(d, n)) return fail(vm, TrapKind::MemoryOutOfBounds);
  if (n) std::memcpy(m->base_ + d, inst->module().desc().bytes.data() + data.data_begin + s, n);
  return true;
}

static bool table_range(const Table* t, uint64_t i, uint64_t n) {
  return i <= t->elems_.size() && n <= t->elems_.size() - i;
}

bool table_fill(Vm& vm, Instance* inst, uint32_t t, uint64_t i, uint64_t val, uint64_t n) {
  Table* table = inst->tables_[t];
  if (!table_range(table, i, n)) return fail(vm, TrapKind::TableOutOfBounds);
  std::fill_n(table->elems_.begin() + ptrdiff_t(i), n, val);
  return true;
}

bool table_copy(Vm& vm, Instance* inst, uint32_t dt, uint32_t st, uint64_t d, uint64_t s,
                uint64_t n) {
  Table* dst = inst->tables_[dt];
  Table* src = inst->tables_[st];
  if (!table_range(dst, d, n) || !table_range(src, s, n))
    return fail(vm, TrapKind::TableOutOfBounds);
  if (n) std::memmove(dst->elems_.data() + d, src->elems_.data() + s, n * sizeof(uint64_t));
  return true;
}

bool table_init(Vm& vm, Instance* inst, uint32_t t, uint32_t seg, uint64_t d, uint64_t s,
                uint64_t n) {
  Table* table = inst->tables_[t];
  const std::vector<uint64_t>& elems = inst->elem_values_[seg];
  if (s > elems.size() || n > elems.size() - s || !table_range(table, d, n))
    return fail(vm, TrapKind::TableOutOfBounds);
  std::copy_n(elems.begin() + ptrdiff_t(s), n, table->elems_.begin() + ptrdiff_t(d));
  return true;
}

}  // namespace glint::detail
