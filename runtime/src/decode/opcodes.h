// Opcode numbering shared by the decoder, validator, compiler and debugger.
#pragma once
#include <array>
#include <cstdint>

namespace glint::detail {

enum class Imm : uint8_t {
  None,
  Block,
  Label,
  LabelTable,
  Func,
  CallIndirect,
  Local,
  Global,
  Table,
  Mem,
  MemIndex,
  I32,
  I64,
  F32,
  F64,
  SelectT,
  RefType,
  TableTable,
  Elem,
  ElemTable,
  Data,
  DataMem,
  MemMem,
  Tag,  // a tag index (throw, catch)
  // SIMD (decode/simd_opcodes.def)
  Lane,
  MemLane,
  V128,
  Shuffle,
};

// One-byte opcodes keep their value; 0xFC-prefixed ones are 0x100 + their sub-opcode, and
// 0xFD-prefixed ones (SIMD) 0x200 + theirs.
enum class Op : uint16_t {
#define X(name, code, imm, text) name = code,
#define FC(name, code, imm, text) name = 0x100 + code,
#include "opcodes.def"
#define FD(name, code, imm, sig, n, text) name = 0x200 + code,
#include "simd_opcodes.def"
#undef X
#undef FC
#undef FD
};

constexpr uint16_t kFcLimit = 18;                // one past the largest 0xFC sub-opcode
constexpr uint16_t kFdLimit = 0x114;             // one past the largest 0xFD sub-opcode
constexpr uint16_t kOpLimit = 0x200 + kFdLimit;  // one past the largest Op value
inline bool is_simd(Op op) { return uint16_t(op) >= 0x200; }
// try, catch, throw, rethrow (0x06-0x09), delegate, catch_all (0x18, 0x19): exception handling.
inline bool is_exception_op(Op op) {
  uint16_t c = uint16_t(op);
  return (c >= 0x06 && c <= 0x09) || c == 0x18 || c == 0x19;
}

// One entry per Op value; name is null for values that are not instructions. Inline: the
// decoder looks up every instruction it reads. SIMD instructions also have their signature
// and n (see decode/simd_opcodes.def).
struct OpInfo {
  const char* name = nullptr;
  Imm imm = Imm::None;
  uint8_t n = 0;
  const char* sig = nullptr;
};
constexpr std::array<OpInfo, kOpLimit> make_op_table() {
  std::array<OpInfo, kOpLimit> t{};
#define X(name, code, imm, text) t[code] = {text, Imm::imm};
#define FC(name, code, imm, text) t[0x100 + code] = {text, Imm::imm};
#include "decode/opcodes.def"
#define FD(name, code, imm, sig, n, text) t[0x200 + code] = {text, Imm::imm, n, sig};
#include "decode/simd_opcodes.def"
#undef X
#undef FC
#undef FD
  return t;
}
inline constexpr auto kOpTable = make_op_table();

// Text-format name, "?" for an unknown value.
inline const char* op_name(Op op) {
  auto i = static_cast<uint16_t>(op);
  return i < kOpLimit && kOpTable[i].name ? kOpTable[i].name : "?";
}
inline Imm op_immediate(Op op) { return kOpTable[static_cast<uint16_t>(op)].imm; }
// Is this an opcode of the instruction set?
inline bool op_exists(uint16_t op) { return op < kOpLimit && kOpTable[op].name != nullptr; }

}  // namespace glint::detail
