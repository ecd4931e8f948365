// A well-behaved module: counts its updates and draws a box. Runs next to the bad ones to show
// they do not take it down.
#include "glint_api.h"

static int updates;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  ++updates;
}

GLINT_EXPORT(draw) void draw(void) {
  glint_clear_background(GLINT_RGBA(30, 40, 60, 255));
  glint_draw_rect(100 + (float)(updates % 200), 300, 40, 40, GLINT_RGBA(80, 200, 120, 255));
}

GLINT_EXPORT(query_updates) int query_updates(void) { return updates; }
GLINT_EXPORT(state_hash) uint64_t state_hash(void) { return (uint64_t)updates * 2654435761u; }
