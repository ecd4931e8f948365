// The "new version" of a module for the hot-reload test: keeps its state through save/load and
// says which hook ran.
#include "glint_api.h"

static int32_t state, reloaded;

GLINT_EXPORT(init) void init(void) { state = 1000; }
GLINT_EXPORT(on_reload) void on_reload(void) { reloaded = 1; }
GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  state += 2;
}
GLINT_EXPORT(save) void save(void) { glint_save_write(&state, sizeof state); }
GLINT_EXPORT(load) void load(void) { glint_save_read(&state, sizeof state); }
GLINT_EXPORT(query_state) int query_state(void) { return state; }
GLINT_EXPORT(query_version) int query_version(void) { return 2 + reloaded * 10; }
