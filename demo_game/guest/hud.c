// What is drawn around the action: the floor and walls, the HUD strip (score, wave, hearts,
// rapid-fire gauge), the wave banner, the controls hint and the game-over screen.
#include <stdio.h>
#include <string.h>

#include "arena.h"

#define BLOCK 128.0f  // floor blocks: 64x64 frames (4x4 tiles) drawn at scale 2

static void text(const char* s, float x, float y, float size, glint_color color) {
  uint32_t n = (uint32_t)strlen(s);
  glint_draw_text(s, n, x + size / 8, y + size / 8, size, GLINT_RGBA(0, 0, 0, 200));  // shadow
  glint_draw_text(s, n, x, y, size, color);
}

static void text_centered(const char* s, float y, float size, glint_color color) {
  float w = glint_measure_text(s, (uint32_t)strlen(s), size);
  text(s, (SCREEN_W - w) / 2, y, size, color);
}

void draw_floor(void) {
  glint_clear_background(GLINT_RGBA(12, 12, 20, 255));
  glint_set_layer(LAYER_FLOOR);
  // Two block layouts in a fixed pattern, so the floor does not visibly repeat.
  int cols = (int)((FIELD_X1 - FIELD_X0) / BLOCK) + 1,
      rows = (int)((FIELD_Y1 - FIELD_Y0) / BLOCK) + 1;
  for (int by = 0; by < rows; ++by)
    for (int bx = 0; bx < cols; ++bx) {
      uint32_t h = (uint32_t)(bx * 73856093) ^ (uint32_t)(by * 19349663);
      glint_draw_sprite(assets.sprites, FR_FLOOR_BLOCK + (int)(h % 2),
                        FIELD_X0 + (float)bx * BLOCK + BLOCK / 2,
                        FIELD_Y0 + (float)by * BLOCK + BLOCK / 2, 0, 2, 0, 0xFFFFFFFF);
    }
  // Hazard walls: 16 px tiles all around the floor (they also cover the floor's ragged edge).
  for (float x = 0; x < SCREEN_W; x += WALL) {
    glint_draw_sprite(assets.sprites, FR_WALL, x + WALL / 2, HUD_H + WALL / 2, 0, 1, 0, 0xFFFFFFFF);
    glint_draw_sprite(assets.sprites, FR_WALL, x + WALL / 2, SCREEN_H - WALL / 2, 0, 1, 0,
                      0xFFFFFFFF);
  }
  for (float y = HUD_H + WALL; y < SCREEN_H - WALL; y += WALL) {
    glint_draw_sprite(assets.sprites, FR_WALL, WALL / 2, y + WALL / 2, 0, 1, 0, 0xFFFFFFFF);
    glint_draw_sprite(assets.sprites, FR_WALL, SCREEN_W - WALL / 2, y + WALL / 2, 0, 1, 0,
                      0xFFFFFFFF);
  }
}

static void draw_strip(void) {
  char buf[64];
  glint_draw_rect(0, 0, SCREEN_W, HUD_H, GLINT_RGBA(16, 16, 28, 255));
  glint_draw_rect(0, HUD_H - 2, SCREEN_W, 2, GLINT_RGBA(60, 64, 96, 255));
  snprintf(buf, sizeof buf, "SCORE %06d", (int)game.score);
  text(buf, 12, 8, 16, GLINT_RGBA(255, 255, 255, 255));
  snprintf(buf, sizeof buf, "BEST %06d", (int)(game.score > game.best ? game.score : game.best));
  text(buf, 232, 8, 16, GLINT_RGBA(150, 160, 200, 255));
  snprintf(buf, sizeof buf, "WAVE %d", (int)game.wave);
  text(buf, 470, 8, 16, GLINT_RGBA(255, 210, 90, 255));
  for (int i = 0; i < PLAYER_MAX_HP; ++i)
    glint_draw_sprite(assets.sprites, i < player.hp ? FR_HEART : FR_HEART_EMPTY,
                      SCREEN_W - 24 - (float)(PLAYER_MAX_HP - 1 - i) * 26, HUD_H / 2, 0, 1.5f, 0,
                      0xFFFFFFFF);
  if (player.rapid > 0) {  // the rapid-fire gauge
    glint_draw_sprite(assets.sprites, FR_BOLT, 640, HUD_H / 2, 0, 1.5f, 0, 0xFFFFFFFF);
    glint_draw_rect(656, 11, 100, 10, GLINT_RGBA(40, 40, 60, 255));
    glint_draw_rect(656, 11, 100 * player.rapid / 6, 10, GLINT_RGBA(255, 230, 60, 255));
  }
}

static void draw_game_over(void) {
  char buf[64];
  glint_set_layer(LAYER_OVERLAY);
  glint_draw_rect(0, 0, SCREEN_W, SCREEN_H, GLINT_RGBA(5, 5, 15, 170));
  text_centered("GAME OVER", 170, 56, GLINT_RGBA(255, 80, 90, 255));
  snprintf(buf, sizeof buf, "SCORE %d   WAVE %d   KILLS %d", (int)game.score, (int)game.wave,
           (int)game.kills);
  text_centered(buf, 260, 16, GLINT_RGBA(255, 255, 255, 255));
  if (game.score >= game.best && game.score > 0)
    text_centered("NEW BEST!", 290, 16, GLINT_RGBA(255, 220, 80, 255));
  if (game.step - game.over_step > 45)  // pulses, but always readable
    text_centered(
        "PRESS ENTER TO PLAY AGAIN", 340, 16,
        (game.step / 30) % 2 ? GLINT_RGBA(150, 230, 255, 255) : GLINT_RGBA(150, 230, 255, 150));
}

void draw_hud(void) {
  glint_set_layer(LAYER_HUD);
  draw_strip();
  if (game.banner > 0 && !game.over) {
    char buf[32];
    snprintf(buf, sizeof buf, "WAVE %d", (int)game.wave);
    float alpha = game.banner > 0.5f ? 1 : game.banner / 0.5f;
    text_centered(buf, 120, 48, GLINT_RGBA(255, 210, 90, (int)(255 * alpha)));
  }
  if (game.step < 60 * 6 && game.restarts == 0 && !game.over)
    text_centered("MOVE: WASD / ARROWS    SHOOT: SPACE / MOUSE    RESTART: ENTER", 494, 8 * 1.5f,
                  GLINT_RGBA(200, 210, 240, 230));
  if (game.stress > 0) {
    char buf[64];
    snprintf(buf, sizeof buf, "STRESS: %d entities", (int)entities_live());
    text(buf, 24, 56, 16, GLINT_RGBA(255, 120, 120, 255));
  }
  if (game.over) draw_game_over();
}
