// Hot reload's state transfer (glint/reload.h).
//
// The old instance's memory is the game's state; the new build's data segments are its
// constants. Which bytes are which is told by a three-way comparison: a word of a data segment
// still equal to what the old build's segment put there was never written, so it takes the new
// build's bytes; any other word is game state and is kept. Words are 8 bytes (aligned), so one
// value is never half old, half new; a word shared by a constant and a variable that changed
// keeps the old constant, which a build only changes along with the layout anyway.
#include "snapshot/transfer.h"

#include <cinttypes>
#include <cstring>
#include <map>

#include "decode/module.h"
#include "glint/glint.h"
#include "glint/reload.h"
#include "snapshot/state.h"

namespace glint {
namespace detail {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

std::vector<Segment> active_segments(const Instance& inst) {
  const ModuleDesc& m = inst.module().desc();
  std::vector<Segment> out;
  for (const DataSegment& d : m.datas)
    if (d.mode == SegmentMode::Active && d.memory == 0)
      out.push_back(
          {uint32_t(const_value(d.offset, inst).bits), d.data_size, m.bytes.data() + d.data_begin});
  return out;
}

uint64_t global_initial(const Instance& inst, size_t i) {
  const ModuleDesc& m = inst.module().desc();
  if (i < m.num_imported_globals) return inst.globals_[i]->bits_;
  return const_value(m.globals[i - m.num_imported_globals].init, inst).bits;
}

bool global_at_initial(const Instance& inst, size_t i) {
  const ModuleDesc& m = inst.module().desc();
  if (i < m.num_imported_globals) return true;  // not the instance's own
  Value v = const_value(m.globals[i - m.num_imported_globals].init, inst);
  const glint::Global& g = *inst.globals_[i];
  return g.bits_ == v.bits && g.bits_hi_ == v.hi;
}

// The new build's function for an old reference (0 stays 0); 0 and a change if it has none.
uint64_t remap(uint64_t ref, const FuncNames& old_names, FuncNames& new_names, const char* where,
               std::vector<std::string>& changes) {
  if (ref == 0) return 0;
  const Function* f = reinterpret_cast<const Function*>(uintptr_t(ref));
  if (Function* g = new_names.find(old_names.name(f->index_))) return uint64_t(uintptr_t(g));
  changes.push_back(std::string(where) + " refers to function '" + old_names.readable(f->index_) +
                    "', which the new build does not have (or has several of)");
  return 0;
}

namespace {

constexpr uint64_t kWord = 8;

// What moved between the two builds' data layouts (empty: nothing).
std::vector<std::string> layout_changes(const Instance& from, const Instance& to) {
  std::vector<std::string> changes;
  if (from.memories_.size() != to.memories_.size())
    changes.push_back("the number of memories changed: " + std::to_string(from.memories_.size()) +
                      " -> " + std::to_string(to.memories_.size()));
  auto a = active_segments(from), b = active_segments(to);
  if (a.size() != b.size())
    changes.push_back("the number of data segments changed: " + std::to_string(a.size()) + " -> " +
                      std::to_string(b.size()));
  for (size_t i = 0; i < a.size() && i < b.size(); i++)
    if (a[i].offset != b[i].offset || a[i].size != b[i].size)
      changes.push_back("data segment " + std::to_string(i) + " moved: " + hex(a[i].offset) + " (" +
                        std::to_string(a[i].size) + " bytes) -> " + hex(b[i].offset) + " (" +
                        std::to_string(b[i].size) + " bytes)");
  if (from.globals_.size() != to.globals_.size()) {
    changes.push_back("the number of globals changed: " + std::to_string(from.globals_.size()) +
                      " -> " + std::to_string(to.globals_.size()));
    return changes;
  }
  for (size_t i = 0; i < from.globals_.size(); i++) {
    const GlobalType &ta = from.globals_[i]->type_, &tb = to.globals_[i]->type_;
    if (ta.type != tb.type || ta.mut != tb.mut) {
      changes.push_back("global " + std::to_string(i) + " changed type");
      continue;
    }
    // Addresses the linker chose (the stack pointer's start, __heap_base, __data_end) move
    // when static data grows or shrinks.
    uint64_t ia = global_initial(from, i), ib = global_initial(to, i);
    if (ta.type == ValType::I32 && ia != ib)
      changes.push_back("global " + std::to_string(i) + " starts at " + hex(ib) + ", was " +
                        hex(ia) + " (static data " + (ib > ia ? "grew" : "shrank") + ")");
  }
  return changes;
}

void merge_segment(const Segment& old_seg, const Segment& new_seg, const uint8_t* old_mem,
                   uint8_t* mem, uint64_t& taken) {
  for (uint64_t w = old_seg.offset & ~(kWord - 1); w < old_seg.offset + old_seg.size; w += kWord) {
    uint64_t lo = std::max(w, old_seg.offset),
             hi = std::min(w + kWord, old_seg.offset + old_seg.size);
    const uint8_t* init = old_seg.init + (lo - old_seg.offset);
    if (std::memcmp(old_mem + lo, init, hi - lo) != 0) continue;  // written: game state
    std::memcpy(mem + lo, new_seg.init + (lo - new_seg.offset), hi - lo);
    taken += hi - lo;
  }
}

void transfer_tables(const Instance& from, Instance& to, std::vector<std::string>& changes,
                     uint64_t& remapped) {
  if (from.tables_.size() != to.tables_.size()) {
    changes.push_back("the number of tables changed");
    return;
  }
  FuncNames old_names(from), new_names(to);
  for (size_t t = 0; t < from.tables_.size(); t++) {
    const Table& a = *from.tables_[t];
    Table& b = *to.tables_[t];
    if (a.type_.elem != b.type_.elem) {
      changes.push_back("table " + std::to_string(t) + " changed type");
      continue;
    }
    if (b.elems_.size() < a.elems_.size()) b.elems_.resize(a.elems_.size(), 0);
    for (size_t k = 0; k < a.elems_.size(); k++) {
      if (a.type_.elem != ValType::FuncRef) {
        b.elems_[k] = a.elems_[k];
        continue;
      }
      auto* f = reinterpret_cast<const Function*>(uintptr_t(a.elems_[k]));
      auto* g = reinterpret_cast<const Function*>(uintptr_t(b.elems_[k]));
      std::string where = "table slot " + std::to_string(k);
      if (!f) continue;  // the new build's own, if any
      if (g) {
        // A C function pointer is a table index: stored ones must find the same function.
        if (old_names.name(f->index_) == new_names.name(g->index_)) {
          ++remapped;
          continue;
        }
        changes.push_back(where + " held '" + old_names.readable(f->index_) +
                          "', the new build puts '" + new_names.readable(g->index_) +
                          "' there: function pointers stored before would call the wrong one");
        continue;
      }
      b.elems_[k] = remap(a.elems_[k], old_names, new_names, where.c_str(), changes);
      remapped += b.elems_[k] != 0;
    }
  }
}

}  // namespace
}  // namespace detail

using namespace detail;

Result<StateTransfer> transfer_state(const Instance& from, Instance& to) {
  std::vector<std::string> moved = layout_changes(from, to);
  auto old_layout = data_layout(from.module()), new_layout = data_layout(to.module());
  bool dwarf = !old_layout->variables.empty() && !new_layout->variables.empty();
  if (!moved.empty() && dwarf)  // the layout moved: DWARF says where each variable went
    return migrate_state(from, to, *old_layout, *new_layout, std::move(moved), false);
  StateTransfer t;
  if (!moved.empty()) {
    t.changes = std::move(moved);
    t.changes.push_back(std::string("(no DWARF in the ") +
                        (old_layout->variables.empty() ? "old" : "new") +
                        " build to migrate the state variable by variable: build with -g)");
    return t;
  }

  // Memory: the old instance's, with the new build's bytes where the old one never wrote.
  uint64_t taken = 0;
  if (Memory* mem = to.mem0_) {
    const Memory& old = *from.mem0_;
    if (!mem->resize_for_restore(std::max(mem->size_, old.size_)))
      return snapshot_error("the new build's memory cannot grow to " + std::to_string(old.size_) +
                            " bytes");
    auto a = active_segments(from), b = active_segments(to);
    std::memcpy(mem->base_, old.base_, old.size_);
    for (size_t i = 0; i < a.size(); i++) merge_segment(a[i], b[i], old.base_, mem->base_, taken);
  }
  // Globals: the same rule, whole values.
  FuncNames old_names(from), new_names(to);
  uint64_t globals_kept = 0, remapped = 0;
  for (size_t i = 0; i < from.globals_.size(); i++) {
    const glint::Global& a = *from.globals_[i];
    glint::Global& b = *to.globals_[i];
    if (!b.type_.mut || global_at_initial(from, i)) continue;
    b.bits_ = a.type_.type == ValType::FuncRef
                  ? remap(a.bits_, old_names, new_names, "a global", t.changes)
                  : a.bits_;
    b.bits_hi_ = a.bits_hi_;
    ++globals_kept;
  }
  // With DWARF, a table slot that now holds another function is no reason to refuse: the
  // migration below moves every described function pointer to its function's new slot.
  std::vector<std::string> table_changes;
  transfer_tables(from, to, dwarf ? table_changes : t.changes, remapped);
  Snapshot drops;
  capture_drops(from, drops);
  if (drops.dropped_datas.size() == to.dropped_datas_.size() &&
      drops.dropped_elems.size() == to.elem_values_.size())
    write_drops(to, drops);
  t.kept = t.changes.empty();
  if (to.mem0_)
    t.notes.push_back("memory: " + std::to_string(from.mem0_->size_) + " bytes kept, " +
                      std::to_string(taken) + " bytes of constants from the new build");
  t.notes.push_back("globals: " + std::to_string(globals_kept) + " kept");
  t.notes.push_back("tables: " + std::to_string(remapped) + " function references by name");
  if (!dwarf || !t.kept) return t;
  // The same segments and globals, but fields may have been reordered or retyped within the
  // same sizes (Rust reorders struct fields): DWARF checks every variable, on top of the above.
  auto exact = migrate_state(from, to, *old_layout, *new_layout, {}, true);
  if (!exact) return exact;
  for (std::string& n : table_changes) exact->notes.push_back(n + " (moved by DWARF)");
  return exact;
}

}  // namespace glint
