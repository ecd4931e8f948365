// Hot reload when the data layout moved (transfer.h's migrate_state): the state is carried
// variable by variable and field by field with both builds' DWARF data layouts.
//
// The new instance starts as the new build made it (its constants, and every variable at its
// initial value). Then:
// - the heap (from the old build's heap base to the end of memory) is copied to the same
//   addresses: heap pointers stay valid. The new build's static data must fit below it: where
//   static data grew in a C module (stack after data), the new stack gives up the difference;
// - each new variable takes the old variable of the same name (and compilation unit): whole
//   where the type is the same, else field by field (by name) and element by element; a new
//   field, element or variable keeps the new build's initial value; numbers convert between
//   widths;
// - pointers are relocated as they are copied: into the heap they stay, into a variable they
//   follow it (and its fields) to its new place, into an undescribed static (a string literal)
//   they find the same bytes in the new build; function pointers (table indices) follow the
//   function by name;
// - what cannot be carried (a pointer to something the new build lacks, heap objects of a type
//   whose layout changed, a union or Rust enum of a changed type) makes it refuse: then the
//   module's save/load hooks, or a restart, carry on (Game::reload).
#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "decode/module.h"
#include "snapshot/state.h"
#include "snapshot/transfer.h"

namespace glint {
namespace detail {
namespace {

using Kind = LayoutType::Kind;
constexpr uint64_t kMinStack = 16 << 10;  // what a shrunk C stack must keep
constexpr int kMaxDepth = 64;             // nested types, against cycles in odd DWARF

// Where the heap starts: __heap_base if the module has it; else, for a C module (stack after
// static data), the stack's top; else (stack first) the end of static data.
uint64_t heap_start(const Instance& inst, const DataLayout& layout, uint64_t& sp_init,
                    uint32_t& sp_index, uint64_t& data_end) {
  const ModuleDesc& m = inst.module().desc();
  uint64_t heap_base = 0;
  sp_index = UINT32_MAX;
  for (uint32_t i = 0; i < inst.globals_.size(); i++) {
    auto it = m.global_names.find(i);
    std::string name = it != m.global_names.end() ? it->second : "";
    for (const auto& e : m.exports)
      if (e.kind == ExternKind::Global && e.index == i) name = e.name;
    if (name == "__heap_base") heap_base = global_initial(inst, i);
    if (name == "__stack_pointer" || (sp_index == UINT32_MAX && inst.globals_[i]->type_.mut &&
                                      inst.globals_[i]->type_.type == ValType::I32))
      sp_index = i;
  }
  sp_init = sp_index == UINT32_MAX ? 0 : global_initial(inst, sp_index);
  data_end = 0;
  for (const Segment& s : active_segments(inst)) data_end = std::max(data_end, s.offset + s.size);
  for (const LayoutVariable& v : layout.variables)
    data_end = std::max<uint64_t>(data_end, v.address + layout.size_of(v));
  data_end = (data_end + 15) & ~uint64_t(15);
  if (heap_base) return heap_base;
  return sp_init > data_end ? sp_init : data_end;
}

// What instantiation put in memory 0: the active data segments, zeros elsewhere (`end` is the
// last segment's end: past it all is zeros).
std::vector<uint8_t> initial_bytes(const Instance& inst) {
  uint64_t end = 0;
  auto segments = active_segments(inst);
  for (const Segment& s : segments) end = std::max(end, s.offset + s.size);
  std::vector<uint8_t> out(end);
  for (const Segment& s : segments) std::memcpy(out.data() + s.offset, s.init, s.size);
  return out;
}

class Migration {
 public:
  Migration(const Instance& from, Instance& to, const DataLayout& a, const DataLayout& b)
      : from_(from), to_(to), a_(a), b_(b), old_names_(from), new_names_(to) {}

  Result<StateTransfer> run(std::vector<std::string> moved, bool on_top);

 private:
  bool same(uint32_t x, uint32_t y, int depth = 0);
  bool has_pointers(const DataLayout& l, uint32_t t, int depth = 0);
  void move_value(uint64_t oa, uint32_t ot, uint64_t na, uint32_t nt, const std::string& path,
                  int depth);
  void fix_pointers(uint64_t oa, uint32_t ot, uint64_t na, uint32_t nt, const std::string& path,
                    int depth);
  uint32_t relocate(uint32_t value, uint32_t old_pointee, const std::string& path);
  uint32_t remap_index(uint32_t index, const std::string& path);
  std::optional<uint64_t> map_offset(uint32_t ot, uint32_t nt, uint64_t offset, int depth = 0);
  const LayoutVariable* old_variable_at(uint64_t address) const;
  const LayoutVariable* new_variable_for(const LayoutVariable& old) const;
  void describe_type_change(uint32_t ot, uint32_t nt);
  void check_coverage(const std::vector<uint8_t>& old_initial, uint64_t static_start);
  void change(std::string s) { changes_.push_back(std::move(s)); }
  void note(std::string s) { notes_.push_back(std::move(s)); }
  uint64_t old_u(uint64_t at, uint64_t n) const {
    uint64_t v = 0;
    if (at + n <= old_size_) std::memcpy(&v, old_ + at, n);
    return v;
  }
  void put(uint64_t at, uint64_t v, uint64_t n) {
    if (at + n <= mem_size_) std::memcpy(mem_ + at, &v, n);
  }

  const Instance& from_;
  Instance& to_;
  const DataLayout &a_, &b_;  // old, new
  FuncNames old_names_, new_names_;
  const uint8_t* old_ = nullptr;
  uint64_t old_size_ = 0, mem_size_ = 0, old_heap_ = 0;
  uint64_t old_end_ = 0;  // of the old static data: [old_end_, old_heap_) is a C stack
  uint8_t* mem_ = nullptr;
  std::map<std::string, std::vector<const LayoutVariable*>> new_by_name_;
  std::map<std::pair<uint32_t, uint32_t>, bool> same_;
  std::map<std::pair<const DataLayout*, uint32_t>, bool> has_pointers_;
  std::set<std::pair<uint32_t, uint32_t>> described_;
  std::map<std::string, uint32_t> new_slots_;  // function name -> slot in the new table 0
  std::vector<std::string> changes_, notes_;
  std::vector<std::string> type_changes_;  // "struct Enemy: field `armor` added, size 24 -> 28"
  uint64_t moved_values_ = 0, relocated_ = 0;
};

// Deep equality of two types' layouts (assumed equal while being compared: recursive types).
bool Migration::same(uint32_t x, uint32_t y, int depth) {
  auto key = std::make_pair(x, y);
  if (auto it = same_.find(key); it != same_.end()) return it->second;
  if (depth > kMaxDepth) return false;
  same_[key] = true;
  const LayoutType &s = a_.type(x), &t = b_.type(y);
  bool eq = s.kind == t.kind && s.size == t.size && s.name == t.name && s.count == t.count &&
            s.fields.size() == t.fields.size() && s.is_signed == t.is_signed;
  for (size_t i = 0; eq && i < s.fields.size(); i++)
    eq = s.fields[i].name == t.fields[i].name && s.fields[i].offset == t.fields[i].offset &&
         same(s.fields[i].type, t.fields[i].type, depth + 1);
  if (eq && (s.kind == Kind::Array || s.kind == Kind::Pointer))
    eq = s.kind == Kind::Pointer || same(s.element, t.element, depth + 1);
  eq = eq && s.variants.size() == t.variants.size() && s.discr_offset == t.discr_offset &&
       s.discr_size == t.discr_size;
  for (size_t i = 0; eq && i < s.variants.size(); i++) {
    const auto &v = s.variants[i], &w = t.variants[i];
    eq = v.name == w.name && v.has_value == w.has_value && v.value == w.value &&
         v.offset == w.offset && same(v.type, w.type, depth + 1);
  }
  return same_[key] = eq;
}

bool Migration::has_pointers(const DataLayout& l, uint32_t t, int depth) {
  auto key = std::make_pair(&l, t);
  if (auto it = has_pointers_.find(key); it != has_pointers_.end()) return it->second;
  has_pointers_[key] = false;  // a cycle goes through a pointer, which says true below
  const LayoutType& type = l.type(t);
  bool any = type.kind == Kind::Pointer || type.kind == Kind::FunctionPointer;
  if (depth < kMaxDepth) {
    for (const auto& f : type.fields) any = any || has_pointers(l, f.type, depth + 1);
    for (const auto& v : type.variants) any = any || has_pointers(l, v.type, depth + 1);
    if (type.kind == Kind::Array) any = any || has_pointers(l, type.element, depth + 1);
  }
  return has_pointers_[key] = any;
}

const LayoutVariable* Migration::old_variable_at(uint64_t address) const {
  auto it = std::upper_bound(a_.variables.begin(), a_.variables.end(), address,
                             [](uint64_t at, const LayoutVariable& v) { return at < v.address; });
  while (it != a_.variables.begin()) {
    --it;
    if (address < it->address + a_.size_of(*it)) return &*it;
    if (it->address + 0x100000 < address) break;  // far below: none covers it
  }
  return nullptr;
}

const LayoutVariable* Migration::new_variable_for(const LayoutVariable& old) const {
  auto it = new_by_name_.find(old.name);
  if (it == new_by_name_.end()) return nullptr;
  for (const LayoutVariable* v : it->second)
    if (v->unit == old.unit) return v;
  return it->second.size() == 1 ? it->second[0] : nullptr;
}

// Where byte `offset` of a value of old type `ot` is in the new type `nt`.
std::optional<uint64_t> Migration::map_offset(uint32_t ot, uint32_t nt, uint64_t offset,
                                              int depth) {
  if (same(ot, nt)) return offset;
  const LayoutType &s = a_.type(ot), &t = b_.type(nt);
  if (depth > kMaxDepth) return std::nullopt;
  if (s.kind == Kind::Struct && t.kind == Kind::Struct) {
    for (const auto& f : s.fields) {
      uint64_t size = a_.type(f.type).size;
      if (offset < f.offset || offset >= f.offset + std::max<uint64_t>(size, 1)) continue;
      for (const auto& g : t.fields)
        if (g.name == f.name)
          if (auto inner = map_offset(f.type, g.type, offset - f.offset, depth + 1))
            return g.offset + *inner;
      return std::nullopt;
    }
    return std::nullopt;
  }
  if (s.kind == Kind::Array && t.kind == Kind::Array) {
    uint64_t es = a_.type(s.element).size, et = b_.type(t.element).size;
    if (es == 0 || offset / es >= t.count) return std::nullopt;
    auto inner = map_offset(s.element, t.element, offset % es, depth + 1);
    if (inner) return (offset / es) * et + *inner;
    return std::nullopt;
  }
  return offset < t.size ? std::optional<uint64_t>(offset) : std::nullopt;
}

uint32_t Migration::relocate(uint32_t value, uint32_t old_pointee, const std::string& path) {
  if (value == 0 || (value >= old_heap_ && value < old_size_)) return value;  // null, heap
  if (value >= old_end_ && value < old_heap_) return value;  // the stack: nothing there now
  const LayoutVariable* v = old_variable_at(value);
  if (!v) {  // one past a variable's end (C's end pointers: `buf + sizeof buf`)
    v = old_variable_at(value - 1);
    if (v && value == v->address + a_.size_of(*v))
      if (const LayoutVariable* w = new_variable_for(*v)) {
        relocated_ += value != w->address + b_.size_of(*w);
        return uint32_t(w->address + b_.size_of(*w));
      }
    v = nullptr;
  }
  if (v) {
    const LayoutVariable* w = new_variable_for(*v);
    auto offset = w ? map_offset(v->type, w->type, value - v->address) : std::nullopt;
    if (!offset) {
      change(path + " points into '" + v->name + "', " +
             (w ? "at a place its new type does not have" : "which the new build does not have"));
      return value;
    }
    relocated_ += value != w->address + *offset;
    return uint32_t(w->address + *offset);
  }
  // Not a variable: a string literal or other constant without DWARF of its own. The same
  // bytes in the new build's data segments (a C string: up to its NUL) are what it pointed at;
  // for read-only data any copy of them is as good as another.
  uint64_t n = std::max<uint64_t>(a_.type(old_pointee).size, 1);
  bool is_char = a_.type(old_pointee).kind == Kind::Int && n == 1;
  if (is_char)
    while (value + n - 1 < old_size_ && old_[value + n - 1] != 0 && n < 4096) n++;
  for (const Segment& s : active_segments(to_)) {
    const uint8_t* hit = std::search(s.init, s.init + s.size, old_ + value, old_ + value + n);
    if (value + n <= old_size_ && hit != s.init + s.size) {
      ++relocated_;
      return uint32_t(s.offset + uint64_t(hit - s.init));
    }
  }
  change(path + " points at " + hex(value) + ", which the new build has nowhere (" +
         std::to_string(n) + " bytes)");
  return value;
}

// An old table index (a C function pointer) as the new build's index of the same function.
uint32_t Migration::remap_index(uint32_t index, const std::string& path) {
  if (index == 0 || from_.tables_.empty() || to_.tables_.empty()) return index;
  const Table& old_table = *from_.tables_[0];
  Table& table = *to_.tables_[0];
  if (index >= old_table.elems_.size() || !old_table.elems_[index]) {
    change(path + " holds " + std::to_string(index) + ", not a function of the old build's table");
    return index;
  }
  auto* f = reinterpret_cast<const Function*>(uintptr_t(old_table.elems_[index]));
  std::string name = old_names_.name(f->index_);
  if (new_slots_.empty())
    for (uint32_t k = 0; k < table.elems_.size(); k++)
      if (auto* g = reinterpret_cast<const Function*>(uintptr_t(table.elems_[k])))
        new_slots_.emplace(new_names_.name(g->index_), k);
  if (auto it = new_slots_.find(name); it != new_slots_.end()) return it->second;
  // The new build takes no address of it: give it a slot.
  Function* g = new_names_.find(name);
  if (!g || (table.type_.limits.max && table.elems_.size() >= *table.type_.limits.max)) {
    change(path + " calls '" + old_names_.readable(f->index_) +
           "', which the new build does not have (or cannot put in its table)");
    return index;
  }
  table.elems_.push_back(uint64_t(uintptr_t(g)));
  new_slots_[name] = uint32_t(table.elems_.size() - 1);
  return uint32_t(table.elems_.size() - 1);
}

// The new value at `na` already holds the old bytes; pointers in it are relocated.
void Migration::fix_pointers(uint64_t oa, uint32_t ot, uint64_t na, uint32_t nt,
                             const std::string& path, int depth) {
  const LayoutType &s = a_.type(ot), &t = b_.type(nt);
  if (depth > kMaxDepth || !has_pointers(a_, ot)) return;
  switch (s.kind) {
    case Kind::Pointer: {
      uint32_t v = uint32_t(old_u(oa, 4));
      if (v >= old_heap_ && v < old_size_ && !same(s.element, t.element) &&
          b_.type(t.element).kind != Kind::Unknown) {
        change(path + " points to heap objects of " + b_.type(t.element).name +
               ", whose layout changed (heap objects cannot be migrated)");
        if (a_.type(s.element).kind == Kind::Struct && b_.type(t.element).kind == Kind::Struct)
          describe_type_change(s.element, t.element);
      }
      put(na, relocate(v, s.element, path), 4);
      return;
    }
    case Kind::FunctionPointer:
      put(na, remap_index(uint32_t(old_u(oa, 4)), path), 4);
      return;
    case Kind::Struct:
      for (size_t i = 0; i < s.fields.size(); i++)
        fix_pointers(oa + s.fields[i].offset, s.fields[i].type, na + t.fields[i].offset,
                     t.fields[i].type, path + "." + s.fields[i].name, depth + 1);
      return;
    case Kind::Array: {
      uint64_t es = a_.type(s.element).size, et = b_.type(t.element).size;
      for (uint64_t i = 0; i < s.count && es; i++)
        fix_pointers(oa + i * es, s.element, na + i * et, t.element,
                     path + "[" + std::to_string(i) + "]", depth + 1);
      return;
    }
    case Kind::Variants: {  // only the variant it holds has meaning
      const LayoutType::Variant* v =
          oa + s.size <= old_size_ ? s.active_variant(old_ + oa) : nullptr;
      if (!v) return;
      const LayoutType::Variant& w = t.variants[size_t(v - s.variants.data())];
      fix_pointers(oa + v->offset, v->type, na + w.offset, w.type, path + "(" + v->name + ")",
                   depth + 1);
      return;
    }
    default:
      return;
  }
}

void Migration::describe_type_change(uint32_t ot, uint32_t nt) {
  if (!described_.insert({ot, nt}).second) return;
  const LayoutType &s = a_.type(ot), &t = b_.type(nt);
  std::string what;
  for (const auto& g : t.fields)
    if (std::none_of(s.fields.begin(), s.fields.end(), [&](auto& f) { return f.name == g.name; }))
      what += ", field `" + g.name + "` added";
  for (const auto& f : s.fields)
    if (std::none_of(t.fields.begin(), t.fields.end(), [&](auto& g) { return f.name == g.name; }))
      what += ", field `" + f.name + "` removed";
  if (s.size != t.size)
    what += ", size " + std::to_string(s.size) + " -> " + std::to_string(t.size);
  if (what.empty()) what = ", fields moved or retyped";
  type_changes_.push_back(t.name + ":" + what.substr(1));
}

void Migration::move_value(uint64_t oa, uint32_t ot, uint64_t na, uint32_t nt,
                           const std::string& path, int depth) {
  const LayoutType &s = a_.type(ot), &t = b_.type(nt);
  if (depth > kMaxDepth) return;
  ++moved_values_;
  if (same(ot, nt)) {
    if (oa + s.size <= old_size_ && na + s.size <= mem_size_)
      std::memcpy(mem_ + na, old_ + oa, s.size);
    fix_pointers(oa, ot, na, nt, path, depth);
    return;
  }
  bool numbers = [](Kind k) {
    return k == Kind::Int || k == Kind::Bool || k == Kind::Enum;
  }(s.kind);
  if (s.kind == Kind::Struct && t.kind == Kind::Struct) {
    describe_type_change(ot, nt);
    for (const auto& g : t.fields)
      for (const auto& f : s.fields)
        if (f.name == g.name)
          move_value(oa + f.offset, f.type, na + g.offset, g.type, path + "." + g.name, depth + 1);
  } else if (s.kind == Kind::Array && t.kind == Kind::Array) {
    uint64_t es = a_.type(s.element).size, et = b_.type(t.element).size;
    if (s.count != t.count)
      note(path + ": " + std::to_string(s.count) + " -> " + std::to_string(t.count) + " elements" +
           (t.count > s.count ? " (the new ones start at their initial value)" : ""));
    for (uint64_t i = 0; i < std::min(s.count, t.count); i++)
      move_value(oa + i * es, s.element, na + i * et, t.element,
                 path + "[" + std::to_string(i) + "]", depth + 1);
  } else if (numbers && (t.kind == Kind::Int || t.kind == Kind::Bool || t.kind == Kind::Enum) &&
             s.size <= 8 && t.size <= 8) {
    uint64_t v = old_u(oa, s.size);
    if (s.is_signed && s.size < 8 && (v >> (s.size * 8 - 1) & 1)) v |= ~0ull << (s.size * 8);
    put(na, v, t.size);
  } else if (s.kind == Kind::Float && t.kind == Kind::Float && s.size != t.size) {
    double d = 0;
    if (s.size == 4) {
      float f;
      uint32_t bits = uint32_t(old_u(oa, 4));
      std::memcpy(&f, &bits, 4);
      d = f;
    } else {
      uint64_t bits = old_u(oa, 8);
      std::memcpy(&d, &bits, 8);
    }
    if (t.size == 4) {
      float f = float(d);
      uint32_t bits;
      std::memcpy(&bits, &f, 4);
      put(na, bits, 4);
    } else {
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      put(na, bits, 8);
    }
  } else if (s.kind == Kind::Pointer && t.kind == Kind::Pointer) {
    put(na, relocate(uint32_t(old_u(oa, 4)), s.element, path), 4);
  } else if (s.kind == Kind::FunctionPointer && t.kind == Kind::FunctionPointer) {
    put(na, remap_index(uint32_t(old_u(oa, 4)), path), 4);
  } else if (s.kind == Kind::Variants && t.kind == Kind::Variants) {
    const LayoutType::Variant* v = oa + s.size <= old_size_ ? s.active_variant(old_ + oa) : nullptr;
    auto w = v ? std::find_if(t.variants.begin(), t.variants.end(),
                              [&](const LayoutType::Variant& x) { return x.name == v->name; })
               : t.variants.end();
    if (w == t.variants.end()) {
      change(path + ": its type " + s.name + " changed and no longer has the variant it holds" +
             (v ? " (" + v->name + ")" : ""));
      return;
    }
    move_value(oa + v->offset, v->type, na + w->offset, w->type, path + "(" + v->name + ")",
               depth + 1);
    if (w->has_value) put(na + t.discr_offset, w->value, t.discr_size);
  } else if (s.kind == Kind::Other || t.kind == Kind::Other) {
    change(path + ": its type " + s.name + " changed to " + t.name +
           ", which cannot be migrated part by part (a union, bit fields)");
  } else {
    note(path + ": type " + s.name + " -> " + t.name + " (starts at its initial value)");
  }
}

// Static data the game wrote that no variable of the DWARF describes (an object file built
// without -g) would be lost when the layout moves: refuse then, saying where.
void Migration::check_coverage(const std::vector<uint8_t>& old_initial, uint64_t static_start) {
  std::vector<bool> covered(old_end_, false);
  for (const LayoutVariable& v : a_.variables)
    for (uint64_t i = v.address; i < v.address + a_.size_of(v) && i < old_end_; i++)
      covered[i] = true;
  uint64_t lost = 0, first = 0;
  for (uint64_t i = static_start; i < old_end_ && i < old_size_; i++) {
    uint8_t initial = i < old_initial.size() ? old_initial[i] : 0;
    if (covered[i] || old_[i] == initial) continue;
    if (lost++ == 0) first = i;
  }
  if (lost)
    change(std::to_string(lost) + " bytes of static data the game wrote (the first at " +
           hex(first) + ") are in no variable the old build's DWARF describes: build every " +
           "source file with -g");
}

Result<StateTransfer> Migration::run(std::vector<std::string> moved, bool on_top) {
  Memory* mem = to_.mem0_;
  const Memory* old = from_.mem0_;
  if (!mem || !old) return snapshot_error("migration needs a memory in both builds");
  if (!mem->resize_for_restore(std::max(mem->size_, old->size_)))
    return snapshot_error("the new build's memory cannot grow to " + std::to_string(old->size_) +
                          " bytes");
  old_ = old->base_;
  old_size_ = old->size_;
  mem_ = mem->base_;
  mem_size_ = mem->size_;
  for (const LayoutVariable& v : b_.variables) new_by_name_[v.name].push_back(&v);

  // The heap stays where it is; the new static data (and, for C, stack) must fit below it.
  uint64_t old_sp, new_sp, old_end, new_end;
  uint32_t old_sp_index, new_sp_index;
  old_heap_ = heap_start(from_, a_, old_sp, old_sp_index, old_end);
  old_end_ = old_end;
  uint64_t new_heap = heap_start(to_, b_, new_sp, new_sp_index, new_end);
  bool stack_after_data = new_sp > new_end;
  if (!on_top && new_heap > old_heap_) {
    bool used = std::any_of(old_ + old_heap_, old_ + std::min(new_heap, old_size_),
                            [](uint8_t b) { return b != 0; });
    if (stack_after_data && old_heap_ >= new_end + kMinStack &&
        new_sp_index < to_.globals_.size()) {
      to_.globals_[new_sp_index]->bits_ = old_heap_ & ~uint64_t(15);  // the stack gives way
      note("static data grew by " + std::to_string(new_end - old_end) +
           " bytes: the stack is that much smaller until the module restarts");
    } else if (used) {
      change("static data grew by " + std::to_string(new_end - old_end) +
             " bytes into the heap, which is in use");
    }
  }
  if (!on_top && old_heap_ < old_size_)
    std::memcpy(mem_ + old_heap_, old_ + old_heap_, old_size_ - old_heap_);

  auto old_initial = initial_bytes(from_), new_initial = initial_bytes(to_);
  if (!on_top) check_coverage(old_initial, old_sp < old_end ? old_sp : 0);
  for (const LayoutVariable& v : a_.variables) {
    const LayoutVariable* w = new_variable_for(v);
    if (!w) {
      note("variable '" + v.name + "' is gone");
      continue;
    }
    // Never written since the game started (a constant, or a variable still at its initial
    // value): it takes the new build's initial value.
    uint64_t n = a_.size_of(v), m = b_.size_of(*w);
    auto initial_at = [](const std::vector<uint8_t>& init, uint64_t i) {
      return i < init.size() ? init[i] : uint8_t(0);
    };
    bool untouched = v.address + n <= old_size_ && w->address + m <= mem_size_;
    for (uint64_t i = 0; untouched && i < n; i++)
      untouched = old_[v.address + i] == initial_at(old_initial, v.address + i);
    if (untouched) {
      for (uint64_t i = 0; i < m; i++)
        mem_[w->address + i] = initial_at(new_initial, w->address + i);
      continue;
    }
    move_value(v.address, v.type, w->address, w->type, v.name, 0);
  }
  for (const LayoutVariable& w : b_.variables)
    if (std::none_of(a_.variables.begin(), a_.variables.end(),
                     [&](const LayoutVariable& v) { return new_variable_for(v) == &w; }))
      note("variable '" + w.name + "' is new (starts at its initial value)");

  // Mutable globals other than the stack pointer: kept where the game changed them.
  for (size_t i = 0; i < from_.globals_.size() && i < to_.globals_.size(); i++) {
    const glint::Global& g = *from_.globals_[i];
    glint::Global& h = *to_.globals_[i];
    if (i == new_sp_index || !h.type_.mut || g.type_.type != h.type_.type ||
        global_at_initial(from_, i) || g.type_.type == ValType::FuncRef)
      continue;
    h.bits_ = g.bits_;
    h.bits_hi_ = g.bits_hi_;
  }
  StateTransfer t;
  t.changes = std::move(changes_);
  t.kept = t.changes.empty();
  t.notes.push_back(std::string(on_top ? "the same data layout, variables checked"
                                       : "the data layout moved; state migrated") +
                    " through DWARF: " + std::to_string(moved_values_) + " values, " +
                    std::to_string(relocated_) + " pointers relocated" +
                    (on_top ? "" : ", heap from " + hex(old_heap_) + " kept in place"));
  for (std::string& c : type_changes_) (t.kept ? t.notes : t.changes).push_back(c);
  for (std::string& m : moved) t.notes.push_back(std::move(m));
  for (std::string& n : notes_) t.notes.push_back(std::move(n));
  return t;
}

}  // namespace

Result<StateTransfer> migrate_state(const Instance& from, Instance& to, const DataLayout& a,
                                    const DataLayout& b, std::vector<std::string> moved,
                                    bool on_top) {
  Migration m(from, to, a, b);
  return m.run(std::move(moved), on_top);
}

}  // namespace detail
}  // namespace glint
