// The boundary between the runtime and its DWARF reader (debug/dwarf/, a plugin built on LLVM's
// DebugInfo library and loaded on first use by debug/source.cpp).
//
// Why a plugin: libLLVM is 110 MB, and a program linked with it spends about 20 ms of CPU at
// every start relocating it, whether it ever reads DWARF or not. Loaded with dlopen() at the
// first source-level question, it costs nothing to a program that never asks one.
//
// The plugin sees only what is declared here: the module's sections in, plain data out. It
// never calls the runtime's functions (which the executable does not export); the runtime
// gives it the wasm state of a stop as data (FrameState, InstanceState).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/source.h"

namespace glint::detail {

struct DwarfInput {
  struct Section {
    std::string name;  // ".debug_info", ...
    std::span<const uint8_t> data;
  };
  std::vector<Section> sections;
  // DWARF addresses of wasm code are offsets in the code section's contents.
  uint32_t code_start = 0, code_size = 0;
  // Each defined function's body [begin, end) as module offsets (the body's size field to
  // its end): a DWARF function that starts elsewhere does not match the code.
  std::vector<std::pair<uint32_t, uint32_t>> bodies;
};

// The wasm state a location may name, at one stop.
struct InstanceState {
  const Instance* instance = nullptr;  // for VarRef::instance
  uint8_t* memory = nullptr;           // memory 0 (null if none) and its size in bytes
  uint64_t memory_size = 0;
  std::function<std::optional<Value>(uint32_t)> global;  // by index in the global space
};
struct FrameState {
  uint32_t code_offset = 0;  // where the frame is (a caller: its call)
  const std::vector<Value>* locals = nullptr;
  const std::vector<bool>* dead = nullptr;    // per local: its value is out of date
  const std::vector<Value>* stack = nullptr;  // the operand stack, or null where not shown
  InstanceState instance;
};

// Where a variable lives, for children() and writes (source.h's Variable::ref).
struct VarRef {
  uint64_t type = 0;                // the type's DIE offset in .debug_info (0: none)
  uint32_t array_dim = 0;           // for an array type: the dimension this value starts at
  std::optional<uint64_t> address;  // in linear memory, when it lives there whole
  std::vector<uint8_t> bytes;       // its value, when it does not (read from locals, etc.)
  std::vector<uint8_t> known;       // per byte of `bytes`: 1 where it was available
  // Where a write goes when it does not live in memory: a wasm local or global holding it
  // whole (kind 0 local, 1 global), or none (a computed value, pieces).
  int wasm_kind = -1;
  uint32_t wasm_index = 0;
  ValType wasm_type = ValType::I32;
  bool parameter = false;               // a function parameter (they come first)
  class DwarfReader* reader = nullptr;  // whose DIE offsets these are
  const Instance* instance = nullptr;   // whose memory `address` is in
};

// A write the runtime carries out (set_variable): `bytes` to memory at `address`, or `value`
// to wasm local or global `index`.
struct WritePlan {
  enum Kind { Memory, Local, Global } kind = Memory;
  uint64_t address = 0;
  std::vector<uint8_t> bytes;
  uint32_t index = 0;
  Value value;
};

// One line table row, for stepping by line.
struct LineRow {
  uint32_t begin = 0;  // the module offset where the row's code begins
  uint32_t file = 0;   // an index in the reader's file list
  uint32_t line = 0;   // 0: no line
  bool is_stmt = false;
};

class DwarfReader {
 public:
  virtual ~DwarfReader() = default;
  virtual DwarfInfo info() = 0;
  virtual std::vector<SourceLoc> locations(uint32_t code_offset) = 0;
  // The line table row covering `code_offset`, if any.
  virtual std::optional<LineRow> row_at(uint32_t code_offset) = 0;
  // row_at(code_offset), then for each inlined call around that code (innermost first) the
  // place of the call as a row: its file and line, and `begin` the entry of the inlined code
  // (where a breakpoint at the call's line stops). Empty where row_at has none.
  virtual std::vector<LineRow> line_chain(uint32_t code_offset) = 0;
  // The first instruction after the prologue of the function whose code starts at
  // `function_start` (where its parameters have their values: the row marked prologue_end),
  // or function_start if the line table marks none.
  virtual uint32_t after_prologue(uint32_t function_start) = 0;
  virtual std::vector<std::string> files() = 0;
  virtual Result<LineCode> find_line(std::string_view file, uint32_t line) = 0;
  virtual std::vector<uint32_t> lines_with_code(std::string_view file) = 0;
  virtual std::vector<Variable> frame_variables(const FrameState& frame, size_t inline_depth) = 0;
  virtual std::vector<Variable> globals(const InstanceState& instance) = 0;
  virtual std::vector<Variable> children(const Variable& v, const InstanceState& instance,
                                         size_t first, size_t max) = 0;
  virtual Result<Variable> find_variable(const FrameState& frame, std::string_view path,
                                         size_t inline_depth) = 0;
  virtual Result<WritePlan> plan_write(const Variable& v, std::string_view text) = 0;
  virtual DataLayout data_layout() = 0;
};

// The plugin's one exported function. Never throws; a reader that read nothing says why in
// info().problems.
using OpenDwarfFn = DwarfReader* (*)(const DwarfInput& input);
#define GLINT_OPEN_DWARF_SYMBOL "glint_open_dwarf"

}  // namespace glint::detail
