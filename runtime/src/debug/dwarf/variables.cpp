// Variables: which are in scope at a stop (the DIE tree: subprogram, inlined subroutines,
// lexical blocks), where each lives (location.cpp), and its value as its type says (base
// types, enums, pointers, structs, unions, arrays, Rust enums with a variant part).
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFCompileUnit.h>
#include <llvm/DebugInfo/DWARF/DWARFFormValue.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstring>
#include <functional>

#include "debug/dwarf/llvm_reader.h"

namespace glint::detail {

namespace dw = llvm::dwarf;
using llvm::DWARFDie;

namespace {

// Children are read from memory when asked for; a value held elsewhere is copied whole up to
// this size (a struct in locals is small).
constexpr uint64_t kMaxCopied = 1 << 16;

bool is_variable(const DWARFDie& d) {
  return d.getTag() == dw::DW_TAG_formal_parameter || d.getTag() == dw::DW_TAG_variable;
}

}  // namespace

// --- making Variables ------------------------------------------------------------------------

Variable LlvmReader::make_variable(std::string name, const DWARFDie& type, const Evaluation& e,
                                   const InstanceState& instance, uint32_t array_dim) {
  Variable v;
  v.name = std::move(name);
  v.type = type_name(type, array_dim);
  auto ref = std::make_shared<VarRef>();
  ref->reader = this;
  ref->instance = instance.instance;
  ref->type = type ? type.getOffset() : 0;
  ref->array_dim = array_dim;
  v.ref = ref;
  if (!e.why.empty()) {
    v.value = e.why;
    return v;
  }
  uint64_t size = type_size(type, array_dim);
  if (e.pieces.size() == 1 && e.pieces[0].kind == Piece::Memory) {
    ref->address = e.pieces[0].address;
  } else {
    if (e.pieces.size() == 1 && e.pieces[0].wasm_kind >= 0) {
      ref->wasm_kind = e.pieces[0].wasm_kind;
      ref->wasm_index = e.pieces[0].wasm_index;
      ref->wasm_type = e.pieces[0].wasm_type;
    }
    assemble(e, std::min(size, kMaxCopied), instance, ref->bytes, ref->known);
  }
  describe(v, instance);
  return v;
}

// Fills value, available, scalar, address and num_children from v.ref.
void LlvmReader::describe(Variable& v, const InstanceState& instance) {
  const VarRef& ref = *v.ref;
  DWARFDie type = die_at(ref.type);
  if (ref.address) v.address = uint32_t(*ref.address);
  ValueView view(ref, instance);
  uint64_t size = type_size(type, ref.array_dim);
  if (!type) {
    v.value = "<no type>";
    return;
  }
  if (!view.all_known(0, std::min(size, uint64_t(64)))) {
    v.value = ref.address ? "<not readable: outside memory>" : "<not available>";
    if (!ref.address && view.any_known(0, size)) v.value = "<partly optimized out>";
    if (!view.any_known(0, size)) return;
  }
  v.available = view.any_known(0, size);
  std::string text = format_value(type, view, 0, ref.array_dim, &v.scalar);
  if (v.value.empty() || v.value == "<partly optimized out>") v.value = text;
  v.num_children = count_children(type, view, ref.array_dim);
}

std::vector<Variable> LlvmReader::frame_variables(const FrameState& frame, size_t inline_depth) {
  std::vector<Variable> out;
  auto chain = scope_chain(frame.code_offset);
  if (inline_depth >= chain.size()) return out;
  EvalContext ctx{&frame, frame_base(chain.back(), frame), &frame.instance};
  auto add = [&](const DWARFDie& d) {
    if (d.getShortName()) out.push_back(variable_of(d, ctx, frame.code_offset));
  };
  collect_scope(chain[inline_depth], dwarf_address(frame.code_offset), add);
  // Parameters first, then locals (outer blocks before inner ones, as declared).
  std::stable_partition(out.begin(), out.end(),
                        [](const Variable& v) { return v.ref && v.ref->parameter; });
  return out;
}

// Calls add() for the variables of `scope` visible at `address`: its own, and those of the
// lexical blocks around the address. Inlined calls are scopes of their own (deeper frames).
template <class F>
void LlvmReader::collect_scope(const DWARFDie& scope, uint64_t address, F&& add) {
  for (DWARFDie d = scope.getFirstChild(); d && !d.isNULL(); d = d.getSibling()) {
    if (is_variable(d)) {
      add(d);
    } else if (d.getTag() == dw::DW_TAG_lexical_block && d.addressRangeContainsAddress(address)) {
      collect_scope(d, address, add);
    }
  }
}

std::optional<uint64_t> LlvmReader::frame_base(const DWARFDie& function, const FrameState& frame) {
  auto locs = function.getLocations(dw::DW_AT_frame_base);
  if (!locs) {
    llvm::consumeError(locs.takeError());
    return std::nullopt;
  }
  EvalContext ctx{&frame, std::nullopt, &frame.instance};
  for (const auto& l : *locs) {
    if (l.Range && !(dwarf_address(frame.code_offset) >= l.Range->LowPC &&
                     dwarf_address(frame.code_offset) < l.Range->HighPC))
      continue;
    Evaluation e = evaluate(l.Expr, ctx);
    if (e.why.empty() && e.pieces.size() == 1 && e.pieces[0].kind != Piece::Missing)
      return e.pieces[0].kind == Piece::Memory ? e.pieces[0].address : e.pieces[0].value;
  }
  return std::nullopt;
}

Variable LlvmReader::variable_of(const DWARFDie& d, const EvalContext& ctx, uint32_t code_offset) {
  DWARFDie type = type_of(d);
  std::string name = d.getShortName() ? d.getShortName() : "";
  Evaluation e;
  if (auto value = d.findRecursively(dw::DW_AT_const_value)) {
    e.pieces.push_back(const_piece(*value, type));
  } else if (!d.find(dw::DW_AT_location)) {
    e.why = "<optimized out>";
  } else {
    e = evaluate_at(d, ctx, code_offset);
  }
  Variable v = make_variable(std::move(name), type, e, *ctx.instance);
  const_cast<VarRef&>(*v.ref).parameter = d.getTag() == dw::DW_TAG_formal_parameter;
  return v;
}

// The location expression of `d` that applies at code_offset (of a location list: the entry
// whose range holds it), evaluated.
Evaluation LlvmReader::evaluate_at(const DWARFDie& d, const EvalContext& ctx,
                                   uint32_t code_offset) {
  Evaluation e;
  auto locs = d.getLocations(dw::DW_AT_location);
  if (!locs) {
    e.why = "<not available: " + llvm::toString(locs.takeError()) + ">";
    return e;
  }
  uint64_t address = code_offset ? dwarf_address(code_offset) : 0;
  for (const auto& l : *locs) {
    if (l.Range && ctx.frame && !(address >= l.Range->LowPC && address < l.Range->HighPC)) continue;
    return evaluate(l.Expr, ctx);
  }
  e.why = "<optimized out>";  // a location list that does not cover this place
  return e;
}

Piece LlvmReader::const_piece(const llvm::DWARFFormValue& value, const DWARFDie& type) {
  Piece p;
  if (auto block = value.getAsBlock()) {
    p.kind = Piece::Bytes;
    p.bytes.assign(block->begin(), block->end());
  } else if (auto s = value.getAsSignedConstant()) {
    p.kind = Piece::Value;
    p.value = uint64_t(*s);
  } else if (auto u = value.getAsUnsignedConstant()) {
    p.kind = Piece::Value;
    p.value = *u;
  }
  p.size = type_size(type);
  return p;
}

// --- globals -------------------------------------------------------------------------------

std::vector<Variable> LlvmReader::globals(const InstanceState& instance) {
  std::vector<Variable> out;
  EvalContext ctx{nullptr, std::nullopt, &instance};
  for (const auto& unit : context_->compile_units()) {
    std::function<void(const DWARFDie&, const std::string&)> walk = [&](const DWARFDie& scope,
                                                                        const std::string& prefix) {
      for (DWARFDie d = scope.getFirstChild(); d && !d.isNULL(); d = d.getSibling()) {
        if (d.getTag() == dw::DW_TAG_namespace) {
          const char* ns = d.getShortName();
          walk(d, prefix + (ns ? ns : "") + "::");
        } else if (d.getTag() == dw::DW_TAG_variable && d.getShortName() &&
                   !d.find(dw::DW_AT_declaration)) {  // <optimized out> if no location
          Variable v = variable_of(d, ctx, 0);
          v.name = prefix + v.name;
          out.push_back(std::move(v));
        }
      }
    };
    walk(unit->getUnitDIE(false), "");
  }
  return out;
}

// --- children and paths ----------------------------------------------------------------------

std::vector<Variable> LlvmReader::children(const Variable& v, const InstanceState& instance,
                                           size_t first, size_t max) {
  std::vector<Variable> out;
  if (!v.ref || !v.available) return out;
  DWARFDie type = die_at(v.ref->type);
  size_t n = v.num_children;
  for (size_t i = first; i < n && out.size() < max; i++) {
    auto child = child_at(v, type, i, instance);
    if (child) out.push_back(std::move(*child));
  }
  return out;
}

Result<Variable> LlvmReader::find_variable(const FrameState& frame, std::string_view path,
                                           size_t inline_depth) {
  PathReader p{path};
  std::string root = p.name();
  if (root.empty()) return p.error("a variable name");
  Variable v;
  bool found = false;
  // This source frame's variables (inner blocks last: they win), else those of the functions
  // it was inlined into, out to the wasm function's.
  size_t depth = inline_depth, frames = scope_chain(frame.code_offset).size();
  for (; !found && depth < frames; depth++)
    for (Variable& x : frame_variables(frame, depth))
      if (x.name == root) {
        v = std::move(x);
        found = true;
      }
  if (!found)
    for (Variable& x : globals(frame.instance))
      if (x.name == root || x.name.ends_with("::" + root)) {
        v = std::move(x);
        found = true;
        break;
      }
  if (!found) return Error{ErrorKind::Usage, "no variable '" + root + "' here"};
  return follow_path(std::move(v), p, frame.instance);
}

Result<Variable> LlvmReader::follow_path(Variable v, PathReader& p, const InstanceState& instance) {
  while (!p.done()) {
    if (!v.available) return Error{ErrorKind::Usage, "'" + v.name + "' is " + v.value};
    std::string step;
    Result<Variable> next = Error{ErrorKind::Usage, ""};
    if (p.take("->")) {
      auto pointee = child_named(v, "*", instance);
      if (!pointee) return pointee.error();
      std::string field = p.name();
      if (field.empty()) return p.error("a field name after '->'");
      next = child_named(*pointee, field, instance);
    } else if (p.take(".")) {
      std::string field = p.name();
      if (field.empty()) return p.error("a field name after '.'");
      DWARFDie type = strip(die_at(v.ref->type));
      if (type && is_pointer(type)) {  // a Rust reference (or C pointer): through it
        auto pointee = child_named(v, "*", instance);
        if (!pointee) return pointee.error();
        v = std::move(*pointee);
      }
      next = child_named(v, field, instance);
    } else if (p.take("[")) {
      auto index = p.number();
      if (!index || !p.take("]")) return p.error("an index and ']'");
      next = element(v, *index, instance);
    } else {
      return p.error("'.', '->' or '['");
    }
    if (!next) return next.error();
    v = std::move(*next);
  }
  return v;
}

// A child by name: a field, or "*" for a pointer's pointee.
Result<Variable> LlvmReader::child_named(const Variable& v, std::string_view name,
                                         const InstanceState& instance) {
  DWARFDie type = die_at(v.ref->type);
  for (size_t i = 0; i < v.num_children; i++) {
    auto child = child_at(v, type, i, instance);
    if (!child) continue;
    if (child->name == name || (name == "*" && child->name.starts_with("*"))) return *child;
  }
  return Error{ErrorKind::Usage,
               "'" + v.name + "' (" + v.type + ") has no " +
                   (name == "*" ? "pointee" : "field '" + std::string(name) + "'")};
}

// v[index]: an array's element, or for a pointer the one `index` elements past it.
Result<Variable> LlvmReader::element(const Variable& v, uint64_t index,
                                     const InstanceState& instance) {
  DWARFDie type = strip(die_at(v.ref->type));
  if (type && type.getTag() == dw::DW_TAG_array_type) {
    if (index >= v.num_children)
      return Error{ErrorKind::Usage, "index " + std::to_string(index) + " is past the end of '" +
                                         v.name + "' (" + std::to_string(v.num_children) + ")"};
    auto child = child_at(v, die_at(v.ref->type), index, instance);
    if (child) return *child;
  }
  if (type && is_pointer(type) && v.scalar) {
    DWARFDie pointee = type_of(type);
    uint64_t address = uint32_t(v.scalar->bits) + index * type_size(pointee);
    return memory_variable(v.name + "[" + std::to_string(index) + "]", pointee, address, instance);
  }
  return Error{ErrorKind::Usage, "'" + v.name + "' (" + v.type + ") is not an array or pointer"};
}

Variable LlvmReader::memory_variable(std::string name, const DWARFDie& type, uint64_t address,
                                     const InstanceState& instance) {
  Evaluation e;
  Piece p;
  p.kind = Piece::Memory;
  p.address = address;
  e.pieces.push_back(p);
  return make_variable(std::move(name), type, e, instance);
}

// --- writes --------------------------------------------------------------------------------

Result<WritePlan> LlvmReader::plan_write(const Variable& v, std::string_view text) {
  const VarRef& ref = *v.ref;
  DWARFDie type = die_at(ref.type);
  auto bytes = encode_value(type, text);
  if (!bytes) return bytes.error();
  WritePlan plan;
  if (ref.address) {
    plan.kind = WritePlan::Memory;
    plan.address = *ref.address;
    plan.bytes = std::move(*bytes);
    return plan;
  }
  if (ref.wasm_kind < 0)
    return Error{ErrorKind::Usage, "'" + v.name +
                                       "' cannot be written: the optimized code computes its "
                                       "value where it is used and keeps it nowhere"};
  uint64_t bits = 0;
  std::memcpy(&bits, bytes->data(), std::min<size_t>(bytes->size(), 8));
  if (bytes->size() < 8 && is_signed(type)) {  // sign-extend, as the wasm code holds it
    unsigned shift = unsigned(64 - 8 * bytes->size());
    bits = uint64_t(int64_t(bits << shift) >> shift);
  }
  if (ref.wasm_type == ValType::I32 || ref.wasm_type == ValType::F32) bits = uint32_t(bits);
  plan.kind = ref.wasm_kind == 0 ? WritePlan::Local : WritePlan::Global;
  plan.index = ref.wasm_index;
  plan.value = Value{ref.wasm_type, bits};
  return plan;
}

}  // namespace glint::detail
