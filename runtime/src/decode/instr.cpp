#include "decode/instr.h"

namespace glint::detail {

ValType read_valtype(Reader& r) {
  uint8_t b = r.u8();
  switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x70: case 0x6F:
      return ValType(b);
    case 0x7B:
      r.fail("SIMD not supported yet (v128 value type)");
    default:
      r.fail("malformed value type 0x" + std::to_string(b));
  }
}

static ValType read_reftype(Reader& r) {
  uint8_t b = r.u8();
  if (b != 0x70 && b != 0x6F) r.fail("malformed reference type");
  return ValType(b);
}

static void read_memarg(Reader& r, Instr& in) {
  in.a = r.u32();   // alignment exponent (validated later against the access size)
  in.imm = r.u32(); // offset
}

Instr read_instr(Reader& r, std::vector<uint32_t>& scratch) {
  Instr in;
  in.offset = uint32_t(r.offset());
  uint16_t code = r.u8();
  if (code == 0xFC) {
    uint32_t sub = r.u32();
    if (sub > 17) r.fail("illegal opcode 0xfc " + std::to_string(sub));
    code = uint16_t(0x100 + sub);
  } else if (code == 0xFD) {
    r.fail("SIMD not supported yet (opcode 0xfd)");
  }
  if (!op_exists(code)) r.fail("illegal opcode 0x" + std::to_string(code));
  in.op = Op(code);
  switch (op_immediate(in.op)) {
    case Imm::None: break;
    case Imm::Block: {
      // A block type is 0x40 (empty), a value type, or a positive s33 type index.
      uint8_t b = *r.ptr();
      if (b == 0x40) { r.u8(); in.block.kind = BlockType::Empty; }
      else if (b == 0x7F || b == 0x7E || b == 0x7D || b == 0x7C || b == 0x70 || b == 0x6F ||
               b == 0x7B) {
        in.block.kind = BlockType::Value;
        in.block.value = read_valtype(r);
      } else {
        int64_t idx = r.s33();
        if (idx < 0) r.fail("malformed block type");
        in.block.kind = BlockType::Index;
        in.block.index = uint32_t(idx);
      }
      break;
    }
    case Imm::Label: case Imm::Func: case Imm::Local: case Imm::Global: case Imm::Table:
    case Imm::Elem: case Imm::Data:
      in.a = r.u32();
      break;
    case Imm::LabelTable: {
      uint32_t n = r.u32();
      if (n > r.remaining()) r.fail("unexpected end");  // each label takes at least a byte
      scratch.clear();
      scratch.reserve(n);
      for (uint32_t i = 0; i < n; i++) scratch.push_back(r.u32());
      in.a = r.u32();
      in.table = &scratch;
      break;
    }
    case Imm::CallIndirect:
      in.a = r.u32();  // type index
      in.b = r.u32();  // table index
      break;
    case Imm::Mem: read_memarg(r, in); break;
    case Imm::MemIndex:
      if (r.u8() != 0) r.fail("zero byte expected");
      break;
    case Imm::I32: in.imm = uint32_t(r.s32()); break;
    case Imm::I64: in.imm = uint64_t(r.s64()); break;
    case Imm::F32: in.imm = r.f32_bits(); break;
    case Imm::F64: in.imm = r.f64_bits(); break;
    case Imm::SelectT: {
      uint32_t n = r.u32();
      if (n != 1) r.fail("invalid result arity");
      in.type = read_valtype(r);
      break;
    }
    case Imm::RefType: in.type = read_reftype(r); break;
    case Imm::TableTable: case Imm::ElemTable:
      in.a = r.u32();  // destination table / elem segment
      in.b = r.u32();  // source table / table
      break;
    case Imm::DataMem:
      in.a = r.u32();
      if (r.u8() != 0) r.fail("zero byte expected");
      break;
    case Imm::MemMem:
      if (r.u8() != 0 || r.u8() != 0) r.fail("zero byte expected");
      break;
  }
  return in;
}

}  // namespace glint::detail
