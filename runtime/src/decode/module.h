// The decoded form of a module: what the binary says, before validation and translation.
// Produced by decode_module() (decode/decoder.cpp), checked by validate_module()
// (validate/validator.cpp), translated by compile/ and instantiated by instance/.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "decode/reader.h"
#include "glint/types.h"

namespace glint::detail {

// A constant expression, kept as its instruction list (validation checks it is constant).
struct ConstInstr {
  uint16_t op = 0;      // an Op value
  uint64_t bits = 0;    // i32/i64/f32/f64 constant bits (a v128's low 8 bytes), or the index
                        // for global.get/ref.func, or the ValType for ref.null
  uint64_t hi = 0;      // v128.const: the high 8 bytes
  uint32_t offset = 0;  // byte offset of the instruction in the module
};
struct ConstExpr {
  std::vector<ConstInstr> instrs;  // without the final `end`
  uint32_t offset = 0;
};

struct Import {
  std::string module, name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  // kind == Func: type index
  TableType table;         // kind == Table
  MemoryType memory;       // kind == Memory
  GlobalType global;       // kind == Global
  uint32_t tag_type = 0;   // kind == Tag: type index
  uint32_t offset = 0;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
  uint32_t offset = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  uint32_t table = 0;
  ConstExpr offset;  // Active only
  ValType type = ValType::FuncRef;
  std::vector<ConstExpr> init;  // function indices are stored as ref.func expressions
  uint32_t section_offset = 0;
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  // Active or Passive
  uint32_t memory = 0;
  ConstExpr offset;                        // Active only
  uint32_t data_begin = 0, data_size = 0;  // byte range in ModuleDesc::bytes
  uint32_t section_offset = 0;
};

struct FuncBody {
  std::vector<ValType> locals;            // declared locals, not parameters
  uint32_t code_begin = 0, code_end = 0;  // instructions (after the locals), end opcode included
  uint32_t body_offset = 0;               // offset of the body's size field
};

struct CustomSection {
  std::string name;
  uint32_t data_begin = 0, data_size = 0;
};

struct ModuleDesc {
  std::vector<uint8_t> bytes;  // the whole binary; offsets above point into it

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<uint32_t> funcs;       // type index of each *defined* function
  std::vector<TableType> tables;     // defined tables
  std::vector<MemoryType> memories;  // defined memories
  std::vector<Global> globals;       // defined globals
  std::vector<uint32_t> tags;        // type index of each defined tag (exception handling)
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::optional<uint32_t> data_count;
  std::vector<FuncBody> bodies;  // one per defined function
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;
  std::vector<SectionInfo> sections;  // every section in order, for `glint inspect`

  // From the "name" custom section, where present (malformed names are ignored, per spec).
  std::string module_name;
  std::map<uint32_t, std::string> func_names;
  std::map<uint32_t, std::map<uint32_t, std::string>> local_names;
  std::map<uint32_t, std::string> global_names, data_names;  // "__stack_pointer", ".rodata"

  // Index spaces, imports first (filled by the decoder).
  uint32_t num_imported_funcs = 0, num_imported_tables = 0, num_imported_memories = 0,
           num_imported_globals = 0, num_imported_tags = 0;
  std::vector<uint32_t> func_space;  // type index of every function
  std::vector<TableType> table_space;
  std::vector<MemoryType> memory_space;
  std::vector<GlobalType> global_space;
  std::vector<uint32_t> tag_space;  // type index of every tag

  // A v128 in a function type, a global's type or a body's locals. Without one, only SIMD
  // instructions (0xFD) make v128 values, which lets the translator skip looking for them in
  // bodies without that byte (FuncCompiler::begin_body).
  bool v128_types = true;

  const FuncType& func_type(uint32_t func_index) const { return types[func_space[func_index]]; }
};

// Decodes a binary module. Throws DecodeError (message + byte offset) on malformed input.
ModuleDesc decode_module(const uint8_t* data, size_t size);

}  // namespace glint::detail
