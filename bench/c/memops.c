// Bulk memory: copies, overlapping moves and fills of sizes from 8 bytes to 64 KiB inside a
// 4 MiB buffer, plus whole-struct assignments. Built for wasm with -mbulk-memory, so memcpy,
// memmove and memset become memory.copy and memory.fill instructions.
#include "bench.h"

#define BUF (4 << 20)

static uint8_t buf[BUF];

typedef struct {
  uint32_t id;
  float pos[3], vel[3];
  uint8_t tag[36];
} Record;  // 64 bytes: copied by struct assignment

#define RECORDS 4096
static Record records[RECORDS], shadow[RECORDS];

static uint64_t sample(uint64_t h) {
  for (size_t i = 0; i < BUF; i += 4093) h = bench_mix(h, buf[i]);
  return h;
}

static uint64_t run(int reps) {
  uint32_t seed = 0x3e3e3u;
  for (size_t i = 0; i < BUF; i++) buf[i] = (uint8_t)(i * 131 + (i >> 9));
  for (int i = 0; i < RECORDS; i++) records[i].id = (uint32_t)i;

  uint64_t sum = 0;
  for (int r = 0; r < reps; r++) {
    // Many small copies and fills (what game code does most).
    for (int k = 0; k < 20000; k++) {
      uint32_t size = 8u << (bench_rand(&seed) % 6);  // 8..256 bytes
      uint32_t from = bench_rand(&seed) % (BUF - size), to = bench_rand(&seed) % (BUF - size);
      if (k & 1)
        memmove(buf + to, buf + from, size);
      else
        memset(buf + to, (int)(k & 0xff), size / 2);
    }
    // Fewer large ones.
    for (int k = 0; k < 100; k++) {
      uint32_t size = 1024u << (bench_rand(&seed) % 7);  // 1..64 KiB
      uint32_t from = bench_rand(&seed) % (BUF / 2 - size);
      uint32_t to = BUF / 2 + bench_rand(&seed) % (BUF / 2 - size);
      memcpy(buf + to, buf + from, size);
      memset(buf + from, (int)r, size / 4);
    }
    // Overlapping shift of a 1 MiB window by a few bytes, both directions.
    memmove(buf + 1, buf, 1 << 20);
    memmove(buf + (1 << 20), buf + (1 << 20) + 3, 1 << 20);
    // Struct copies, then a rotation so the next round differs.
    for (int i = 0; i < RECORDS; i++) shadow[(i * 7) % RECORDS] = records[i];
    for (int i = 0; i < RECORDS; i++) {
      records[i] = shadow[i];
      records[i].tag[i % 36] ^= (uint8_t)r;
    }
    sum = bench_mix(sample(sum), records[r % RECORDS].id);
  }
  return sum;
}

BENCH_MAIN(run, 40, 1)
