// png_probe FILE [--min-stddev X] [--pixel X Y RRGGBB [TOLERANCE]]...
//                [--same-region OTHER X Y W H]...
// Checks a screenshot: it must load, its brightness must vary by at least X (not blank),
// each listed pixel must be within TOLERANCE (default 8) of the color per channel, and each
// region must be the same, pixel for pixel, in the screenshot OTHER (a picture shown twice).
// Prints what it measured; exits 1 if a check fails.
#include <stb/stb_image.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

// Whether the region (x, y, rw, rh) of `px` (w x h) is the same in the PNG at `other`.
static bool same_region(const unsigned char* px, int w, int h, const char* other, int x, int y,
                        int rw, int rh) {
  int ow, oh, on;
  unsigned char* o = stbi_load(other, &ow, &oh, &on, 3);
  if (!o) {
    std::printf("FAIL: cannot load %s: %s\n", other, stbi_failure_reason());
    return false;
  }
  bool inside = x >= 0 && y >= 0 && rw > 0 && rh > 0 && x + rw <= std::min(w, ow) &&
                y + rh <= std::min(h, oh);
  long differ = 0;
  for (int j = 0; inside && j < rh; ++j)
    for (int i = 0; i < rw; ++i) {
      size_t a = 3 * (size_t(y + j) * size_t(w) + size_t(x + i));
      size_t b = 3 * (size_t(y + j) * size_t(ow) + size_t(x + i));
      differ += std::memcmp(px + a, o + b, 3) != 0;
    }
  stbi_image_free(o);
  if (!inside) {
    std::printf("FAIL: region %dx%d at (%d, %d) outside an image\n", rw, rh, x, y);
    return false;
  }
  std::printf("%s: region %dx%d at (%d, %d) as in %s: %ld pixels differ\n", differ ? "FAIL" : "ok",
              rw, rh, x, y, other, differ);
  return differ == 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: png_probe FILE [--min-stddev X] [--pixel X Y RRGGBB [TOL]]...\n");
    return 2;
  }
  int w, h, n;
  unsigned char* px = stbi_load(argv[1], &w, &h, &n, 3);
  if (!px) {
    std::printf("png_probe: cannot load %s: %s\n", argv[1], stbi_failure_reason());
    return 1;
  }
  double sum = 0, sum2 = 0;
  for (int i = 0; i < w * h; ++i) {
    double l = 0.299 * px[3 * i] + 0.587 * px[3 * i + 1] + 0.114 * px[3 * i + 2];
    sum += l;
    sum2 += l * l;
  }
  double mean = sum / (w * h), stddev = std::sqrt(std::max(0.0, sum2 / (w * h) - mean * mean));
  std::printf("png_probe: %s %dx%d, brightness mean %.1f, stddev %.1f\n", argv[1], w, h, mean,
              stddev);
  int failed = 0;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--min-stddev") && i + 1 < argc) {
      double want = std::atof(argv[++i]);
      if (stddev < want) {
        std::printf("FAIL: stddev %.1f < %.1f (blank image?)\n", stddev, want);
        ++failed;
      }
    } else if (!std::strcmp(argv[i], "--pixel") && i + 3 < argc) {
      int x = std::atoi(argv[i + 1]), y = std::atoi(argv[i + 2]);
      unsigned long want = std::strtoul(argv[i + 3], nullptr, 16);
      int tol = 8;
      i += 3;
      if (i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0) tol = std::atoi(argv[++i]);
      if (x < 0 || y < 0 || x >= w || y >= h) {
        std::printf("FAIL: pixel (%d, %d) outside the image\n", x, y);
        ++failed;
        continue;
      }
      const unsigned char* p = px + 3 * (size_t(y) * w + x);
      int r = int(want >> 16 & 255), g = int(want >> 8 & 255), b = int(want & 255);
      bool ok = std::abs(p[0] - r) <= tol && std::abs(p[1] - g) <= tol && std::abs(p[2] - b) <= tol;
      std::printf("%s: pixel (%d, %d) = %02X%02X%02X, want %06lX +-%d\n", ok ? "ok" : "FAIL", x, y,
                  p[0], p[1], p[2], want, tol);
      failed += !ok;
    } else if (!std::strcmp(argv[i], "--same-region") && i + 5 < argc) {
      const char* other = argv[i + 1];
      int x = std::atoi(argv[i + 2]), y = std::atoi(argv[i + 3]);
      int rw = std::atoi(argv[i + 4]), rh = std::atoi(argv[i + 5]);
      i += 5;
      failed += !same_region(px, w, h, other, x, y, rw, rh);
    } else {
      std::printf("png_probe: bad argument '%s'\n", argv[i]);
      return 2;
    }
  }
  stbi_image_free(px);
  return failed ? 1 : 0;
}
