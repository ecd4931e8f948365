// A generator of valid WebAssembly modules from arbitrary bytes, for the run fuzzer
// (fuzz_run.cpp), the host API fuzzer (fuzz_host.cpp) and differential testing against V8
// (difftool.cpp). Every byte string gives a module that validates, and every export it makes
// terminates: each function entry spends one unit of a global call budget, and each loop runs
// at most a few iterations (a counter local that only the loop's own code touches).
//
// Results are the same in every correct engine: float bits that the spec leaves open (a NaN's
// sign and payload) are made canonical wherever they would become visible as bits (stored,
// reinterpreted, or the sign source of copysign).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace fuzzgen {

using Bytes = std::vector<uint8_t>;

// Reads the fuzzer's bytes as choices; once they run out every choice is 0 (the generator then
// closes everything with the smallest code).
class Source {
 public:
  Source(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool empty() const { return p_ >= end_; }
  uint8_t byte() { return p_ < end_ ? *p_++ : 0; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = (v << 8) | byte();
    return v;
  }
  uint64_t u64() { return (uint64_t(u32()) << 32) | u32(); }
  uint32_t below(uint32_t n) { return n ? byte() % n : 0; }  // n <= 256
  bool chance(uint8_t in256) { return byte() < in256; }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// "f3", "g1": the export names of generated functions and globals. (Built with +=: g++ 12
// warns falsely, -Wrestrict, on "f" + std::to_string(i).)
inline std::string export_name(char kind, uint32_t index) {
  std::string s(1, kind);
  s += std::to_string(index);
  return s;
}

// Binary encoding helpers.
void put_u32(Bytes& out, uint64_t v);  // unsigned LEB128
void put_s64(Bytes& out, int64_t v);   // signed LEB128
void put_name(Bytes& out, const std::string& s);
void put_section(Bytes& module, uint8_t id, const Bytes& body);
Bytes module_header();

enum Type : uint8_t { I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, V128 = 0x7B };

// The proposals beyond Wasm 1.0 + bulk memory that generated code may use; with a feature on,
// the fuzzer's bytes still choose whether a module uses it (a memory is 64-bit or not, ...).
enum Feature : uint32_t {
  kSimd = 1,         // v128 locals, every 128-bit SIMD instruction, float lanes made canonical
  kRelaxedSimd = 2,  // relaxed SIMD too (engines may differ: not for differential runs)
  kTailCall = 4,     // return_call, return_call_indirect
  kExceptions = 8,   // tags, throw, try/catch/catch_all/delegate, rethrow (the legacy form)
  kMemory64 = 16,    // each memory 64-bit or not (i64 addresses, offsets past 4 GiB)
  kMultiMemory = 32  // a second memory, every access naming one of the two
};
constexpr uint32_t kAllFeatures = 63;
// What node 20's V8 runs the same way (memory64 behind --experimental-wasm-memory64).
constexpr uint32_t kV8Features = kSimd | kTailCall | kExceptions | kMemory64;
// What wabt 1.0.32's wasm-interp runs the same way: no exceptions (its interpreter fails an
// assertion in Thread::Pick, or throws std::length_error, on 11 of 150 modules with them on,
// before the first call returns; V8 compares them). Multi-memory only it compares.
constexpr uint32_t kWabtFeatures = kSimd | kTailCall | kMemory64 | kMultiMemory;
// "simd,tail-call,exceptions,memory64,multi-memory,relaxed-simd", "all", "v8", "wabt" or
// "none" to a mask; an unknown name gives ~0u.
uint32_t parse_features(const std::string& names);

struct GenOptions {
  uint32_t max_functions = 6;
  uint32_t call_budget = 400;  // function entries in the life of an instance
  uint32_t max_loop_iterations = 6;
  uint32_t max_instructions = 1500;  // per module, roughly
  uint32_t features = 0;             // Feature bits
  // For references that can only call exports without parameters and print their results
  // (wabt's `wasm-interp --run-all-exports`): the module reports itself. Its function exports
  // are then, in order, c0 s0 c1 s1 ... (cN calls fN with the differential runs' fixed
  // arguments; sN returns an i64 hash of every memory and the call budget), then g1 g2 ...
  // (each exported global's value); float results as their bits, any NaN as the canonical one.
  // The generated code is the same as without it (the same bytes make the same functions).
  bool self_report = false;
  // For wabt 1.0.32 (diff.py --reference wabt), leaving out what it runs wrong:
  // memory64 offsets stay below 4 GiB (it reads only the low 32 bits of one), and tail calls
  // are made only by statements outside any expression, so that no operand lies beneath their
  // arguments (with one there it drops the wrong values: `i32.const 99 f32.const 1
  // return_call $g` in a function with params and locals returns 0 where $g returns 5).
  bool wabt_quirks = false;
};

// A module with one memory (1 page, max 2, exported "memory"; with kMultiMemory sometimes a
// second one), globals g0.. (exported, the call budget is "budget"), a funcref table holding
// every function, one data segment, tags (kExceptions), and functions f0.. (all exported, their
// parameters and results numbers, never v128; with self_report, the exports above).
// Deterministic: the same bytes and options give the same module.
Bytes generate_module(Source& src, const GenOptions& options = {});

}  // namespace fuzzgen
