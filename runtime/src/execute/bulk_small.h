// memory.copy and memory.fill of a few bytes, inline in their handlers (execute/interpreter.cpp):
// most copies and fills compiled code makes are struct-sized, where the call to the slow path
// (execute/bulk.cpp) and libc's own dispatch on the size cost more than the bytes.
#pragma once
#include <cstdint>
#include <cstring>

namespace glint::detail {

// Up to this many bytes are copied or filled inline.
constexpr uint64_t kSmallBulk = 64;

template <unsigned N>
struct Bytes {
  unsigned char b[N];
};

// Copies n <= kSmallBulk bytes from s to d, which may overlap: every load before any store.
[[gnu::always_inline]] inline void move_small(uint8_t* d, const uint8_t* s, uint64_t n) {
  auto move = [&]<unsigned N>(Bytes<N>) {
    Bytes<N> a, b;
    std::memcpy(&a, s, N);
    std::memcpy(&b, s + n - N, N);
    std::memcpy(d, &a, N);
    std::memcpy(d + n - N, &b, N);
  };
  if (n >= 16) {
    if (n > 32)
      move(Bytes<32>{});
    else
      move(Bytes<16>{});
  } else if (n >= 8) {
    move(Bytes<8>{});
  } else if (n >= 4) {
    move(Bytes<4>{});
  } else if (n >= 2) {
    move(Bytes<2>{});
  } else if (n) {
    *d = *s;
  }
}

// Fills n <= kSmallBulk bytes at d with byte v: words from both ends, overlapping in the middle.
[[gnu::always_inline]] inline void fill_small(uint8_t* d, uint8_t v, uint64_t n) {
  uint64_t w = v * 0x0101010101010101ull;
  auto put = [](uint8_t* p, auto x) { std::memcpy(p, &x, sizeof x); };
  if (n >= 8) {
    put(d, w);
    put(d + n - 8, w);
    if (n > 16) {
      put(d + 8, w);
      put(d + n - 16, w);
      if (n > 32) {
        put(d + 16, w);
        put(d + 24, w);
        put(d + n - 32, w);
        put(d + n - 24, w);
      }
    }
  } else if (n >= 4) {
    put(d, uint32_t(w));
    put(d + n - 4, uint32_t(w));
  } else if (n >= 2) {
    put(d, uint16_t(w));
    put(d + n - 2, uint16_t(w));
  } else if (n) {
    *d = v;
  }
}

// memory.copy and memory.fill on `size` bytes at `mem` (memory 0, 32-bit operands): done and
// true if in bounds, else false and nothing written (the slow path checks again and traps).
[[gnu::always_inline]] inline bool copy_in_place(uint8_t* mem, uint64_t size, uint64_t d,
                                                 uint64_t s, uint64_t n) {
  if (d + n > size || s + n > size) return false;
  if (n <= kSmallBulk)
    move_small(mem + d, mem + s, n);
  else
    std::memmove(mem + d, mem + s, n);
  return true;
}
[[gnu::always_inline]] inline bool fill_in_place(uint8_t* mem, uint64_t size, uint64_t d, uint8_t v,
                                                 uint64_t n) {
  if (d + n > size) return false;
  if (n <= kSmallBulk)
    fill_small(mem + d, v, n);
  else
    std::memset(mem + d, v, n);
  return true;
}

}  // namespace glint::detail
