// The save slot: counts updates, saves the count at update 10 (and in its save hook); on the
// next run `load` reads it back.
#include "glint_api.h"

static int32_t updates, loaded = -1;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (++updates == 10) glint_save_write(&updates, sizeof updates);
}

GLINT_EXPORT(save) void save(void) { glint_save_write(&updates, sizeof updates); }

GLINT_EXPORT(load) void load(void) {
  int32_t v = 0;
  if (glint_save_read(&v, sizeof v) == sizeof v) loaded = v;
}

GLINT_EXPORT(query_loaded) int query_loaded(void) { return loaded; }
