#include "decode/reader.h"

namespace glint::detail {

void Reader::fail(const char* what) const { throw DecodeError(what, offset()); }
void Reader::fail(const std::string& what) const { throw DecodeError(what, offset()); }

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
