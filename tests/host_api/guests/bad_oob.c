// Passes draw_text a pointer far outside its memory on its 5th update.
#include "glint_api.h"

static int updates;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (++updates == 5) glint_draw_text((const char*)0x7FFFFFF0, 100, 10, 10, 8, 0xFFFFFFFF);
}
