// The lane operations of 128-bit SIMD, one function per internal instruction of
// execute/simd_iops.def (same name), with WebAssembly's exact results: NaN rules, rounding,
// saturation, lane order.
//
// x86-64 intrinsics. SSE2 is part of every x86-64 CPU, so the functions that need no more
// inline into the interpreter's handlers. Those marked GLINT_SSE41 use SSSE3 or SSE4.1
// instructions (pshufb, pmulld, pminsd, roundps, ...) where those save several SSE2 ones; g++
// keeps them out of line (a call from the handler), and nothing else in the interpreter is
// built for more than baseline x86-64. A module with SIMD code loads only on a CPU that has
// SSE4.1 (execute/cpu.h), so they never run elsewhere. An SSE2 formulation is used where it
// is as short (unsigned compares with a bias, i8x16 min/max, i64x2 compares: SSE4.2's
// pcmpgtq is not part of SSE4.1).
//
// Float results: SSE arithmetic rounds to nearest-even (the default MXCSR) and returns NaN
// for NaN operands, which is what wasm asks (an arithmetic NaN; canonical when the operands
// are). min and max need more than minps/maxps, which return the second operand for NaN and
// for +0 vs -0 (see F32x4Min).
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#define GLINT_SSE41 [[gnu::target("sse4.1")]]

namespace glint::detail::simd {

using V = __m128i;

inline __m128 ps(V a) { return _mm_castsi128_ps(a); }
inline __m128d pd(V a) { return _mm_castsi128_pd(a); }
inline V vi(__m128 a) { return _mm_castps_si128(a); }
inline V vi(__m128d a) { return _mm_castpd_si128(a); }
inline V ones() { return _mm_set1_epi32(-1); }
inline V vnot(V a) { return _mm_xor_si128(a, ones()); }
inline V zero() { return _mm_setzero_si128(); }
// A v128 from and to memory that may be unaligned (slots, immediates, globals, linear memory).
// The interpreter's handlers use these, never the intrinsics: clang's intrinsics are
// always_inline, and clang 14's always-inliner recomputes the block frequencies of the whole
// caller at each site it inlines, even at -O0: with 623 sites in the interpreter's one big
// function that took 2.6 CPU minutes in the fuzz build (runtime/CMakeLists.txt).
inline V loadu(const void* p) { return _mm_loadu_si128(static_cast<const V*>(p)); }
inline void storeu(void* p, V v) { _mm_storeu_si128(static_cast<V*>(p), v); }

// ---- whole-vector ----------------------------------------------------------------------
inline V V128Not(V a) { return vnot(a); }
inline V V128And(V a, V b) { return _mm_and_si128(a, b); }
inline V V128Andnot(V a, V b) { return _mm_andnot_si128(b, a); }  // a & ~b
inline V V128Or(V a, V b) { return _mm_or_si128(a, b); }
inline V V128Xor(V a, V b) { return _mm_xor_si128(a, b); }
inline V V128Bitselect(V a, V b, V c) {  // bits of a where c is 1, of b where c is 0
  return _mm_or_si128(_mm_and_si128(a, c), _mm_andnot_si128(c, b));
}
inline uint32_t V128AnyTrue(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi8(a, zero())) != 0xFFFF; }

// ---- integer compares: all-ones lanes where true. Unsigned ones flip the sign bit of both
// operands (a bias) and compare signed.
inline V bias8(V a) { return _mm_xor_si128(a, _mm_set1_epi8(char(0x80))); }
inline V bias16(V a) { return _mm_xor_si128(a, _mm_set1_epi16(short(0x8000))); }
inline V bias32(V a) { return _mm_xor_si128(a, _mm_set1_epi32(int(0x80000000))); }

inline V I8x16Eq(V a, V b) { return _mm_cmpeq_epi8(a, b); }
inline V I8x16Ne(V a, V b) { return vnot(_mm_cmpeq_epi8(a, b)); }
inline V I8x16LtS(V a, V b) { return _mm_cmpgt_epi8(b, a); }
inline V I8x16GtS(V a, V b) { return _mm_cmpgt_epi8(a, b); }
inline V I8x16LeS(V a, V b) { return vnot(_mm_cmpgt_epi8(a, b)); }
inline V I8x16GeS(V a, V b) { return vnot(_mm_cmpgt_epi8(b, a)); }
inline V I8x16LtU(V a, V b) { return _mm_cmpgt_epi8(bias8(b), bias8(a)); }
inline V I8x16GtU(V a, V b) { return _mm_cmpgt_epi8(bias8(a), bias8(b)); }
inline V I8x16LeU(V a, V b) { return _mm_cmpeq_epi8(_mm_min_epu8(a, b), a); }
inline V I8x16GeU(V a, V b) { return _mm_cmpeq_epi8(_mm_max_epu8(a, b), a); }

inline V I16x8Eq(V a, V b) { return _mm_cmpeq_epi16(a, b); }
inline V I16x8Ne(V a, V b) { return vnot(_mm_cmpeq_epi16(a, b)); }
inline V I16x8LtS(V a, V b) { return _mm_cmpgt_epi16(b, a); }
inline V I16x8GtS(V a, V b) { return _mm_cmpgt_epi16(a, b); }
inline V I16x8LeS(V a, V b) { return vnot(_mm_cmpgt_epi16(a, b)); }
inline V I16x8GeS(V a, V b) { return vnot(_mm_cmpgt_epi16(b, a)); }
inline V I16x8LtU(V a, V b) { return _mm_cmpgt_epi16(bias16(b), bias16(a)); }
inline V I16x8GtU(V a, V b) { return _mm_cmpgt_epi16(bias16(a), bias16(b)); }
inline V I16x8LeU(V a, V b) { return vnot(I16x8GtU(a, b)); }
inline V I16x8GeU(V a, V b) { return vnot(I16x8LtU(a, b)); }

inline V I32x4Eq(V a, V b) { return _mm_cmpeq_epi32(a, b); }
inline V I32x4Ne(V a, V b) { return vnot(_mm_cmpeq_epi32(a, b)); }
inline V I32x4LtS(V a, V b) { return _mm_cmpgt_epi32(b, a); }
inline V I32x4GtS(V a, V b) { return _mm_cmpgt_epi32(a, b); }
inline V I32x4LeS(V a, V b) { return vnot(_mm_cmpgt_epi32(a, b)); }
inline V I32x4GeS(V a, V b) { return vnot(_mm_cmpgt_epi32(b, a)); }
inline V I32x4LtU(V a, V b) { return _mm_cmpgt_epi32(bias32(b), bias32(a)); }
inline V I32x4GtU(V a, V b) { return _mm_cmpgt_epi32(bias32(a), bias32(b)); }
inline V I32x4LeU(V a, V b) { return vnot(I32x4GtU(a, b)); }
inline V I32x4GeU(V a, V b) { return vnot(I32x4LtU(a, b)); }

// i64 lanes: equal where both halves are; a > b where the high halves compare so (signed), or
// are equal and the low halves compare so (unsigned: biased). The answer of each lane's high
// half is then copied to its low half.
inline V I64x2Eq(V a, V b) {
  V e = _mm_cmpeq_epi32(a, b);
  return _mm_and_si128(e, _mm_shuffle_epi32(e, _MM_SHUFFLE(2, 3, 0, 1)));
}
inline V I64x2Ne(V a, V b) { return vnot(I64x2Eq(a, b)); }
inline V I64x2GtS(V a, V b) {
  V low_bias = _mm_set_epi32(0, int(0x80000000), 0, int(0x80000000));
  V gt = _mm_cmpgt_epi32(_mm_xor_si128(a, low_bias), _mm_xor_si128(b, low_bias));
  V eq = _mm_cmpeq_epi32(a, b);
  V high_gt = _mm_shuffle_epi32(gt, _MM_SHUFFLE(3, 3, 1, 1));
  V high_eq = _mm_shuffle_epi32(eq, _MM_SHUFFLE(3, 3, 1, 1));
  V low_gt = _mm_shuffle_epi32(gt, _MM_SHUFFLE(2, 2, 0, 0));
  return _mm_or_si128(high_gt, _mm_and_si128(high_eq, low_gt));
}
inline V I64x2LtS(V a, V b) { return I64x2GtS(b, a); }
inline V I64x2LeS(V a, V b) { return vnot(I64x2GtS(a, b)); }
inline V I64x2GeS(V a, V b) { return vnot(I64x2GtS(b, a)); }

// ---- float compares (ordered, but ne is true for NaN) ------------------------------------
inline V F32x4Eq(V a, V b) { return vi(_mm_cmpeq_ps(ps(a), ps(b))); }
inline V F32x4Ne(V a, V b) { return vi(_mm_cmpneq_ps(ps(a), ps(b))); }
inline V F32x4Lt(V a, V b) { return vi(_mm_cmplt_ps(ps(a), ps(b))); }
inline V F32x4Gt(V a, V b) { return vi(_mm_cmplt_ps(ps(b), ps(a))); }
inline V F32x4Le(V a, V b) { return vi(_mm_cmple_ps(ps(a), ps(b))); }
inline V F32x4Ge(V a, V b) { return vi(_mm_cmple_ps(ps(b), ps(a))); }
inline V F64x2Eq(V a, V b) { return vi(_mm_cmpeq_pd(pd(a), pd(b))); }
inline V F64x2Ne(V a, V b) { return vi(_mm_cmpneq_pd(pd(a), pd(b))); }
inline V F64x2Lt(V a, V b) { return vi(_mm_cmplt_pd(pd(a), pd(b))); }
inline V F64x2Gt(V a, V b) { return vi(_mm_cmplt_pd(pd(b), pd(a))); }
inline V F64x2Le(V a, V b) { return vi(_mm_cmple_pd(pd(a), pd(b))); }
inline V F64x2Ge(V a, V b) { return vi(_mm_cmple_pd(pd(b), pd(a))); }

// ---- i8x16 -----------------------------------------------------------------------------
// |a| as unsigned is min_u(a, -a), and |-128| stays -128 as wasm wants.
inline V I8x16Abs(V a) { return _mm_min_epu8(a, _mm_sub_epi8(zero(), a)); }
inline V I8x16Neg(V a) { return _mm_sub_epi8(zero(), a); }
GLINT_SSE41 inline V I8x16Popcnt(V a) {  // each nibble's count from a 16-entry table
  V table = _mm_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  V nibble = _mm_set1_epi8(0x0F);
  V low = _mm_shuffle_epi8(table, _mm_and_si128(a, nibble));
  V high = _mm_shuffle_epi8(table, _mm_and_si128(_mm_srli_epi16(a, 4), nibble));
  return _mm_add_epi8(low, high);
}
inline uint32_t I8x16AllTrue(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi8(a, zero())) == 0; }
inline uint32_t I8x16Bitmask(V a) { return uint32_t(_mm_movemask_epi8(a)); }
inline V I8x16NarrowI16x8S(V a, V b) { return _mm_packs_epi16(a, b); }
inline V I8x16NarrowI16x8U(V a, V b) { return _mm_packus_epi16(a, b); }
// Bytes shift as 16-bit lanes, then lose the bits that crossed into the next byte.
inline V I8x16Shl(V a, uint32_t n) {
  n &= 7;
  V shifted = _mm_sll_epi16(a, _mm_cvtsi32_si128(int(n)));
  return _mm_and_si128(shifted, _mm_set1_epi8(char(0xFF << n)));
}
inline V I8x16ShrU(V a, uint32_t n) {
  n &= 7;
  V shifted = _mm_srl_epi16(a, _mm_cvtsi32_si128(int(n)));
  return _mm_and_si128(shifted, _mm_set1_epi8(char(0xFF >> n)));
}
// Each byte doubled into a 16-bit lane (its copy on top), shifted right arithmetically by
// 8 + n: the sign-extended byte shifted by n; then packed back.
inline V I8x16ShrS(V a, uint32_t n) {
  V count = _mm_cvtsi32_si128(int((n & 7) + 8));
  V low = _mm_sra_epi16(_mm_unpacklo_epi8(a, a), count);
  V high = _mm_sra_epi16(_mm_unpackhi_epi8(a, a), count);
  return _mm_packs_epi16(low, high);
}
inline V I8x16Add(V a, V b) { return _mm_add_epi8(a, b); }
inline V I8x16AddSatS(V a, V b) { return _mm_adds_epi8(a, b); }
inline V I8x16AddSatU(V a, V b) { return _mm_adds_epu8(a, b); }
inline V I8x16Sub(V a, V b) { return _mm_sub_epi8(a, b); }
inline V I8x16SubSatS(V a, V b) { return _mm_subs_epi8(a, b); }
inline V I8x16SubSatU(V a, V b) { return _mm_subs_epu8(a, b); }
inline V I8x16MinS(V a, V b) { return bias8(_mm_min_epu8(bias8(a), bias8(b))); }
inline V I8x16MaxS(V a, V b) { return bias8(_mm_max_epu8(bias8(a), bias8(b))); }
inline V I8x16MinU(V a, V b) { return _mm_min_epu8(a, b); }
inline V I8x16MaxU(V a, V b) { return _mm_max_epu8(a, b); }
inline V I8x16AvgrU(V a, V b) { return _mm_avg_epu8(a, b); }
// Lanes of a by the indices in b; an index of 16 or more selects 0 (pshufb selects 0 when the
// index byte's top bit is set, and adding 0x70 with unsigned saturation sets it for those).
GLINT_SSE41 inline V I8x16Swizzle(V a, V b) {
  return _mm_shuffle_epi8(a, _mm_adds_epu8(b, _mm_set1_epi8(0x70)));
}
GLINT_SSE41 inline V I8x16Shuffle(V a, V b, V mask_a, V mask_b) {
  return _mm_or_si128(_mm_shuffle_epi8(a, mask_a), _mm_shuffle_epi8(b, mask_b));
}
inline V I8x16Splat(uint64_t x) { return _mm_set1_epi8(char(x)); }

// ---- i16x8 -----------------------------------------------------------------------------
inline V I16x8Abs(V a) { return _mm_max_epi16(a, _mm_sub_epi16(zero(), a)); }
inline V I16x8Neg(V a) { return _mm_sub_epi16(zero(), a); }
// pmulhrsw rounds (a * b + 0x4000) >> 15 as wasm does, but gives 0x8000 for -1 * -1 (0x8000
// squared), where wasm saturates to 0x7FFF: flip those lanes.
GLINT_SSE41 inline V I16x8Q15mulrSatS(V a, V b) {
  V r = _mm_mulhrs_epi16(a, b);
  return _mm_xor_si128(r, _mm_cmpeq_epi16(r, _mm_set1_epi16(short(0x8000))));
}
inline uint32_t I16x8AllTrue(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi16(a, zero())) == 0; }
inline uint32_t I16x8Bitmask(V a) {
  return uint32_t(_mm_movemask_epi8(_mm_packs_epi16(a, zero())));  // packing keeps the sign
}
inline V I16x8NarrowI32x4S(V a, V b) { return _mm_packs_epi32(a, b); }
GLINT_SSE41 inline V I16x8NarrowI32x4U(V a, V b) { return _mm_packus_epi32(a, b); }
// A byte twice in a 16-bit lane, shifted right arithmetically by 8: the byte sign-extended.
inline V I16x8ExtendLowI8x16S(V a) { return _mm_srai_epi16(_mm_unpacklo_epi8(a, a), 8); }
inline V I16x8ExtendHighI8x16S(V a) { return _mm_srai_epi16(_mm_unpackhi_epi8(a, a), 8); }
inline V I16x8ExtendLowI8x16U(V a) { return _mm_unpacklo_epi8(a, zero()); }
inline V I16x8ExtendHighI8x16U(V a) { return _mm_unpackhi_epi8(a, zero()); }
inline V I16x8Shl(V a, uint32_t n) { return _mm_sll_epi16(a, _mm_cvtsi32_si128(int(n & 15))); }
inline V I16x8ShrS(V a, uint32_t n) { return _mm_sra_epi16(a, _mm_cvtsi32_si128(int(n & 15))); }
inline V I16x8ShrU(V a, uint32_t n) { return _mm_srl_epi16(a, _mm_cvtsi32_si128(int(n & 15))); }
inline V I16x8Add(V a, V b) { return _mm_add_epi16(a, b); }
inline V I16x8AddSatS(V a, V b) { return _mm_adds_epi16(a, b); }
inline V I16x8AddSatU(V a, V b) { return _mm_adds_epu16(a, b); }
inline V I16x8Sub(V a, V b) { return _mm_sub_epi16(a, b); }
inline V I16x8SubSatS(V a, V b) { return _mm_subs_epi16(a, b); }
inline V I16x8SubSatU(V a, V b) { return _mm_subs_epu16(a, b); }
inline V I16x8Mul(V a, V b) { return _mm_mullo_epi16(a, b); }
inline V I16x8MinS(V a, V b) { return _mm_min_epi16(a, b); }
inline V I16x8MaxS(V a, V b) { return _mm_max_epi16(a, b); }
inline V I16x8MinU(V a, V b) { return bias16(_mm_min_epi16(bias16(a), bias16(b))); }
inline V I16x8MaxU(V a, V b) { return bias16(_mm_max_epi16(bias16(a), bias16(b))); }
inline V I16x8AvgrU(V a, V b) { return _mm_avg_epu16(a, b); }
inline V I16x8ExtmulLowI8x16S(V a, V b) {
  return _mm_mullo_epi16(I16x8ExtendLowI8x16S(a), I16x8ExtendLowI8x16S(b));
}
inline V I16x8ExtmulHighI8x16S(V a, V b) {
  return _mm_mullo_epi16(I16x8ExtendHighI8x16S(a), I16x8ExtendHighI8x16S(b));
}
inline V I16x8ExtmulLowI8x16U(V a, V b) {
  return _mm_mullo_epi16(I16x8ExtendLowI8x16U(a), I16x8ExtendLowI8x16U(b));
}
inline V I16x8ExtmulHighI8x16U(V a, V b) {
  return _mm_mullo_epi16(I16x8ExtendHighI8x16U(a), I16x8ExtendHighI8x16U(b));
}
// Pairs of bytes added into 16-bit lanes: the even byte (shifted up and back, sign-extending
// or not) plus the odd one (shifted down).
inline V I16x8ExtaddPairwiseI8x16S(V a) {
  return _mm_add_epi16(_mm_srai_epi16(_mm_slli_epi16(a, 8), 8), _mm_srai_epi16(a, 8));
}
inline V I16x8ExtaddPairwiseI8x16U(V a) {
  return _mm_add_epi16(_mm_and_si128(a, _mm_set1_epi16(0xFF)), _mm_srli_epi16(a, 8));
}
inline V I16x8Splat(uint64_t x) { return _mm_set1_epi16(short(x)); }

// ---- i32x4 -----------------------------------------------------------------------------
inline V I32x4Abs(V a) {
  V sign = _mm_srai_epi32(a, 31);
  return _mm_sub_epi32(_mm_xor_si128(a, sign), sign);
}
inline V I32x4Neg(V a) { return _mm_sub_epi32(zero(), a); }
inline uint32_t I32x4AllTrue(V a) { return _mm_movemask_epi8(_mm_cmpeq_epi32(a, zero())) == 0; }
inline uint32_t I32x4Bitmask(V a) { return uint32_t(_mm_movemask_ps(ps(a))); }
inline V I32x4ExtendLowI16x8S(V a) { return _mm_srai_epi32(_mm_unpacklo_epi16(a, a), 16); }
inline V I32x4ExtendHighI16x8S(V a) { return _mm_srai_epi32(_mm_unpackhi_epi16(a, a), 16); }
inline V I32x4ExtendLowI16x8U(V a) { return _mm_unpacklo_epi16(a, zero()); }
inline V I32x4ExtendHighI16x8U(V a) { return _mm_unpackhi_epi16(a, zero()); }
inline V I32x4Shl(V a, uint32_t n) { return _mm_sll_epi32(a, _mm_cvtsi32_si128(int(n & 31))); }
inline V I32x4ShrS(V a, uint32_t n) { return _mm_sra_epi32(a, _mm_cvtsi32_si128(int(n & 31))); }
inline V I32x4ShrU(V a, uint32_t n) { return _mm_srl_epi32(a, _mm_cvtsi32_si128(int(n & 31))); }
inline V I32x4Add(V a, V b) { return _mm_add_epi32(a, b); }
inline V I32x4Sub(V a, V b) { return _mm_sub_epi32(a, b); }
GLINT_SSE41 inline V I32x4Mul(V a, V b) { return _mm_mullo_epi32(a, b); }
GLINT_SSE41 inline V I32x4MinS(V a, V b) { return _mm_min_epi32(a, b); }
GLINT_SSE41 inline V I32x4MinU(V a, V b) { return _mm_min_epu32(a, b); }
GLINT_SSE41 inline V I32x4MaxS(V a, V b) { return _mm_max_epi32(a, b); }
GLINT_SSE41 inline V I32x4MaxU(V a, V b) { return _mm_max_epu32(a, b); }
inline V I32x4DotI16x8S(V a, V b) { return _mm_madd_epi16(a, b); }
// 16-bit products as low and high halves, interleaved into 32-bit lanes.
inline V I32x4ExtmulLowI16x8S(V a, V b) {
  return _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b));
}
inline V I32x4ExtmulHighI16x8S(V a, V b) {
  return _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epi16(a, b));
}
inline V I32x4ExtmulLowI16x8U(V a, V b) {
  return _mm_unpacklo_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b));
}
inline V I32x4ExtmulHighI16x8U(V a, V b) {
  return _mm_unpackhi_epi16(_mm_mullo_epi16(a, b), _mm_mulhi_epu16(a, b));
}
inline V I32x4ExtaddPairwiseI16x8S(V a) { return _mm_madd_epi16(a, _mm_set1_epi16(1)); }
// Unsigned: biased to signed (each lane - 32768), added in pairs, the 2 * 32768 added back.
inline V I32x4ExtaddPairwiseI16x8U(V a) {
  V sums = _mm_madd_epi16(bias16(a), _mm_set1_epi16(1));
  return _mm_add_epi32(sums, _mm_set1_epi32(0x10000));
}
inline V I32x4Splat(uint64_t x) { return _mm_set1_epi32(int(x)); }

// ---- i64x2 -----------------------------------------------------------------------------
inline V sign64(V a) {  // each lane's sign bit in all its bits
  return _mm_shuffle_epi32(_mm_srai_epi32(a, 31), _MM_SHUFFLE(3, 3, 1, 1));
}
inline V I64x2Abs(V a) {
  V sign = sign64(a);
  return _mm_sub_epi64(_mm_xor_si128(a, sign), sign);
}
inline V I64x2Neg(V a) { return _mm_sub_epi64(zero(), a); }
inline uint32_t I64x2AllTrue(V a) {
  V z = _mm_cmpeq_epi32(a, zero());
  V both = _mm_and_si128(z, _mm_shuffle_epi32(z, _MM_SHUFFLE(2, 3, 0, 1)));  // a lane is 0
  return _mm_movemask_pd(pd(both)) == 0;
}
inline uint32_t I64x2Bitmask(V a) { return uint32_t(_mm_movemask_pd(pd(a))); }
inline V I64x2ExtendLowI32x4S(V a) { return _mm_unpacklo_epi32(a, _mm_srai_epi32(a, 31)); }
inline V I64x2ExtendHighI32x4S(V a) { return _mm_unpackhi_epi32(a, _mm_srai_epi32(a, 31)); }
inline V I64x2ExtendLowI32x4U(V a) { return _mm_unpacklo_epi32(a, zero()); }
inline V I64x2ExtendHighI32x4U(V a) { return _mm_unpackhi_epi32(a, zero()); }
inline V I64x2Shl(V a, uint32_t n) { return _mm_sll_epi64(a, _mm_cvtsi32_si128(int(n & 63))); }
inline V I64x2ShrU(V a, uint32_t n) { return _mm_srl_epi64(a, _mm_cvtsi32_si128(int(n & 63))); }
// No arithmetic 64-bit shift before AVX-512: the logical one, with the sign shifted in from
// the top (a shift by 64 gives 0, which covers n = 0).
inline V I64x2ShrS(V a, uint32_t n) {
  n &= 63;
  V fill = _mm_sll_epi64(sign64(a), _mm_cvtsi32_si128(int(64 - n)));
  return _mm_or_si128(_mm_srl_epi64(a, _mm_cvtsi32_si128(int(n))), fill);
}
inline V I64x2Add(V a, V b) { return _mm_add_epi64(a, b); }
inline V I64x2Sub(V a, V b) { return _mm_sub_epi64(a, b); }
// From 32-bit halves: lo * lo + ((hi * lo + lo * hi) << 32), each product 64-bit unsigned.
inline V I64x2Mul(V a, V b) {
  V low = _mm_mul_epu32(a, b);
  V cross = _mm_add_epi64(_mm_mul_epu32(_mm_srli_epi64(a, 32), b),
                          _mm_mul_epu32(a, _mm_srli_epi64(b, 32)));
  return _mm_add_epi64(low, _mm_slli_epi64(cross, 32));
}
// pmuldq and pmuludq multiply lanes 0 and 2: spread the two lanes of a half there.
GLINT_SSE41 inline V I64x2ExtmulLowI32x4S(V a, V b) {
  return _mm_mul_epi32(_mm_shuffle_epi32(a, _MM_SHUFFLE(1, 1, 0, 0)),
                       _mm_shuffle_epi32(b, _MM_SHUFFLE(1, 1, 0, 0)));
}
GLINT_SSE41 inline V I64x2ExtmulHighI32x4S(V a, V b) {
  return _mm_mul_epi32(_mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 2, 2)),
                       _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 3, 2, 2)));
}
inline V I64x2ExtmulLowI32x4U(V a, V b) {
  return _mm_mul_epu32(_mm_shuffle_epi32(a, _MM_SHUFFLE(1, 1, 0, 0)),
                       _mm_shuffle_epi32(b, _MM_SHUFFLE(1, 1, 0, 0)));
}
inline V I64x2ExtmulHighI32x4U(V a, V b) {
  return _mm_mul_epu32(_mm_shuffle_epi32(a, _MM_SHUFFLE(3, 3, 2, 2)),
                       _mm_shuffle_epi32(b, _MM_SHUFFLE(3, 3, 2, 2)));
}
inline V I64x2Splat(uint64_t x) { return _mm_set1_epi64x(int64_t(x)); }

// ---- f32x4 and f64x2 -------------------------------------------------------------------
inline V F32x4Abs(V a) { return _mm_and_si128(a, _mm_set1_epi32(0x7FFFFFFF)); }
inline V F32x4Neg(V a) { return _mm_xor_si128(a, _mm_set1_epi32(int(0x80000000))); }
inline V F32x4Sqrt(V a) { return vi(_mm_sqrt_ps(ps(a))); }
inline V F32x4Add(V a, V b) { return vi(_mm_add_ps(ps(a), ps(b))); }
inline V F32x4Sub(V a, V b) { return vi(_mm_sub_ps(ps(a), ps(b))); }
inline V F32x4Mul(V a, V b) { return vi(_mm_mul_ps(ps(a), ps(b))); }
inline V F32x4Div(V a, V b) { return vi(_mm_div_ps(ps(a), ps(b))); }
inline V F64x2Abs(V a) { return _mm_and_si128(a, _mm_set1_epi64x(0x7FFFFFFFFFFFFFFF)); }
inline V F64x2Neg(V a) { return _mm_xor_si128(a, _mm_set1_epi64x(int64_t(0x8000000000000000ull))); }
inline V F64x2Sqrt(V a) { return vi(_mm_sqrt_pd(pd(a))); }
inline V F64x2Add(V a, V b) { return vi(_mm_add_pd(pd(a), pd(b))); }
inline V F64x2Sub(V a, V b) { return vi(_mm_sub_pd(pd(a), pd(b))); }
inline V F64x2Mul(V a, V b) { return vi(_mm_mul_pd(pd(a), pd(b))); }
inline V F64x2Div(V a, V b) { return vi(_mm_div_pd(pd(a), pd(b))); }

// NaN lanes of r become the canonical NaN (sign set, which wasm allows: only the payload is
// canonical). `payload` is the number of mantissa bits below the quiet bit.
inline V canonical_nans32(__m128 r) {
  __m128 nan = _mm_cmpunord_ps(r, r);
  __m128 all = _mm_or_ps(r, nan);                                  // NaN lanes all ones
  return vi(_mm_andnot_ps(ps(_mm_srli_epi32(vi(nan), 10)), all));  // keep 0xFFC00000
}
inline V canonical_nans64(__m128d r) {
  __m128d nan = _mm_cmpunord_pd(r, r);
  __m128d all = _mm_or_pd(r, nan);
  return vi(_mm_andnot_pd(pd(_mm_srli_epi64(vi(nan), 13)), all));  // keep 0xFFF8...
}
// minps(a, b) is b when either is NaN or when they are equal (+0 and -0 compare equal). Both
// orders, or'ed: a NaN in either operand makes the result's exponent all ones and its mantissa
// non-zero (a NaN), and min(+0, -0) the -0 that wasm wants; then NaNs are made canonical.
inline V F32x4Min(V a, V b) {
  __m128 either = _mm_or_ps(_mm_min_ps(ps(a), ps(b)), _mm_min_ps(ps(b), ps(a)));
  return canonical_nans32(either);
}
inline V F64x2Min(V a, V b) {
  __m128d either = _mm_or_pd(_mm_min_pd(pd(a), pd(b)), _mm_min_pd(pd(b), pd(a)));
  return canonical_nans64(either);
}
// max: both orders again; where they differ (a NaN, or +0 against -0) d is their xor, and
// (y | d) - d gives a NaN for a NaN and +0 - 0 = +0 for the zeros (y | d is -0 there).
inline V F32x4Max(V a, V b) {
  __m128 x = _mm_max_ps(ps(a), ps(b)), y = _mm_max_ps(ps(b), ps(a));
  __m128 d = _mm_xor_ps(x, y);
  return canonical_nans32(_mm_sub_ps(_mm_or_ps(y, d), d));
}
inline V F64x2Max(V a, V b) {
  __m128d x = _mm_max_pd(pd(a), pd(b)), y = _mm_max_pd(pd(b), pd(a));
  __m128d d = _mm_xor_pd(x, y);
  return canonical_nans64(_mm_sub_pd(_mm_or_pd(y, d), d));
}
// pmin(a, b) = b < a ? b : a, which is minps(b, a); pmax(a, b) = a < b ? b : a = maxps(b, a).
inline V F32x4Pmin(V a, V b) { return vi(_mm_min_ps(ps(b), ps(a))); }
inline V F32x4Pmax(V a, V b) { return vi(_mm_max_ps(ps(b), ps(a))); }
inline V F64x2Pmin(V a, V b) { return vi(_mm_min_pd(pd(b), pd(a))); }
inline V F64x2Pmax(V a, V b) { return vi(_mm_max_pd(pd(b), pd(a))); }

// Rounding to an integral value (roundps quiets a signalling NaN, as wasm wants).
constexpr int kRoundExact = _MM_FROUND_NO_EXC;
GLINT_SSE41 inline V F32x4Ceil(V a) {
  return vi(_mm_round_ps(ps(a), _MM_FROUND_TO_POS_INF | kRoundExact));
}
GLINT_SSE41 inline V F32x4Floor(V a) {
  return vi(_mm_round_ps(ps(a), _MM_FROUND_TO_NEG_INF | kRoundExact));
}
GLINT_SSE41 inline V F32x4Trunc(V a) {
  return vi(_mm_round_ps(ps(a), _MM_FROUND_TO_ZERO | kRoundExact));
}
GLINT_SSE41 inline V F32x4Nearest(V a) {
  return vi(_mm_round_ps(ps(a), _MM_FROUND_TO_NEAREST_INT | kRoundExact));
}
GLINT_SSE41 inline V F64x2Ceil(V a) {
  return vi(_mm_round_pd(pd(a), _MM_FROUND_TO_POS_INF | kRoundExact));
}
GLINT_SSE41 inline V F64x2Floor(V a) {
  return vi(_mm_round_pd(pd(a), _MM_FROUND_TO_NEG_INF | kRoundExact));
}
GLINT_SSE41 inline V F64x2Trunc(V a) {
  return vi(_mm_round_pd(pd(a), _MM_FROUND_TO_ZERO | kRoundExact));
}
GLINT_SSE41 inline V F64x2Nearest(V a) {
  return vi(_mm_round_pd(pd(a), _MM_FROUND_TO_NEAREST_INT | kRoundExact));
}

// ---- conversions -----------------------------------------------------------------------
inline V F32x4DemoteF64x2Zero(V a) { return vi(_mm_cvtpd_ps(pd(a))); }  // high lanes 0
inline V F64x2PromoteLowF32x4(V a) { return vi(_mm_cvtps_pd(ps(a))); }
inline V F32x4ConvertI32x4S(V a) { return vi(_mm_cvtepi32_ps(a)); }
// Unsigned: the high and low 16 bits convert exactly, the high ones times 65536 too, so the
// one rounding is the final addition's, as for a direct conversion.
inline V F32x4ConvertI32x4U(V a) {
  __m128 low = _mm_cvtepi32_ps(_mm_and_si128(a, _mm_set1_epi32(0xFFFF)));
  __m128 high = _mm_cvtepi32_ps(_mm_srli_epi32(a, 16));
  return vi(_mm_add_ps(_mm_mul_ps(high, _mm_set1_ps(65536.0f)), low));
}
inline V F64x2ConvertLowI32x4S(V a) { return vi(_mm_cvtepi32_pd(a)); }
// Unsigned: 2^52 + x is exact with x in the low mantissa bits; subtract 2^52.
inline V F64x2ConvertLowI32x4U(V a) {
  V magic = _mm_unpacklo_epi32(a, _mm_set1_epi32(0x43300000));
  return vi(_mm_sub_pd(pd(magic), _mm_set1_pd(4503599627370496.0)));
}
// Saturating truncation. cvttps2dq gives 0x80000000 for NaN and out of range: NaN lanes are
// zeroed first, and lanes at or above 2^31 flipped to 0x7FFFFFFF.
inline V I32x4TruncSatF32x4S(V a) {
  __m128 x = _mm_and_ps(ps(a), _mm_cmpord_ps(ps(a), ps(a)));
  V r = _mm_cvttps_epi32(x);
  V too_big = vi(_mm_cmple_ps(_mm_set1_ps(2147483648.0f), x));
  return _mm_xor_si128(r, too_big);
}
// Unsigned: NaN and negative lanes to 0 (maxps gives its second operand for NaN); lanes at or
// above 2^31 converted less 2^31 and the top bit set; at or above 2^32, all ones.
inline V I32x4TruncSatF32x4U(V a) {
  __m128 x = _mm_max_ps(ps(a), _mm_setzero_ps());
  __m128 two31 = _mm_set1_ps(2147483648.0f);
  __m128 big = _mm_cmple_ps(two31, x);
  V r = _mm_cvttps_epi32(_mm_sub_ps(x, _mm_and_ps(big, two31)));
  r = _mm_or_si128(r, _mm_and_si128(vi(big), _mm_set1_epi32(int(0x80000000))));
  return _mm_or_si128(r, vi(_mm_cmple_ps(_mm_set1_ps(4294967296.0f), x)));
}
inline V I32x4TruncSatF64x2SZero(V a) {
  __m128d x = _mm_and_pd(pd(a), _mm_cmpord_pd(pd(a), pd(a)));
  x = _mm_min_pd(x, _mm_set1_pd(2147483647.0));  // below -2^31 cvttpd2dq gives INT32_MIN
  return _mm_cvttpd_epi32(x);                    // high lanes 0
}
// Unsigned: clamped to [0, 2^32 - 1], truncated, then 2^52 added: the integer is the low
// 32 bits of the double, which a shuffle gathers.
GLINT_SSE41 inline V I32x4TruncSatF64x2UZero(V a) {
  __m128d x = _mm_max_pd(pd(a), _mm_setzero_pd());
  x = _mm_min_pd(x, _mm_set1_pd(4294967295.0));
  x = _mm_round_pd(x, _MM_FROUND_TO_ZERO | kRoundExact);
  x = _mm_add_pd(x, _mm_set1_pd(4503599627370496.0));
  return vi(_mm_shuffle_ps(ps(vi(x)), _mm_setzero_ps(), _MM_SHUFFLE(0, 0, 2, 0)));
}

inline V F32x4Splat(uint64_t x) { return _mm_set1_epi32(int(uint32_t(x))); }
inline V F64x2Splat(uint64_t x) { return _mm_set1_epi64x(int64_t(x)); }

// ---- relaxed SIMD: one deterministic choice each (runtime/DESIGN.md, "Relaxed SIMD") ------
// madd rounds the product and the sum separately, as f32x4.mul and f32x4.add do.
inline V F32x4RelaxedMadd(V a, V b, V c) { return F32x4Add(F32x4Mul(a, b), c); }
inline V F32x4RelaxedNmadd(V a, V b, V c) { return F32x4Sub(c, F32x4Mul(a, b)); }
inline V F64x2RelaxedMadd(V a, V b, V c) { return F64x2Add(F64x2Mul(a, b), c); }
inline V F64x2RelaxedNmadd(V a, V b, V c) { return F64x2Sub(c, F64x2Mul(a, b)); }
// Both operands signed, products summed in pairs without saturation (wrapping in 16 bits).
inline V I16x8RelaxedDotI8x16I7x16S(V a, V b) {
  V even = _mm_mullo_epi16(_mm_srai_epi16(_mm_slli_epi16(a, 8), 8),
                           _mm_srai_epi16(_mm_slli_epi16(b, 8), 8));
  V odd = _mm_mullo_epi16(_mm_srai_epi16(a, 8), _mm_srai_epi16(b, 8));
  return _mm_add_epi16(even, odd);
}
// Four products summed exactly in 32 bits, plus c.
inline V I32x4RelaxedDotI8x16I7x16AddS(V a, V b, V c) {
  V even = _mm_madd_epi16(_mm_srai_epi16(_mm_slli_epi16(a, 8), 8),
                          _mm_srai_epi16(_mm_slli_epi16(b, 8), 8));
  V odd = _mm_madd_epi16(_mm_srai_epi16(a, 8), _mm_srai_epi16(b, 8));
  return _mm_add_epi32(_mm_add_epi32(even, odd), c);
}

// ---- loads: N bytes at p (bounds already checked) --------------------------------------
inline V load16(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const V*>(p)); }
inline V load8(const uint8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const V*>(p)); }
template <class T>
T load_scalar(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline V V128Load(const uint8_t* p) { return load16(p); }
inline V V128Load8x8S(const uint8_t* p) { return I16x8ExtendLowI8x16S(load8(p)); }
inline V V128Load8x8U(const uint8_t* p) { return I16x8ExtendLowI8x16U(load8(p)); }
inline V V128Load16x4S(const uint8_t* p) { return I32x4ExtendLowI16x8S(load8(p)); }
inline V V128Load16x4U(const uint8_t* p) { return I32x4ExtendLowI16x8U(load8(p)); }
inline V V128Load32x2S(const uint8_t* p) { return I64x2ExtendLowI32x4S(load8(p)); }
inline V V128Load32x2U(const uint8_t* p) { return I64x2ExtendLowI32x4U(load8(p)); }
inline V V128Load8Splat(const uint8_t* p) { return I8x16Splat(*p); }
inline V V128Load16Splat(const uint8_t* p) { return I16x8Splat(load_scalar<uint16_t>(p)); }
inline V V128Load32Splat(const uint8_t* p) { return I32x4Splat(load_scalar<uint32_t>(p)); }
inline V V128Load64Splat(const uint8_t* p) { return I64x2Splat(load_scalar<uint64_t>(p)); }
inline V V128Load32Zero(const uint8_t* p) {
  return _mm_cvtsi32_si128(int(load_scalar<uint32_t>(p)));
}
inline V V128Load64Zero(const uint8_t* p) { return load8(p); }

// v with the lanes `mask` covers (all ones there) taken from `all`, a vector of x in every
// lane: replace_lane and the lane loads (the translator makes the mask).
inline V insert_lane(V v, V all, V mask) {
  return _mm_or_si128(_mm_andnot_si128(mask, v), _mm_and_si128(mask, all));
}

}  // namespace glint::detail::simd
