// Every drawing feature once, for screenshots: shapes, outlines, sprites (rotation, scale,
// flip, tint), text, layers, a zoomed and rotated camera, the mouse in world space, a tone.
#include "glint_api.h"

static int32_t atlas = -1;
static int frames;

GLINT_EXPORT(init) void init(void) {
  atlas = glint_asset_id(GLINT_STR("sprites.png"));
  glint_play_tone(GLINT_WAVE_SQUARE, 440, 0.2f, 0.3f);
}

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  ++frames;
}

GLINT_EXPORT(draw) void draw(void) {
  glint_clear_background(GLINT_RGBA(18, 22, 40, 255));
  for (int x = 0; x < 960; x += 40) glint_draw_line((float)x, 0, (float)x, 540, 1, 0x2A3050FF);
  for (int y = 0; y < 540; y += 40) glint_draw_line(0, (float)y, 960, (float)y, 1, 0x2A3050FF);

  glint_draw_rect(40, 60, 120, 70, GLINT_RGBA(220, 60, 60, 255));
  glint_draw_rect_lines(180, 60, 120, 70, 4, GLINT_RGBA(240, 200, 60, 255));
  glint_draw_circle(380, 95, 36, GLINT_RGBA(60, 180, 240, 255));
  glint_draw_circle_lines(480, 95, 36, 3, GLINT_RGBA(240, 240, 240, 255));
  glint_draw_line(540, 60, 660, 130, 6, GLINT_RGBA(120, 240, 120, 255));
  glint_draw_rect(700, 60, 120, 70, GLINT_RGBA(255, 255, 255, 96));  // translucent

  for (int i = 0; i < 4; ++i) {
    float x = 80 + 110.0f * (float)i;
    glint_draw_sprite(atlas, i, x, 220, 0, 4, 0, 0xFFFFFFFF);
    glint_draw_sprite(atlas, i, x, 320, (float)(frames * 3 + 30 * i), 3, 0, 0xFFFFFFFF);
    glint_draw_sprite(atlas, i, x + 40, 320, 0, 2, GLINT_FLIP_X | GLINT_FLIP_Y, 0xFFFFFFFF);
  }
  glint_draw_sprite(atlas, 0, 560, 220, 0, 4, 0, GLINT_RGBA(255, 120, 120, 255));
  glint_draw_sprite(atlas, 0, 640, 220, 0, 4, 0, GLINT_RGBA(120, 255, 120, 255));
  glint_draw_sprite(atlas, 0, 720, 220, 0, 4, GLINT_FLIP_X, GLINT_RGBA(120, 120, 255, 180));

  // A world seen through a zoomed, rotated camera; a HUD on top in screen space.
  glint_set_camera(0, 0, 1.5f, 15);
  glint_set_layer(-1);
  glint_draw_rect(-300, 30, 160, 100, GLINT_RGBA(70, 50, 110, 255));
  glint_set_layer(0);
  glint_draw_sprite(atlas, 2, -220, 80, 0, 2, 0, 0xFFFFFFFF);
  float mx = glint_mouse_world_x(), my = glint_mouse_world_y();
  glint_draw_circle_lines(mx, my, 10, 2, GLINT_RGBA(255, 80, 200, 255));
  glint_reset_camera();

  glint_draw_text(GLINT_STR("Glint host API showcase"), 40, 20, 24, 0xFFFFFFFF);
  glint_draw_text(GLINT_STR(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_\n"
                            "`abcdefghijklmnopqrstuvwxyz{|}~  The quick brown fox jumps over "
                            "the lazy dog."),
                  40, 470, 16, GLINT_RGBA(200, 220, 255, 255));
  glint_set_layer(5);  // over the text although drawn in the same call order
  glint_draw_rect(40, 500, 60, 30, GLINT_RGBA(255, 160, 0, 220));
}

GLINT_EXPORT(state_hash) uint64_t state_hash(void) { return (uint64_t)frames; }
