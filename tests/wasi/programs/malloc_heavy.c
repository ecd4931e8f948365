// Heap stress: thousands of mallocs and frees of random sizes, realloc growth and shrink,
// calloc zeroing, large blocks that grow linear memory; every block's contents are checked and
// folded into a checksum printed at the end (and at each phase).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng = 12345;
static uint32_t next_rand(void) {
  rng = rng * 1664525u + 1013904223u;
  return rng >> 8;
}

static uint32_t checksum = 0;
static void mix(uint32_t v) { checksum = (checksum ^ v) * 16777619u; }

// Each block starts with its size and is filled with a pattern derived from its id.
struct Block {
  uint8_t* p;
  size_t size;
  uint32_t id;
};

static void fill(struct Block* b) {
  for (size_t i = 0; i < b->size; i++) b->p[i] = (uint8_t)(b->id * 31 + i);
}

static int verify(const struct Block* b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b->p[i] != (uint8_t)(b->id * 31 + i)) return 0;
  return 1;
}

enum { kSlots = 512, kRounds = 20000 };

int main(void) {
  static struct Block slots[kSlots];
  int bad = 0;
  uint32_t ids = 0;
  for (int round = 0; round < kRounds; round++) {
    struct Block* b = &slots[next_rand() % kSlots];
    uint32_t action = next_rand() % 4;
    if (b->p && action == 0) {  // free
      bad += !verify(b, b->size);
      mix(b->p[b->size / 2]);
      free(b->p);
      b->p = NULL;
    } else if (b->p && action == 1) {  // realloc, keeping the common prefix
      size_t n = 1 + next_rand() % 4096;
      uint8_t* q = realloc(b->p, n);
      if (!q) {
        puts("realloc failed");
        return 1;
      }
      b->p = q;
      bad += !verify(b, n < b->size ? n : b->size);
      b->size = n;
      fill(b);
    } else if (!b->p) {  // malloc (or calloc, which must be zeroed)
      b->size = 1 + next_rand() % (action == 2 ? 65536 : 256);
      b->id = ids++;
      if (action == 3) {
        b->p = calloc(b->size, 1);
        if (!b->p) {
          puts("calloc failed");
          return 1;
        }
        for (size_t i = 0; i < b->size; i++) bad += b->p[i] != 0;
      } else {
        b->p = malloc(b->size);
        if (!b->p) {
          puts("malloc failed");
          return 1;
        }
      }
      fill(b);
    }
    if (round % 5000 == 4999)
      printf("round %d: checksum %08x, %u blocks made\n", round + 1, checksum, ids);
  }
  size_t live = 0, bytes = 0;
  for (int i = 0; i < kSlots; i++)
    if (slots[i].p) {
      bad += !verify(&slots[i], slots[i].size);
      live++;
      bytes += slots[i].size;
      free(slots[i].p);
    }
  // A few big blocks force memory.grow; strings built with realloc exercise growth by doubling.
  for (int i = 0; i < 4; i++) {
    size_t n = (size_t)(4 + i) << 20;
    char* big = malloc(n);
    if (!big) {
      puts("big malloc failed");
      return 1;
    }
    memset(big, 'a' + i, n);
    mix((uint32_t)big[n - 1] + (uint32_t)n);
    free(big);
  }
  char* s = NULL;
  size_t len = 0, cap = 0;
  for (int i = 0; i < 10000; i++) {
    char piece[16];
    int k = snprintf(piece, sizeof piece, "%d,", i);
    if (len + (size_t)k + 1 > cap) {
      cap = cap ? cap * 2 : 16;
      s = realloc(s, cap);
    }
    memcpy(s + len, piece, (size_t)k + 1);
    len += (size_t)k;
  }
  for (size_t i = 0; i < len; i++) mix((uint8_t)s[i]);
  free(s);
  printf("live %zu blocks, %zu bytes; string %zu bytes, capacity %zu\n", live, bytes, len, cap);
  printf("checksum %08x, %d bad bytes\n", checksum, bad);
  return bad != 0;
}
