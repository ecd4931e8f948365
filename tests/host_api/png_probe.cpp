// png_probe FILE [--min-stddev X] [--pixel X Y RRGGBB [TOLERANCE]]...
// Checks a screenshot: it must load, its brightness must vary by at least X (not blank), and
// each listed pixel must be within TOLERANCE (default 8) of the color per channel. Prints what
// it measured; exits 1 if a check fails.
#include <stb/stb_image.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

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
    } else {
      std::printf("png_probe: bad argument '%s'\n", argv[i]);
      return 2;
    }
  }
  stbi_image_free(px);
  return failed ? 1 : 0;
}
