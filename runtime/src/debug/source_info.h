// The runtime's side of source-level debugging (debug/source.cpp): each module's DWARF reader,
// opened on first use, and what the debugger and backtraces ask of it.
#pragma once
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "debug/dwarf_reader.h"
#include "glint/debug.h"
#include "glint/glint.h"

namespace glint::detail {

struct SourceInfo {
  std::mutex mutex;                          // the reader is not thread-safe: every call holds this
  std::unique_ptr<DwarfReader> reader;       // null if it could not be opened
  DwarfInfo info;                            // when reader is null: why
  std::shared_ptr<const DataLayout> layout;  // read at the first data_layout()
};

// The module's DWARF, opened on the first call for it; null if the module has no DWARF
// sections (which costs a look at its custom section names).
std::shared_ptr<SourceInfo> source_info(const Module& module);
// Drops the module's reader (the module is being destroyed).
void forget_source_info(const Module& module);

// A backtrace frame, as one frame per source function where the DWARF has a line for it
// (inlined calls first), or as it is.
void add_trace_frames(const Module& module, TraceFrame frame, std::vector<TraceFrame>& out);
// The line table row at an offset, for stepping by line.
std::optional<LineRow> line_row(const Module& module, uint32_t code_offset);
// The row and the calls of the inlined functions around it (DwarfReader::line_chain).
std::vector<LineRow> line_chain(const Module& module, uint32_t code_offset);
// What a location may name in a stopped frame.
FrameState frame_state(const DebugFrame& frame);
InstanceState instance_state(const Instance& instance);
// find_variable()'s "$N": the frame's wasm local N, with or without DWARF.
Result<Variable> wasm_local_variable(const DebugFrame& frame, std::string_view path);

// A function name as people read it: C++ and Rust names demangled (instance/module.cpp).
std::string readable_name(const std::string& name);

}  // namespace glint::detail
