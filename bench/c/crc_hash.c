// Integer and bit work: CRC-32 (table driven), CRC-32C (bit at a time), FNV-1a and a 64-bit
// multiply-rotate hash over a 256 KiB buffer. Stresses shifts, xors, table loads, i64 multiply.
#include "bench.h"

#define BUF_SIZE (256 * 1024)

static uint8_t buf[BUF_SIZE];
static uint32_t crc_table[256];

static void make_crc_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32_table(const uint8_t* p, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) crc = crc_table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

// Castagnoli polynomial, one bit per step: branch-free masks instead of a table.
static uint32_t crc32c_bitwise(const uint8_t* p, size_t n, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= p[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
  }
  return ~crc;
}

static uint32_t fnv1a(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

static uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

// Reads 8 bytes at a time (memcpy keeps it alignment- and aliasing-safe).
static uint64_t word_hash(const uint8_t* p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ (n * 0x87c37b91114253d5ull);
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    w *= 0x4cf5ad432745937full;
    w = rotl64(w, 31);
    h ^= w;
    h = rotl64(h, 27) * 5 + 0x52dce729;
  }
  return h ^ (h >> 29);
}

static uint64_t run(int reps) {
  uint32_t seed = 0x1234567u;
  for (size_t i = 0; i < BUF_SIZE; i++) buf[i] = (uint8_t)bench_rand(&seed);
  make_crc_table();

  uint64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    buf[r % BUF_SIZE] ^= (uint8_t)r;  // each round hashes different data
    sum = bench_mix(sum, crc32_table(buf, BUF_SIZE, (uint32_t)r));
    sum = bench_mix(sum, crc32c_bitwise(buf, BUF_SIZE / 8, (uint32_t)r));
    sum = bench_mix(sum, fnv1a(buf, BUF_SIZE));
    sum = bench_mix(sum, word_hash(buf, BUF_SIZE, (uint64_t)r));
  }
  return sum;
}

BENCH_MAIN(run, 30, 1)
