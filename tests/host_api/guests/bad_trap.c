// Traps (wasm `unreachable`) on its 10th update after every (re)start.
#include "glint_api.h"

static int updates;

GLINT_EXPORT(init) void init(void) { glint_log_info(GLINT_STR("bad_trap: started")); }

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (++updates == 10) __builtin_trap();
}
