// Stepping instruction by instruction (DebugAction::StepInto) through code whose operands the
// translator keeps lazy and whose instructions it fuses, checked against a reference run of the
// same wasm (a small interpreter below, for the instructions of wat/stepping.wat): each stop is
// at the start of a wasm instruction, the stops follow the instructions the wasm executes, each
// instruction with code once each time it runs (none twice in a row, none skipped), and each
// stop shows the operand stack and the locals as they are before that instruction.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compile/code.h"
#include "decode/instr.h"
#include "decode/module.h"
#include "glint/debug.h"
#include "glint/disassembly.h"
#include "glint/glint.h"
#include "handler_count.h"
#include "support.h"

using namespace glint;

namespace {

using detail::Instr;
using detail::Op;

// The wasm state before one instruction ran.
struct RefStep {
  uint32_t offset = 0;
  std::vector<Value> stack, locals;
};

double as_f64(const Value& v) { return v.as_f64(); }

// Runs a function of the instructions wat/stepping.wat uses (i32 and f64, blocks without values),
// recording each instruction that runs. A branch leaves its block past the `end`, and the end
// of a then-arm goes past the if's `end`: an `end` is recorded where the code falls into it.
class Reference {
 public:
  Reference(std::vector<Instr> code, std::vector<Value> locals, std::vector<uint8_t> memory)
      : code_(std::move(code)), locals_(std::move(locals)), mem_(std::move(memory)) {
    std::vector<size_t> open;
    for (size_t i = 0; i < code_.size(); i++) {
      Op op = code_[i].op;
      if (op == Op::Block || op == Op::Loop || op == Op::If) open.push_back(i);
      if (op == Op::Else) else_[open.back()] = i;
      if (op == Op::End && !open.empty()) {
        end_[open.back()] = i;
        open.pop_back();
      }
    }
  }

  std::vector<RefStep> run() {
    std::vector<RefStep> trace;
    size_t pc = 0;
    for (;;) {
      REQUIRE(pc < code_.size());
      const Instr& in = code_[pc];
      trace.push_back({in.offset, stack_, locals_});
      REQUIRE(trace.size() < 100000);
      pc++;
      switch (in.op) {
        case Op::Block:
        case Op::Loop:
          ctrl_.push_back({pc - 1, stack_.size()});
          break;
        case Op::If: {
          uint32_t c = pop_i32();
          ctrl_.push_back({pc - 1, stack_.size()});
          if (c) break;
          auto e = else_.find(pc - 1);
          pc = e != else_.end() ? e->second + 1 : end_.at(pc - 1);
          break;
        }
        case Op::Else:  // the then-arm is done
          pc = end_.at(ctrl_.back().at) + 1;
          ctrl_.pop_back();
          break;
        case Op::End:
          if (ctrl_.empty()) return trace;
          ctrl_.pop_back();
          break;
        case Op::Br:
          pc = branch(in.a);
          break;
        case Op::BrIf:
          if (pop_i32()) pc = branch(in.a);
          break;
        case Op::LocalGet:
          stack_.push_back(locals_.at(in.a));
          break;
        case Op::LocalSet:
          locals_.at(in.a) = pop();
          break;
        case Op::LocalTee:
          locals_.at(in.a) = stack_.back();
          break;
        case Op::I32Const:
          stack_.push_back(Value::i32(int32_t(in.imm)));
          break;
        case Op::F64Const:
          stack_.push_back(Value::f64_bits(in.imm));
          break;
        case Op::Drop:
          pop();
          break;
        case Op::Select: {
          uint32_t c = pop_i32();
          Value b = pop(), a = pop();
          stack_.push_back(c ? a : b);
          break;
        }
        case Op::I32Load:
        case Op::F64Load: {
          bool wide = in.op == Op::F64Load;
          uint64_t v = 0;
          uint64_t ea = uint64_t(pop_i32()) + in.imm;
          REQUIRE(ea + (wide ? 8 : 4) <= mem_.size());
          std::memcpy(&v, mem_.data() + ea, wide ? 8 : 4);
          stack_.push_back(wide ? Value::f64_bits(v) : Value::i32(int32_t(v)));
          break;
        }
        case Op::I32Store:
        case Op::F64Store: {
          Value v = pop();
          uint64_t ea = uint64_t(pop_i32()) + in.imm;
          size_t n = in.op == Op::F64Store ? 8 : 4;
          REQUIRE(ea + n <= mem_.size());
          std::memcpy(mem_.data() + ea, &v.bits, n);
          break;
        }
        case Op::I32Eqz:
          stack_.push_back(Value::i32(pop_i32() == 0));
          break;
        case Op::F64Sqrt:
          stack_.push_back(Value::f64(std::sqrt(as_f64(pop()))));
          break;
        case Op::I32TruncF64S: {
          double d = as_f64(pop());
          REQUIRE((d > -2147483649.0 && d < 2147483648.0));
          stack_.push_back(Value::i32(int32_t(d)));
          break;
        }
        default: {
          Value b = pop(), a = pop();
          stack_.push_back(
              a.type == ValType::F64
                  ? binary_f64(in.op, as_f64(a), as_f64(b))
                  : Value::i32(int32_t(binary(in.op, uint32_t(a.bits), uint32_t(b.bits)))));
          break;
        }
      }
    }
  }

 private:
  struct Control {
    size_t at = 0;  // the block, loop or if
    size_t height = 0;
  };
  Value pop() {
    REQUIRE(!stack_.empty());
    Value v = stack_.back();
    stack_.pop_back();
    return v;
  }
  uint32_t pop_i32() {
    Value v = pop();
    REQUIRE(v.type == ValType::I32);
    return uint32_t(v.bits);
  }
  size_t branch(uint32_t depth) {
    REQUIRE(depth < ctrl_.size());  // (no branch to the function's end here)
    Control target = ctrl_[ctrl_.size() - 1 - depth];
    stack_.resize(target.height);  // blocks without values
    if (code_[target.at].op == Op::Loop) {
      ctrl_.resize(ctrl_.size() - depth);
      return target.at + 1;
    }
    ctrl_.resize(ctrl_.size() - 1 - depth);
    return end_.at(target.at) + 1;
  }
  static uint32_t binary(Op op, uint32_t a, uint32_t b) {
    switch (op) {
      case Op::I32Add:
        return a + b;
      case Op::I32Sub:
        return a - b;
      case Op::I32Mul:
        return a * b;
      case Op::I32And:
        return a & b;
      case Op::I32Or:
        return a | b;
      case Op::I32Xor:
        return a ^ b;
      case Op::I32Shl:
        return a << (b & 31);
      case Op::I32ShrU:
        return a >> (b & 31);
      case Op::I32LtS:
        return int32_t(a) < int32_t(b);
      case Op::I32LtU:
        return a < b;
      case Op::I32GtS:
        return int32_t(a) > int32_t(b);
      case Op::I32Ne:
        return a != b;
      default:
        FAIL("the reference interpreter does not know opcode " << int(op));
        return 0;
    }
  }
  static Value binary_f64(Op op, double a, double b) {
    switch (op) {
      case Op::F64Add:
        return Value::f64(a + b);
      case Op::F64Sub:
        return Value::f64(a - b);
      case Op::F64Mul:
        return Value::f64(a * b);
      case Op::F64Div:
        return Value::f64(a / b);
      case Op::F64Lt:
        return Value::i32(a < b);
      case Op::F64Gt:
        return Value::i32(a > b);
      default:
        FAIL("the reference interpreter does not know opcode " << int(op));
        return {};
    }
  }

  std::vector<Instr> code_;
  std::vector<Value> locals_;
  std::vector<uint8_t> mem_;
  std::vector<Value> stack_;
  std::vector<Control> ctrl_;
  std::map<size_t, size_t> end_, else_;
};

struct Stepped {
  std::shared_ptr<const Module> module = test::load_test_module("stepping.wasm");
  Store store;
  Linker linker;
  Instance* inst = nullptr;
  std::vector<DebugStop> stops;

  Stepped() {
    auto r = linker.instantiate(store, module);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
    store.set_debug_handler([this](const DebugStop& s) {
      stops.push_back(s);
      REQUIRE(stops.size() < 10000);
      return DebugAction::StepInto;
    });
  }

  // The instructions of export `name`'s body (the final `end` included).
  std::vector<Instr> body(const std::string& name) const {
    auto begin = function_code_offset(*module, name);
    REQUIRE(begin.ok());
    const detail::ModuleDesc& d = module->desc();
    for (const detail::FuncBody& b : d.bodies) {
      if (b.code_begin != *begin) continue;
      detail::Reader r(d.bytes.data() + b.code_begin, b.code_end - b.code_begin, b.code_begin);
      std::vector<uint32_t> labels;
      std::vector<Instr> out;
      while (!r.done()) out.push_back(detail::read_instr(r, labels, &d.memory_space));
      return out;
    }
    FAIL("no body for " << name);
    return {};
  }

  // The stops as text, for a failure.
  void dump(uint32_t func_index) const {
    std::map<uint32_t, std::string> text;
    for (const WasmInstruction& w : disassemble(*module, func_index)) text[w.offset] = w.text;
    std::string out;
    for (const DebugStop& s : stops) {
      const DebugFrame& fr = s.frames[0];
      out += std::to_string(fr.code_offset) + (fr.has_stack ? "  " : " -") + text[fr.code_offset];
      out += "  [";
      for (const Value& v : fr.stack)
        out += (v.type == ValType::F64 ? std::to_string(v.as_f64()) : std::to_string(v.as_i32())) +
               " ";
      out += "]\n";
    }
    MESSAGE("the stops:\n" << out);
  }

  // Steps through export `name` called with `args`, from a breakpoint at its first
  // instruction, and checks every stop and the result against the reference run. Returns the
  // result (an i32).
  int32_t check(const std::string& name, std::vector<Value> args) {
    CAPTURE(name);
    std::vector<Instr> code = body(name);
    std::set<uint32_t> starts;
    for (const Instr& in : code) starts.insert(in.offset);

    const detail::CompiledFunc* f = nullptr;
    for (const detail::CompiledFunc& c : module->compiled().funcs)
      if (module->desc().bodies[c.func_index - module->desc().num_imported_funcs].code_begin ==
          code[0].offset)
        f = &c;
    REQUIRE(f);
    std::vector<Value> locals;
    for (ValType t : f->local_types) locals.push_back(Value::zero(t));
    for (size_t i = 0; i < args.size(); i++) locals[i] = args[i];
    Memory* memory = inst->memory("memory");
    std::vector<uint8_t> bytes(memory->size());
    std::memcpy(bytes.data(), memory->data(), bytes.size());
    std::vector<RefStep> trace = Reference(code, locals, bytes).run();

    auto taken = set_breakpoint(*module, code[0].offset);
    REQUIRE(taken.ok());
    stops.clear();
    auto r = inst->invoke(name, args);
    REQUIRE(clear_breakpoint(*module, code[0].offset));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    REQUIRE(!stops.empty());

    // The offsets a stop was seen at: the instructions with code.
    std::set<uint32_t> with_code;
    for (const DebugStop& s : stops) with_code.insert(s.frames[0].code_offset);
    size_t at = 0;  // the reference step the last stop matched
    for (size_t k = 0; k < stops.size(); k++) {
      const DebugFrame& fr = stops[k].frames[0];
      CAPTURE(k);
      CAPTURE(fr.code_offset);
      REQUIRE(stops[k].frames.size() == 1);
      CHECK(starts.count(fr.code_offset) == 1);  // a wasm instruction begins there
      // The next instruction that runs and has code is this one: none was skipped, none seen
      // twice.
      size_t next = k == 0 ? 0 : at + 1;
      while (next < trace.size() && !with_code.count(trace[next].offset)) next++;
      if (next >= trace.size()) dump(fr.func_index);
      REQUIRE(next < trace.size());
      CHECK_MESSAGE(trace[next].offset == fr.code_offset,
                    "expected a stop at " << trace[next].offset);
      if (trace[next].offset != fr.code_offset) {
        dump(fr.func_index);
        return 0;
      }
      at = next;
      const RefStep& want = trace[at];
      CHECK(fr.has_stack);
      if (fr.has_stack) {
        CHECK(fr.stack.size() == want.stack.size());
        for (size_t i = 0; i < fr.stack.size() && i < want.stack.size(); i++) {
          CAPTURE(i);
          CHECK(same(fr.stack[i], want.stack[i]));
        }
      }
      REQUIRE(fr.locals.size() == want.locals.size());
      for (size_t i = 0; i < want.locals.size(); i++) {
        CAPTURE(i);
        if (!fr.dead[i]) CHECK(same(fr.locals[i], want.locals[i]));
      }
    }
    // No instruction with code ran after the last stop.
    for (size_t i = at + 1; i < trace.size(); i++) CHECK(!with_code.count(trace[i].offset));
    REQUIRE(trace.back().stack.size() == 1);
    CHECK(same(r->at(0), trace.back().stack[0]));
    return r->at(0).as_i32();
  }

  // The same type and value (an i32's upper bits are not part of it).
  static bool same(const Value& seen, const Value& want) {
    if (seen.type != want.type) return false;
    return want.type == ValType::I32 ? uint32_t(seen.bits) == uint32_t(want.bits)
                                     : seen.bits == want.bits;
  }
};

}  // namespace

TEST_CASE("stepping by instruction stops once at each instruction that runs, showing its stack") {
  Stepped s;
  CHECK(s.check("lazy_mix", {Value::i32(3), Value::i32(4)}) == 3 + 5 * 12 - 3 + 19 + (19 & 7));
  CHECK(s.check("predec", {Value::i32(3), Value::i32(12)}) == (11 & 7) + 11 * 3);
  s.check("count_if", {Value::i32(5)});
  s.check("count_if", {Value::i32(1)});
  Memory* m = s.inst->memory("memory");
  for (uint32_t i = 0; i < 8; i++) m->store<uint32_t>(64 + 4 * i, 10 * i + 1);
  s.check("bump_loop", {Value::i32(64), Value::i32(8)});
  s.check("bump_loop", {Value::i32(64), Value::i32(3)});
  s.check("store_select", {Value::i32(128), Value::i32(5)});
  s.check("store_select", {Value::i32(128), Value::i32(1)});
  using detail::IOp;
  // The forms this function is here for (the first step's I32XorShl is where the stepping
  // test's first stop patched a Breakpoint in).
  for (IOp op : {IOp::I32XorShrU_a, IOp::I32XorShl_a})
    CHECK(test::count_handlers(*s.module, "xorshift", op) == 1);
  CHECK(uint32_t(s.check("xorshift", {Value::i32(0x3e3e3), Value::i32(3)})) == [] {
    uint32_t x = 0x3e3e3;
    for (int i = 0; i < 3; i++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
    }
    return x;
  }());
}

TEST_CASE("stepping by instruction through the float accumulator's forms") {
  Stepped s;
  Memory* m = s.inst->memory("memory");
  const double records[][2] = {{1.5, -4.0}, {0.25, 0.5}, {-2.0, 1.0}, {3.0, -8.0}};
  for (uint32_t i = 0; i < 4; i++) {
    m->store<double>(256 + 16 * i, records[i][0]);
    m->store<double>(256 + 16 * i + 8, records[i][1]);
  }
  // The forms this function is here for (handler_count.h): if the translator stops emitting
  // one, this test no longer covers it.
  using detail::IOp;
  for (IOp op : {IOp::BrNotF64Lt_si, IOp::F64Store_v, IOp::F64Add_sm_a, IOp::F64Sqrt_a,
                 IOp::F64Div_ia, IOp::F64Add_ai, IOp::SelectF64Lt_ss})
    CHECK(test::count_handlers(*s.module, "float_loop", op) >= 1);
  s.check("float_loop", {Value::i32(256), Value::i32(4), Value::f64(0.5)});
  // The memory as the reference run left it: the bounce stored -x where x went below 0.
  CHECK(m->load<double>(256) == 0.5);
  CHECK(m->load<double>(256 + 16 * 3) == 1.0);
}
