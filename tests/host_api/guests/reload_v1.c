// The "old version" of a module for the hot-reload test (see reload_v2.c).
#include "glint_api.h"

static int32_t state;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  state += 1;
}
GLINT_EXPORT(save) void save(void) { glint_save_write(&state, sizeof state); }
GLINT_EXPORT(load) void load(void) { glint_save_read(&state, sizeof state); }
GLINT_EXPORT(query_state) int query_state(void) { return state; }
GLINT_EXPORT(query_version) int query_version(void) { return 1; }
