// DWARF location expressions, evaluated against a stopped wasm frame (location.cpp).
#pragma once
#include <llvm/ADT/ArrayRef.h>

#include <optional>
#include <string>
#include <vector>

#include "debug/dwarf_reader.h"

namespace glint::detail {

// What an expression evaluates to: where the value lives, or the value itself, in pieces
// (a struct split into locals by the optimizer is one piece per field).
struct Piece {
  enum Kind { Memory, Value, Bytes, Missing } kind = Missing;
  uint64_t address = 0;        // Memory
  uint64_t value = 0;          // Value: the bits, little-endian
  std::vector<uint8_t> bytes;  // Bytes (DW_OP_implicit_value)
  uint64_t size = 0;           // bytes; 0 for the whole (an expression without DW_OP_piece)
  // A Value read whole from one wasm local (0) or global (1), where a write can go.
  int wasm_kind = -1;
  uint32_t wasm_index = 0;
  ValType wasm_type = ValType::I32;
};

struct Evaluation {
  std::vector<Piece> pieces;
  std::string why;  // when it cannot be evaluated ("<optimized out>" and others)
};

// The state an expression may read: the frame (null for a global), its frame base, the instance.
struct EvalContext {
  const FrameState* frame = nullptr;
  std::optional<uint64_t> frame_base;
  const InstanceState* instance = nullptr;
};

Evaluation evaluate(llvm::ArrayRef<uint8_t> expression, const EvalContext& ctx);

// The bytes a variable of `size` bytes has, from its pieces: `known[i]` is false where a
// piece is missing or reads outside memory.
void assemble(const Evaluation& e, uint64_t size, const InstanceState& instance,
              std::vector<uint8_t>& bytes, std::vector<uint8_t>& known);

}  // namespace glint::detail
