// Wasm instructions as text (glint/disassembly.h), read with decode/'s read_instr.
#include "glint/disassembly.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "decode/instr.h"
#include "decode/module.h"
#include "glint/glint.h"

namespace glint {

namespace {

using detail::Imm;
using detail::Instr;
using detail::Op;

// log2 of the access size: what an alignment immediate equal to it leaves unsaid.
uint32_t natural_alignment(const char* name) {
  std::string_view n(name);  // "i64.load8_s": the type, then the access after the dot
  std::string_view access = n.substr(n.find('.') + 1);
  if (n.starts_with("v128.")) {  // v128.load8x8_s reads 8 bytes, v128.load16_lane 2, v128.load 16
    if (access.find('x') != std::string_view::npos) return 3;
    if (access.find("64") != std::string_view::npos) return 3;
    if (access.find("32") == std::string_view::npos &&
        access.find("16") == std::string_view::npos && access.find('8') == std::string_view::npos)
      return 4;
  }
  if (access.find("32") != std::string_view::npos) return 2;
  if (access.find("16") != std::string_view::npos) return 1;
  if (access.find('8') != std::string_view::npos) return 0;
  return n[1] == '6' ? 3 : 2;  // i64/f64 : i32/f32
}

std::string block_type_text(const detail::BlockType& b) {
  switch (b.kind) {
    case detail::BlockType::Empty:
      return "";
    case detail::BlockType::Value:
      return std::string(" (result ") + to_string(b.value) + ")";
    case detail::BlockType::Index:
      return " (type " + std::to_string(b.index) + ")";
  }
  return "";
}

// " N" after the text (one append each: g++ 12 warns wrongly about `" " + to_string` here).
void add_number(std::string& text, int64_t n) {
  text += ' ';
  text += std::to_string(n);
}

std::string instruction_text(const Module& module, const Instr& in) {
  const char* name = detail::op_name(in.op);
  std::string text = name;
  char buf[96];
  switch (detail::op_immediate(in.op)) {
    case Imm::None:
      break;
    // Memory indices are shown where they are not 0 (multi-memory), as the text format
    // writes them: before the memarg, `memory.copy 1 0`, `memory.init 1 3` (memory, data).
    case Imm::MemIndex:
      if (in.a) add_number(text, in.a);
      break;
    case Imm::MemMem:
      if (in.a || in.b) {
        add_number(text, in.a);
        add_number(text, in.b);
      }
      break;
    case Imm::Block:
      text += block_type_text(in.block);
      break;
    case Imm::Func:
      add_number(text, in.a);
      text += " <" + module.function_name(in.a) + ">";
      break;
    case Imm::Tag:
    case Imm::Label:
    case Imm::Local:
    case Imm::Global:
    case Imm::Table:
    case Imm::Elem:
    case Imm::Data:
      add_number(text, in.a);
      break;
    case Imm::DataMem:
      if (in.b) add_number(text, in.b);
      add_number(text, in.a);
      break;
    case Imm::LabelTable:
      if (in.table)
        for (uint32_t label : *in.table) (text += ' ') += std::to_string(label);
      text += " default " + std::to_string(in.a);
      break;
    case Imm::CallIndirect:
      text += " (type " + std::to_string(in.a) + ")";
      if (in.b) text += " table " + std::to_string(in.b);
      break;
    case Imm::Mem:
    case Imm::MemLane:
      if (in.b) add_number(text, in.b);
      if (in.imm) text += " offset=" + std::to_string(in.imm);
      if (in.a != natural_alignment(name)) text += " align=" + std::to_string(1u << in.a);
      if (detail::op_immediate(in.op) == Imm::MemLane) add_number(text, in.lane);
      break;
    case Imm::Lane:
      add_number(text, in.lane);
      break;
    case Imm::V128:  // the 16 bytes as four i32 lanes, as wat's "i32x4" form reads
      std::snprintf(buf, sizeof buf, " i32x4 0x%08x 0x%08x 0x%08x 0x%08x", uint32_t(in.imm),
                    uint32_t(in.imm >> 32), uint32_t(in.imm_hi()), uint32_t(in.imm_hi() >> 32));
      text += buf;
      break;
    case Imm::Shuffle:  // the 16 lane indices
      for (int i = 0; i < 16; ++i) {
        uint64_t half = i < 8 ? in.imm : in.imm_hi();
        (text += ' ') += std::to_string((half >> (8 * (i % 8))) & 0xff);
      }
      break;
    case Imm::I32:
      add_number(text, int32_t(uint32_t(in.imm)));
      break;
    case Imm::I64:
      add_number(text, int64_t(in.imm));
      break;
    case Imm::F32:
      std::snprintf(buf, sizeof buf, " %.9g", double(Value::f32_bits(uint32_t(in.imm)).as_f32()));
      text += buf;
      break;
    case Imm::F64:
      std::snprintf(buf, sizeof buf, " %.17g", Value::f64_bits(in.imm).as_f64());
      text += buf;
      break;
    case Imm::SelectT:
    case Imm::RefType:
      text += std::string(" ") + to_string(in.type);
      break;
    case Imm::TableTable:
    case Imm::ElemTable:
      add_number(text, in.a);
      add_number(text, in.b);
      break;
  }
  return text;
}

}  // namespace

std::vector<FunctionCode> defined_functions(const Module& module) {
  const detail::ModuleDesc& d = module.desc();
  std::vector<FunctionCode> out;
  out.reserve(d.bodies.size());
  for (size_t i = 0; i < d.bodies.size(); i++) {
    uint32_t index = d.num_imported_funcs + uint32_t(i);
    out.push_back(
        {index, module.function_name(index), d.bodies[i].code_begin, d.bodies[i].code_end});
  }
  return out;
}

std::optional<FunctionCode> function_at(const Module& module, uint32_t code_offset) {
  const detail::ModuleDesc& d = module.desc();
  for (size_t i = 0; i < d.bodies.size(); i++) {
    const detail::FuncBody& b = d.bodies[i];
    if (code_offset < b.code_begin || code_offset >= b.code_end) continue;
    uint32_t index = d.num_imported_funcs + uint32_t(i);
    return FunctionCode{index, module.function_name(index), b.code_begin, b.code_end};
  }
  return std::nullopt;
}

std::vector<WasmInstruction> disassemble(const Module& module, uint32_t func_index) {
  const detail::ModuleDesc& d = module.desc();
  std::vector<WasmInstruction> out;
  if (func_index < d.num_imported_funcs || func_index - d.num_imported_funcs >= d.bodies.size())
    return out;
  const detail::FuncBody& body = d.bodies[func_index - d.num_imported_funcs];
  detail::Reader r(d.bytes.data() + body.code_begin, body.code_end - body.code_begin,
                   body.code_begin);
  std::vector<uint32_t> labels;
  uint32_t depth = 0;
  try {  // the module was validated, so this does not throw; but a tool must never crash
    while (!r.done()) {
      Instr in = detail::read_instr(r, labels, &d.memory_space);
      bool arm = in.op == Op::Else || in.op == Op::Catch || in.op == Op::CatchAll;
      if ((in.op == Op::End || in.op == Op::Delegate || arm) && depth > 0) --depth;
      std::string text(2 * depth, ' ');
      text += instruction_text(module, in);
      out.push_back({in.offset, depth, std::move(text)});
      if (in.op == Op::Block || in.op == Op::Loop || in.op == Op::If || in.op == Op::Try || arm)
        ++depth;
    }
  } catch (const detail::DecodeError& e) {
    out.push_back({uint32_t(e.offset), depth, std::string("; cannot decode: ") + e.what()});
  }
  return out;
}

}  // namespace glint
