// Passes draw_text a length over the host's limit on argument lengths (max_host_arg_bytes,
// 16 MiB by default) on its 5th update: refused before the bounds are looked at.
#include "glint_api.h"

static int updates;
static const char text[] = "hello";

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (++updates == 5) glint_draw_text(text, 20u << 20, 10, 10, 8, 0xFFFFFFFF);
}
