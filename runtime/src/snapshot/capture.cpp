// Capturing and restoring an instance's state, and the content of an instance snapshot file.
#include <cstring>
#include <unordered_map>

#include "decode/module.h"
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "snapshot/page_image.h"
#include "snapshot/state.h"

namespace glint {
namespace detail {

Error snapshot_error(std::string message) { return Error{ErrorKind::Snapshot, std::move(message)}; }

std::string hash_text(uint64_t h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
  return buf;
}

Result<void> check_module(const Instance& inst, uint64_t module_hash) {
  uint64_t mine = inst.module().content_hash();
  if (module_hash == mine) return {};
  return snapshot_error("the snapshot is of another module (module hash " + hash_text(module_hash) +
                        "; this instance's module is " + hash_text(mine) + ")");
}

Result<uint64_t> FuncIndex::to_index(uint64_t ref) const {
  if (ref == 0) return uint64_t(0);
  auto* f = reinterpret_cast<const Function*>(uintptr_t(ref));
  const std::vector<Function*>& funcs = inst_.funcs_;
  if (f->index_ < funcs.size() && funcs[f->index_] == f) return uint64_t(f->index_) + 1;
  if (index_.empty())
    for (uint32_t i = 0; i < funcs.size(); i++) index_.emplace(funcs[i], i + 1);
  auto it = index_.find(f);
  if (it != index_.end()) return uint64_t(it->second);
  return snapshot_error("a reference to function '" + f->name() +
                        "', which is not in the instance's function space, cannot be saved");
}

uint64_t to_ref(const Instance& inst, uint64_t index) {
  return index == 0 ? 0 : uint64_t(uintptr_t(inst.funcs_[index - 1]));
}

// Reference values are pointers in the process; in a snapshot they are function indices.
Result<uint64_t> portable_bits(const FuncIndex& funcs, ValType t, uint64_t bits) {
  return t == ValType::FuncRef ? funcs.to_index(bits) : Result<uint64_t>(bits);
}

Result<void> capture_globals(const Instance& inst, const FuncIndex& funcs,
                             std::vector<GlobalState>& out) {
  out.resize(inst.globals_.size());
  for (size_t i = 0; i < out.size(); i++) {
    const glint::Global& g = *inst.globals_[i];
    auto bits = portable_bits(funcs, g.type_.type, g.bits_);
    if (!bits) return bits.error();
    out[i] = GlobalState{g.type_.type, *bits, g.bits_hi_};
  }
  return {};
}

Result<void> capture_tables(const Instance& inst, const FuncIndex& funcs,
                            std::vector<TableState>& out) {
  out.resize(inst.tables_.size());
  for (size_t i = 0; i < out.size(); i++) {
    const Table& t = *inst.tables_[i];
    out[i].elem = t.type_.elem;
    out[i].refs.resize(t.elems_.size());
    for (size_t k = 0; k < t.elems_.size(); k++) {
      auto bits = portable_bits(funcs, t.type_.elem, t.elems_[k]);
      if (!bits) return bits.error();
      out[i].refs[k] = *bits;
    }
  }
  return {};
}

void capture_drops(const Instance& inst, Snapshot& out) {
  const ModuleDesc& m = inst.module().desc();
  out.dropped_elems.resize(inst.elem_values_.size());
  for (size_t i = 0; i < out.dropped_elems.size(); i++)
    out.dropped_elems[i] = inst.elem_values_[i].empty() && !m.elems[i].init.empty();
  out.dropped_datas.resize(inst.dropped_datas_.size());
  for (size_t i = 0; i < out.dropped_datas.size(); i++)
    out.dropped_datas[i] = inst.dropped_datas_[i];
}

Result<void> check_state(const Instance& inst, const Snapshot& s) {
  if (auto r = check_module(inst, s.module_hash); !r) return r;
  auto count_error = [](const char* what, size_t have, size_t want) {
    return snapshot_error("the snapshot has " + std::to_string(have) + " " + what +
                          ", the instance " + std::to_string(want));
  };
  if (s.memories.size() != inst.memories_.size())
    return count_error("memories", s.memories.size(), inst.memories_.size());
  if (s.globals.size() != inst.globals_.size())
    return count_error("globals", s.globals.size(), inst.globals_.size());
  if (s.tables.size() != inst.tables_.size())
    return count_error("tables", s.tables.size(), inst.tables_.size());
  if (s.dropped_elems.size() != inst.elem_values_.size())
    return count_error("element segments", s.dropped_elems.size(), inst.elem_values_.size());
  if (s.dropped_datas.size() != inst.dropped_datas_.size())
    return count_error("data segments", s.dropped_datas.size(), inst.dropped_datas_.size());
  for (size_t i = 0; i < s.memories.size(); i++) {
    const MemoryState& m = s.memories[i];
    const Memory& mem = *inst.memories_[i];
    if (m.size % 65536 || m.size > mem.reserved_ || m.pages.size() != m.size / kSnapshotPageSize)
      return snapshot_error("memory " + std::to_string(i) + " of the snapshot is " +
                            std::to_string(m.size) + " bytes (" + std::to_string(m.pages.size()) +
                            " pages of 4 KiB stored), which this memory cannot hold");
  }
  for (size_t i = 0; i < s.globals.size(); i++)
    if (s.globals[i].type != inst.globals_[i]->type_.type)
      return snapshot_error("global " + std::to_string(i) + " is " + to_string(s.globals[i].type) +
                            " in the snapshot, " + to_string(inst.globals_[i]->type_.type) +
                            " in the instance");
  for (size_t i = 0; i < s.tables.size(); i++) {
    const TableState& t = s.tables[i];
    const Table& table = *inst.tables_[i];
    if (t.elem != table.type_.elem)
      return snapshot_error("table " + std::to_string(i) + " holds " + to_string(t.elem) +
                            " in the snapshot, " + to_string(table.type_.elem) + " here");
    if (table.type_.limits.max && t.refs.size() > *table.type_.limits.max)
      return snapshot_error("table " + std::to_string(i) + " has " + std::to_string(t.refs.size()) +
                            " elements, more than its maximum");
    if (t.elem == ValType::FuncRef)
      for (uint64_t r : t.refs)
        if (r > inst.funcs_.size())
          return snapshot_error("table " + std::to_string(i) + " refers to function " +
                                std::to_string(r - 1) + ", which the instance does not have");
  }
  for (const GlobalState& g : s.globals)
    if (g.type == ValType::FuncRef && g.bits > inst.funcs_.size())
      return snapshot_error("a global refers to function " + std::to_string(g.bits - 1) +
                            ", which the instance does not have");
  return {};
}

void write_globals(Instance& inst, const std::vector<GlobalState>& globals) {
  for (size_t i = 0; i < globals.size(); i++) {
    glint::Global& g = *inst.globals_[i];
    if (!g.type_.mut) continue;  // the instance's own value is the snapshot's
    g.bits_ = g.type_.type == ValType::FuncRef ? to_ref(inst, globals[i].bits) : globals[i].bits;
    g.bits_hi_ = globals[i].hi;
  }
}

void write_tables(Instance& inst, const std::vector<TableState>& tables) {
  for (size_t i = 0; i < tables.size(); i++) {
    Table& t = *inst.tables_[i];
    t.elems_.resize(tables[i].refs.size());
    for (size_t k = 0; k < t.elems_.size(); k++)
      t.elems_[k] =
          t.type_.elem == ValType::FuncRef ? to_ref(inst, tables[i].refs[k]) : tables[i].refs[k];
  }
}

void write_drops(Instance& inst, const Snapshot& s) {
  for (size_t i = 0; i < s.dropped_elems.size(); i++) {
    if (s.dropped_elems[i])
      inst.elem_values_[i].clear();
    else if (inst.elem_values_[i].empty())
      inst.elem_values_[i] = elem_segment_values(inst, uint32_t(i));
  }
  for (size_t i = 0; i < s.dropped_datas.size(); i++) inst.dropped_datas_[i] = s.dropped_datas[i];
}

bool write_memory(Memory& mem, const MemoryState& m) {
  if (!mem.resize_for_restore(m.size)) return false;
  restore_image(mem, m);
  return true;
}

}  // namespace detail

using namespace detail;

Result<void> capture(const Instance& inst, Snapshot& out) {
  out.module_hash = inst.module().content_hash();
  out.paused.reset();
  out.memories.resize(inst.memories_.size());
  for (size_t i = 0; i < out.memories.size(); i++) {
    const PageImage& image = sync_image(*inst.memories_[i]);
    out.memories[i].size = image.size;
    share_pages(image.pages, out.memories[i].pages);
  }
  FuncIndex funcs(inst);
  if (auto r = capture_globals(inst, funcs, out.globals); !r) return r;
  if (auto r = capture_tables(inst, funcs, out.tables); !r) return r;
  capture_drops(inst, out);
  return {};
}

Result<void> check_restore(const Instance& inst, const Snapshot& snap) {
  return check_state(inst, snap);
}

Result<void> restore(Instance& inst, const Snapshot& snap) {
  if (auto r = check_state(inst, snap); !r) return r;
  for (size_t i = 0; i < snap.memories.size(); i++)
    if (!write_memory(*inst.memories_[i], snap.memories[i]))
      return snapshot_error("cannot resize memory " + std::to_string(i) + " to " +
                            std::to_string(snap.memories[i].size) + " bytes");
  write_globals(inst, snap.globals);
  write_tables(inst, snap.tables);
  write_drops(inst, snap);
  return {};
}

// ---- file content -----------------------------------------------------------------------------

namespace {

bool valid_type(uint8_t t) {
  switch (ValType(t)) {
    case ValType::I32:
    case ValType::I64:
    case ValType::F32:
    case ValType::F64:
    case ValType::V128:
    case ValType::FuncRef:
    case ValType::ExternRef:
      return true;
  }
  return false;
}

ValType read_type(ByteReader& r, const char* what) {
  uint8_t t = r.u8(what);
  if (r.ok() && !valid_type(t)) r.fail(std::string("bad value type in '") + what + "'");
  return ValType(t);
}

void write_flags(ByteWriter& w, const std::vector<uint8_t>& flags) { w.bytes(flags); }
void read_flags(ByteReader& r, std::vector<uint8_t>& flags, const char* what) {
  auto b = r.bytes(what);
  flags.assign(b.begin(), b.end());
}

}  // namespace

void write_instance_state(ByteWriter& w, const Snapshot& s) {
  w.u64(s.module_hash);
  w.u64(s.memories.size());
  for (const MemoryState& m : s.memories) {
    w.u64(m.size);
    w.u64(m.size);  // the bytes, length first
    size_t at = w.out.size();
    w.out.resize(at + m.size);
    m.copy_to(w.out.data() + at);
  }
  w.u64(s.globals.size());
  for (const GlobalState& g : s.globals) {
    w.u8(uint8_t(g.type));
    w.u64(g.bits);
    w.u64(g.hi);
  }
  w.u64(s.tables.size());
  for (const TableState& t : s.tables) {
    w.u8(uint8_t(t.elem));
    w.u64(t.refs.size());
    for (uint64_t r : t.refs) w.u64(r);
  }
  write_flags(w, s.dropped_elems);
  write_flags(w, s.dropped_datas);
  // 0: no paused call; 1: one; 2: one with caught exceptions (after its slots).
  w.u8(!s.paused ? 0 : s.paused->caught.empty() ? 1 : 2);
  if (!s.paused) return;
  const PausedCall& p = *s.paused;
  w.u32(p.entry_func);
  w.u64(p.loop_reg);
  w.u64(p.frames.size());
  for (const PausedFrame& f : p.frames) {
    w.u32(f.func_index);
    w.u32(f.code_index);
    w.u64(f.fp);
  }
  w.u64(p.slots.size());
  for (uint64_t v : p.slots) w.u64(v);
  if (p.caught.empty()) return;
  w.u64(p.caught.size());
  for (const PausedCatch& c : p.caught) {
    w.u32(c.frame);
    w.u32(c.level);
    w.u32(c.tag);
    w.u64(c.values.size());
    for (uint64_t v : c.values) w.u64(v);
  }
}

bool read_instance_state(ByteReader& r, Snapshot& s) {
  s.module_hash = r.u64("module hash");
  s.memories.resize(r.count("memories", 16));
  for (MemoryState& m : s.memories) {
    m.size = r.u64("memory size");
    auto b = r.bytes("memory bytes");
    if (r.ok() && b.size() != m.size)
      return r.fail("memory of " + std::to_string(m.size) + " bytes stores " +
                    std::to_string(b.size()));
    m.assign(b);
  }
  s.globals.resize(r.count("globals", 17));
  for (GlobalState& g : s.globals) {
    g.type = read_type(r, "global type");
    g.bits = r.u64("global value");
    g.hi = r.u64("global value");
  }
  s.tables.resize(r.count("tables", 9));
  for (TableState& t : s.tables) {
    t.elem = read_type(r, "table type");
    t.refs.resize(r.count("table elements", 8));
    for (uint64_t& v : t.refs) v = r.u64("table element");
  }
  read_flags(r, s.dropped_elems, "dropped element segments");
  read_flags(r, s.dropped_datas, "dropped data segments");
  s.paused.reset();
  uint8_t paused = r.u8("paused call flag");
  if (paused > 2) return r.fail("unknown paused call flag " + std::to_string(paused));
  if (paused) {
    PausedCall& p = s.paused.emplace();
    p.entry_func = r.u32("entry function");
    p.loop_reg = r.u64("loop register");
    p.frames.resize(r.count("paused frames", 16));
    for (PausedFrame& f : p.frames) {
      f.func_index = r.u32("frame function");
      f.code_index = r.u32("frame position");
      f.fp = r.u64("frame pointer");
    }
    p.slots.resize(r.count("stack slots", 8));
    for (uint64_t& v : p.slots) v = r.u64("stack slot");
    if (paused == 2) {
      p.caught.resize(r.count("caught exceptions", 20));
      for (PausedCatch& c : p.caught) {
        c.frame = r.u32("caught exception's frame");
        c.level = r.u32("caught exception's level");
        c.tag = r.u32("caught exception's tag");
        c.values.resize(r.count("caught exception's values", 8));
        for (uint64_t& v : c.values) v = r.u64("caught exception's value");
      }
    }
  }
  return r.ok();
}

std::vector<uint8_t> encode_snapshot(const Snapshot& snap) {
  ByteWriter w;
  write_instance_state(w, snap);
  PackedFile f{FileKind::InstanceSnapshot, kSnapshotFormatVersion, snap.module_hash,
               std::move(w.out)};
  return pack_file(f);
}

Result<Snapshot> decode_snapshot(std::span<const uint8_t> bytes, uint64_t expect_module) {
  auto file = unpack_file(bytes);
  if (!file) return file.error();
  if (file->kind != FileKind::InstanceSnapshot)
    return snapshot_error(std::string("this is a ") + to_string(file->kind) +
                          " file, not an instance snapshot");
  if (expect_module && file->module_hash != expect_module)
    return snapshot_error("the snapshot is of another module (module hash " +
                          hash_text(file->module_hash) + "; expected " + hash_text(expect_module) +
                          ")");
  Snapshot s;
  ByteReader r(file->content);
  if (!read_instance_state(r, s) || !r.done())
    return snapshot_error(
        "malformed content: " +
        (r.ok() ? "unexpected bytes at byte " + std::to_string(r.offset()) : r.error()));
  return s;
}

}  // namespace glint
