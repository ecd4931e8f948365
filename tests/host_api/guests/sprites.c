// The renderer benchmark: N sprites per frame (shared value "sprites", default 10000) in a
// slowly scrolling field, with almost no script work. With shared value "rotate" set, every
// sprite is rotated (the software renderer's slow path: textured triangles instead of blits).
#include "glint_api.h"

static int count, atlas, frames, rotate;

GLINT_EXPORT(init) void init(void) {
  count = (int)glint_shared_get(GLINT_STR("sprites"));
  if (count <= 0) count = 10000;
  atlas = glint_asset_id(GLINT_STR("sprites.png"));
  rotate = glint_shared_get(GLINT_STR("rotate")) != 0;
}

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  ++frames;
}

GLINT_EXPORT(draw) void draw(void) {
  glint_clear_background(GLINT_RGBA(0, 0, 0, 255));
  for (int i = 0; i < count; ++i) {
    float x = (float)((i * 37 + frames) % 960), y = (float)((i * 91) % 540);
    glint_draw_sprite(atlas, i & 3, x, y, rotate ? (float)(i + frames) : 0, 1, 0, 0xFFFFFFFF);
  }
}

GLINT_EXPORT(query_sprites) int query_sprites(void) { return count; }
