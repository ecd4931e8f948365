// Bit-exact WebAssembly numeric semantics that C++ operators do not give directly:
// float min/max/nearest, and float-to-int conversions (trapping and saturating).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace glint::detail {

inline float f32_of(uint64_t s) {
  float f;
  uint32_t b = uint32_t(s);
  std::memcpy(&f, &b, 4);
  return f;
}
inline double f64_of(uint64_t s) {
  double d;
  std::memcpy(&d, &s, 8);
  return d;
}
inline uint64_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
inline uint64_t bits_of(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return b;
}

// NaN in, NaN out (a + b quiets it); -0 orders below +0.
template <class T>
T wasm_min(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <class T>
T wasm_max(T a, T b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}
// libm's rounding functions return a signalling NaN unchanged; wasm wants it quieted.
template <class T>
T quiet_nan_or(T in, T result) {
  return std::isnan(in) ? in + in : result;
}
template <class T>
T wasm_nearest(T a) {
  return quiet_nan_or(a, std::nearbyint(a));  // round-half-to-even in the default mode
}

// Range checks for float -> int: `x` converted to double exactly (f32 widens losslessly).
inline bool fits_i32(double x) { return x > -2147483649.0 && x < 2147483648.0; }
inline bool fits_u32(double x) { return x > -1.0 && x < 4294967296.0; }
inline bool fits_i64(double x) { return x >= -9223372036854775808.0 && x < 9223372036854775808.0; }
inline bool fits_u64(double x) { return x > -1.0 && x < 18446744073709551616.0; }

// Float -> int after the range check (the value fits): result as a zero-extended slot.
inline uint64_t cvt_i32(double x) { return uint32_t(int32_t(x)); }
inline uint64_t cvt_u32(double x) { return uint32_t(x); }
inline uint64_t cvt_i64(double x) { return uint64_t(int64_t(x)); }
inline uint64_t cvt_u64(double x) { return uint64_t(x); }

template <class I>
I trunc_sat(double x) {
  if (std::isnan(x)) return 0;
  if (x <= double(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  if (x >= double(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
  return I(x);
}

// clang-format off
inline uint32_t rotl32(uint32_t a, uint32_t b) { b &= 31; return (a << b) | (a >> ((32 - b) & 31)); }
inline uint32_t rotr32(uint32_t a, uint32_t b) { b &= 31; return (a >> b) | (a << ((32 - b) & 31)); }
inline uint64_t rotl64(uint64_t a, uint64_t b) { b &= 63; return (a << b) | (a >> ((64 - b) & 63)); }
inline uint64_t rotr64(uint64_t a, uint64_t b) { b &= 63; return (a >> b) | (a << ((64 - b) & 63)); }
// clang-format on

}  // namespace glint::detail
