// Glint's value model: value types, function types, and the Value carried across the API.
#pragma once
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace glint {

class Function;

enum class ValType : uint8_t {
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,  // 128-bit SIMD vector
  FuncRef = 0x70,
  ExternRef = 0x6F,
};
const char* to_string(ValType t);  // "i32", "funcref", ...
inline bool is_ref(ValType t) { return t == ValType::FuncRef || t == ValType::ExternRef; }
// Values travel in 64-bit slots (arguments, results, host functions' HostThunk): a v128
// takes two, every other type one. The slots a list of values takes:
inline size_t slot_count(const std::vector<ValType>& types) {
  size_t n = types.size();
  for (ValType t : types) n += t == ValType::V128;
  return n;
}

// Tag: an exception tag (exception handling); its type is a function type without results.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };
const char* to_string(ExternKind k);  // "func", "table", "memory", "global", "tag"

struct FuncType {
  std::vector<ValType> params, results;
  bool operator==(const FuncType&) const = default;
  std::string to_string() const;  // "(i32, i32) -> (i64)"
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
};
struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;  // in elements
};
struct MemoryType {
  Limits limits;  // in 64 KiB pages
  // memory64: addressed with i64 (loads, stores, memory.size/grow/fill/copy/init take and give
  // i64). Glint gives one at most 4 GiB (65536 pages), as a 32-bit one: growing past fails.
  bool is64 = false;
};
struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
};

struct SectionInfo {
  uint8_t id = 0;       // 0 = custom
  std::string name;     // "type", "code", ... or the custom section's name
  uint32_t offset = 0;  // of the section's contents
  uint32_t size = 0;
};

// An externref is an opaque host word; 0 is the null reference.
using ExternRef = uintptr_t;

// A typed WebAssembly value. `bits` holds the raw representation: i32/f32 in the low 32 bits,
// i64/f64 in all 64, a funcref as its Function* (0 = null), an externref as its word, a v128's
// low 8 bytes (its high 8 are in `hi`, which is 0 for every other type).
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;
  uint64_t hi = 0;

  static Value i32(int32_t v) { return {ValType::I32, uint32_t(v)}; }
  static Value i64(int64_t v) { return {ValType::I64, uint64_t(v)}; }
  static Value f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return {ValType::F32, b};
  }
  static Value f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return {ValType::F64, b};
  }
  static Value f32_bits(uint32_t b) { return {ValType::F32, b}; }
  static Value f64_bits(uint64_t b) { return {ValType::F64, b}; }
  static Value funcref(Function* f) { return {ValType::FuncRef, uint64_t(uintptr_t(f))}; }
  static Value externref(ExternRef r) { return {ValType::ExternRef, uint64_t(r)}; }
  static Value null(ValType t) { return {t, 0}; }
  static Value zero(ValType t) { return {t, 0}; }
  // A v128 from its 16 bytes in memory order (lane 0 first, little-endian lanes), or from its
  // two halves.
  static Value v128(const uint8_t (&bytes)[16]) {
    Value v{ValType::V128};
    std::memcpy(&v.bits, bytes, 8);
    std::memcpy(&v.hi, bytes + 8, 8);
    return v;
  }
  static Value v128(uint64_t low, uint64_t high) { return {ValType::V128, low, high}; }
  // Lane `i` of a v128 read as T (int8_t ... int64_t, float, double; unsigned too).
  template <class T>
  T lane(unsigned i) const {
    uint8_t bytes[16];
    std::memcpy(bytes, &bits, 8);
    std::memcpy(bytes + 8, &hi, 8);
    T t;
    std::memcpy(&t, bytes + (i % (16 / sizeof(T))) * sizeof(T), sizeof(T));
    return t;
  }

  int32_t as_i32() const { return int32_t(uint32_t(bits)); }
  int64_t as_i64() const { return int64_t(bits); }
  float as_f32() const {
    float f;
    uint32_t b = uint32_t(bits);
    std::memcpy(&f, &b, 4);
    return f;
  }
  double as_f64() const {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  Function* as_funcref() const { return reinterpret_cast<Function*>(uintptr_t(bits)); }
  ExternRef as_externref() const { return ExternRef(bits); }
  bool is_null() const { return bits == 0; }

  std::string to_string() const;  // "42", "1.5", "null"; a v128 as i32x4 lanes "1 2 3 4"
  // A v128 as the lanes of one interpretation: "i8x16", "i16x8", "i32x4", "i64x2" (signed),
  // "f32x4" or "f64x2"; "" for an unknown shape or another type.
  std::string lanes(std::string_view shape) const;
};

}  // namespace glint
