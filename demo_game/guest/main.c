// The arena module's lifecycle: init, update, draw, the messages from the enemies module, game
// over and restart, the state hash and the query_* exports the tests read.
#include <string.h>

#include "arena.h"

Player player;
Assets assets;
Game game;

uint64_t hash_bytes(uint64_t h, const void* data, uint32_t len) {  // FNV-1a
  const uint8_t* p = data;
  for (uint32_t i = 0; i < len; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

static void load_assets(void) {
  assets.sprites = glint_asset_id(GLINT_STR("sprites.png"));
  assets.snd_shoot = glint_asset_id(GLINT_STR("shoot.wav"));
  assets.snd_hit = glint_asset_id(GLINT_STR("hit.wav"));
  assets.snd_explode = glint_asset_id(GLINT_STR("explode.wav"));
  assets.snd_pickup = glint_asset_id(GLINT_STR("pickup.wav"));
  assets.snd_hurt = glint_asset_id(GLINT_STR("hurt.wav"));
  assets.snd_wave = glint_asset_id(GLINT_STR("wave.wav"));
  assets.snd_gameover = glint_asset_id(GLINT_STR("gameover.wav"));
  assets.music = glint_asset_id(GLINT_STR("music.wav"));
  if (assets.sprites < 0) glint_log_error(GLINT_STR("sprites.png not found in assets/"));
}

// A fresh round: everything but the best score and the restart count.
static void round_reset(void) {
  int32_t best = game.best, restarts = game.restarts, stress = game.stress;
  memset(&game, 0, sizeof game);
  game.best = best;
  game.restarts = restarts;
  game.stress = stress;
  player_reset();
  shots_reset();
  pickups_reset();
  fx_reset();
  waves_reset();
  glint_send_message(GLINT_STR("enemies"), MSG_RESET, 0, 0);
}

void game_over(void) {
  if (game.over) return;
  game.over = true;
  game.over_step = game.step;
  game.over_frame = glint_frame_count();
  if (game.score > game.best) game.best = game.score;
  glint_save_write(&game.best, sizeof game.best);
  sound(assets.snd_gameover, 0.8f, player.x);
  fx_burst(player.x, player.y, 60, 260, GLINT_RGBA(120, 200, 255, 255), 3);
  fx_ring(player.x, player.y, 120, GLINT_RGBA(120, 200, 255, 255));
  fx_shake(14);
}

GLINT_EXPORT(init) void init(void) {
  load_assets();
  game.stress = (int32_t)glint_shared_get(GLINT_STR("stress"));
  round_reset();
  glint_play_music(assets.music, 0.35f);
  glint_log_info(GLINT_STR("WASD/arrows move, Space or mouse shoots, Enter restarts"));
}

// The save slot keeps the best score (windowed play; headless runs keep it in memory).
GLINT_EXPORT(load) void load(void) {
  int32_t best = 0;
  if (glint_save_read(&best, sizeof best) == sizeof best && best > game.best) game.best = best;
}

// ---- Messages from the enemies module ----

static void on_hits(const Hit* hits, int n) {
  for (int i = 0; i < n; ++i) {
    shots_remove(hits[i].bullet_id);
    fx_burst(hits[i].x, hits[i].y, 4, 120, GLINT_RGBA(255, 240, 180, 255), 2);
  }
  if (n > 0) sound(assets.snd_hit, 0.35f, hits[0].x);
}

static const glint_color kEnemyColors[ENEMY_KINDS] = {
    GLINT_RGBA(255, 80, 70, 255), GLINT_RGBA(200, 110, 255, 255), GLINT_RGBA(255, 220, 60, 255),
    GLINT_RGBA(110, 230, 110, 255)};

static void on_kills(const Kill* kills, int n) {
  for (int i = 0; i < n; ++i) {
    const Kill* k = &kills[i];
    int kind = k->kind >= 0 && k->kind < ENEMY_KINDS ? k->kind : 0;
    bool big = kind == ENEMY_BRUTE;
    game.score += k->points;
    game.kills += 1;
    fx_burst(k->x, k->y, big ? 48 : 18, big ? 240 : 170, kEnemyColors[kind], big ? 4 : 3);
    fx_burst(k->x, k->y, 6, 80, GLINT_RGBA(255, 255, 255, 255), 2);
    fx_ring(k->x, k->y, big ? 90 : 40, kEnemyColors[kind]);
    fx_shake(big ? 10 : 3);
    sound(assets.snd_explode, big ? 0.9f : 0.5f, k->x);
    pickups_maybe_drop(k->x, k->y, kind);
  }
}

static void receive_messages(void) {
  static uint8_t buf[64 * 1024];
  int kind;
  while ((kind = glint_receive_message(buf, sizeof buf)) >= 0) {
    int size = glint_message_size();
    if (size > (int)sizeof buf) size = sizeof buf;
    if (kind == MSG_HITS) on_hits((const Hit*)buf, size / (int)sizeof(Hit));
    if (kind == MSG_KILLED && !game.over) on_kills((const Kill*)buf, size / (int)sizeof(Kill));
    if (kind == MSG_PLAYER_HIT && size == 4) {
      int32_t damage;
      memcpy(&damage, buf, 4);
      player_damage(damage);
    }
  }
}

// ---- The step ----

static bool restart_pressed(void) {
  return glint_key_pressed(GLINT_KEY_RETURN) || glint_key_pressed(GLINT_KEY_R) ||
         glint_gamepad_pressed(0, GLINT_PAD_START);
}

GLINT_EXPORT(update) void update(float dt) {
  game.step++;
  receive_messages();
  // A short pause after dying so a held fire key does not skip the score screen.
  if (game.over && game.step - game.over_step > 45 && restart_pressed()) {
    game.restarts++;
    round_reset();
  }
  if (!game.over) player_update(dt);
  shots_update(dt);
  pickups_update(dt);
  waves_update(dt);
  fx_update(dt);
  if (game.banner > 0) game.banner -= dt;
  shots_send_world();
  float cx, cy;
  fx_camera(&cx, &cy);
  glint_shared_set(GLINT_STR("camera.x"), cx);
  glint_shared_set(GLINT_STR("camera.y"), cy);
}

GLINT_EXPORT(draw) void draw(void) {
  float cx, cy;
  fx_camera(&cx, &cy);
  glint_set_camera(cx, cy, 1, 0);
  draw_floor();
  waves_draw();
  pickups_draw();
  shots_draw();
  player_draw();
  fx_draw();
  glint_reset_camera();
  draw_hud();
}

// ---- Determinism and tests ----

GLINT_EXPORT(state_hash) uint64_t state_hash(void) {
  uint64_t h = 0xcbf29ce484222325ull;
  h = hash_bytes(h, &player, sizeof player);
  h = hash_bytes(h, &game, sizeof game);
  h = shots_hash(h);
  return pickups_hash(h);
}

GLINT_EXPORT(query_score) int32_t query_score(void) { return game.score; }
GLINT_EXPORT(query_kills) int32_t query_kills(void) { return game.kills; }
GLINT_EXPORT(query_wave) int32_t query_wave(void) { return game.wave; }
GLINT_EXPORT(query_hp) int32_t query_hp(void) { return player.hp; }
GLINT_EXPORT(query_player_x) float query_player_x(void) { return player.x; }
GLINT_EXPORT(query_player_y) float query_player_y(void) { return player.y; }
GLINT_EXPORT(query_game_over) int32_t query_game_over(void) { return game.over ? 1 : 0; }
GLINT_EXPORT(query_game_over_frame) int32_t query_game_over_frame(void) {
  return game.over ? (int32_t)game.over_frame : -1;
}
GLINT_EXPORT(query_restarts) int32_t query_restarts(void) { return game.restarts; }
GLINT_EXPORT(query_round_steps) int32_t query_round_steps(void) { return (int32_t)game.step; }
// Everything alive in both modules: the player, bullets, pickups, particles, enemies and their
// bullets (the enemies module publishes its count).
int32_t entities_live(void) {
  return 1 + shots_live() + pickups_live() + fx_live() +
         (int32_t)glint_shared_get(GLINT_STR("enemies.entities"));
}
GLINT_EXPORT(query_entities) int32_t query_entities(void) { return entities_live(); }
