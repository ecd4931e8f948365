// Reads one instruction with its immediates. Shared by the validator, compiler and debugger.
#pragma once
#include <vector>

#include "decode/opcodes.h"
#include "decode/reader.h"
#include "glint/types.h"

namespace glint::detail {

struct BlockType {
  enum Kind : uint8_t { Empty, Value, Index } kind = Empty;
  ValType value = ValType::I32;  // kind == Value
  uint32_t index = 0;            // kind == Index: a type index
};

struct Instr {
  Op op = Op::Nop;
  uint32_t offset = 0;          // byte offset of the opcode in the module
  BlockType block;              // block, loop, if
  uint32_t a = 0, b = 0;        // indices: label, func, local, global, table, type, elem, data;
                                // memarg: a = alignment exponent, b = unused
  uint64_t imm = 0;             // constant bits; memarg offset
  ValType type = ValType::I32;  // select t, ref.null
  std::vector<uint32_t>* table = nullptr;  // br_table labels (default label in `a`)
};

// Reads the instruction at r. `scratch` backs Instr::table for br_table.
// Throws DecodeError on unknown opcodes or bad immediates. SIMD (0xFD) gets a clear message.
Instr read_instr(Reader& r, std::vector<uint32_t>& scratch);

// Reads a value type byte; throws "malformed value type" style errors.
ValType read_valtype(Reader& r);

}  // namespace glint::detail
