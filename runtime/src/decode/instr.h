// Reads one instruction with its immediates.
//
// read_instr() is the general reader (constant expressions, tools). The body validator, which
// reads nearly every instruction of a module, does not call it: it reads the opcode with
// read_opcode_unchecked() and then each instruction's immediates inside its own switch, with the
// helpers below, so a body costs one dispatch per instruction instead of two. Both paths use the
// same helpers, so an immediate's encoding and its error messages are defined once, here.
#pragma once
#include <string>
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

// Fields are ordered to pack into 40 bytes: one is built for every instruction of every body.
struct Instr {
  Op op = Op::Nop;
  ValType type = ValType::I32;  // select t, ref.null
  uint8_t lane = 0;             // SIMD lane index (Imm::Lane, Imm::MemLane)
  uint32_t offset = 0;          // byte offset of the opcode in the module
  BlockType block;              // block, loop, if
  uint32_t a = 0, b = 0;        // indices: label, func, local, global, table, type, elem, data;
                                // memarg: a = alignment exponent, b = unused;
                                // v128.const, i8x16.shuffle: the high 8 bytes (see imm_hi)
  uint64_t imm = 0;             // constant bits (a v128's low 8 bytes); memarg offset (64-bit
                                // for a memory64 memory)
  std::vector<uint32_t>* table = nullptr;  // br_table labels (default label in `a`)

  // The high 8 bytes of a 16-byte immediate (v128.const, i8x16.shuffle), kept in a and b.
  uint64_t imm_hi() const { return a | uint64_t(b) << 32; }
  void set_imm_hi(uint64_t hi) {
    a = uint32_t(hi);
    b = uint32_t(hi >> 32);
  }
};

// Reads the instruction at r. `scratch` backs Instr::table for br_table. `memories` is the
// module's memory space: a memarg of a 64-bit memory (memory64) has a 64-bit offset. Without
// it, or for an index past it, offsets are 32-bit.
// Throws DecodeError on unknown opcodes or bad immediates. SIMD (0xFD) gets a clear message.
Instr read_instr(Reader& r, std::vector<uint32_t>& scratch,
                 const std::vector<MemoryType>* memories = nullptr);

// Reads a value type byte; throws "malformed value type" style errors.
ValType read_valtype(Reader& r);

// ---- pieces of read_instr, for readers that dispatch on the opcode themselves ----------------

[[noreturn]] void fail_illegal_opcode(Reader& r, uint16_t code);

[[noreturn, gnu::cold]] void fail_illegal_prefixed(Reader& r, uint8_t prefix, uint32_t sub);

// Reads an opcode: 0xFC-prefixed ones as 0x100 + sub-opcode, 0xFD-prefixed ones (SIMD) as
// 0x200 + sub-opcode. The result may be a value that is no instruction; a caller that switches
// on it reports those with fail_illegal_opcode() before reading further.
inline Op read_opcode_unchecked(Reader& r) {
  uint16_t code = r.u8();
  if (code == 0xFC || code == 0xFD) {
    uint32_t sub = r.u32();
    if (sub >= (code == 0xFC ? kFcLimit : kFdLimit)) fail_illegal_prefixed(r, uint8_t(code), sub);
    code = uint16_t((code == 0xFC ? 0x100 : 0x200) + sub);
  }
  return Op(code);
}

// Reads an opcode and checks that it exists.
inline Op read_opcode(Reader& r) {
  Op op = read_opcode_unchecked(r);
  if (!op_exists(uint16_t(op))) fail_illegal_opcode(r, uint16_t(op));
  return op;
}

// A block type is 0x40 (empty), a value type, or a non-negative s33 type index.
BlockType read_block_type(Reader& r);

// Multi-memory: bit 6 of the alignment field says a memory index follows it (in.b; else 0).
// memory64: the offset of an access to a 64-bit memory is a u64 (`memories`: see read_instr).
inline void read_memarg(Reader& r, Instr& in, const std::vector<MemoryType>* memories) {
  uint32_t flags = r.u32();
  in.b = flags & 0x40 ? r.u32() : 0;
  in.a = flags & ~0x40u;  // alignment exponent (validated later against the access size)
  bool is64 = memories && in.b < memories->size() && (*memories)[in.b].is64;
  in.imm = is64 ? r.u64() : r.u32();  // offset
}

// The memory index of memory.size, memory.grow, memory.fill, memory.init and memory.copy, a
// reserved zero byte before multi-memory. A zero in more than one byte stays malformed ("zero
// byte expected"), as the Wasm 2.0 test suite wants; no compiler writes one.
inline uint32_t read_memory_index(Reader& r) {
  size_t start = r.offset();
  uint32_t index = r.u32();
  if (index == 0 && r.offset() - start > 1) r.fail("zero byte expected");
  return index;
}

// br_table: the labels go to `scratch` (Instr::table), the default label to Instr::a.
void read_label_table(Reader& r, Instr& in, std::vector<uint32_t>& scratch);

// select t: a vector of exactly one value type.
ValType read_select_type(Reader& r);

ValType read_reftype(Reader& r);

// A 16-byte immediate (v128.const, i8x16.shuffle): low 8 bytes in in.imm, high 8 in in.a and
// in.b (Instr::imm_hi). Lane indices are bytes, checked by the validator.
void read_v128(Reader& r, Instr& in);

// Reads the instruction at r as read_instr() does, keeping only its opcode and its first index
// immediate in `a` (a br_if's label); the other immediates are skipped. For read-aheads over
// many instructions (the translator's may_take_register: read_instr() building whole Instrs
// was 3.7% of loading large.wasm). On valid code it stops where read_instr() stops
// (test_decode_validate checks both on the tests' modules); on malformed code it may stop
// elsewhere, and the body then fails validation.
[[gnu::always_inline]] inline Op scan_instr(Reader& r, uint32_t& a,
                                            const std::vector<MemoryType>& memories) {
  Op op = read_opcode(r);
  switch (op_immediate(op)) {
    case Imm::None:
      break;
    case Imm::Block:
      read_block_type(r);
      break;
    case Imm::Label:
    case Imm::Func:
    case Imm::Tag:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Elem:
    case Imm::Data:
    case Imm::MemIndex:
      a = r.u32();
      break;
    case Imm::LabelTable:
      for (uint32_t n = r.u32(), i = 0; i <= n; i++) r.u32();  // the labels, then the default
      break;
    case Imm::CallIndirect:
    case Imm::TableTable:
    case Imm::ElemTable:
    case Imm::DataMem:
    case Imm::MemMem:
      r.u32();
      r.u32();
      break;
    case Imm::Mem:
    case Imm::MemLane: {
      uint32_t flags = r.u32();
      uint32_t memory = flags & 0x40 ? r.u32() : 0;
      if (memory < memories.size() && memories[memory].is64)
        r.u64();
      else
        r.u32();
      if (op_immediate(op) == Imm::MemLane) r.u8();
      break;
    }
    case Imm::I32:
      r.s32();
      break;
    case Imm::I64:
      r.s64();
      break;
    case Imm::F32:
      r.skip(4);
      break;
    case Imm::F64:
      r.skip(8);
      break;
    case Imm::SelectT:
      read_select_type(r);
      break;
    case Imm::RefType:
    case Imm::Lane:
      r.u8();
      break;
    case Imm::V128:
    case Imm::Shuffle:
      r.skip(16);
      break;
  }
  return op;
}

}  // namespace glint::detail
