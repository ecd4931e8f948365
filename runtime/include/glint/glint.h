// Glint embedding API. Start here.
//
//   auto module = glint::Module::load_file("game.wasm");      // decode + validate + translate
//   glint::Store store;                                       // VM stack, fuel, owned objects
//   glint::Linker linker;
//   linker.func("env", "log", [](glint::Caller& c, int32_t ptr, int32_t len) {
//     std::puts(std::string(c.memory().string(ptr, len)).c_str());
//   });
//   auto inst = linker.instantiate(store, *module);           // Result<Instance*>
//   auto sum = (*inst)->call<int32_t>("add", 1, 2);           // Result<int32_t>
//
// Ownership: a Module is immutable and shared (shared_ptr); one Module may be instantiated in
// many Stores. A Store owns every Instance, Function, Memory, Table and Global created in it;
// raw pointers to them stay valid until the Store is destroyed.
// Threading: a Store and everything in it is used by one thread at a time. Modules may be
// shared freely between threads (and large ones load on two, see Module::load).
// Store::interrupt() and Store::pause() are the calls safe from any thread.
#pragma once
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/debug.h"
#include "glint/error.h"
#include "glint/objects.h"
#include "glint/types.h"

namespace glint {

namespace detail {
struct ModuleDesc;
struct CompiledModule;
}  // namespace detail

struct ImportInfo {
  std::string module, name;
  ExternKind kind;
  FuncType func;  // kind == Func, and kind == Tag: the tag's values (its parameters)
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct ExportInfo {
  std::string name;
  ExternKind kind;
  uint32_t index = 0;
};

// Resource limits: what one module may ask of the host. Module::load checks the module's own
// size, functions and locals; Linker::instantiate checks all of them against its Store's limits
// (memories, tables, instances too). A module over a limit fails with ErrorKind::Limit and a
// message naming the limit and both numbers; nothing is left half made in the host. A guest
// that grows past a limit gets -1 from memory.grow or table.grow, as the spec allows. Host
// functions of the host API and WASI refuse (ptr, len) arguments over max_host_arg_bytes.
// The defaults are what a game console would ship with: room for large games and their mods,
// far below what would hurt the host (README, "Resource limits").
struct ResourceLimits {
  size_t max_module_bytes = 64u << 20;       // the binary (64 MiB)
  uint32_t max_functions = 100'000;          // imported and defined
  uint32_t max_locals = 50'000;              // per function, parameters included (the decoder's
                                             // own bound, 50,000 declared, holds above it)
  uint64_t max_memory_pages = 16'384;        // per memory (1 GiB)
  uint64_t max_store_memory_pages = 32'768;  // every memory of a store together (2 GiB)
  uint64_t max_table_elements = 1'000'000;   // per table
  uint32_t max_instances = 256;              // per store (failed instantiations do not count)
  uint32_t max_host_arg_bytes = 16u << 20;   // one (ptr, len) argument of a host call (16 MiB)
};

class Module {
 public:
  // Decodes, validates and translates a binary module. Errors name what and the byte offset.
  // A module with 64 KB of code or more is validated and translated by two threads: the caller
  // and one helper thread that Glint starts on first need and keeps for the life of the
  // process (if it is busy with another load, or the process may run on only one core, the
  // caller does all the work). Loading from several threads at once is safe.
  static Result<std::shared_ptr<const Module>> load(std::span<const uint8_t> bytes,
                                                    const ResourceLimits& limits = {});
  static Result<std::shared_ptr<const Module>> load_file(const std::string& path,
                                                         const ResourceLimits& limits = {});
  // Decode and validate only (no translation).
  static Result<void> validate(std::span<const uint8_t> bytes);

  ~Module();
  const std::string& name() const;  // from the name section, or ""
  std::vector<ImportInfo> imports() const;
  std::vector<ExportInfo> exports() const;
  std::vector<SectionInfo> sections() const;
  // From the name section (C++ and Rust names demangled), or "func[N]".
  std::string function_name(uint32_t func_index) const;
  // A parameter's or local's name from the name section, or "" (indices count parameters first).
  std::string local_name(uint32_t func_index, uint32_t local_index) const;
  size_t code_size() const;  // bytes of the code section
  // The WebAssembly features beyond the MVP that the module uses, by their proposals' names,
  // sorted: "bulk-memory", "extended-const", "multi-value", "reference-types", "simd",
  // "tail-call", ... (read from its code on each call).
  std::vector<std::string> features() const;
  // XXH3-64 of the binary: what snapshots and replays record to recognize their module.
  // Computed at the first call, not at load: a module built with -g is mostly DWARF, and
  // hashing it took longer than loading its code.
  uint64_t content_hash() const;
  std::span<const uint8_t> bytes() const;  // the binary it was loaded from

  // Internal.
  const detail::ModuleDesc& desc() const { return *desc_; }
  const detail::CompiledModule& compiled() const { return *compiled_; }
  Module(std::unique_ptr<detail::ModuleDesc> d, std::unique_ptr<detail::CompiledModule> c);

 private:
  std::unique_ptr<detail::ModuleDesc> desc_;
  std::unique_ptr<detail::CompiledModule> compiled_;
  mutable std::atomic<uint64_t> content_hash_{0};  // 0: not computed yet
};

struct StoreConfig {
  size_t stack_bytes = 8u << 20;    // the VM stack (values of every wasm frame), 8 MiB
  uint32_t max_call_depth = 50000;  // wasm frames before "call stack exhausted"
  ResourceLimits limits;            // checked at instantiation and growth
};

class Store {
 public:
  explicit Store(StoreConfig config = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Fuel: each function entry and loop iteration costs 1. Out of fuel traps (OutOfFuel).
  void set_fuel(uint64_t fuel);
  void clear_fuel();  // unlimited (the default)
  std::optional<uint64_t> fuel() const;

  // Safe from any thread: the running call (or the next one) traps with Interrupted within
  // 1,024 function entries or loop back-edges (the interpreter reads the flag once per slice
  // of its budget; a call made after interrupt() sees it at its first). Cleared when that
  // trap is reported.
  void interrupt() { interrupt_.store(true, std::memory_order_relaxed); }

  // Called at breakpoints and steps of code this store runs (glint/debug.h); empty to detach.
  void set_debug_handler(DebugHandler handler);
  // Safe from any thread: the running call stops in the debug handler, with reason Pause, at
  // an instruction soon after its next 1,024 function entries or loop back-edges (the same
  // check as interrupt()); the next call, if none runs, at its first instruction. Without a
  // debug handler it does nothing.
  void pause() { pause_.store(true, std::memory_order_relaxed); }
  // With a debug handler: a trap stops in it first (reason Trap), at the instruction that
  // trapped, with every frame as it was; then the call returns the trap. Not for the guest's
  // own exit (WASI proc_exit) or an Abort from the debugger. Off by default.
  void set_break_on_trap(bool on);
  // Safe from any thread: takes back a pause() not seen yet.
  void cancel_pause() { pause_.store(false, std::memory_order_relaxed); }

  // Standalone objects, e.g. for host-provided imports.
  Memory* new_memory(MemoryType type);
  Table* new_table(TableType type, Value init);
  Global* new_global(GlobalType type, Value init);
  Tag* new_tag(FuncType type, std::string name = "host tag");
  Function* new_function(HostFunc func);

  // Calls any function with untyped values (types are checked).
  Result<std::vector<Value>> call(Function* f, std::span<const Value> args);

  const ResourceLimits& limits() const { return limits_; }
  size_t instance_count() const { return instances_; }
  uint64_t memory_pages() const { return memory_budget_.used_pages; }  // of every memory

  void* user_data = nullptr;  // for the embedder; Caller::store().user_data in host functions

  // Internal.
  detail::Vm& vm() { return *vm_; }
  // The Function this store made for a linker's host function (one per store, made on first
  // use). The store keeps `host` alive, so its address cannot be reused while cached.
  Function* function_for(const std::shared_ptr<HostFunc>& host);
  std::atomic<bool> interrupt_{false};
  std::atomic<bool> pause_{false};
  template <class T, class... A>
  T* own(A&&... a);
  MemoryBudget memory_budget_;  // pages of every memory made in this store
  size_t instances_ = 0;
  // How many objects the store owns; dropping those made since (a failed instantiation's).
  size_t owned_count() const { return owned_.size(); }
  void drop_owned_since(size_t count) {
    while (owned_.size() > count) owned_.pop_back();
  }

 private:
  ResourceLimits limits_;
  std::unique_ptr<detail::Vm> vm_;
  std::vector<std::shared_ptr<void>> owned_;
  std::map<const HostFunc*, Function*> host_functions_;
};

template <class T, class... A>
T* Store::own(A&&... a) {
  auto p = std::make_shared<T>(std::forward<A>(a)...);
  owned_.push_back(p);
  return p.get();
}

template <class Sig>
class TypedFunc;

class Instance {
 public:
  Store& store() const { return *store_; }
  const Module& module() const { return *module_; }

  std::optional<Extern> get_export(std::string_view name) const;
  Function* func(std::string_view name) const;
  Memory* memory(std::string_view name) const;
  Memory* memory() const;  // memory 0 (imported or defined), or null
  Global* global(std::string_view name) const;
  Table* table(std::string_view name) const;
  Tag* tag(std::string_view name) const;

  // Untyped call of an exported function.
  Result<std::vector<Value>> invoke(std::string_view name, std::span<const Value> args);
  // Typed call: instance.call<int32_t>("add", 1, 2). R is void, a scalar, or std::tuple<...>.
  template <class R = void, class... A>
  Result<R> call(std::string_view name, A... args);
  // A typed handle to an export, checked once: instance.typed<int32_t(int32_t)>("fib").
  template <class Sig>
  Result<TypedFunc<Sig>> typed(std::string_view name);

  // Internal: the instance's index spaces, read by the interpreter.
  Store* store_ = nullptr;
  std::shared_ptr<const Module> module_;
  std::vector<Function*> funcs_;
  std::vector<Table*> tables_;
  std::vector<Memory*> memories_;
  std::vector<Global*> globals_;
  std::vector<Tag*> tags_;
  Memory* mem0_ = nullptr;                          // memories_[0], or null
  std::vector<std::vector<uint64_t>> elem_values_;  // element segments (emptied by elem.drop)
  std::vector<bool> dropped_datas_;
  std::map<std::string, Extern, std::less<>> exports_;
};

// Passed to host functions: who called, and the calling instance's memory.
class Caller {
 public:
  Caller(Store& s, Instance* i) : store_(s), instance_(i) {}
  Store& store() { return store_; }
  Instance* instance() { return instance_; }  // null when called directly by the embedder
  // The calling instance's memory 0; throws TrapError if it has none.
  Memory& memory();
  [[noreturn]] void trap(std::string message) { throw TrapError{std::move(message)}; }

  // Internal: where a failed host call leaves its trap for the interpreter (none: a TrapError
  // of its defaults). Optional so that a call that does not fail (nearly all) does not build
  // and destroy a string: a host call is a few dozen instructions in all.
  std::optional<TrapError> pending;

 private:
  Store& store_;
  Instance* instance_;
};

class Linker {
 public:
  // A typed host function; its wasm signature comes from F's C++ signature (see host.h).
  // F may take `glint::Caller&` as its first parameter.
  template <class F>
  Linker& func(std::string module, std::string name, F&& f);
  // A dynamically typed host function.
  using DynamicFunc =
      std::function<void(Caller&, std::span<const Value> args, std::span<Value> results)>;
  Linker& func_dynamic(std::string module, std::string name, FuncType type, DynamicFunc f);
  Linker& func_raw(std::string module, std::string name, HostFunc f);
  Linker& define(std::string module, std::string name, Extern e);
  Linker& define_instance(std::string module, const Instance& inst);  // all its exports

  // Resolves imports by (module, name), checks their types, creates the instance in `store`,
  // runs active segments and the start function. Link errors name the import and both types.
  // Only a successful instantiation counts toward ResourceLimits::max_instances.
  Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module) const;

 private:
  Result<std::vector<Extern>> resolve_imports(Store& store, const detail::ModuleDesc& m) const;
  Result<Instance*> make_instance(Store& store, std::shared_ptr<const Module> module,
                                  const std::vector<Extern>& imports) const;
  std::optional<Error> run_initializers(Store& store, Instance& instance) const;
  struct Entry {
    std::optional<Extern> ext;
    std::shared_ptr<HostFunc> host;
  };
  std::map<std::pair<std::string, std::string>, Entry> entries_;  // host functions become
                                                                  // Functions once per store
};

}  // namespace glint

#include "glint/host.h"
