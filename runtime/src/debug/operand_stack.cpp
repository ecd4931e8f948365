// The wasm operand stack at a debug stop.
//
// Translated code has no operand stack: the translator resolved it into frame slots, and left
// some operands lazy (a local, a constant, a local plus a constant) for the instruction that
// uses them to read directly. What each stack entry is, and where it lives, is the
// translator's state at that point. So a stop translates its function again, exactly as the
// loader did, and takes that state at the wasm instruction it stopped at, when the code
// emitted so far ends where the stop is: everything before the stop has run, nothing after.
//
// That holds unless the translator later rewrote code before the stop (a fusion takes back an
// instruction that was already emitted and merges it with a later one): then the entries may
// name values that code never computed, and the stack is not shown (has_stack stays false).
// The wasm types come from the validator, which drives the translation.
#include "debug/operand_stack.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "compile/func_compiler.h"
#include "glint/glint.h"
#include "validate/validator.h"

namespace glint::detail {

class OperandProbe final : public BodyListener {
 public:
  OperandProbe(const ModuleDesc& m, CompiledModule& scratch, size_t code_index,
               uint32_t wasm_offset)
      : m_(m), fc_(m, scratch), code_index_(code_index), wasm_offset_(wasm_offset) {}

  void begin_body(uint32_t defined_index) override { fc_.begin_body(defined_index); }
  void instr(const Instr& in) override {
    fc_.operand_types = operand_types;  // the translator reads them as when loading
    fc_.operand_depth = operand_depth;
    if (!captured_ && in.offset == wasm_offset_ && fc_.here() == code_index_) {
      captured_ = true;
      if (in.op == Op::Call) call_operands_ = m_.func_type(in.a).params.size();
      if (in.op == Op::CallIndirect) call_operands_ = m_.types[in.a].params.size() + 1;
      entries_.assign(fc_.stack_.begin(), fc_.stack_.end());
      for (uint32_t i = 0; i < fc_.height(); i++) homes_.push_back(fc_.home(i));
      entry_types_ = types_before_;
      v128_consts_ = fc_.v128_consts_;
      fc_.lowest_rewrite_ = SIZE_MAX;
    }
    fc_.instr(in);
    types_before_.assign(operand_types->begin(),
                         operand_types->begin() + ptrdiff_t(*operand_depth));
  }
  void end_body() override { fc_.end_body(); }

  // The stack read from the frame's slots, or false if the state taken does not hold there.
  // A caller's frame is in a call: its stack is what lies below the call's operands (the
  // callee's frame begins at their slots, so it leaves the entries below alone).
  bool read(const uint64_t* fp, bool caller, std::vector<Value>& out) const {
    if (!captured_ || fc_.lowest_rewrite_ < code_index_ || entries_.size() != entry_types_.size())
      return false;
    size_t n = entries_.size();
    if (caller) {
      if (call_operands_ == SIZE_MAX || call_operands_ > n) return false;
      n -= call_operands_;
    }
    for (size_t i = 0; i < n; i++) {
      const Operand& o = entries_[i];
      uint64_t bits = 0, hi = 0;
      switch (o.kind) {
        case Operand::Stack:
        case Operand::Local: {
          const uint64_t* at = fp + (o.kind == Operand::Stack ? homes_[i] : o.local);
          bits = at[0];
          hi = o.wide ? at[1] : 0;
          break;
        }
        case Operand::Const:
          bits = o.wide ? v128_consts_[o.bits][0] : o.bits;
          hi = o.wide ? v128_consts_[o.bits][1] : 0;
          break;
        case Operand::LocalPlus:
          bits = uint32_t(fp[o.local] + o.bits);
          break;
      }
      out.push_back({entry_types_[i], bits, hi});
    }
    return true;
  }

 private:
  const ModuleDesc& m_;
  FuncCompiler fc_;
  size_t code_index_;
  uint32_t wasm_offset_;
  bool captured_ = false;
  std::vector<Operand> entries_;
  std::vector<ValType> entry_types_, types_before_;
  std::vector<std::array<uint64_t, 2>> v128_consts_;
  std::vector<uint32_t> homes_;
  size_t call_operands_ = SIZE_MAX;  // the instruction at the stop is a call taking this many
};

void frame_operand_stack(const Frame& f, const Cell* at, bool caller, DebugFrame& df) {
  if (caller) {  // `at` is inside the call instruction: start from its first cell
    auto& offsets = f.func->offsets;
    uint32_t index = uint32_t(at - f.func->code.data());
    auto it = std::upper_bound(offsets.begin(), offsets.end(), index,
                               [](uint32_t i, const OffsetEntry& e) { return i < e.code_index; });
    if (it == offsets.begin()) return;
    at = f.func->code.data() + std::prev(it)->code_index;
  }
  const Module& module = f.inst->module();
  const ModuleDesc& desc = module.desc();
  uint32_t defined = f.func->func_index - desc.num_imported_funcs;
  CompiledModule scratch;
  scratch.funcs.resize(desc.bodies.size());
  scratch.type_ids = module.compiled().type_ids;
  OperandProbe probe(desc, scratch, size_t(at - f.func->code.data()), f.func->wasm_offset_at(at));
  try {
    bool first = true;
    ModuleValidation(desc).bodies(
        [&](uint32_t& begin, uint32_t& end) {
          begin = defined;
          end = defined + 1;
          return std::exchange(first, false);
        },
        &probe);
  } catch (const std::exception&) {
    return;  // the module was valid when it loaded: not expected
  }
  std::vector<Value> stack;
  if (!probe.read(f.fp, caller, stack)) return;
  df.stack = std::move(stack);
  df.has_stack = true;
}

}  // namespace glint::detail
