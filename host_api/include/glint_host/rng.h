// Deterministic random numbers for guests: SplitMix64 (Steele, Lea, Flood 2014), a tiny
// generator with good statistical quality. Same seed, same sequence, on every platform.
#pragma once
#include <cstdint>
#include <string_view>
#include <utility>

namespace glint::host {

class Rng {
 public:
  explicit Rng(uint64_t seed = 1) : state_(seed) {}
  void seed(uint64_t s) { state_ = s; }
  uint64_t state() const { return state_; }  // seed(state()) continues the same sequence
  uint64_t next64() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t next32() { return uint32_t(next64() >> 32); }
  // Uniform in [lo, hi] (inclusive); lo > hi are swapped.
  int32_t range_int(int32_t lo, int32_t hi) {
    if (lo > hi) std::swap(lo, hi);
    uint64_t span = uint64_t(int64_t(hi) - int64_t(lo)) + 1;  // 1 .. 2^32
    return int32_t(int64_t(lo) + int64_t((uint64_t(next32()) * span) >> 32));
  }
  // Uniform in [0, 1): 24 random bits, exactly representable as floats.
  float unit() { return float(next32() >> 8) * (1.0f / 16777216.0f); }

 private:
  uint64_t state_;
};

// FNV-1a: stable hashes of names (module seeds, state hash mixing).
inline uint64_t fnv1a(std::string_view s, uint64_t h = 0xCBF29CE484222325ull) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

}  // namespace glint::host
