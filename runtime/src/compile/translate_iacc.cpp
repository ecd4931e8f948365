// The integer accumulator's tables for the translator (execute/iacc_iops.def, runtime/DESIGN.md
// "The integer accumulator"): which instructions leave their result in the register, and the
// forms that read it.
#include <array>
#include <utility>
#include <vector>

#include "compile/func_compiler.h"

namespace glint::detail {

// Exactly the instructions whose handlers set the register (SET_IACC in execute/): the i32
// arithmetic, bitwise and shift operators, the fused address and bit field operators, every
// load (i32 and i64; float values are never an integer operator's operand) and the integer
// operators with a memory operand. Not the compares, eqz, division or the i64 operators.
bool leaves_int_accumulator(IOp o) {
  static const auto table = [] {
    std::array<bool, size_t(IOp::Count)> t{};
    for (IOp f : {IOp::I32Add_ss, IOp::I32Sub_ss, IOp::I32Mul_ss, IOp::I32And_ss, IOp::I32Or_ss,
                  IOp::I32Xor_ss, IOp::I32Shl_ss, IOp::I32ShrS_ss, IOp::I32ShrU_ss, IOp::I32Rotl_ss,
                  IOp::I32Rotr_ss})
      t[size_t(f)] = t[size_t(f) + 1] = true;  // _ss and _si
    for (IOp f : {IOp::I32Add_sr, IOp::I32Inc2, IOp::I32Add2_si, IOp::I32Sub_is, IOp::I32Shl_is,
                  IOp::I32AddShl, IOp::I32ShlAdd, IOp::I32ShrAnd, IOp::I32XorShl, IOp::I32XorShrU})
      t[size_t(f)] = true;
    for (IOp f = IOp::I32Load; f <= IOp::I64Load32U_idx; f = IOp(uint16_t(f) + 1))
      t[size_t(f)] = f < IOp::F32Load || f > IOp::F64Load_idx;
    for (IOp f : {IOp::I32Load_tbl, IOp::I64Load_tbl, IOp::I32Load8S_tbl, IOp::I32Load8U_tbl,
                  IOp::I32Load16S_tbl, IOp::I32Load16U_tbl})
      t[size_t(f)] = true;
    for (IOp f : {IOp::I32Add_sm, IOp::I32Sub_sm, IOp::I32Mul_sm, IOp::I32And_sm, IOp::I32Or_sm,
                  IOp::I32Xor_sm, IOp::I64Add_sm, IOp::I64Sub_sm, IOp::I64Mul_sm, IOp::I64And_sm,
                  IOp::I64Or_sm, IOp::I64Xor_sm})
      t[size_t(f)] = true;
    for (IOp f = IOp::I32Add_sm8s; f <= IOp::I32Xor_sm16u; f = IOp(uint16_t(f) + 1))
      t[size_t(f)] = true;  // MEMNARROW: the six operators' four narrow forms, in a row
    return t;
  }();
  return table[size_t(o)];
}

// The reading forms of each slot form (execute/iacc_iops.def), one table per kind of operand
// the register stands for; Nop where the slot form has none.
namespace {
struct ReadingForms {
  std::array<IOp, size_t(IOp::Count)> first, second, value;
};
const ReadingForms& reading_forms() {
  static const ReadingForms forms = [] {
    ReadingForms f;
    f.first.fill(IOp::Nop);
    f.second.fill(IOp::Nop);
    f.value.fill(IOp::Nop);
#define IACC(acc, slot) f.first[size_t(IOp::slot)] = IOp::acc;
#define IACC_SECOND(acc, slot) f.second[size_t(IOp::slot)] = IOp::acc;
#define IACC_VALUE(acc, slot) f.value[size_t(IOp::slot)] = IOp::acc;
#include "execute/iacc_iops.def"
    return f;
  }();
  return forms;
}

// The cell (1-4) holding the slot each accumulator form reads from the register instead; 0 for
// every other instruction. The first operand is cell 2 after a destination (operators, loads)
// and cell 1 without one (branches, Return1, stores based on it); the second is cell 3
// (D S(a) S(b)); a store's value is the cell after its address cells.
const std::array<uint8_t, size_t(IOp::Count)>& accumulator_cells() {
  static const auto cells = [] {
    std::array<uint8_t, size_t(IOp::Count)> c{};
    auto has_destination = [](IOp slot) {
      return leaves_int_accumulator(slot) || slot == IOp::F32Load_add || slot == IOp::F64Load_add;
    };
    auto value_cell = [](IOp slot) {
      for (IOp plain : {IOp::I32Store, IOp::I32Store8, IOp::I32Store16, IOp::I64Store}) {
        if (slot == plain) return 2;                     // S(address) S(value) I(offset)
        if (slot == IOp(uint16_t(plain) + 1)) return 3;  // _add: S(base) A S(value)
      }
      return 4;  // _idx: S(base) S(index) A S(value)
    };
#define IACC(acc, slot) c[size_t(IOp::acc)] = has_destination(IOp::slot) ? 2 : 1;
#define IACC_SECOND(acc, slot) c[size_t(IOp::acc)] = 3;
#define IACC_VALUE(acc, slot) c[size_t(IOp::acc)] = value_cell(IOp::slot);
#include "execute/iacc_iops.def"
    // A reader that is itself a slotless producer reads where its slot form does.
#define SLOTLESS(slot) c[size_t(IOp::slot##_noslot)] = c[size_t(IOp::slot)];
#include "execute/slotless_iops.def"
    // A copy is no reader a slotless producer may precede (a br_if's values copied to its label
    // stay on the stack for the code after it), and its slot form sets the register itself.
    c[size_t(IOp::CopyI32_a)] = 0;
    // A select's compare reads the value as its first operand, after the two values: S(4).
    for (IOp o = IOp::SelectI32Eq_as; o <= IOp::SelectI32GtU_ai; o = IOp(uint16_t(o) + 1))
      c[size_t(o)] = 4;
    // call_indirect's element index: I(type id) I(table) S(index).
    c[size_t(IOp::CallIndirect_a)] = c[size_t(IOp::CallIndirectShort_a)] = 3;
    return c;
  }();
  return cells;
}
}  // namespace

IOp int_accumulator_form(IOp o) { return reading_forms().first[size_t(o)]; }
IOp int_accumulator_second_form(IOp o) { return reading_forms().second[size_t(o)]; }
IOp int_accumulator_value_form(IOp o) { return reading_forms().value[size_t(o)]; }

int int_accumulator_cell(IOp o) { return accumulator_cells()[size_t(o)]; }
const uint8_t* int_accumulator_cells() { return accumulator_cells().data(); }

int int_accumulator_cell(const void* op) {
  static const auto forms = [] {
    std::vector<std::pair<const void*, int>> f;
    for (size_t o = 0; o < size_t(IOp::Count); o++)
      if (int cell = int_accumulator_cell(IOp(o))) f.push_back({handler_table()[o], cell});
    return f;
  }();
  for (auto [handler, cell] : forms)
    if (handler == op) return cell;
  return 0;
}

const IOp* slotless_forms() {
  static const auto table = [] {
    std::array<IOp, size_t(IOp::Count)> t;
    t.fill(IOp::Nop);
#define SLOTLESS(slot) t[size_t(IOp::slot)] = IOp::slot##_noslot;
#include "execute/slotless_iops.def"
    return t;
  }();
  return table.data();
}

const void* without_int_accumulator(const void* op) {
  static const std::pair<IOp, IOp> forms[] = {
#define IACC(acc, slot) {IOp::acc, IOp::slot},
#include "execute/iacc_iops.def"
  };
  const void* const* h = handler_table();
  for (auto [acc, slot] : forms)
    if (h[size_t(acc)] == op) return h[size_t(slot)];
  return op;
}

}  // namespace glint::detail
