// A module's functions as wasm text, for disassembly views (the editor shows it for code without
// DWARF) and tools.
//
//   for (const glint::WasmInstruction& in : glint::disassemble(*module, func_index))
//     printf("%06x  %s\n", in.offset, in.text.c_str());   // "  i32.load offset=8", "call 12
//     <draw>"
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glint {

class Module;

// A function defined in the module (not imported) and where its code is.
struct FunctionCode {
  uint32_t func_index = 0;      // in the module's function space (imports first)
  std::string name;             // as Module::function_name gives it
  uint32_t begin = 0, end = 0;  // byte offsets of its instructions in the module binary
};
std::vector<FunctionCode> defined_functions(const Module& module);

// The function whose code holds `code_offset`, if one does.
std::optional<FunctionCode> function_at(const Module& module, uint32_t code_offset);

struct WasmInstruction {
  uint32_t offset = 0;  // byte offset in the module binary
  uint32_t depth = 0;   // blocks it is nested in
  // The instruction in the text format, indented two spaces per depth: "local.get 2",
  // "i32.load offset=8 align=1" (the natural alignment is left out), "call 12 <draw_player>",
  // "br_if 1", "f32.const 0.5", "block (result i32)".
  std::string text;
};
// The instructions of a function defined in the module, its final `end` included. Empty for an
// imported function or an index out of range.
std::vector<WasmInstruction> disassemble(const Module& module, uint32_t func_index);

}  // namespace glint
