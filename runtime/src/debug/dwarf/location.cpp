// DWARF location expressions: LLVM decodes the operations (DWARFExpression, which knows
// DW_OP_WASM_location); this evaluates them on the DWARF stack machine against a stopped
// frame. Wasm code uses a small part of the language: a local, global or operand stack entry
// (DW_OP_WASM_location), an address in linear memory (DW_OP_addr, DW_OP_fbreg over the frame
// base), constants, arithmetic, and pieces.
#include "debug/dwarf/location.h"

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFExpression.h>

#include <cstring>

namespace glint::detail {

namespace dw = llvm::dwarf;

namespace {

// The wasm value a DW_OP_WASM_location names, if available at this stop.
std::optional<Value> wasm_location(uint64_t kind, uint64_t index, const EvalContext& ctx,
                                   std::string& why) {
  const FrameState* f = ctx.frame;
  switch (kind) {
    case 0:  // local
    case 4:  // local holding the value's address
      if (!f || !f->locals || index >= f->locals->size()) break;
      if ((*f->dead)[index]) {
        why = "<not available>";
        return std::nullopt;
      }
      return (*f->locals)[index];
    case 1:  // global (absolute index)
    case 3:  // global (relocated index, u32)
      if (ctx.instance && ctx.instance->global) return ctx.instance->global(uint32_t(index));
      break;
    case 2:  // operand stack, from its bottom
      if (!f || !f->stack || index >= f->stack->size()) {
        why = "<not available>";  // the stack is not shown at this stop
        return std::nullopt;
      }
      return (*f->stack)[index];
  }
  why = "<not available: no wasm location " + std::to_string(kind) + " " + std::to_string(index) +
        ">";
  return std::nullopt;
}

bool read_memory(const InstanceState& in, uint64_t address, void* out, uint64_t n) {
  if (!in.memory || address > in.memory_size || n > in.memory_size - address) return false;
  std::memcpy(out, in.memory + address, n);
  return true;
}

// Two operands off the stack, the result back on: false if there are not two.
template <class F>
bool binary(std::vector<uint64_t>& s, F&& f) {
  if (s.size() < 2) return false;
  uint64_t b = s.back();
  s.pop_back();
  s.back() = f(s.back(), b);
  return true;
}

}  // namespace

Evaluation evaluate(llvm::ArrayRef<uint8_t> expression, const EvalContext& ctx) {
  Evaluation e;
  if (expression.empty()) {
    e.why = "<optimized out>";
    return e;
  }
  llvm::DataExtractor data(llvm::toStringRef(expression), true, 4);
  llvm::DWARFExpression expr(data, 4);
  std::vector<uint64_t> stack;
  bool is_value = false;                // DW_OP_stack_value: the top is the value, not where
  std::optional<Piece> register_piece;  // a whole wasm local or global: where a write goes
  auto fail = [&](std::string why) {
    e.pieces.clear();
    e.why = std::move(why);
    return e;
  };
  auto end_piece = [&](uint64_t size) {
    Piece p;
    p.size = size;
    if (register_piece && stack.size() == 1) {
      p = *register_piece;
      p.size = size;
    } else if (stack.empty()) {
      p.kind = Piece::Missing;
    } else if (is_value) {
      p.kind = Piece::Value;
      p.value = stack.back();
    } else {
      p.kind = Piece::Memory;
      p.address = stack.back();
    }
    e.pieces.push_back(std::move(p));
    stack.clear();
    is_value = false;
    register_piece.reset();
  };
  for (const auto& op : expr) {
    if (op.isError()) return fail("<not available: malformed DWARF expression>");
    uint8_t code = op.getCode();
    uint64_t a = op.getRawOperand(0), b = op.getRawOperand(1);
    bool ok = true;
    if (code >= dw::DW_OP_lit0 && code <= dw::DW_OP_lit31) {
      stack.push_back(code - dw::DW_OP_lit0);
      continue;
    }
    switch (code) {
      case dw::DW_OP_addr:
      case dw::DW_OP_const1u:
      case dw::DW_OP_const2u:
      case dw::DW_OP_const4u:
      case dw::DW_OP_const8u:
      case dw::DW_OP_constu:
      case dw::DW_OP_const1s:
      case dw::DW_OP_const2s:
      case dw::DW_OP_const4s:
      case dw::DW_OP_const8s:
      case dw::DW_OP_consts:
        stack.push_back(a);
        break;
      case dw::DW_OP_WASM_location: {
        std::string why;
        auto v = wasm_location(a, b, ctx, why);
        if (!v) return fail(why);
        stack.push_back(v->bits);
        if (a != 4 && a != 2) {  // a local or global holds the value: a write can go there
          Piece p;
          p.kind = Piece::Value;
          p.value = v->bits;
          p.wasm_kind = a == 0 ? 0 : 1;
          p.wasm_index = uint32_t(b);
          p.wasm_type = v->type;
          register_piece = p;
        }
        break;
      }
      case dw::DW_OP_fbreg:
        if (!ctx.frame_base) return fail("<not available: no frame base>");
        stack.push_back(*ctx.frame_base + a);
        break;
      case dw::DW_OP_stack_value:
        is_value = true;
        break;
      case dw::DW_OP_piece:
        end_piece(a);
        break;
      case dw::DW_OP_implicit_value: {
        Piece p;
        p.kind = Piece::Bytes;
        p.size = a;
        if (b + a > expression.size()) return fail("<not available: malformed DWARF expression>");
        p.bytes.assign(expression.begin() + b, expression.begin() + b + a);
        e.pieces.push_back(std::move(p));
        stack.clear();
        break;
      }
      case dw::DW_OP_deref:
      case dw::DW_OP_deref_size: {
        uint64_t n = code == dw::DW_OP_deref ? 4 : a, v = 0;
        if (stack.empty() || n > 8 || !read_memory(*ctx.instance, stack.back(), &v, n))
          return fail("<not available: reads outside memory>");
        stack.back() = v;
        break;
      }
      case dw::DW_OP_dup:
        ok = !stack.empty();
        if (ok) stack.push_back(stack.back());
        break;
      case dw::DW_OP_drop:
        ok = !stack.empty();
        if (ok) stack.pop_back();
        break;
      case dw::DW_OP_over:
        ok = stack.size() >= 2;
        if (ok) stack.push_back(stack[stack.size() - 2]);
        break;
      case dw::DW_OP_swap:
        ok = stack.size() >= 2;
        if (ok) std::swap(stack.back(), stack[stack.size() - 2]);
        break;
      case dw::DW_OP_plus_uconst:
        ok = !stack.empty();
        if (ok) stack.back() += a;
        break;
      case dw::DW_OP_neg:
        ok = !stack.empty();
        if (ok) stack.back() = -stack.back();
        break;
      case dw::DW_OP_not:
        ok = !stack.empty();
        if (ok) stack.back() = ~stack.back();
        break;
      case dw::DW_OP_plus:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x + y; });
        break;
      case dw::DW_OP_minus:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x - y; });
        break;
      case dw::DW_OP_mul:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x * y; });
        break;
      case dw::DW_OP_and:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x & y; });
        break;
      case dw::DW_OP_or:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x | y; });
        break;
      case dw::DW_OP_xor:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return x ^ y; });
        break;
      case dw::DW_OP_shl:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return y < 64 ? x << y : 0; });
        break;
      case dw::DW_OP_shr:
        ok = binary(stack, [](uint64_t x, uint64_t y) { return y < 64 ? x >> y : 0; });
        break;
      case dw::DW_OP_shra:
        ok = binary(stack, [](uint64_t x, uint64_t y) {
          return uint64_t(int64_t(x) >> (y < 63 ? y : 63));
        });
        break;
      case dw::DW_OP_nop:
        break;
      default:
        return fail("<not available: unsupported DWARF operation " +
                    std::string(dw::OperationEncodingString(code)) + ">");
    }
    if (!ok) return fail("<not available: malformed DWARF expression>");
    if (code != dw::DW_OP_WASM_location && code != dw::DW_OP_stack_value) register_piece.reset();
  }
  if (e.pieces.empty() || !stack.empty()) end_piece(0);
  if (e.pieces.size() == 1 && e.pieces[0].kind == Piece::Missing) e.why = "<optimized out>";
  return e;
}

void assemble(const Evaluation& e, uint64_t size, const InstanceState& instance,
              std::vector<uint8_t>& bytes, std::vector<uint8_t>& known) {
  bytes.assign(size, 0);
  known.assign(size, 0);
  uint64_t at = 0;
  for (const Piece& p : e.pieces) {
    uint64_t n = p.size ? p.size : size - at;
    n = std::min(n, size - at);
    switch (p.kind) {
      case Piece::Memory:
        if (read_memory(instance, p.address, bytes.data() + at, n))
          std::fill_n(known.begin() + ptrdiff_t(at), n, 1);
        break;
      case Piece::Value:
        for (uint64_t i = 0; i < n && i < 8; i++) {
          bytes[at + i] = uint8_t(p.value >> (8 * i));
          known[at + i] = 1;
        }
        break;
      case Piece::Bytes:
        for (uint64_t i = 0; i < n && i < p.bytes.size(); i++) {
          bytes[at + i] = p.bytes[i];
          known[at + i] = 1;
        }
        break;
      case Piece::Missing:
        break;
    }
    at += n;
    if (at >= size) break;
  }
}

}  // namespace glint::detail
