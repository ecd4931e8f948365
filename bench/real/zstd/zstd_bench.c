// The zstd workload: Zstandard (Debian's libzstd sources, unchanged) compressing and
// decompressing a generated corpus of about 1 MiB: text (words, numbers, a log-like record
// format) and a binary part (little-endian records, as game save data or assets), at levels
// 1, 3 and 9 through the one-shot API, then decompressing each frame and checking it against
// the input. The size argument is the corpus size in 64 KiB blocks. The checksum covers the
// compressed
// frames, so native and wasm must produce the same bytes. They do once one choice is made
// explicit: zstd picks its row-based match finder (levels 5 and up) for smaller windows when it
// has SSE2, so small inputs compressed differently natively; the row finder is always on here.
#include "../../c/bench.h"
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_c_useRowMatchFinder
#include "zstd.h"

static const char* const kWords[] = {
    "player", "spawn", "damage", "level", "tile", "sprite", "update", "render", "physics", "enemy",
    "pickup", "score", "the",    "a",     "of",   "and",    "to",     "in",     "is",      "with"};

// Text and binary records, deterministic from `seed`; returns the length written.
static size_t make_corpus(uint8_t* out, size_t cap, uint32_t seed) {
  size_t n = 0;
  uint32_t rng = seed;
  while (n + 128 < cap / 2) {  // text: log lines
    uint32_t r = bench_rand(&rng);
    n += (size_t)snprintf((char*)out + n, cap - n, "[%06u] %s %s %u at (%d, %d): %s %s\n",
                          r % 100000, kWords[r % 12], kWords[(r >> 5) % 20], (r >> 8) % 1000,
                          (int)(r >> 12) % 640 - 320, (int)(r >> 20) % 480 - 240,
                          kWords[(r >> 3) % 20], kWords[(r >> 11) % 12]);
  }
  while (n + 16 <= cap) {  // binary: 16-byte records with slowly changing fields
    uint32_t r = bench_rand(&rng);
    uint32_t rec[4] = {(uint32_t)(n / 16), r & 0xff, (r >> 8) & 0x3, 0x3f800000u + (r >> 20)};
    memcpy(out + n, rec, sizeof rec);
    n += 16;
  }
  return n;
}

static uint64_t run(int blocks) {
  const size_t cap = (size_t)blocks << 16;
  uint8_t* input = malloc(cap);
  size_t bound = ZSTD_compressBound(cap);
  uint8_t* frame = malloc(bound);
  uint8_t* back = malloc(cap);
  static const int kLevels[] = {1, 3, 9};
  uint64_t checksum = 0;
  size_t len = make_corpus(input, cap, 12345u);
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  for (int k = 0; k < 3; k++) {
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kLevels[k]);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_useRowMatchFinder, ZSTD_ps_enable);
    size_t size = ZSTD_compress2(cctx, frame, bound, input, len);
    if (ZSTD_isError(size)) {
      fprintf(stderr, "zstd: %s\n", ZSTD_getErrorName(size));
      exit(1);
    }
    size_t got = ZSTD_decompress(back, cap, frame, size);
    if (ZSTD_isError(got) || got != len || memcmp(back, input, len) != 0) {
      fprintf(stderr, "zstd: round trip failed at level %d\n", kLevels[k]);
      exit(1);
    }
    checksum = bench_mix(checksum, size);
    checksum = bench_mix_bytes(checksum, frame, size);
  }
  ZSTD_freeCCtx(cctx);
  free(input);
  free(frame);
  free(back);
  return checksum;
}

BENCH_MAIN(run, 16, 1)
