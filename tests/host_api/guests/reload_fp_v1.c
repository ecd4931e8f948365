// Hot reload with a stored function pointer (see reload_fp_v2.c): init stores `step` in a
// global; update calls through it. After a reload the stored pointer must call the new build's
// `step`, and `value` must go on from where it was.
#include "glint_api.h"

static int32_t step(int32_t v) { return v + 1; }
static int32_t (*volatile stepper)(int32_t);
static int32_t value, reloads;

GLINT_EXPORT(init) void init(void) { stepper = step; }
GLINT_EXPORT(on_reload) void on_reload(void) { reloads += 1; }
GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  value = stepper(value);
}
GLINT_EXPORT(query_value) int query_value(void) { return value; }
GLINT_EXPORT(query_reloads) int query_reloads(void) { return reloads; }
GLINT_EXPORT(query_version) int query_version(void) { return 1; }
