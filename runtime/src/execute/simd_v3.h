// The lane operations that x86-64-v3 (SSSE3 to AVX2) does in fewer instructions than the
// SSE2/SSE4.1 ones of execute/simd.h, with the same exact results. Only the x86-64-v3 copy of
// the interpreter uses them (interpreter_x86_64_v3.cpp makes its `simd::` this namespace); every
// other operation is simd.h's, compiled there with VEX encodings and vpbroadcast splats anyway.
// They are built for x86-64-v3 by attribute (they precede the copy's target pragma) and exist
// only in that copy, so no other code can end up calling them.
#pragma once
#include "execute/simd.h"

#define GLINT_V3 [[gnu::target("avx2,bmi,bmi2,lzcnt,popcnt,movbe")]]

namespace glint::detail::simd_v3 {

using namespace simd;  // whatever is not redefined below

// i64 compares: pcmpeqq, pcmpgtq instead of 32-bit compares and shuffles.
GLINT_V3 inline V I64x2Eq(V a, V b) { return _mm_cmpeq_epi64(a, b); }
GLINT_V3 inline V I64x2Ne(V a, V b) { return vnot(_mm_cmpeq_epi64(a, b)); }
GLINT_V3 inline V I64x2GtS(V a, V b) { return _mm_cmpgt_epi64(a, b); }
GLINT_V3 inline V I64x2LtS(V a, V b) { return _mm_cmpgt_epi64(b, a); }
GLINT_V3 inline V I64x2LeS(V a, V b) { return vnot(_mm_cmpgt_epi64(a, b)); }
GLINT_V3 inline V I64x2GeS(V a, V b) { return vnot(_mm_cmpgt_epi64(b, a)); }
GLINT_V3 inline uint32_t I64x2AllTrue(V a) {
  return _mm_movemask_pd(pd(_mm_cmpeq_epi64(a, zero()))) == 0;
}
GLINT_V3 inline V sign64(V a) { return _mm_cmpgt_epi64(zero(), a); }
GLINT_V3 inline V I64x2Abs(V a) {
  V sign = sign64(a);
  return _mm_sub_epi64(_mm_xor_si128(a, sign), sign);
}
GLINT_V3 inline V I64x2ShrS(V a, uint32_t n) {
  n &= 63;
  V fill = _mm_sll_epi64(sign64(a), _mm_cvtsi32_si128(int(64 - n)));
  return _mm_or_si128(_mm_srl_epi64(a, _mm_cvtsi32_si128(int(n))), fill);
}

// Unsigned compares by min/max (a <= b exactly where min(a, b) == a), no bias.
GLINT_V3 inline V I16x8LeU(V a, V b) { return _mm_cmpeq_epi16(_mm_min_epu16(a, b), a); }
GLINT_V3 inline V I16x8GeU(V a, V b) { return _mm_cmpeq_epi16(_mm_max_epu16(a, b), a); }
GLINT_V3 inline V I32x4LeU(V a, V b) { return _mm_cmpeq_epi32(_mm_min_epu32(a, b), a); }
GLINT_V3 inline V I32x4GeU(V a, V b) { return _mm_cmpeq_epi32(_mm_max_epu32(a, b), a); }

// pabs* (|-128| stays 0x80 as wasm wants), pminsb/pmaxsb, pminuw/pmaxuw.
GLINT_V3 inline V I8x16Abs(V a) { return _mm_abs_epi8(a); }
GLINT_V3 inline V I16x8Abs(V a) { return _mm_abs_epi16(a); }
GLINT_V3 inline V I32x4Abs(V a) { return _mm_abs_epi32(a); }
GLINT_V3 inline V I8x16MinS(V a, V b) { return _mm_min_epi8(a, b); }
GLINT_V3 inline V I8x16MaxS(V a, V b) { return _mm_max_epi8(a, b); }
GLINT_V3 inline V I16x8MinU(V a, V b) { return _mm_min_epu16(a, b); }
GLINT_V3 inline V I16x8MaxU(V a, V b) { return _mm_max_epu16(a, b); }

GLINT_V3 inline uint32_t V128AnyTrue(V a) { return !_mm_testz_si128(a, a); }

// The low halves widen with pmovsx/pmovzx (which also take a load as their operand).
GLINT_V3 inline V I16x8ExtendLowI8x16S(V a) { return _mm_cvtepi8_epi16(a); }
GLINT_V3 inline V I16x8ExtendLowI8x16U(V a) { return _mm_cvtepu8_epi16(a); }
GLINT_V3 inline V I32x4ExtendLowI16x8S(V a) { return _mm_cvtepi16_epi32(a); }
GLINT_V3 inline V I32x4ExtendLowI16x8U(V a) { return _mm_cvtepu16_epi32(a); }
GLINT_V3 inline V I64x2ExtendLowI32x4S(V a) { return _mm_cvtepi32_epi64(a); }
GLINT_V3 inline V I64x2ExtendLowI32x4U(V a) { return _mm_cvtepu32_epi64(a); }
GLINT_V3 inline V V128Load8x8S(const uint8_t* p) { return _mm_cvtepi8_epi16(load8(p)); }
GLINT_V3 inline V V128Load8x8U(const uint8_t* p) { return _mm_cvtepu8_epi16(load8(p)); }
GLINT_V3 inline V V128Load16x4S(const uint8_t* p) { return _mm_cvtepi16_epi32(load8(p)); }
GLINT_V3 inline V V128Load16x4U(const uint8_t* p) { return _mm_cvtepu16_epi32(load8(p)); }
GLINT_V3 inline V V128Load32x2S(const uint8_t* p) { return _mm_cvtepi32_epi64(load8(p)); }
GLINT_V3 inline V V128Load32x2U(const uint8_t* p) { return _mm_cvtepu32_epi64(load8(p)); }
GLINT_V3 inline V I16x8ExtmulLowI8x16S(V a, V b) {
  return _mm_mullo_epi16(_mm_cvtepi8_epi16(a), _mm_cvtepi8_epi16(b));
}
GLINT_V3 inline V I16x8ExtmulLowI8x16U(V a, V b) {
  return _mm_mullo_epi16(_mm_cvtepu8_epi16(a), _mm_cvtepu8_epi16(b));
}

// pmaddubsw multiplies unsigned bytes of its first operand by signed bytes of its second and
// adds pairs with signed saturation, which sums of two bytes (at most 510 in size) never reach.
GLINT_V3 inline V I16x8ExtaddPairwiseI8x16S(V a) { return _mm_maddubs_epi16(_mm_set1_epi8(1), a); }
GLINT_V3 inline V I16x8ExtaddPairwiseI8x16U(V a) { return _mm_maddubs_epi16(a, _mm_set1_epi8(1)); }

// replace_lane and the lane loads: one pblendvb under the translator's byte mask.
GLINT_V3 inline V insert_lane(V v, V all, V mask) { return _mm_blendv_epi8(v, all, mask); }

}  // namespace glint::detail::simd_v3
