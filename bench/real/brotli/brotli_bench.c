// The brotli workload: Brotli (Debian's brotli sources, unchanged) compressing a generated
// corpus of web-like text (HTML and JSON fragments, as a game's UI or asset manifests) at
// qualities 2, 5 and 9 with the one-shot API, then decompressing each stream and checking it
// against the input. The checksum covers the compressed streams. The size argument is the
// corpus size in 16 KiB blocks.
#include "../../c/bench.h"
#include "brotli/decode.h"
#include "brotli/encode.h"

static const char* const kTags[] = {"div", "span", "button", "img", "li", "a", "p", "section"};
static const char* const kWords[] = {"inventory", "health", "quest",    "sword", "shield", "map",
                                     "gold",      "level",  "settings", "audio", "video",  "back"};

static size_t make_corpus(char* out, size_t cap, uint32_t seed) {
  size_t n = 0;
  uint32_t rng = seed;
  while (n + 256 < cap) {
    uint32_t r = bench_rand(&rng);
    const char* tag = kTags[r % 8];
    if (r & 0x100) {
      n += (size_t)snprintf(out + n, cap - n, "<%s class=\"%s-%s\" id=\"e%u\">%s %s</%s>\n", tag,
                            kWords[(r >> 3) % 12], kWords[(r >> 7) % 12], r % 10000,
                            kWords[(r >> 11) % 12], kWords[(r >> 15) % 12], tag);
    } else {
      n += (size_t)snprintf(out + n, cap - n,
                            "{\"item\": \"%s\", \"count\": %u, \"price\": %u.%02u},\n",
                            kWords[(r >> 5) % 12], (r >> 9) % 100, (r >> 13) % 500, r % 100);
    }
  }
  return n;
}

static uint64_t run(int blocks) {
  size_t cap = (size_t)blocks << 14;
  char* input = malloc(cap);
  size_t len = make_corpus(input, cap, 777);
  size_t bound = BrotliEncoderMaxCompressedSize(len);
  uint8_t* stream = malloc(bound);
  uint8_t* back = malloc(len);
  static const int kQualities[] = {2, 5, 9};
  uint64_t checksum = len;
  for (int k = 0; k < 3; k++) {
    size_t size = bound;
    if (!BrotliEncoderCompress(kQualities[k], BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, len,
                               (const uint8_t*)input, &size, stream)) {
      fprintf(stderr, "brotli: compression failed at quality %d\n", kQualities[k]);
      exit(1);
    }
    size_t got = len;
    if (BrotliDecoderDecompress(size, stream, &got, back) != BROTLI_DECODER_RESULT_SUCCESS ||
        got != len || memcmp(back, input, len) != 0) {
      fprintf(stderr, "brotli: round trip failed at quality %d\n", kQualities[k]);
      exit(1);
    }
    checksum = bench_mix(checksum, size);
    checksum = bench_mix_bytes(checksum, stream, size);
  }
  free(input);
  free(stream);
  free(back);
  return checksum;
}

BENCH_MAIN(run, 32, 2)
