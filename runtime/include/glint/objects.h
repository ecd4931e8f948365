// Runtime objects: functions, memories, tables and globals. They are owned by a Store and live
// as long as it does; pointers to them stay valid until the Store is destroyed.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/error.h"
#include "glint/types.h"

namespace glint {

class Store;
class Instance;
class Caller;
namespace detail {
struct CompiledFunc;
union Cell;
struct Vm;
class DirtyPages;
struct PageImage;
}  // namespace detail

// A host function in type-erased form: arguments arrive in slots[0..params), results are
// written to slots[0..results) (i32/f32 in the low 32 bits of a slot, a v128 in two slots, low
// half first: see slot_count). Returns false after recording a trap on the Caller. host.h
// builds these from ordinary C++ callables.
using HostThunk = bool (*)(Caller& caller, uint64_t* slots, void* data);

struct HostFunc {
  FuncType type;
  HostThunk thunk = nullptr;
  std::shared_ptr<void> data;  // the callable, kept alive by every Function made from it
  std::string name;            // for backtraces: "module.name"
};

class alignas(64) Function {
 public:
  const FuncType& type() const { return *type_; }
  bool is_host() const { return host_ != nullptr; }
  Instance* instance() const { return instance_; }  // null for host functions
  uint32_t index() const { return index_; }         // index in its module's function space
  std::string name() const;                         // name section name, host name, or "func[N]"

  // Internal: read by the interpreter. What a call through a table or an import reads is in
  // the first 48 bytes, in the Function's one cache line: the callee's frame size and entry are
  // copies of its CompiledFunc's (set with code_, which never changes), so such a call pushes
  // the frame and jumps without first loading code_ and then the CompiledFunc's counts.
  uint32_t type_id_ = 0;  // interned: equal function types have equal ids in a process
  uint32_t frame_slots_ = 0, num_params_ = 0, zeroed_slots_ = 0;  // code_'s (wasm functions)
  const HostFunc* host_ = nullptr;                                // host functions
  Instance* instance_ = nullptr;
  const detail::CompiledFunc* code_ = nullptr;  // wasm functions
  const detail::Cell* entry_ = nullptr;         // code_'s first instruction
  const FuncType* type_ = nullptr;
  uint32_t index_ = 0;
};

// The pages a store's memories hold together, and how many they may (ResourceLimits).
struct MemoryBudget {
  uint64_t used_pages = 0;
  uint64_t max_pages = UINT64_MAX;
};

// Linear memory. Reserved once at its maximum size so data() never moves while it lives:
// views and pointers into it stay valid across memory.grow.
class Memory {
 public:
  // `max_pages` caps growth below the type's maximum (a resource limit); growth also stops
  // where `budget` (the store's pages) is full. The initial pages are counted, not refused.
  explicit Memory(MemoryType type, uint64_t max_pages = 65536, MemoryBudget* budget = nullptr);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  const MemoryType& type() const { return type_; }
  uint8_t* data() { return base_; }
  const uint8_t* data() const { return base_; }
  uint64_t size() const { return size_; }  // bytes
  uint64_t pages() const { return size_ >> 16; }
  // Grows by delta pages; returns the old size in pages, or -1 if it cannot.
  int64_t grow(uint64_t delta_pages);

  bool in_bounds(uint64_t addr, uint64_t len) const { return addr <= size_ && len <= size_ - addr; }
  // Checked accessors for host code: out-of-bounds throws TrapError naming the range.
  std::span<uint8_t> span(uint64_t addr, uint64_t len);
  std::string_view string(uint64_t addr, uint64_t len);
  template <class T>
  T load(uint64_t addr) {
    T v;
    std::memcpy(&v, span(addr, sizeof(T)).data(), sizeof(T));
    return v;
  }
  template <class T>
  void store(uint64_t addr, const T& v) {
    std::memcpy(span(addr, sizeof(T)).data(), &v, sizeof(T));
  }

  // Internal: read by the interpreter.
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t reserved_ = 0;  // bytes of address space reserved
  MemoryType type_;
  // Internal, for snapshots: sets the size to a whole number of pages within the maximum,
  // growing or shrinking (the pages given back read as zeros when grown again); false if it
  // cannot. The kernel's write tracking, once a capture or a SnapshotRing asked for it, and
  // the pages of the last capture or restore (snapshot/dirty_pages.h, snapshot/page_image.h).
  bool resize_for_restore(uint64_t bytes);
  std::unique_ptr<detail::DirtyPages> dirty_;
  std::unique_ptr<detail::PageImage> image_;
  uint64_t max_pages_ = 0;  // the type's maximum and the limit, whichever is lower
  MemoryBudget* budget_ = nullptr;
};

class Table {
 public:
  explicit Table(TableType type, uint64_t init = 0);
  const TableType& type() const { return type_; }
  uint32_t size() const { return uint32_t(elems_.size()); }
  Value get(uint32_t i) const { return Value{type_.elem, elems_[i]}; }  // caller checks i
  void set(uint32_t i, Value v) { elems_[i] = v.bits; }
  int64_t grow(uint32_t delta, uint64_t init);  // old size, or -1

  // Internal: raw reference words (Function* for funcref), read by the interpreter.
  std::vector<uint64_t> elems_;
  TableType type_;
  uint64_t max_elements_ = 10'000'000;  // growth stops here (ResourceLimits)
};

class Global {
 public:
  Global(GlobalType type, Value v) : type_(type), bits_(v.bits), bits_hi_(v.hi) {}
  const GlobalType& type() const { return type_; }
  Value get() const { return Value{type_.type, bits_, bits_hi_}; }
  void set(Value v) {
    bits_ = v.bits;
    bits_hi_ = v.hi;
  }

  // Internal: the value as Value keeps it; a v128 in both words (bits_ first: the interpreter
  // moves the 16 bytes at &bits_ at once), other types in bits_ with bits_hi_ 0.
  GlobalType type_;
  uint64_t bits_ = 0;
  uint64_t bits_hi_ = 0;
};
static_assert(offsetof(Global, bits_hi_) == offsetof(Global, bits_) + 8);

// An exception tag (exception handling): `throw` names one, and a `catch` takes the exceptions
// thrown with the very same Tag object (an imported tag is its exporter's). Its type is the
// exception's values: a function type without results.
class Tag {
 public:
  Tag(FuncType type, std::string name) : type_(std::move(type)), name_(std::move(name)) {}
  const FuncType& type() const { return type_; }
  // For messages: the export name it was defined with, or "tag[N]" (its index in its module).
  const std::string& name() const { return name_; }

 private:
  FuncType type_;
  std::string name_;
};

// A reference to any importable/exportable object.
struct Extern {
  ExternKind kind = ExternKind::Func;
  void* ptr = nullptr;

  static Extern of(Function* f) { return {ExternKind::Func, f}; }
  static Extern of(Table* t) { return {ExternKind::Table, t}; }
  static Extern of(Memory* m) { return {ExternKind::Memory, m}; }
  static Extern of(Global* g) { return {ExternKind::Global, g}; }
  static Extern of(Tag* t) { return {ExternKind::Tag, t}; }
  Function* func() const {
    return kind == ExternKind::Func ? static_cast<Function*>(ptr) : nullptr;
  }
  Table* table() const { return kind == ExternKind::Table ? static_cast<Table*>(ptr) : nullptr; }
  Memory* memory() const {
    return kind == ExternKind::Memory ? static_cast<Memory*>(ptr) : nullptr;
  }
  Global* global() const {
    return kind == ExternKind::Global ? static_cast<Global*>(ptr) : nullptr;
  }
  Tag* tag() const { return kind == ExternKind::Tag ? static_cast<Tag*>(ptr) : nullptr; }
};

}  // namespace glint
