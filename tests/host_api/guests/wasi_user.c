// Uses libc the ordinary way (printf, clock_gettime, getentropy), which imports WASI functions:
// the host's stand-ins log the output, give game time and seeded random bytes.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "glint_api.h"

static long long clock_ms = -1;
static unsigned char entropy[8];

GLINT_EXPORT(init) void init(void) {
  printf("hello from printf %d\n", 42);
  fflush(stdout);
  getentropy(entropy, sizeof entropy);
}

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
    clock_ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

GLINT_EXPORT(query_clock_ms) long long query_clock_ms(void) { return clock_ms; }
GLINT_EXPORT(query_entropy) int query_entropy(void) {
  return entropy[0] | entropy[1] << 8 | entropy[2] << 16;
}
