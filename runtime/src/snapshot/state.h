// Pieces of capture and restore shared by snapshots (capture.cpp), paused calls (paused.cpp)
// and the ring (ring.cpp).
#pragma once
#include <string>
#include <unordered_map>
#include <vector>

#include "glint/glint.h"
#include "glint/snapshot.h"

namespace glint::detail {

Error snapshot_error(std::string message);
std::string hash_text(uint64_t h);  // 16 hex digits
Result<void> check_module(const Instance& inst, uint64_t module_hash);

// Function references as snapshots store them: 1 + the index in the instance's function space.
// The instance's own functions know their index; the map, for imported ones, is made at the
// first reference that needs it (a capture of a module with thousands of functions made it
// every time, most often for no reference at all).
class FuncIndex {
 public:
  explicit FuncIndex(const Instance& inst) : inst_(inst) {}
  Result<uint64_t> to_index(uint64_t ref) const;  // 0 stays 0 (null)

 private:
  const Instance& inst_;
  mutable std::unordered_map<const Function*, uint32_t> index_;
};
uint64_t to_ref(const Instance& inst, uint64_t index);
// A value's bits as a snapshot stores them (funcref: an index).
Result<uint64_t> portable_bits(const FuncIndex& funcs, ValType t, uint64_t bits);

Result<void> capture_globals(const Instance& inst, const FuncIndex& funcs,
                             std::vector<GlobalState>& out);
Result<void> capture_tables(const Instance& inst, const FuncIndex& funcs,
                            std::vector<TableState>& out);
void capture_drops(const Instance& inst, Snapshot& out);
// Everything restore() checks before it writes anything.
Result<void> check_state(const Instance& inst, const Snapshot& s);
void write_globals(Instance& inst, const std::vector<GlobalState>& globals);
void write_tables(Instance& inst, const std::vector<TableState>& tables);
void write_drops(Instance& inst, const Snapshot& s);
bool write_memory(Memory& mem, const MemoryState& m);

// A constant expression's value in an instance, and an element segment's values, as
// instantiation computes them (instance/linker.cpp).
Value const_value(const struct ConstExpr& e, const Instance& inst);
std::vector<uint64_t> elem_segment_values(const Instance& inst, uint32_t segment);

}  // namespace glint::detail
