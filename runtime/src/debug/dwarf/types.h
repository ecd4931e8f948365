// Types as the DWARF describes them, and the bytes of a value (values.cpp).
#pragma once
#include <llvm/DebugInfo/DWARF/DWARFDie.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "debug/dwarf_reader.h"

namespace glint::detail {

// The type a DIE names with DW_AT_type (following abstract origins), or an invalid DIE (void).
llvm::DWARFDie type_of(const llvm::DWARFDie& die);
// The type under typedefs and qualifiers (const, volatile, restrict, atomic).
llvm::DWARFDie strip(llvm::DWARFDie type);
// "int", "struct Vec2", "float *", "int[4]", "&[u8]", "void". For an array from dimension
// `array_dim` on (the rows of a 2D array: its dimension 1), the remaining dimensions.
std::string type_name(const llvm::DWARFDie& type, uint32_t array_dim = 0);
uint64_t type_size(const llvm::DWARFDie& type, uint32_t array_dim = 0);
bool is_pointer(const llvm::DWARFDie& stripped);
bool is_signed(const llvm::DWARFDie& type);
// Bytes of one element of an array's dimension `dim` (a row of the next dimensions).
uint64_t element_size(const llvm::DWARFDie& array, uint32_t dim);
// An array's element count in dimension `dim` (0 if unknown), and how many dimensions it has.
uint64_t array_count(const llvm::DWARFDie& array, uint32_t dim);
uint32_t array_dims(const llvm::DWARFDie& array);
// A struct member's byte offset (DW_AT_data_member_location as a constant), if it has one.
std::optional<uint64_t> member_offset(const llvm::DWARFDie& member);

// The bytes of a value: in linear memory (read when asked) or copied (VarRef::bytes), from
// `offset` within the variable.
class ValueView {
 public:
  ValueView(const VarRef& ref, const InstanceState& instance) : ref_(ref), instance_(instance) {}
  ValueView(const VarRef& ref, const InstanceState& instance, uint64_t base)
      : ref_(ref), instance_(instance), base_(base) {}
  bool read(uint64_t offset, void* out, uint64_t n) const;
  bool all_known(uint64_t offset, uint64_t n) const;
  bool any_known(uint64_t offset, uint64_t n) const;
  uint64_t uint_at(uint64_t offset, uint64_t size) const;  // little-endian, size <= 8
  ValueView at(uint64_t offset) const { return ValueView(ref_, instance_, base_ + offset); }
  const InstanceState& instance() const { return instance_; }

 private:
  const VarRef& ref_;
  const InstanceState& instance_;
  uint64_t base_ = 0;
};

// The text of a value of `type` (not stripped), read at `view`; `depth` limits nested
// summaries. Fills `scalar` for a scalar type.
std::string format_value(const llvm::DWARFDie& type, const ValueView& view, int depth,
                         uint32_t array_dim, std::optional<Value>* scalar);
// Text -> the bytes of a scalar of `type`: an integer, float, bool, enumerator or address.
Result<std::vector<uint8_t>> encode_value(const llvm::DWARFDie& type, std::string_view text);

// A variable path ("p->pos.x", "a[3]") read left to right.
struct PathReader {
  std::string_view rest;
  bool done() const { return rest.empty(); }
  bool take(std::string_view s);
  std::string name();  // an identifier (Rust paths with "::" included), or ""
  std::optional<uint64_t> number();
  Error error(const std::string& expected) const;
};

}  // namespace glint::detail
