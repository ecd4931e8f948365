// The new build of reload_fp_v1.c: the same data layout, `step` adds 100, and on_reload says it
// ran (v1 has one too, so both builds have the same static data). init is not called on a
// reload, so the stored pointer is still the one v1 stored.
#include "glint_api.h"

static int32_t step(int32_t v) { return v + 100; }
static int32_t (*volatile stepper)(int32_t);
static int32_t value, reloads;

GLINT_EXPORT(init) void init(void) { stepper = step; }
GLINT_EXPORT(on_reload) void on_reload(void) { reloads += 10; }
GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  value = stepper(value);
}
GLINT_EXPORT(query_value) int query_value(void) { return value; }
GLINT_EXPORT(query_reloads) int query_reloads(void) { return reloads; }
GLINT_EXPORT(query_version) int query_version(void) { return 2; }
