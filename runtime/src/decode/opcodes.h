// Opcode numbering shared by the decoder, validator, compiler and debugger.
#pragma once
#include <cstdint>

namespace glint::detail {

enum class Imm : uint8_t {
  None, Block, Label, LabelTable, Func, CallIndirect, Local, Global, Table, Mem, MemIndex,
  I32, I64, F32, F64, SelectT, RefType, TableTable, Elem, ElemTable, Data, DataMem, MemMem,
};

// One-byte opcodes keep their value; 0xFC-prefixed ones are 0x100 + their sub-opcode.
enum class Op : uint16_t {
#define X(name, code, imm, text) name = code,
#define FC(name, code, imm, text) name = 0x100 + code,
#include "opcodes.def"
#undef X
#undef FC
};

constexpr uint16_t kOpLimit = 0x100 + 18;  // one past the largest Op value

const char* op_name(Op op);   // text-format name, "?" for an unknown value
Imm op_immediate(Op op);      // immediate kind of op
bool op_exists(uint16_t op);  // is this an opcode of the (non-SIMD) 2.0 instruction set?

}  // namespace glint::detail
