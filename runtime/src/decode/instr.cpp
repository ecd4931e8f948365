#include "decode/instr.h"

#include <cstdio>

namespace glint::detail {

ValType read_valtype(Reader& r) {
  uint8_t b = r.u8();
  switch (b) {
    case 0x7F:
    case 0x7E:
    case 0x7D:
    case 0x7C:
    case 0x7B:
    case 0x70:
    case 0x6F:
      return ValType(b);
    default:
      r.fail("malformed value type 0x" + std::to_string(b));
  }
}

ValType read_reftype(Reader& r) {
  uint8_t b = r.u8();
  if (b != 0x70 && b != 0x6F) r.fail("malformed reference type");
  return ValType(b);
}

static std::string hex(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", v);
  return buf;
}

void fail_illegal_opcode(Reader& r, uint16_t code) {
  if (code >= 0x100) {
    fail_illegal_prefixed(r, code >= 0x200 ? 0xFD : 0xFC, code & 0xFF);
  }
  r.fail("illegal opcode " + hex(code));
}

void fail_illegal_prefixed(Reader& r, uint8_t prefix, uint32_t sub) {
  r.fail("illegal opcode " + hex(prefix) + " " + hex(sub));
}

void read_v128(Reader& r, Instr& in) {
  in.imm = r.f64_bits();  // 8 raw little-endian bytes
  in.set_imm_hi(r.f64_bits());
}

BlockType read_block_type(Reader& r) {
  BlockType bt;
  uint8_t b = r.done() ? 0 : *r.ptr();  // at the end, s33() below reports it
  if (b == 0x40) {
    r.u8();
    bt.kind = BlockType::Empty;
  } else if (b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x70 || b == 0x6F ||
             b == 0x7B) {
    bt.kind = BlockType::Value;
    bt.value = read_valtype(r);
  } else {
    int64_t idx = r.s33();
    if (idx < 0) r.fail("malformed block type");
    bt.kind = BlockType::Index;
    bt.index = uint32_t(idx);
  }
  return bt;
}

void read_label_table(Reader& r, Instr& in, std::vector<uint32_t>& scratch) {
  uint32_t n = r.u32();
  if (n > r.remaining()) r.fail("unexpected end");  // each label takes at least a byte
  scratch.clear();
  scratch.reserve(n);
  for (uint32_t i = 0; i < n; i++) scratch.push_back(r.u32());
  in.a = r.u32();
  in.table = &scratch;
}

ValType read_select_type(Reader& r) {
  uint32_t n = r.u32();
  if (n != 1) r.fail("invalid result arity");
  return read_valtype(r);
}

Instr read_instr(Reader& r, std::vector<uint32_t>& scratch,
                 const std::vector<MemoryType>* memories) {
  Instr in;
  in.offset = uint32_t(r.offset());
  in.op = read_opcode(r);
  switch (op_immediate(in.op)) {
    case Imm::None:
      break;
    case Imm::Block:
      in.block = read_block_type(r);
      break;
    case Imm::Label:
    case Imm::Func:
    case Imm::Tag:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Elem:
    case Imm::Data:
      in.a = r.u32();
      break;
    case Imm::LabelTable:
      read_label_table(r, in, scratch);
      break;
    case Imm::CallIndirect:
      in.a = r.u32();  // type index
      in.b = r.u32();  // table index
      break;
    case Imm::Mem:
      read_memarg(r, in, memories);
      break;
    case Imm::MemIndex:
      in.a = read_memory_index(r);
      break;
    case Imm::I32:
      in.imm = uint32_t(r.s32());
      break;
    case Imm::I64:
      in.imm = uint64_t(r.s64());
      break;
    case Imm::F32:
      in.imm = r.f32_bits();
      break;
    case Imm::F64:
      in.imm = r.f64_bits();
      break;
    case Imm::SelectT:
      in.type = read_select_type(r);
      break;
    case Imm::RefType:
      in.type = read_reftype(r);
      break;
    case Imm::TableTable:
    case Imm::ElemTable:
      in.a = r.u32();  // destination table / elem segment
      in.b = r.u32();  // source table / table
      break;
    case Imm::DataMem:
      in.a = r.u32();  // data segment
      in.b = read_memory_index(r);
      break;
    case Imm::MemMem:
      in.a = read_memory_index(r);  // destination
      in.b = read_memory_index(r);  // source
      break;
    case Imm::Lane:
      in.lane = r.u8();
      break;
    case Imm::MemLane:
      read_memarg(r, in, memories);
      in.lane = r.u8();
      break;
    case Imm::V128:
    case Imm::Shuffle:
      read_v128(r, in);
      break;
  }
  return in;
}

}  // namespace glint::detail
