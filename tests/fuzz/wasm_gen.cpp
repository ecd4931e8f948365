// The module generator (see wasm_gen.h): type-directed expressions and statements over the four
// number types and v128, emitted straight to the binary format.
#include "wasm_gen.h"

#include <algorithm>
#include <bit>
#include <string_view>

namespace fuzzgen {

void put_u32(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7F;
    v >>= 7;
    out.push_back(uint8_t(b | (v ? 0x80 : 0)));
  } while (v);
}

void put_s64(Bytes& out, int64_t v) {
  for (;;) {
    uint8_t b = uint8_t(uint64_t(v) & 0x7F);
    v >>= 7;  // arithmetic: keeps the sign
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(uint8_t(b | (done ? 0 : 0x80)));
    if (done) return;
  }
}

void put_name(Bytes& out, const std::string& s) {
  put_u32(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_section(Bytes& module, uint8_t id, const Bytes& body) {
  module.push_back(id);
  put_u32(module, body.size());
  module.insert(module.end(), body.begin(), body.end());
}

Bytes module_header() { return {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00}; }

uint32_t parse_features(const std::string& names) {
  static const struct {
    std::string_view name;
    uint32_t bits;
  } kNames[] = {{"simd", kSimd},          {"relaxed-simd", kRelaxedSimd},
                {"tail-call", kTailCall}, {"exceptions", kExceptions},
                {"memory64", kMemory64},  {"multi-memory", kMultiMemory},
                {"all", kAllFeatures},    {"v8", kV8Features},
                {"wabt", kWabtFeatures},  {"none", 0}};
  uint32_t bits = 0;
  std::string_view rest = names;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == rest.npos ? std::string_view() : rest.substr(comma + 1);
    bool known = false;
    for (const auto& n : kNames)
      if (n.name == name) bits |= n.bits, known = true;
    if (!known) return ~0u;
  }
  return bits;
}

namespace {

constexpr Type kTypes[] = {I32, I64, F32, F64};
constexpr uint32_t kCanonNan32 = 0x7FC00000;
constexpr uint64_t kCanonNan64 = 0x7FF8000000000000;

struct Sig {
  std::vector<Type> params;
  std::vector<Type> results;  // 0 or 1
  bool operator==(const Sig&) const = default;
};

struct Label {
  bool takes_value;       // a block with a result: branches to it carry a value (not used by br)
  bool catching = false;  // a catch or catch_all clause: rethrow may name it
};

// The SIMD instructions, from the runtime's own table (decode/simd_opcodes.def): the generator
// emits what the decoder knows; an opcode the table has wrong shows in differential runs, where
// V8 reads the same bytes.
struct SimdOp {
  enum Imm { None, Mem, MemLane, Lane, V128, Shuffle } imm;
  uint32_t sub;           // the 0xFD sub-opcode
  std::string_view sig;   // "vv>v": operand types, '>', result type (i l f d v)
  uint32_t n;             // Mem, MemLane: bytes accessed; Lane: lanes
  std::string_view name;  // "f32x4.add"
  char result() const { return sig.back() == '>' ? 0 : sig.back(); }
  bool relaxed() const { return sub >= 0x100; }
  // A float lane result whose NaNs engines may write differently (all but abs, neg and the
  // comparisons, which give masks): made canonical where generated.
  bool float_lanes() const {
    if (result() != 'v' || !(name.starts_with("f32x4.") || name.starts_with("f64x2.")))
      return false;
    std::string_view op = name.substr(6);
    for (std::string_view exact : {"abs", "neg", "eq", "ne", "lt", "gt", "le", "ge"})
      if (op == exact) return false;
    return true;
  }
};

constexpr SimdOp kSimdOps[] = {
#define FD(id, sub, imm, sig, n, text) {SimdOp::imm, sub, sig, n, text},
#include "decode/simd_opcodes.def"
#undef FD
};

const SimdOp& simd_op_named(std::string_view name) {
  for (const SimdOp& o : kSimdOps)
    if (o.name == name) return o;
  std::abort();  // the table lost an instruction the generator names
}

class Gen {
 public:
  Gen(Source& src, const GenOptions& o) : s_(src), o_(o) {}
  Bytes module();

 private:
  // ---- module level
  Type any_type() { return kTypes[s_.below(4)]; }
  uint32_t type_index(const Sig& sig);
  bool on(Feature f) const { return (o_.features & f) != 0; }
  void memory_section(Bytes& out);
  void tag_section(Bytes& out);
  void export_section(Bytes& out, uint32_t nfuncs);

  // ---- self_report: the functions that report the module's state (wasm_gen.h)
  void plan_report(uint32_t nfuncs);
  void report_exports(Bytes& sec, uint32_t nfuncs);
  void report_bodies(Bytes& sec, uint32_t nfuncs);
  void reported(Type t, uint32_t tmp);  // the value on the stack as i32/i64 bits, NaN canonical
  void hash_memory(uint32_t mem, uint32_t hash, uint32_t at);
  void finish_body(const std::vector<Type>& locals, Bytes& sec);
  void argument(Type t, size_t j);

  // ---- one function
  void function(uint32_t index, Bytes& body_out);
  uint32_t new_local(Type t);
  std::vector<uint32_t> writable_locals(Type t) const;
  void op(uint8_t b) { code_.push_back(b); }
  void fc(uint32_t sub) {
    op(0xFC);
    put_u32(code_, sub);
  }
  void local_get(uint32_t i) {
    op(0x20);
    put_u32(code_, i);
  }
  void local_set(uint32_t i) {
    op(0x21);
    put_u32(code_, i);
  }
  bool out_of_room() const { return emitted_ >= o_.max_instructions || s_.empty(); }

  void constant(Type t);
  void expr(Type t, int depth);
  void leaf(Type t);
  void canonical(Type t);    // the value on the stack, with any NaN made the canonical one
  uint32_t scratch(Type t);  // a local of type t that generated code never reads otherwise
  uint32_t pick_memory() { return mem64_.size() > 1 ? s_.below(uint32_t(mem64_.size())) : 0; }
  void address(uint32_t mem);
  void memarg(uint32_t natural_log2, uint32_t mem);
  uint64_t wide_offset() { return o_.wabt_quirks ? s_.u64() & 0xFFFFFFFF : s_.u64(); }
  void length(uint32_t mem);  // a byte count for memory.fill / memory.copy
  void load(Type t, int depth);
  void call_to(Type t, int depth);
  void callee(uint32_t f, int depth, uint8_t direct, uint8_t indirect);
  void memory_size_or_grow(int depth);
  void convert_to(Type t, int depth);
  void statement(int depth);
  void statements(int depth, uint32_t max);
  void store(int depth);
  void loop(int depth);
  void branch_out(int depth);
  void default_value(Type t) { constant_zero(t); }
  void constant_zero(Type t);
  void value(Type t, int depth) { t == V128 ? vexpr(depth) : expr(t, depth); }

  // ---- SIMD (kSimd)
  void vexpr(int depth);  // a v128
  void vconst();
  void simd(const SimdOp& o, int depth);
  bool simd_to(char result, int depth);  // an instruction with that result; false if none
  void canonical_lanes(bool f64);

  // ---- tail calls and exceptions
  void tail_call(int depth);
  void throw_(int depth);
  void try_(const Type* result, int depth);
  void rethrow();

  Source& s_;
  GenOptions o_;
  std::vector<Sig> types_;
  std::vector<uint32_t> func_types_;
  std::vector<Type> global_types_;  // global 0 is the call budget
  std::vector<bool> mem64_;         // per memory: 64-bit addresses
  std::vector<Sig> tags_;           // their params (kExceptions)
  std::vector<uint32_t> tag_types_;
  std::vector<const SimdOp*> simd_ops_;  // the ones allowed (relaxed or not)
  std::vector<uint32_t> report_types_;   // self_report: the types of the functions it adds
  uint32_t emitted_ = 0;
  uint32_t open_exprs_ = 0;  // expr() calls under way

  // The function being generated.
  Bytes code_;
  const Sig* sig_ = nullptr;
  std::vector<Type> locals_;    // parameters and declared locals
  std::vector<bool> writable_;  // false: a loop counter or a scratch local
  std::vector<Label> labels_;   // innermost last
  uint32_t scratch_[5] = {};    // per type, for canonical(); 0 = none yet
  bool has_scratch_[5] = {};
};

int type_slot(Type t) {
  switch (t) {
    case I32:
      return 0;
    case I64:
      return 1;
    case F32:
      return 2;
    case F64:
      return 3;
    default:
      return 4;
  }
}

uint32_t Gen::type_index(const Sig& sig) {
  for (uint32_t i = 0; i < types_.size(); i++)
    if (types_[i] == sig) return i;
  types_.push_back(sig);
  return uint32_t(types_.size() - 1);
}

uint32_t Gen::new_local(Type t) {
  locals_.push_back(t);
  writable_.push_back(true);
  return uint32_t(locals_.size() - 1);
}

void Gen::constant_zero(Type t) {
  switch (t) {
    case I32:
      op(0x41), put_s64(code_, 0);
      break;
    case I64:
      op(0x42), put_s64(code_, 0);
      break;
    case F32:
      op(0x43), code_.insert(code_.end(), 4, 0);
      break;
    case F64:
      op(0x44), code_.insert(code_.end(), 8, 0);
      break;
    case V128:
      op(0xFD), put_u32(code_, simd_op_named("v128.const").sub);
      code_.insert(code_.end(), 16, 0);
      break;
  }
}

void Gen::constant(Type t) {
  if (t == V128) return vconst();
  emitted_++;
  uint32_t pick = s_.below(8);
  switch (t) {
    case V128:
      break;
    case I32: {
      static const int32_t special[] = {0, 1, -1, INT32_MIN, INT32_MAX, 8, 65535, 65536};
      int32_t v = pick < 4   ? special[s_.below(8)]
                  : pick < 6 ? int32_t(s_.below(64))
                             : int32_t(s_.u32());
      op(0x41), put_s64(code_, v);
      break;
    }
    case I64: {
      static const int64_t special[] = {0,         1, -1, INT64_MIN, INT64_MAX, 0xFFFFFFFFll,
                                        1ll << 32, 63};
      int64_t v = pick < 4   ? special[s_.below(8)]
                  : pick < 6 ? int64_t(s_.below(64))
                             : int64_t(s_.u64());
      op(0x42), put_s64(code_, v);
      break;
    }
    case F32: {
      static const uint32_t special[] = {0x00000000, 0x80000000, 0x3F800000, 0xBF800000,
                                         0x7F800000, 0xFF800000, 0x7FC00000, 0x4F000000,
                                         0xCF000000, 0x00000001, 0x3F000000, 0x7F7FFFFF};
      uint32_t v = pick < 5 ? special[s_.below(12)] : s_.u32();
      op(0x43);
      for (int i = 0; i < 4; i++) code_.push_back(uint8_t(v >> (8 * i)));
      break;
    }
    case F64: {
      static const uint64_t special[] = {0,
                                         0x8000000000000000,
                                         0x3FF0000000000000,
                                         0xBFF0000000000000,
                                         0x7FF0000000000000,
                                         0xFFF0000000000000,
                                         0x7FF8000000000000,
                                         0x41E0000000000000,
                                         0xC3E0000000000000,
                                         1,
                                         0x3FE0000000000000,
                                         0x43F0000000000000};
      uint64_t v = pick < 5 ? special[s_.below(12)] : s_.u64();
      op(0x44);
      for (int i = 0; i < 8; i++) code_.push_back(uint8_t(v >> (8 * i)));
      break;
    }
  }
}

void Gen::leaf(Type t) {
  // A local or global of the type, else a constant.
  std::vector<uint32_t> locals = writable_locals(t), globals;
  for (uint32_t i = 1; i < global_types_.size(); i++)
    if (global_types_[i] == t) globals.push_back(i);
  uint32_t pick = s_.below(4);
  emitted_++;
  if (pick == 1 && !locals.empty()) return local_get(locals[s_.below(uint32_t(locals.size()))]);
  if (pick == 2 && !globals.empty()) {
    op(0x23);
    put_u32(code_, globals[s_.below(uint32_t(globals.size()))]);
    return;
  }
  emitted_--;
  constant(t);
}

uint32_t Gen::scratch(Type t) {
  int k = type_slot(t);
  if (!has_scratch_[k]) {
    scratch_[k] = new_local(t);
    writable_[scratch_[k]] = false;
    has_scratch_[k] = true;
  }
  return scratch_[k];
}

void Gen::canonical(Type t) {
  if (t == I32 || t == I64) return;
  uint32_t s = scratch(t);
  // x -> (x == x) ? x : canonical NaN
  local_set(s);
  local_get(s);
  if (t == F32) {
    op(0x43);
    for (int i = 0; i < 4; i++) code_.push_back(uint8_t(kCanonNan32 >> (8 * i)));
  } else {
    op(0x44);
    for (int i = 0; i < 8; i++) code_.push_back(uint8_t(kCanonNan64 >> (8 * i)));
  }
  local_get(s);
  local_get(s);
  op(t == F32 ? 0x5B : 0x61);  // eq
  op(0x1B);                    // select
  emitted_ += 6;
}

void Gen::address(uint32_t mem) {
  // Mostly inside the first page (so accesses usually succeed), sometimes anywhere.
  if (s_.chance(200)) {
    expr(I32, 3);
    op(0x41), put_s64(code_, 0xFFF8);
    op(0x71);                   // and
    if (mem64_[mem]) op(0xAD);  // i64.extend_i32_u
    emitted_ += 2;
  } else {
    expr(mem64_[mem] ? I64 : I32, 2);
  }
}

void Gen::memarg(uint32_t natural_log2, uint32_t mem) {
  uint32_t align = s_.below(natural_log2 + 1);
  if (mem == 0) {
    put_u32(code_, align);
  } else {  // multi-memory: bit 6 of the alignment says a memory index follows
    put_u32(code_, align | 0x40);
    put_u32(code_, mem);
  }
  uint64_t offset = s_.chance(220)                  ? s_.below(16)
                    : mem64_[mem] && s_.chance(100) ? wide_offset()  // past 4 GiB, or wrapping
                                                    : s_.u32() % 70000;
  put_u32(code_, offset);
}

void Gen::length(uint32_t mem) { op(mem64_[mem] ? 0x42 : 0x41), put_s64(code_, s_.below(200)); }

void Gen::memory_size_or_grow(int depth) {
  // An i32 either way: a 64-bit memory's i64 page count is wrapped.
  uint32_t mem = pick_memory();
  if (s_.chance(128)) {
    op(0x3F);
  } else {
    expr(I32, depth + 1);
    if (mem64_[mem]) op(0xAD);  // i64.extend_i32_u
    op(0x40);
  }
  put_u32(code_, mem);
  if (mem64_[mem]) op(0xA7);  // i32.wrap_i64
  emitted_++;
}

void Gen::load(Type t, int depth) {
  (void)depth;
  struct L {
    uint8_t op;
    uint32_t log2;
  };
  static const L i32s[] = {{0x28, 2}, {0x2C, 0}, {0x2D, 0}, {0x2E, 1}, {0x2F, 1}};
  static const L i64s[] = {{0x29, 3}, {0x30, 0}, {0x31, 0}, {0x32, 1},
                           {0x33, 1}, {0x34, 2}, {0x35, 2}};
  L l = t == I32   ? i32s[s_.below(5)]
        : t == I64 ? i64s[s_.below(7)]
        : t == F32 ? L{0x2A, 2}
                   : L{0x2B, 3};
  uint32_t mem = pick_memory();
  address(mem);
  op(l.op);
  memarg(l.log2, mem);
  emitted_++;
}

void Gen::call_to(Type t, int depth) {
  // Any function returning t (recursion included: the call budget bounds it).
  std::vector<uint32_t> fits;
  for (uint32_t f = 0; f < func_types_.size(); f++) {
    const Sig& sig = types_[func_types_[f]];
    if (sig.results.size() == 1 && sig.results[0] == t) fits.push_back(f);
  }
  if (fits.empty()) return leaf(t);
  callee(fits[s_.below(uint32_t(fits.size()))], depth, 0x10, 0x11);
}

// The arguments and a call (opcode direct) of function f, or a call through the table
// (opcode indirect) whose index may miss or hold another type.
void Gen::callee(uint32_t f, int depth, uint8_t direct, uint8_t indirect) {
  const Sig& sig = types_[func_types_[f]];
  for (Type p : sig.params) expr(p, depth + 1);
  if (s_.chance(200)) {
    op(direct);
    put_u32(code_, f);
  } else {
    if (s_.chance(200)) {
      op(0x41), put_s64(code_, f);
    } else {
      expr(I32, depth + 1);
      op(0x41), put_s64(code_, 7);
      op(0x71);
    }
    op(indirect);
    put_u32(code_, func_types_[f]);
    code_.push_back(0x00);
  }
  emitted_ += 2;
}

void Gen::convert_to(Type t, int depth) {
  struct C {
    uint8_t op;
    Type from;
    bool fc;  // 0xFC-prefixed (saturating truncation)
  };
  static const C to_i32[] = {{0xA7, I64, false}, {0xA8, F32, false}, {0xA9, F32, false},
                             {0xAA, F64, false}, {0xAB, F64, false}, {0xBC, F32, false},
                             {0, F32, true},     {1, F32, true},     {2, F64, true},
                             {3, F64, true}};
  static const C to_i64[] = {{0xAC, I32, false}, {0xAD, I32, false}, {0xAE, F32, false},
                             {0xAF, F32, false}, {0xB0, F64, false}, {0xB1, F64, false},
                             {0xBD, F64, false}, {4, F32, true},     {5, F32, true},
                             {6, F64, true},     {7, F64, true}};
  static const C to_f32[] = {{0xB2, I32, false}, {0xB3, I32, false}, {0xB4, I64, false},
                             {0xB5, I64, false}, {0xB6, F64, false}, {0xBE, I32, false}};
  static const C to_f64[] = {{0xB7, I32, false}, {0xB8, I32, false}, {0xB9, I64, false},
                             {0xBA, I64, false}, {0xBB, F32, false}, {0xBF, I64, false}};
  C c = t == I32   ? to_i32[s_.below(10)]
        : t == I64 ? to_i64[s_.below(11)]
        : t == F32 ? to_f32[s_.below(6)]
                   : to_f64[s_.below(6)];
  expr(c.from, depth + 1);
  if (!c.fc && (c.op == 0xBC || c.op == 0xBD)) canonical(c.from);  // reinterpret shows bits
  if (c.fc) {
    fc(c.op);
  } else {
    op(c.op);
  }
  emitted_++;
}

void Gen::expr(Type t, int depth) {
  struct Open {  // statements nested in this expression may have operands beneath them
    uint32_t& n;
    explicit Open(uint32_t& count) : n(++count) {}
    ~Open() { n--; }
  } open(open_exprs_);
  if (depth >= 6 || out_of_room()) return leaf(t);
  switch (s_.below(17)) {
    case 0:
    case 1:
      return leaf(t);
    case 2:
    case 3: {  // binary operator
      expr(t, depth + 1);
      expr(t, depth + 1);
      uint8_t b;
      switch (t) {
        case I32:
          b = uint8_t(0x6A + s_.below(15));
          break;
        case I64:
          b = uint8_t(0x7C + s_.below(15));
          break;
        case F32:
          b = uint8_t(0x92 + s_.below(7));
          if (b == 0x98) canonical(F32);  // copysign: the sign source's sign shows
          break;
        default:
          b = uint8_t(0xA0 + s_.below(7));
          if (b == 0xA6) canonical(F64);
          break;
      }
      op(b);
      emitted_++;
      return;
    }
    case 4: {  // unary operator
      expr(t, depth + 1);
      static const uint8_t i32u[] = {0x67, 0x68, 0x69, 0x45, 0xC0, 0xC1};
      static const uint8_t i64u[] = {0x79, 0x7A, 0x7B, 0xC2, 0xC3, 0xC4};
      if (t == I32)
        op(i32u[s_.below(6)]);
      else if (t == I64)
        op(i64u[s_.below(6)]);
      else if (t == F32)
        op(uint8_t(0x8B + s_.below(7)));
      else
        op(uint8_t(0x99 + s_.below(7)));
      emitted_++;
      return;
    }
    case 5:  // comparison (an i32)
      if (t != I32) return convert_to(t, depth);
      {
        Type from = any_type();
        expr(from, depth + 1);
        if (from == I64 && s_.chance(40)) {
          op(0x50);  // i64.eqz
        } else {
          expr(from, depth + 1);
          op(from == I32   ? uint8_t(0x46 + s_.below(10))
             : from == I64 ? uint8_t(0x51 + s_.below(10))
             : from == F32 ? uint8_t(0x5B + s_.below(6))
                           : uint8_t(0x61 + s_.below(6)));
        }
        emitted_++;
        return;
      }
    case 6:
      return convert_to(t, depth);
    case 7:
      return load(t, depth);
    case 8:
      return call_to(t, depth);
    case 9: {  // select
      expr(t, depth + 1);
      expr(t, depth + 1);
      expr(I32, depth + 1);
      op(0x1B);
      emitted_++;
      return;
    }
    case 10: {  // if with a result
      expr(I32, depth + 1);
      op(0x04), op(t);
      labels_.push_back({true});
      statements(depth + 1, 2);
      expr(t, depth + 1);
      op(0x05);
      statements(depth + 1, 2);
      expr(t, depth + 1);
      op(0x0B);
      labels_.pop_back();
      emitted_ += 3;
      return;
    }
    case 11: {  // block with a result, left early by br_if with the value
      op(0x02), op(t);
      labels_.push_back({true});
      statements(depth + 1, 2);
      expr(t, depth + 1);
      expr(I32, depth + 1);
      op(0x0D), put_u32(code_, 0);
      if (s_.chance(128)) {  // not taken: replace the value
        op(0x1A);
        expr(t, depth + 1);
      }
      op(0x0B);
      labels_.pop_back();
      emitted_ += 3;
      return;
    }
    case 12: {  // local.tee, or memory.size / memory.grow for i32
      if (t == I32 && s_.chance(128)) return memory_size_or_grow(depth);
      std::vector<uint32_t> locals = writable_locals(t);
      if (locals.empty()) return leaf(t);
      expr(t, depth + 1);
      op(0x22), put_u32(code_, locals[s_.below(uint32_t(locals.size()))]);
      emitted_++;
      return;
    }
    case 14:
    case 15: {  // a lane, or a fact about a vector
      static const char kResult[] = {'i', 'l', 'f', 'd'};
      if (on(kSimd) && simd_to(kResult[type_slot(t)], depth)) return;
      return constant(t);
    }
    case 16:  // try with a result
      if (on(kExceptions) && depth < 4) return try_(&t, depth);
      return constant(t);
    default:
      return constant(t);
  }
}

void Gen::store(int depth) {
  Type t = any_type();
  struct S {
    uint8_t op;
    uint32_t log2;
  };
  static const S i32s[] = {{0x36, 2}, {0x3A, 0}, {0x3B, 1}};
  static const S i64s[] = {{0x37, 3}, {0x3C, 0}, {0x3D, 1}, {0x3E, 2}};
  S st = t == I32   ? i32s[s_.below(3)]
         : t == I64 ? i64s[s_.below(4)]
         : t == F32 ? S{0x38, 2}
                    : S{0x39, 3};
  uint32_t mem = pick_memory();
  address(mem);
  expr(t, depth + 1);
  canonical(t);
  op(st.op);
  memarg(st.log2, mem);
  emitted_++;
}

void Gen::loop(int depth) {
  // block $exit; loop $l; if counter == 0 br $exit; counter -= 1; body; br_if $l cond; end; end
  uint32_t counter = new_local(I32);
  writable_[counter] = false;
  op(0x41), put_s64(code_, 1 + s_.below(o_.max_loop_iterations));
  local_set(counter);
  op(0x02), op(0x40);
  labels_.push_back({false});
  op(0x03), op(0x40);
  labels_.push_back({false});
  local_get(counter);
  op(0x45);
  op(0x0D), put_u32(code_, 1);
  local_get(counter);
  op(0x41), put_s64(code_, 1);
  op(0x6B);
  local_set(counter);
  statements(depth + 1, 4);
  if (s_.chance(180)) {
    op(0x0C), put_u32(code_, 0);  // br $l: always around again (the counter ends it)
  } else {
    expr(I32, depth + 1);
    op(0x0D), put_u32(code_, 0);
  }
  op(0x0B);
  labels_.pop_back();
  op(0x0B);
  labels_.pop_back();
  emitted_ += 12;
}

void Gen::branch_out(int depth) {
  // br_if or br_table to enclosing labels that carry no value.
  std::vector<uint32_t> targets;
  for (uint32_t d = 0; d < labels_.size(); d++)
    if (!labels_[labels_.size() - 1 - d].takes_value) targets.push_back(d);
  if (targets.empty()) return;
  expr(I32, depth + 1);
  if (s_.chance(180)) {
    op(0x0D), put_u32(code_, targets[s_.below(uint32_t(targets.size()))]);
  } else {
    uint32_t n = s_.below(4);
    op(0x0E), put_u32(code_, n);
    for (uint32_t i = 0; i <= n; i++) put_u32(code_, targets[s_.below(uint32_t(targets.size()))]);
  }
  emitted_++;
}

void Gen::statement(int depth) {
  if (out_of_room()) return;
  switch (s_.below(16)) {
    case 0:
    case 1: {  // local.set
      uint32_t i = s_.below(uint32_t(locals_.size() + 1));
      if (i >= locals_.size() || !writable_[i]) return;
      value(locals_[i], depth + 1);
      local_set(i);
      emitted_++;
      return;
    }
    case 2: {  // global.set
      if (global_types_.size() < 2) return;
      uint32_t g = 1 + s_.below(uint32_t(global_types_.size() - 1));
      expr(global_types_[g], depth + 1);
      op(0x24), put_u32(code_, g);
      emitted_++;
      return;
    }
    case 3:
    case 4:
      return store(depth);
    case 5: {  // an expression for its effects
      expr(any_type(), depth + 1);
      op(0x1A);
      emitted_++;
      return;
    }
    case 6: {  // if / else without a value
      if (depth >= 4) return;
      expr(I32, depth + 1);
      op(0x04), op(0x40);
      labels_.push_back({false});
      statements(depth + 1, 3);
      if (s_.chance(128)) {
        op(0x05);
        statements(depth + 1, 3);
      }
      op(0x0B);
      labels_.pop_back();
      emitted_ += 2;
      return;
    }
    case 7:
      if (depth >= 4) return;
      return loop(depth);
    case 8:
      return branch_out(depth);
    case 9: {  // memory.fill / memory.copy
      uint32_t to = pick_memory();
      address(to);
      if (s_.chance(128)) {
        expr(I32, depth + 1);
        length(to);
        fc(11), put_u32(code_, to);
      } else {
        uint32_t from = pick_memory();
        if (mem64_[from] != mem64_[to]) from = to;  // one address type, one length type
        address(from);
        length(to);
        fc(10), put_u32(code_, to), put_u32(code_, from);
      }
      emitted_ += 2;
      return;
    }
    case 10: {  // return, rarely unreachable, or a tail call
      if (on(kTailCall) && s_.chance(100)) return tail_call(depth);
      if (s_.chance(20)) {
        op(0x00);
      } else {
        if (!sig_->results.empty()) expr(sig_->results[0], depth + 1);
        op(0x0F);
      }
      emitted_++;
      return;
    }
    case 12:  // a SIMD store, or a vector into a local
      if (on(kSimd)) simd_to(0, depth);
      return;
    case 13:
      if (on(kExceptions)) throw_(depth);
      return;
    case 14:
      if (on(kExceptions) && depth < 4) try_(nullptr, depth);
      return;
    case 15:
      if (on(kExceptions)) rethrow();
      return;
    default: {  // a block that statements may leave
      if (depth >= 4) return;
      op(0x02), op(0x40);
      labels_.push_back({false});
      statements(depth + 1, 3);
      op(0x0B);
      labels_.pop_back();
      emitted_++;
      return;
    }
  }
}

void Gen::statements(int depth, uint32_t max) {
  uint32_t n = s_.below(max + 1);
  for (uint32_t i = 0; i < n && !out_of_room(); i++) statement(depth);
}

void Gen::function(uint32_t index, Bytes& body_out) {
  sig_ = &types_[func_types_[index]];
  locals_.assign(sig_->params.begin(), sig_->params.end());
  writable_.assign(locals_.size(), true);
  labels_.clear();
  code_.clear();
  std::fill(std::begin(has_scratch_), std::end(has_scratch_), false);
  for (uint32_t i = 0, n = s_.below(5); i < n; i++) new_local(any_type());
  if (on(kSimd))
    for (uint32_t i = 0, n = s_.below(3); i < n; i++) new_local(V128);

  // The call budget: out of it, return a zero.
  op(0x23), put_u32(code_, 0);
  op(0x45);
  op(0x04), op(0x40);
  if (!sig_->results.empty()) default_value(sig_->results[0]);
  op(0x0F);
  op(0x0B);
  op(0x23), put_u32(code_, 0);
  op(0x41), put_s64(code_, 1);
  op(0x6B);
  op(0x24), put_u32(code_, 0);

  labels_.push_back({!sig_->results.empty()});  // the function's own label
  statements(0, 6);
  if (!sig_->results.empty()) expr(sig_->results[0], 0);
  op(0x0B);
  labels_.pop_back();

  // Locals: one declaration per local (simple, and valid).
  Bytes body;
  uint32_t declared = uint32_t(locals_.size() - sig_->params.size());
  put_u32(body, declared);
  for (size_t i = sig_->params.size(); i < locals_.size(); i++) {
    put_u32(body, 1);
    body.push_back(locals_[i]);
  }
  body.insert(body.end(), code_.begin(), code_.end());
  put_u32(body_out, body.size());
  body_out.insert(body_out.end(), body.begin(), body.end());
}

Bytes Gen::module() {
  for (const SimdOp& o : kSimdOps)
    if (on(kSimd) && (on(kRelaxedSimd) || !o.relaxed())) simd_ops_.push_back(&o);
  mem64_.assign(on(kMultiMemory) && s_.chance(100) ? 2 : 1, false);
  for (size_t m = 0; m < mem64_.size(); m++) mem64_[m] = on(kMemory64) && s_.chance(128);
  uint32_t nfuncs = 1 + s_.below(o_.max_functions);
  for (uint32_t i = 0; i < nfuncs; i++) {
    Sig sig;
    for (uint32_t p = 0, n = s_.below(4); p < n; p++) sig.params.push_back(any_type());
    if (s_.chance(200)) sig.results.push_back(any_type());
    func_types_.push_back(type_index(sig));
  }
  global_types_.push_back(I32);  // the call budget
  for (uint32_t i = 0, n = s_.below(5); i < n; i++) global_types_.push_back(any_type());
  if (on(kExceptions)) {
    for (uint32_t i = 0, n = 1 + s_.below(3); i < n; i++) {
      Sig sig;
      for (uint32_t p = 0, k = s_.below(3); p < k; p++) sig.params.push_back(any_type());
      tags_.push_back(sig);
      tag_types_.push_back(type_index(sig));
    }
  }

  if (o_.self_report) plan_report(nfuncs);

  Bytes out = module_header();
  Bytes sec;
  put_u32(sec, types_.size());     // types may grow below? no: every call_indirect type is a
  for (const Sig& sig : types_) {  // function's own type
    sec.push_back(0x60);
    put_u32(sec, sig.params.size());
    for (Type t : sig.params) sec.push_back(t);
    put_u32(sec, sig.results.size());
    for (Type t : sig.results) sec.push_back(t);
  }
  put_section(out, 1, sec);

  sec.clear();
  put_u32(sec, nfuncs + report_types_.size());
  for (uint32_t t : func_types_) put_u32(sec, t);
  for (uint32_t t : report_types_) put_u32(sec, t);
  put_section(out, 3, sec);

  sec.clear();  // table: every function, in order
  put_u32(sec, 1);
  sec.push_back(0x70);
  sec.push_back(0x01);
  put_u32(sec, nfuncs);
  put_u32(sec, nfuncs);
  put_section(out, 4, sec);

  memory_section(out);
  tag_section(out);

  sec.clear();
  put_u32(sec, global_types_.size());
  for (uint32_t g = 0; g < global_types_.size(); g++) {
    Type t = global_types_[g];
    sec.push_back(t);
    sec.push_back(0x01);  // mutable
    code_.clear();
    if (g == 0) {
      op(0x41), put_s64(code_, o_.call_budget);
    } else {
      constant(t);
    }
    sec.insert(sec.end(), code_.begin(), code_.end());
    sec.push_back(0x0B);
  }
  put_section(out, 6, sec);

  export_section(out, nfuncs);

  sec.clear();  // elements: table 0 at 0 holds f0..fN
  put_u32(sec, 1);
  sec.push_back(0x00);
  sec.push_back(0x41), put_s64(sec, 0), sec.push_back(0x0B);
  put_u32(sec, nfuncs);
  for (uint32_t f = 0; f < nfuncs; f++) put_u32(sec, f);
  put_section(out, 9, sec);

  Bytes data;  // a data segment, written at instantiation (offset 0..255)
  for (uint32_t i = 0, n = s_.below(64); i < n; i++) data.push_back(s_.byte());
  uint32_t data_at = s_.byte();

  sec.clear();
  put_u32(sec, nfuncs + report_types_.size());
  for (uint32_t f = 0; f < nfuncs; f++) function(f, sec);
  if (o_.self_report) report_bodies(sec, nfuncs);
  put_section(out, 10, sec);

  sec.clear();
  put_u32(sec, 1);
  sec.push_back(0x00);
  sec.push_back(mem64_[0] ? 0x42 : 0x41), put_s64(sec, data_at), sec.push_back(0x0B);
  put_u32(sec, data.size());
  sec.insert(sec.end(), data.begin(), data.end());
  put_section(out, 11, sec);
  return out;
}

void Gen::export_section(Bytes& out, uint32_t nfuncs) {
  Bytes sec;
  if (o_.self_report) {
    report_exports(sec, nfuncs);
    return put_section(out, 7, sec);
  }
  put_u32(sec, nfuncs + global_types_.size() + 1);
  for (uint32_t f = 0; f < nfuncs; f++) {
    put_name(sec, export_name('f', f));
    sec.push_back(0x00);
    put_u32(sec, f);
  }
  for (uint32_t g = 0; g < global_types_.size(); g++) {
    put_name(sec, g == 0 ? "budget" : export_name('g', g));
    sec.push_back(0x03);
    put_u32(sec, g);
  }
  put_name(sec, "memory");
  sec.push_back(0x02);
  put_u32(sec, 0);
  put_section(out, 7, sec);
}

// ---- self_report

namespace {
Type reported_type(Type t) { return t == F32 ? I32 : t == F64 ? I64 : t; }
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ull, kFnvPrime = 0x100000001b3ull;
}  // namespace

// The added functions, after f0..fN: callers c0..cN, one state hash (every sN), a getter per
// exported global g1...
void Gen::plan_report(uint32_t nfuncs) {
  for (uint32_t f = 0; f < nfuncs; f++) {
    Sig caller;
    for (Type t : types_[func_types_[f]].results) caller.results.push_back(reported_type(t));
    report_types_.push_back(type_index(caller));
  }
  report_types_.push_back(type_index(Sig{{}, {I64}}));
  for (uint32_t g = 1; g < global_types_.size(); g++)
    report_types_.push_back(type_index(Sig{{}, {reported_type(global_types_[g])}}));
}

void Gen::report_exports(Bytes& sec, uint32_t nfuncs) {
  auto put_func = [&](const std::string& name, uint32_t index) {
    put_name(sec, name);
    sec.push_back(0x00);
    put_u32(sec, index);
  };
  put_u32(sec, 2 * nfuncs + global_types_.size() - 1);
  for (uint32_t f = 0; f < nfuncs; f++) {
    put_func(export_name('c', f), nfuncs + f);
    put_func(export_name('s', f), 2 * nfuncs);
  }
  for (uint32_t g = 1; g < global_types_.size(); g++) put_func(export_name('g', g), 2 * nfuncs + g);
}

void Gen::reported(Type t, uint32_t tmp) {
  if (t == I32 || t == I64) return;
  // x -> x != x ? canonical NaN's bits : x's bits
  bool wide = t == F64;
  local_set(tmp);
  if (wide) {
    op(0x42), put_s64(code_, int64_t(kCanonNan64));
  } else {
    op(0x41), put_s64(code_, int32_t(kCanonNan32));
  }
  local_get(tmp);
  op(wide ? 0xBD : 0xBC);  // reinterpret
  local_get(tmp);
  local_get(tmp);
  op(wide ? 0x62 : 0x5C);  // ne
  op(0x1B);                // select
}

// hash = (hash ^ word) * prime over every 8 bytes of the memory, at: an i64 local.
void Gen::hash_memory(uint32_t mem, uint32_t hash, uint32_t at) {
  op(0x42), put_s64(code_, 0), local_set(at);
  op(0x02), op(0x40), op(0x03), op(0x40);  // block loop
  local_get(at);
  op(0x3F), put_u32(code_, mem);           // memory.size
  if (!mem64_[mem]) op(0xAD);              // i64.extend_i32_u
  op(0x42), put_s64(code_, 16), op(0x86);  // i64.shl: bytes
  op(0x5A), op(0x0D), put_u32(code_, 1);   // i64.ge_u br_if 1
  local_get(hash);
  local_get(at);
  if (!mem64_[mem]) op(0xA7);  // i32.wrap_i64
  op(0x29);                    // i64.load align=8 offset=0
  if (mem == 0) {
    put_u32(code_, 3);
  } else {
    put_u32(code_, 3 | 0x40), put_u32(code_, mem);
  }
  put_u32(code_, 0);
  op(0x85), op(0x42), put_s64(code_, int64_t(kFnvPrime)), op(0x7E);  // xor, mul
  local_set(hash);
  local_get(at), op(0x42), put_s64(code_, 8), op(0x7C), local_set(at);  // at += 8
  op(0x0C), put_u32(code_, 0);                                          // br 0
  op(0x0B), op(0x0B);
}

void Gen::finish_body(const std::vector<Type>& locals, Bytes& sec) {
  Bytes body;
  put_u32(body, locals.size());
  for (Type t : locals) put_u32(body, 1), body.push_back(t);
  code_.push_back(0x0B);
  body.insert(body.end(), code_.begin(), code_.end());
  put_u32(sec, body.size());
  sec.insert(sec.end(), body.begin(), body.end());
  code_.clear();
}

// Parameter j of any export, as the differential runs pass it (difftool.cpp's argument()).
void Gen::argument(Type t, size_t j) {
  auto bits = [&](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) code_.push_back(uint8_t(v >> (8 * i)));
  };
  switch (t) {
    case I32:
      return op(0x41), put_s64(code_, int64_t(j * 31 + 5));
    case I64:
      return op(0x42), put_s64(code_, int64_t(j * 1000003 + 7));
    case F32:
      return op(0x43), bits(std::bit_cast<uint32_t>(float(j) + 0.5f), 4);
    default:
      return op(0x44), bits(std::bit_cast<uint64_t>(double(j) * 1.25), 8);
  }
}

void Gen::report_bodies(Bytes& sec, uint32_t nfuncs) {
  for (uint32_t f = 0; f < nfuncs; f++) {  // cF: fF with the fixed arguments (difftool.cpp)
    const Sig& sig = types_[func_types_[f]];
    code_.clear();
    for (size_t j = 0; j < sig.params.size(); j++) argument(sig.params[j], j);
    op(0x10), put_u32(code_, f);
    std::vector<Type> locals;
    if (!sig.results.empty()) {
      locals.push_back(sig.results[0]);
      reported(sig.results[0], 0);
    }
    finish_body(locals, sec);
  }
  code_.clear();  // the state: every memory, then the budget
  op(0x42), put_s64(code_, int64_t(kFnvBasis)), local_set(0);
  for (uint32_t m = 0; m < mem64_.size(); m++) hash_memory(m, 0, 1);
  local_get(0), op(0x23), put_u32(code_, 0), op(0xAD), op(0x85);  // ^ budget
  op(0x42), put_s64(code_, int64_t(kFnvPrime)), op(0x7E);
  finish_body({I64, I64}, sec);
  for (uint32_t g = 1; g < global_types_.size(); g++) {
    code_.clear();
    op(0x23), put_u32(code_, g);
    reported(global_types_[g], 0);
    finish_body({global_types_[g]}, sec);
  }
}

void Gen::memory_section(Bytes& out) {
  Bytes sec;  // each memory 1 page, max 2
  put_u32(sec, mem64_.size());
  for (bool wide : mem64_) {
    sec.push_back(wide ? 0x05 : 0x01);  // has a maximum, 64-bit
    put_u32(sec, 1);
    put_u32(sec, 2);
  }
  put_section(out, 5, sec);
}

void Gen::tag_section(Bytes& out) {
  if (tags_.empty()) return;
  Bytes sec;
  put_u32(sec, tags_.size());
  for (uint32_t t : tag_types_) {
    sec.push_back(0x00);  // an exception
    put_u32(sec, t);
  }
  put_section(out, 13, sec);
}

std::vector<uint32_t> Gen::writable_locals(Type t) const {
  std::vector<uint32_t> out;
  for (uint32_t i = 0; i < locals_.size(); i++)
    if (locals_[i] == t && writable_[i]) out.push_back(i);
  return out;
}

// ---- SIMD

void Gen::vconst() {
  op(0xFD), put_u32(code_, simd_op_named("v128.const").sub);
  if (s_.chance(128)) {  // the same small or random value in every lane of 1, 2, 4 or 8 bytes
    uint32_t lane = 1u << s_.below(4);
    uint64_t v = s_.chance(128) ? s_.below(8) : s_.u64();
    for (uint32_t i = 0; i < 16; i++) code_.push_back(uint8_t(v >> (8 * (i % lane))));
  } else {
    for (int i = 0; i < 16; i++) code_.push_back(s_.byte());
  }
  emitted_++;
}

void Gen::vexpr(int depth) {
  std::vector<uint32_t> locals = writable_locals(V128);
  uint32_t pick = s_.below(8);
  if (depth >= 6 || out_of_room() || pick < 2) {
    if (!locals.empty() && s_.chance(128)) {
      local_get(locals[s_.below(uint32_t(locals.size()))]);
      emitted_++;
      return;
    }
    return vconst();
  }
  if (pick == 2 && !locals.empty()) {  // local.tee
    vexpr(depth + 1);
    op(0x22), put_u32(code_, locals[s_.below(uint32_t(locals.size()))]);
    emitted_++;
    return;
  }
  if (!simd_to('v', depth)) vconst();
}

bool Gen::simd_to(char result, int depth) {
  std::vector<const SimdOp*> fits;
  for (const SimdOp* o : simd_ops_)
    if (o->result() == result) fits.push_back(o);
  if (fits.empty()) return false;
  simd(*fits[s_.u32() % fits.size()], depth);
  return true;
}

// Operands (a memory access's address first), the instruction and its immediates.
void Gen::simd(const SimdOp& o, int depth) {
  std::string_view operands = o.sig.substr(0, o.sig.find('>'));
  bool access = o.imm == SimdOp::Mem || o.imm == SimdOp::MemLane;
  uint32_t mem = access ? pick_memory() : 0;
  for (size_t i = 0; i < operands.size(); i++) {
    if (i == 0 && access) {
      address(mem);
      continue;
    }
    switch (operands[i]) {
      case 'i':
        expr(I32, depth + 1);
        break;
      case 'l':
        expr(I64, depth + 1);
        break;
      case 'f':
        expr(F32, depth + 1);
        break;
      case 'd':
        expr(F64, depth + 1);
        break;
      default:
        vexpr(depth + 1);
    }
  }
  op(0xFD), put_u32(code_, o.sub);
  uint32_t log2 = 0;  // of the bytes accessed
  while ((2u << log2) <= o.n) log2++;
  switch (o.imm) {
    case SimdOp::Mem:
      memarg(log2, mem);
      break;
    case SimdOp::MemLane:
      memarg(log2, mem);
      code_.push_back(uint8_t(s_.below(16 / o.n)));
      break;
    case SimdOp::Lane:
      code_.push_back(uint8_t(s_.below(o.n)));
      break;
    case SimdOp::V128:
      for (int i = 0; i < 16; i++) code_.push_back(s_.byte());
      break;
    case SimdOp::Shuffle:
      for (int i = 0; i < 16; i++) code_.push_back(uint8_t(s_.below(32)));
      break;
    case SimdOp::None:
      break;
  }
  emitted_++;
  if (o.float_lanes()) canonical_lanes(o.name.starts_with("f64x2."));
}

// The v128 on the stack with each NaN lane the canonical NaN: bitselect(x, nan, x == x).
void Gen::canonical_lanes(bool f64) {
  uint32_t s = scratch(V128);
  local_set(s);
  local_get(s);
  op(0xFD), put_u32(code_, simd_op_named("v128.const").sub);
  for (int i = 0; i < 16; i++)
    code_.push_back(f64 ? uint8_t(kCanonNan64 >> (8 * (i % 8)))
                        : uint8_t(kCanonNan32 >> (8 * (i % 4))));
  local_get(s);
  local_get(s);
  op(0xFD), put_u32(code_, simd_op_named(f64 ? "f64x2.eq" : "f32x4.eq").sub);
  op(0xFD), put_u32(code_, simd_op_named("v128.bitselect").sub);
  emitted_ += 6;
}

// ---- tail calls and exceptions

void Gen::tail_call(int depth) {
  // return_call or return_call_indirect of a function with this function's results.
  std::vector<uint32_t> fits;
  for (uint32_t f = 0; f < func_types_.size(); f++)
    if (types_[func_types_[f]].results == sig_->results) fits.push_back(f);
  if (fits.empty() || (o_.wabt_quirks && open_exprs_ > 0)) {  // a return instead
    if (!sig_->results.empty()) expr(sig_->results[0], depth + 1);
    op(0x0F);
    emitted_++;
    return;
  }
  callee(fits[s_.below(uint32_t(fits.size()))], depth, 0x12, 0x13);
}

void Gen::throw_(int depth) {
  uint32_t tag = s_.below(uint32_t(tags_.size()));
  for (Type p : tags_[tag].params) expr(p, depth + 1);
  op(0x08), put_u32(code_, tag);
  emitted_++;
}

void Gen::rethrow() {
  std::vector<uint32_t> depths;  // of the enclosing catch clauses
  for (uint32_t d = 0; d < labels_.size(); d++)
    if (labels_[labels_.size() - 1 - d].catching) depths.push_back(d);
  if (depths.empty()) return;
  op(0x09), put_u32(code_, depths[s_.below(uint32_t(depths.size()))]);
  emitted_++;
}

// try (with a result of type *result, or none), then catch clauses and catch_all, or delegate.
void Gen::try_(const Type* result, int depth) {
  auto arm = [&] {
    statements(depth + 1, 3);
    if (result) expr(*result, depth + 1);
  };
  op(0x06), op(result ? *result : 0x40);
  labels_.push_back({result != nullptr});
  arm();
  labels_.pop_back();
  if (s_.chance(40)) {  // to the handlers of an enclosing label (the function's: the caller's)
    op(0x18), put_u32(code_, s_.below(uint32_t(labels_.size())));
    emitted_ += 2;
    return;
  }
  labels_.push_back({result != nullptr, true});
  for (uint32_t i = 0, n = s_.below(3); i < n; i++) {
    uint32_t tag = s_.below(uint32_t(tags_.size()));
    op(0x07), put_u32(code_, tag);
    const std::vector<Type>& params = tags_[tag].params;
    for (size_t k = params.size(); k-- > 0;) {  // the thrown values, the last on top
      std::vector<uint32_t> locals = writable_locals(params[k]);
      if (!locals.empty() && s_.chance(160))
        local_set(locals[s_.below(uint32_t(locals.size()))]);
      else
        op(0x1A);
    }
    arm();
  }
  if (s_.chance(128)) {
    op(0x19);
    arm();
  }
  op(0x0B);
  labels_.pop_back();
  emitted_ += 3;
}

}  // namespace

Bytes generate_module(Source& src, const GenOptions& options) { return Gen(src, options).module(); }

}  // namespace fuzzgen
