// Pieces of hot reload's state transfer shared by transfer.cpp (the same layout) and
// migrate.cpp (a moved layout, through DWARF).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "decode/module.h"
#include "glint/glint.h"
#include "glint/reload.h"
#include "glint/source.h"

namespace glint::detail {

std::string hex(uint64_t v);  // "0x1a2b"

struct Segment {
  uint64_t offset, size;
  const uint8_t* init;  // the segment's bytes in its module's binary
};
// The active data segments of memory 0, where instantiation put them.
std::vector<Segment> active_segments(const Instance& inst);
// A global's value right after instantiation.
uint64_t global_initial(const Instance& inst, size_t i);  // the low 64 bits
// Whether global i still holds its initial value (all 128 bits of a v128).
bool global_at_initial(const Instance& inst, size_t i);

// Function names of a module's function space, for remapping references: the name section's
// own (mangled) names, which tell generic instances apart (demangled Rust names do not:
// `<&T as core::fmt::Debug>::fmt` is many functions); a function without one is known by what
// Module::function_name says (an import's or export's name).
class FuncNames {
 public:
  explicit FuncNames(const Instance& inst) : inst_(inst) {}
  std::string name(uint32_t index) const {
    const auto& names = inst_.module().desc().func_names;
    auto it = names.find(index);
    return it != names.end() ? it->second : inst_.module().function_name(index);
  }
  std::string readable(uint32_t index) const { return inst_.module().function_name(index); }
  // The function of that name; null if none or several. (The index is made on the first
  // look-up: most reloads need none, and a module has thousands of functions.)
  Function* find(const std::string& n) {
    if (by_name_.empty())
      for (uint32_t i = 0; i < inst_.funcs_.size(); i++) by_name_[name(i)].push_back(i);
    auto it = by_name_.find(n);
    return it != by_name_.end() && it->second.size() == 1 ? inst_.funcs_[it->second[0]] : nullptr;
  }

 private:
  const Instance& inst_;
  std::map<std::string, std::vector<uint32_t>> by_name_;
};

// The new build's function for an old reference (0 stays 0); 0 and a change if it has none.
uint64_t remap(uint64_t ref, const FuncNames& old_names, FuncNames& new_names, const char* where,
               std::vector<std::string>& changes);

// Carries the state over variable by variable and field by field with both builds' DWARF data
// layouts (migrate.cpp). `moved` says how the layout moved; `on_top`: it did not, and `to`'s
// memory already holds the old memory with the new constants merged in (transfer.cpp).
Result<StateTransfer> migrate_state(const Instance& from, Instance& to,
                                    const DataLayout& old_layout, const DataLayout& new_layout,
                                    std::vector<std::string> moved, bool on_top);

}  // namespace glint::detail
