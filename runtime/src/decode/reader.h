// A bounds-checked cursor over wasm bytes: LEB128 integers, floats, names.
// Every failure throws DecodeError with the byte offset, so callers read straight-line code.
#pragma once
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

namespace glint::detail {

// Thrown while loading a module; caught at the API boundary and turned into glint::Error.
struct DecodeError : std::runtime_error {
  DecodeError(std::string msg, size_t off) : std::runtime_error(std::move(msg)), offset(off) {}
  size_t offset;
};

class Reader {
 public:
  Reader(const uint8_t* data, size_t size, size_t base = 0)
      : begin_(data), p_(data), end_(data + size), base_(base) {}

  size_t offset() const { return base_ + size_t(p_ - begin_); }  // absolute module offset
  bool done() const { return p_ >= end_; }
  size_t remaining() const { return size_t(end_ - p_); }
  const uint8_t* ptr() const { return p_; }

  // Out of line and cold: the inline readers below stay small, and no message is built unless
  // decoding fails.
  [[noreturn, gnu::cold]] void fail(const char* what) const;
  [[noreturn, gnu::cold]] void fail(const std::string& what) const;

  [[gnu::always_inline]] uint8_t u8() {
    if (p_ >= end_) fail("unexpected end");
    return *p_++;
  }
  // LEB128. Most encoded values fit one byte: that case is inline, the rest out of line.
  // always_inline: GCC otherwise keeps u32 out of line in the validator's large switch.
  [[gnu::always_inline]] uint32_t u32() { return one_byte() ? *p_++ : leb_u32(); }
  uint64_t u64() { return one_byte() ? *p_++ : leb_unsigned(64); }
  int32_t s32() { return one_byte() ? one_byte_signed() : leb_s32(); }
  int64_t s64() { return one_byte() ? one_byte_signed() : leb_signed(64); }
  int64_t s33() { return one_byte() ? one_byte_signed() : leb_signed(33); }  // block types
  uint32_t f32_bits() { return uint32_t(fixed(4)); }
  uint64_t f64_bits() { return fixed(8); }

  const uint8_t* bytes(size_t n) {
    if (n > remaining()) fail("unexpected end");
    const uint8_t* r = p_;
    p_ += n;
    return r;
  }
  void skip(size_t n) { bytes(n); }

  // A length-prefixed UTF-8 name; invalid UTF-8 is malformed.
  std::string name();

 private:
  bool one_byte() const { return p_ < end_ && *p_ < 0x80; }
  int32_t one_byte_signed() { return int8_t(uint8_t(*p_++ << 1)) >> 1; }  // sign bit is 0x40
  uint64_t fixed(int n) {
    const uint8_t* b = bytes(size_t(n));
    uint64_t v = 0;
    std::memcpy(&v, b, size_t(n));  // wasm is little-endian, like every host we target
    return v;
  }
  uint64_t leb_unsigned(int bits);
  int64_t leb_signed(int bits);
  uint32_t leb_u32();
  int32_t leb_s32();
  int leb32_length(uint64_t& bits) const;

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  size_t base_;
};

}  // namespace glint::detail
