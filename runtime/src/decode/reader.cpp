#include "decode/reader.h"

#include <bit>

namespace glint::detail {

void Reader::fail(const char* what) const { throw DecodeError(what, offset()); }
void Reader::fail(const std::string& what) const { throw DecodeError(what, offset()); }

// A multi-byte 32-bit LEB128 read at once (large.wasm has 47k per load, most of them
// five-byte i32 constants, which the byte loop took about 60 instructions for): the first 8
// bytes in one word, the length from the first byte without a continuation bit, the 7-bit
// groups put together by shifts. Returns the length (0: longer than 5 bytes, or fewer than 8
// bytes left: the byte loop reads it and reports what is wrong) and the value's 35 bits.
int Reader::leb32_length(uint64_t& bits) const {
  if (remaining() < 8) return 0;
  uint64_t w;
  std::memcpy(&w, p_, 8);  // little-endian: byte i in bits 8i..8i+7
  uint64_t last = ~w & 0x8080808080ull;
  if (last == 0) return 0;
  int n = std::countr_zero(last) / 8 + 1;
  w &= (uint64_t(1) << (8 * n)) - 1;
  bits = (w & 0x7F) | (w >> 1 & 0x3F80) | (w >> 2 & 0x1FC000) | (w >> 3 & 0xFE00000) |
         (w >> 4 & 0x7F0000000);
  return n;
}

uint32_t Reader::leb_u32() {
  uint64_t v;
  int n = leb32_length(v);
  if (n == 0 || v >> 32) return uint32_t(leb_unsigned(32));  // the byte loop names the error
  p_ += n;
  return uint32_t(v);
}

int32_t Reader::leb_s32() {
  uint64_t v;
  int n = leb32_length(v);
  // Five bytes: the last one's bits above the value's 32 must copy its sign bit.
  if (n == 0 || (n == 5 && ((v >> 31) + 1) % 16 > 1)) return int32_t(leb_signed(32));
  p_ += n;
  int shift = 64 - 7 * n;
  return int32_t(int64_t(v << shift) >> shift);
}

// Errors in a LEB128's last byte name that byte's offset (the cursor has moved past it).
uint64_t Reader::leb_unsigned(int bits) {
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    if (p_ >= end_) fail("unexpected end of LEB128 integer");
    uint8_t byte = *p_++;
    int remaining_bits = bits - shift;
    if (remaining_bits < 7) {
      // Last byte: no continuation, and the unused high bits must be zero.
      if (byte & 0x80) throw DecodeError("integer representation too long", offset() - 1);
      if (byte >> remaining_bits) throw DecodeError("integer too large", offset() - 1);
    }
    result |= uint64_t(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return result;
  }
}

// Built in uint64_t: the value's bits are put together unsigned and sign-extended by masking,
// so no signed shift or negation can overflow (a 10-byte s64 fills bit 63).
int64_t Reader::leb_signed(int bits) {
  uint64_t result = 0;
  int shift = 0;
  uint8_t byte;
  for (;;) {
    if (p_ >= end_) fail("unexpected end of LEB128 integer");
    byte = *p_++;
    int remaining_bits = bits - shift;
    if (remaining_bits < 7) {
      // Last byte: the unused bits must all equal the sign bit.
      if (byte & 0x80) throw DecodeError("integer representation too long", offset() - 1);
      int8_t rest = int8_t(byte << 1) >> remaining_bits;  // sign-extended bits above the value
      if (rest != 0 && rest != -1) throw DecodeError("integer too large", offset() - 1);
    }
    result |= uint64_t(byte & 0x7F) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 64 && (byte & 0x40)) result |= ~uint64_t(0) << shift;
  return int64_t(result);
}

static bool valid_utf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else
      return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

std::string Reader::name() {
  uint32_t n = u32();
  size_t start = offset();
  const uint8_t* b = bytes(n);
  if (!valid_utf8(b, n)) throw DecodeError("malformed UTF-8 encoding", start);  // the name's start
  return std::string(reinterpret_cast<const char*>(b), n);
}

}  // namespace glint::detail
