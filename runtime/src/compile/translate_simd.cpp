// The translator's SIMD instructions (execute/simd_iops.def) and v128 values: a v128 takes two
// adjacent slots, as a local and as a stack entry (each entry's home slot follows the ones
// below it, see FuncCompiler::push), so a v128 operand is one slot cell and scalar code
// keeps its slots as they were.
#include <cstring>
#include <string_view>

#include "compile/compiler.h"
#include "compile/func_compiler.h"
#include "execute/cpu.h"

namespace glint::detail {

namespace {

// The internal instruction of each SIMD opcode that maps to one of its own name, or to the
// one that computes the same (relaxed SIMD's deterministic choices, f32 and f64 lanes moved
// as i32 and i64); Nop for the others (v128.const, which stays lazy).
const std::array<IOp, kFdLimit>& simd_iops() {
  static const auto table = [] {
    std::array<IOp, kFdLimit> t{};
    auto set = [&t](Op op, IOp o) { t[uint16_t(op) - 0x200] = o; };
#define VOP(n)
#define VLOAD(n, bytes) set(Op::n, IOp::n);
#define VUN(n) set(Op::n, IOp::n);
#define VBIN(n) set(Op::n, IOp::n);
#define VTERN(n) set(Op::n, IOp::n);
#define VTEST(n) set(Op::n, IOp::n);
#define VSHIFT(n) set(Op::n, IOp::n);
#define VSPLAT(n) set(Op::n, IOp::n);
#include "execute/simd_iops.def"
    set(Op::V128Store, IOp::V128Store);
    set(Op::I8x16Shuffle, IOp::I8x16Shuffle);
    set(Op::I8x16ExtractLaneS, IOp::I8x16ExtractLaneS);
    set(Op::I8x16ExtractLaneU, IOp::I8x16ExtractLaneU);
    set(Op::I16x8ExtractLaneS, IOp::I16x8ExtractLaneS);
    set(Op::I16x8ExtractLaneU, IOp::I16x8ExtractLaneU);
    set(Op::I32x4ExtractLane, IOp::I32x4ExtractLane);
    set(Op::I64x2ExtractLane, IOp::I64x2ExtractLane);
    set(Op::F32x4ExtractLane, IOp::I32x4ExtractLane);
    set(Op::F64x2ExtractLane, IOp::I64x2ExtractLane);
    set(Op::I8x16ReplaceLane, IOp::I8x16ReplaceLane);
    set(Op::I16x8ReplaceLane, IOp::I16x8ReplaceLane);
    set(Op::I32x4ReplaceLane, IOp::I32x4ReplaceLane);
    set(Op::I64x2ReplaceLane, IOp::I64x2ReplaceLane);
    set(Op::F32x4ReplaceLane, IOp::I32x4ReplaceLane);
    set(Op::F64x2ReplaceLane, IOp::I64x2ReplaceLane);
    set(Op::V128Load8Lane, IOp::V128Load8Lane);
    set(Op::V128Load16Lane, IOp::V128Load16Lane);
    set(Op::V128Load32Lane, IOp::V128Load32Lane);
    set(Op::V128Load64Lane, IOp::V128Load64Lane);
    set(Op::V128Store8Lane, IOp::V128Store8Lane);
    set(Op::V128Store16Lane, IOp::V128Store16Lane);
    set(Op::V128Store32Lane, IOp::V128Store32Lane);
    set(Op::V128Store64Lane, IOp::V128Store64Lane);
    // Relaxed SIMD: the deterministic choice is the non-relaxed instruction where there is one
    // (runtime/DESIGN.md, "Relaxed SIMD").
    set(Op::I8x16RelaxedSwizzle, IOp::I8x16Swizzle);
    set(Op::I32x4RelaxedTruncF32x4S, IOp::I32x4TruncSatF32x4S);
    set(Op::I32x4RelaxedTruncF32x4U, IOp::I32x4TruncSatF32x4U);
    set(Op::I32x4RelaxedTruncF64x2SZero, IOp::I32x4TruncSatF64x2SZero);
    set(Op::I32x4RelaxedTruncF64x2UZero, IOp::I32x4TruncSatF64x2UZero);
    for (Op op : {Op::I8x16RelaxedLaneselect, Op::I16x8RelaxedLaneselect,
                  Op::I32x4RelaxedLaneselect, Op::I64x2RelaxedLaneselect})
      set(op, IOp::V128Bitselect);
    set(Op::F32x4RelaxedMin, IOp::F32x4Min);
    set(Op::F32x4RelaxedMax, IOp::F32x4Max);
    set(Op::F64x2RelaxedMin, IOp::F64x2Min);
    set(Op::F64x2RelaxedMax, IOp::F64x2Max);
    set(Op::I16x8RelaxedQ15mulrS, IOp::I16x8Q15mulrSatS);
    return t;
  }();
  return table;
}

// The 16 bytes of a replace_lane's or a lane load's mask: all ones over lane `lane` of
// `size` bytes.
std::array<uint64_t, 2> lane_mask(uint32_t lane, uint32_t size) {
  uint8_t bytes[16] = {};
  std::memset(bytes + lane * size, 0xFF, size);
  std::array<uint64_t, 2> m;
  std::memcpy(m.data(), bytes, 16);
  return m;
}

// The bytes a lane instruction's lanes have: 16 / lanes.
uint32_t lane_size(const OpInfo& info) { return info.imm == Imm::MemLane ? info.n : 16u / info.n; }

// A splat of a constant, as the v128 constant it makes.
std::array<uint64_t, 2> splat_constant(Op op, uint64_t x) {
  uint8_t bytes[16];
  uint32_t size = op == Op::I8x16Splat                           ? 1
                  : op == Op::I16x8Splat                         ? 2
                  : op == Op::I32x4Splat || op == Op::F32x4Splat ? 4
                                                                 : 8;
  for (uint32_t i = 0; i < 16; i += size) std::memcpy(bytes + i, &x, size);
  std::array<uint64_t, 2> v;
  std::memcpy(v.data(), bytes, 16);
  return v;
}

}  // namespace

void FuncCompiler::need_simd(size_t offset) {
  if (!cpu_features().sse41)
    throw UnsupportedError(
        "the module uses SIMD (v128), which needs a CPU with SSE4.1; this one has none", offset);
}

void FuncCompiler::emit_v128_move(uint32_t dst, const Operand& o, uint32_t at) {
  if (o.kind == Operand::Const) {
    op(IOp::V128Const);
    slot(dst);
    cell(v128_consts_[o.bits][0]);
    cell(v128_consts_[o.bits][1]);
  } else {
    op(IOp::V128Copy);
    slot(dst);
    slot(o.kind == Operand::Local ? o.local : at);
  }
  last_ = LastOp{};
}

// An instruction of three operands in slots and a result: D S S S.
void FuncCompiler::ternary(IOp o) {
  uint32_t h = height();
  uint32_t a = slot_of(h - 3), b = slot_of(h - 2), c = slot_of(h - 1);
  size_t start = here();
  op(o);
  emit_result_dst(h - 3);
  slot(a);
  slot(b);
  slot(c);
  pop(3);
  push_stack();
  finish_value_op(start, o);
}

void FuncCompiler::simd(const Instr& in) {
  need_simd(in.offset);
  const OpInfo& info = kOpTable[uint16_t(in.op)];
  const std::string_view sig = info.sig;
  IOp o = simd_iops()[uint16_t(in.op) - 0x200];
  uint32_t h = height();
  size_t start = here();
  switch (info.imm) {
    case Imm::V128:
      push_v128_const(in.imm, in.imm_hi());
      return;
    case Imm::Shuffle: {  // the lane indices split into a pshufb mask for each operand
      uint8_t lanes[16], mask_a[16], mask_b[16];
      std::memcpy(lanes, &in.imm, 8);
      uint64_t hi = in.imm_hi();
      std::memcpy(lanes + 8, &hi, 8);
      for (int i = 0; i < 16; i++) {
        mask_a[i] = lanes[i] < 16 ? lanes[i] : 0x80;
        mask_b[i] = lanes[i] >= 16 ? uint8_t(lanes[i] - 16) : 0x80;
      }
      uint32_t a = slot_of(h - 2), b = slot_of(h - 1);
      start = here();
      op(o);
      emit_result_dst(h - 2);
      slot(a);
      slot(b);
      for (const uint8_t* m : {mask_a, mask_b})
        for (int half = 0; half < 2; half++) {
          uint64_t c;
          std::memcpy(&c, m + 8 * half, 8);
          cell(c);
        }
      finish_binary(start, o);
      return;
    }
    case Imm::Mem:
      if (sig == "iv>")
        simd_store(in.imm);
      else
        simd_load(o, in.imm);
      return;
    case Imm::MemLane: {
      uint32_t size = lane_size(info);
      uint32_t a = slot_of(h - 2), v = slot_of(h - 1);
      if (sig == "iv>") {  // store a lane
        op(o);
        slot(a);
        slot(v);
        cell(in.imm);
        cell(in.lane * size);
        pop(2);
        last_ = LastOp{};
        return;
      }
      start = here();
      op(o);
      emit_result_dst(h - 2);
      slot(a);
      slot(v);
      cell(in.imm);
      for (uint64_t c : lane_mask(in.lane, size)) cell(c);
      finish_binary(start, o);
      return;
    }
    case Imm::Lane: {
      uint32_t size = lane_size(info);
      if (sig[0] == 'v' && sig[1] == '>') {  // extract: from a constant, a constant
        const Operand& v = stack_[h - 1];
        if (v.kind == Operand::Const) {
          uint8_t bytes[16];
          std::memcpy(bytes, v128_consts_[v.bits].data(), 16);
          uint64_t x = 0;
          std::memcpy(&x, bytes + in.lane * size, size);
          if (in.op == Op::I8x16ExtractLaneS) x = uint32_t(int32_t(int8_t(x)));
          if (in.op == Op::I16x8ExtractLaneS) x = uint32_t(int32_t(int16_t(x)));
          pop();
          push_const(x);
          return;
        }
        uint32_t a = slot_of(h - 1);
        start = here();
        op(o);
        emit_result_dst(h - 1);
        slot(a);
        cell(in.lane * size);
        pop();
        push_stack();
        finish_value_op(start, o);
        return;
      }
      uint32_t v = slot_of(h - 2), x = slot_of(h - 1);  // replace
      start = here();
      op(o);
      emit_result_dst(h - 2);
      slot(v);
      slot(x);
      for (uint64_t c : lane_mask(in.lane, size)) cell(c);
      finish_binary(start, o);
      return;
    }
    default:
      break;
  }
  auto unary = [&] {  // one operand in, one value out
    uint32_t a = slot_of(h - 1);
    start = here();
    op(o);
    emit_result_dst(h - 1);
    slot(a);
    pop();
    push_stack();
    finish_value_op(start, o);
  };
  if (sig == "v>v" || sig == "v>i") {
    unary();
  } else if (sig == "vv>v") {
    uint32_t a = slot_of(h - 2), b = slot_of(h - 1);
    start = here();
    op(o);
    emit_result_dst(h - 2);
    slot(a);
    slot(b);
    finish_binary(start, o);
  } else if (sig == "vvv>v") {
    ternary(o);
  } else if (sig == "vi>v") {  // a shift: a constant count is an immediate (_si)
    const Operand& n = stack_[h - 1];
    bool imm = n.kind == Operand::Const;
    uint32_t a = slot_of(h - 2);
    uint64_t count = imm ? n.bits : slot_of(h - 1);
    IOp form = imm ? IOp(uint16_t(o) + 1) : o;
    start = here();
    op(form);
    emit_result_dst(h - 2);
    slot(a);
    cell(count);
    finish_binary(start, form);
  } else {  // a splat: of a constant, a v128 constant
    const Operand& x = stack_[h - 1];
    if (x.kind == Operand::Const) {
      std::array<uint64_t, 2> v = splat_constant(in.op, x.bits);
      pop();
      push_v128_const(v[0], v[1]);
      return;
    }
    unary();
  }
}

// A load that makes a v128 takes a lazy address (a local plus a constant) or an addition of
// a constant just emitted as its _add form, as scalar loads do.
void FuncCompiler::simd_load(IOp o, uint64_t offset) {
  uint32_t h = height() - 1;
  size_t start = here();
  IOp form = IOp(uint16_t(o) + 1);
  uint64_t base, add;
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    op(form);
    emit_result_dst(h);
    slot(uint32_t(base));
    address_cell(add, offset);
  } else if (fresh(h) && last_.op == IOp::I32Add_si) {
    start = last_.start;
    LastOp sum = unemit_last();
    op(form);
    emit_result_dst(h);
    slot(uint32_t(sum.a));
    address_cell(sum.b, offset);
  } else {
    form = o;
    uint32_t a = slot_of(h);
    start = here();
    op(o);
    emit_result_dst(h);
    slot(a);
    cell(offset);
  }
  pop();
  push_stack();
  finish_value_op(start, form);
}

void FuncCompiler::simd_store(uint64_t offset) {
  uint32_t h = height() - 2;
  uint64_t base, add;
  if (lazy_address(stack_[h], zero_slot(), base, add)) {
    uint32_t v = slot_of(h + 1);  // may materialize: before the instruction
    op(IOp::V128Store_add);
    slot(uint32_t(base));
    address_cell(add, offset);
    slot(v);
  } else {
    uint32_t a = slot_of(h), v = slot_of(h + 1);
    op(IOp::V128Store);
    slot(a);
    slot(v);
    cell(offset);
  }
  pop(2);
  last_ = LastOp{};
}

}  // namespace glint::detail
