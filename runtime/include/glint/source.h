// Source-level debugging: what the module's DWARF says about its code (C and Rust built with
// -g, at any optimization level).
//
//   for (const glint::SourceLoc& s : glint::source_locations(*module, offset))  // innermost
//     printf("%s at %s:%u\n", s.function.c_str(), s.file.c_str(), s.line);      // first
//   auto line = glint::find_line(*module, "player.c", 42);  // where a breakpoint there stops
//   for (const glint::Variable& v : glint::frame_variables(stop.frames[0]))
//     printf("%s %s = %s\n", v.type.c_str(), v.name.c_str(), v.value.c_str());
//
// The DWARF is read on the first call of a function here for that module (or the first trap
// backtrace or stop that shows a source line), never by Module::load, so a module built with -g
// loads as fast as one without. The reader is LLVM's DebugInfo library, loaded into the
// process at that first use (runtime/DESIGN.md, "Source-level debugging"). Missing or malformed
// DWARF never fails anything: the functions below then return nothing, and dwarf_info() says
// what was wrong; wasm-level debugging (glint/debug.h) works the same.
//
// Addresses are byte offsets in the module binary, as everywhere in Glint (DebugFrame::
// code_offset, TraceFrame::code_offset, set_breakpoint).
//
// All functions are safe to call from any thread; the variable functions read the instance's
// memory, so call them while its store is stopped (in the debug handler) or idle.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "glint/error.h"
#include "glint/types.h"

namespace glint {

class Module;
class Instance;
struct DebugFrame;
namespace detail {
struct VarRef;
}

// A place in the source.
struct SourceLoc {
  std::string file;      // as the DWARF names it, joined to its compilation directory
  uint32_t line = 0;     // from 1; 0 when the code has no line (made by the compiler)
  uint32_t column = 0;   // from 1; 0 when unknown
  std::string function;  // the source function it is in (the inlined one, for inlined code)
};

// What the module's DWARF gave (reading it if not read yet).
struct DwarfInfo {
  bool present = false;  // the module has .debug_info or .debug_line sections
  bool lines = false;    // a usable line table: source_locations() and find_line() work
  size_t files = 0, functions = 0;
  // What was wrong, one sentence each naming the section and offset: a truncated
  // .debug_info, a bad abbreviation code, a line program that points past the code, DWARF
  // that does not match the code (a module changed after linking, e.g. by wasm-opt), or the
  // DWARF reader library that could not be loaded. Parts that read well are still used.
  std::vector<std::string> problems;
  double read_ms = 0;  // time the first read took (loading the reader, the line tables)
};
DwarfInfo dwarf_info(const Module& module);

// Where the instruction at `code_offset` is in the source: the innermost place first, then,
// for inlined code, each call it was inlined through, out to the function the wasm function
// is (so a wasm frame shows as several source frames). Empty where the DWARF has no line.
std::vector<SourceLoc> source_locations(const Module& module, uint32_t code_offset);

// Every source file the line tables name, sorted.
std::vector<std::string> source_files(const Module& module);

// A source line and the code it has: where a breakpoint on it stops.
struct LineCode {
  std::string file;               // the full name of the file matched
  uint32_t line = 0;              // the line asked for, or the next one with code
  std::vector<uint32_t> offsets;  // the first instruction of the line in each function (or
                                  // inlined copy) that has code for it, ascending
};
// The code of `line` in `file`. `file` may be the full name or its end ("player.c",
// "guest/player.c"); an error if no file or several match. A line without code (a comment, a
// declaration) moves to the next line that has some, within 20 lines.
Result<LineCode> find_line(const Module& module, std::string_view file, uint32_t line);
// The lines of `file` (as source_files() names it) that have code: where breakpoints can go.
std::vector<uint32_t> lines_with_code(const Module& module, std::string_view file);

// A source variable, a field or element of one, or what a pointer points to.
struct Variable {
  std::string name;        // "hp"; a field "pos"; an element "[3]"; a pointee "*p"
  std::string type;        // as the DWARF names it: "int", "struct Vec2", "float *", "&[u8]"
  std::string value;       // "42", "-1.5", "true", "Hunting", "0x10a40", "{x = 1, y = 2}", or, when
                           // not available, why: "<not available>", "<optimized out>"
  bool available = false;  // false: value says why, scalar and children are empty
  size_t num_children = 0;          // fields, elements, or 1 for a pointer that can be followed
  std::optional<Value> scalar;      // an integer, bool, enum, pointer or float, as wasm sees it
  std::optional<uint32_t> address;  // where it lives in linear memory, if it does
  // Internal: where it lives and its type, for children() and set_variable().
  std::shared_ptr<const detail::VarRef> ref;
};

// The parameters and local variables in scope at a frame's stop (glint/debug.h), parameters
// first. `inline_depth` picks the source frame within an inlined wasm frame (the index in
// DebugFrame::source). Empty for frames without DWARF.
std::vector<Variable> frame_variables(const DebugFrame& frame, size_t inline_depth = 0);
// The module's global variables (C file-scope and static ones, Rust statics) in an instance.
std::vector<Variable> global_variables(const Instance& instance);
// A variable's fields, elements (from `first`, at most `max`) or pointee, read now.
std::vector<Variable> children(const Variable& v, size_t first = 0, size_t max = 256);
// A variable by its path from a frame: "hp", "p.pos.x", "p->pos", "a[3]", "*p", a global's
// name, or "$2" for the frame's wasm local 2. "." also goes through a pointer or reference. A
// name not in the source frame's scope is looked up in the functions it was inlined into, then
// among the globals.
Result<Variable> find_variable(const DebugFrame& frame, std::string_view path,
                               size_t inline_depth = 0);

// The data layout the DWARF describes, as plain data: every variable with a fixed address in
// linear memory (C file-scope and static ones, statics inside functions, Rust statics) and the
// types of their bytes. Hot reload migrates state with it when a build moves its data
// (glint/reload.h); replays and the editor name memory with it.
struct LayoutType {
  enum class Kind : uint8_t {
    Unknown,  // no type (void), or one the layout does not take apart
    Int,      // also char and wchar: `is_signed` says which
    Float,
    Bool,
    Enum,             // a C enum (an integer); Rust enums are Other
    Pointer,          // `element` is the pointee (0: void or unknown)
    FunctionPointer,  // a table index in wasm32
    Struct,           // C struct, Rust struct or tuple: `fields`
    Array,            // `count` of `element`; a 2D array is an array of arrays
    Variants,         // a Rust enum: `variants`, told apart by the discriminant
    Other,            // a union, bit fields, ...: bytes that are only copied whole
  };
  Kind kind = Kind::Unknown;
  std::string name;  // as the DWARF names it: "int", "struct Enemy", "float *", "Enemy[64]"
  uint64_t size = 0;
  bool is_signed = false;
  struct Field {
    std::string name;
    uint64_t offset = 0;
    uint32_t type = 0;  // an index in DataLayout::types
  };
  std::vector<Field> fields;
  uint32_t element = 0;
  uint64_t count = 0;
  // Variants: the discriminant's place (niche-encoded ones are a field of a variant's data),
  // and each variant's value there (none: the variant for every other value), its data's
  // offset and type.
  struct Variant {
    std::string name;  // "Some", "None", ...
    bool has_value = false;
    uint64_t value = 0;
    uint64_t offset = 0;
    uint32_t type = 0;
  };
  std::vector<Variant> variants;
  uint64_t discr_offset = 0, discr_size = 0;
  // The variant the value at `bytes` (this type's size) holds; null if none matches.
  const Variant* active_variant(const uint8_t* bytes) const;
};
struct LayoutVariable {
  std::string name;  // "player", "shots::pool" (Rust), "receive_messages::buf" (a static local)
  std::string unit;  // the compilation unit's file ("main.c"): same-named statics stay apart
  uint32_t address = 0;
  uint32_t type = 0;  // an index in DataLayout::types
};
struct DataLayout {
  std::vector<LayoutType> types;          // types[0] is Unknown
  std::vector<LayoutVariable> variables;  // by address
  const LayoutType& type(uint32_t i) const { return types[i < types.size() ? i : 0]; }
  uint64_t size_of(const LayoutVariable& v) const { return type(v.type).size; }
};
// The module's data layout; empty (no variables) without DWARF. Read once per module.
std::shared_ptr<const DataLayout> data_layout(const Module& module);
// What [address, address + size) of memory is, by variable and field: "game.kills",
// "shots[3].x", "player" (comma-separated if it covers several); "" where the layout has no
// variable there (the heap, the stack).
std::string name_memory(const DataLayout& layout, uint32_t address, uint32_t size);

}  // namespace glint
