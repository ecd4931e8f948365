// New builds of reload_fp_v1.c that must not replace it, one per -D: a trap in on_reload
// (RELOAD_TRAP), an import the host does not have (RELOAD_LINK), a changed data layout and no
// save/load hooks (RELOAD_LAYOUT), a changed layout whose load hook traps (RELOAD_LOAD, a new
// build of reload_v1.c, which has save and load).
#include "glint_api.h"

static int32_t step(int32_t v) { return v + 1000; }
static int32_t (*volatile stepper)(int32_t);
static int32_t value, reloads;
#if defined(RELOAD_LAYOUT) || defined(RELOAD_LOAD)
static int32_t more[64];  // static data grows: every later address moves
#endif
#ifdef RELOAD_LOAD
GLINT_EXPORT(save) void save(void) { glint_save_write(&value, sizeof value); }
GLINT_EXPORT(load) void load(void) { __builtin_trap(); }
#endif

#ifdef RELOAD_LINK
__attribute__((import_module("glint"), import_name("no_such_function"))) void no_such_function(
    void);
#endif

GLINT_EXPORT(init) void init(void) { stepper = step; }
GLINT_EXPORT(on_reload) void on_reload(void) {
#ifdef RELOAD_TRAP
  value = -1;  // written before the trap: the rollback must undo it
  __builtin_trap();
#endif
#ifdef RELOAD_LINK
  no_such_function();
#endif
}
GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  value = stepper(value);
#if defined(RELOAD_LAYOUT) || defined(RELOAD_LOAD)
  more[value & 63] = value;
#endif
}
GLINT_EXPORT(query_value) int query_value(void) {
#if defined(RELOAD_LAYOUT) || defined(RELOAD_LOAD)
  return value + more[0];  // read, so that the array stays
#else
  return value;
#endif
}
GLINT_EXPORT(query_version) int query_version(void) { return 3; }
GLINT_EXPORT(query_reloads) int query_reloads(void) { return reloads; }  // as v1 has
