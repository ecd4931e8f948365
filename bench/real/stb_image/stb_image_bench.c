// The image codec workload: stb_image and stb_image_write (Debian's libstb, unchanged) as an
// asset pipeline uses them: a generated RGB picture (gradients, circles, text-like noise) is
// written as PNG (zlib deflate with filters) and as JPEG at two qualities, then each file is
// decoded again (inflate and unfiltering; Huffman decoding, integer IDCT, upsampling, colour
// conversion). The checksum covers the encoded files and the decoded pixels. The size
// argument is the picture's side in units of 16 pixels.
#include "../../c/bench.h"
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

// A growable buffer that stb_image_write's callback appends to.
typedef struct {
  uint8_t* data;
  size_t len, cap;
} Buffer;

static void append(void* context, void* data, int size) {
  Buffer* b = context;
  if (b->len + (size_t)size > b->cap) {
    b->cap = (b->len + (size_t)size) * 2;
    b->data = realloc(b->data, b->cap);
  }
  memcpy(b->data + b->len, data, (size_t)size);
  b->len += (size_t)size;
}

static void make_picture(uint8_t* rgb, int w, int h) {
  uint32_t rng = 99;
  for (int y = 0; y < h; y++) {
    for (int x = 0; x < w; x++) {
      uint8_t* p = rgb + 3 * (y * w + x);
      int dx = x - w / 2, dy = y - h / 3;
      int ring = ((dx * dx + dy * dy) / 97) & 31;
      p[0] = (uint8_t)(x * 255 / w);
      p[1] = (uint8_t)(y * 255 / h ^ ring * 4);
      p[2] = (uint8_t)(ring < 12 ? 220 : 40 + (x + y) % 64);
      if ((y / 8) % 6 == 5 && (bench_rand(&rng) & 3) == 0) p[0] = p[1] = p[2] = 16;  // "text"
    }
  }
}

static uint64_t fold(uint64_t h, const uint8_t* bytes, size_t n) {
  for (size_t i = 0; i + 8 <= n; i += 8) {
    uint64_t word;
    memcpy(&word, bytes + i, 8);
    h = bench_mix(h, word);
  }
  return bench_mix(h, n);
}

static uint64_t run(int size) {
  int w = 16 * size, h = 12 * size;
  uint8_t* rgb = malloc((size_t)w * (size_t)h * 3);
  make_picture(rgb, w, h);
  uint64_t checksum = 0;
  for (int format = 0; format < 3; format++) {
    Buffer file = {0};
    int ok = format == 0
                 ? stbi_write_png_to_func(append, &file, w, h, 3, rgb, w * 3)
                 : stbi_write_jpg_to_func(append, &file, w, h, 3, rgb, format == 1 ? 90 : 50);
    if (!ok) {
      fprintf(stderr, "stb_image: encoding failed\n");
      exit(1);
    }
    int dw, dh, channels;
    uint8_t* back = stbi_load_from_memory(file.data, (int)file.len, &dw, &dh, &channels, 3);
    if (!back || dw != w || dh != h) {
      fprintf(stderr, "stb_image: decoding failed: %s\n", stbi_failure_reason());
      exit(1);
    }
    if (format == 0 && memcmp(back, rgb, (size_t)w * (size_t)h * 3) != 0) {
      fprintf(stderr, "stb_image: PNG round trip differs\n");
      exit(1);
    }
    checksum = fold(checksum, file.data, file.len);
    checksum = fold(checksum, back, (size_t)w * (size_t)h * 3);
    stbi_image_free(back);
    free(file.data);
  }
  free(rgb);
  return checksum;
}

BENCH_MAIN(run, 20, 4)
