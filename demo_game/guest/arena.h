// The arena module (C): player, player bullets, pickups, particles, score, waves, HUD, sound.
// Enemies live in the Rust module (enemies.rs); protocol.h is how the two talk.
//
// Everything here is plain global state advanced by update() at a fixed 60 Hz step. Gameplay
// randomness comes only from glint_random_* (the host's seeded stream), so a run is a function
// of the seed and the input script.
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "glint_api.h"
#include "protocol.h"

// ---- The field: a 960x540 screen; a HUD strip on top, hazard walls around the floor ----
#define SCREEN_W 960.0f
#define SCREEN_H 540.0f
#define HUD_H 32.0f
#define WALL 16.0f
#define FIELD_X0 WALL
#define FIELD_Y0 (HUD_H + WALL)
#define FIELD_X1 (SCREEN_W - WALL)
#define FIELD_Y1 (SCREEN_H - WALL)

// ---- Atlas frames (sprites.png; the table in assets/tools/make_assets.py) ----
enum {
  FR_PLAYER = 0,
  FR_PLAYER_BULLET = 10,
  FR_HEART = 12,
  FR_BOLT = 13,
  FR_GEM = 14,
  FR_PARTICLE = 15,
  FR_FLOOR = 16,  // three 16x16 tiles: 16, 17, 18
  FR_WALL = 19,
  FR_CROSSHAIR = 20,
  FR_SPAWN_MARKER = 21,
  FR_HEART_EMPTY = 22,
  FR_SHIELD = 23,
  FR_FLOOR_BLOCK = 56  // two 64x64 blocks of floor tiles: 56, 57
};

// ---- Draw layers (the enemies module draws its enemies on LAYER_ENEMIES) ----
enum {
  LAYER_FLOOR = 0,
  LAYER_MARKERS = 1,
  LAYER_PICKUPS = 2,
  LAYER_ENEMIES = 3,
  LAYER_SHOTS = 4,
  LAYER_PLAYER = 5,
  LAYER_ENEMY_SHOTS = 6,
  LAYER_FX = 7,
  LAYER_HUD = 10,
  LAYER_OVERLAY = 11
};

#define PLAYER_MAX_HP 5

typedef struct {
  float x, y, vx, vy;
  float aim_x, aim_y;   // unit vector the ship points and fires along
  float fire_cooldown;  // seconds until the next shot
  float invulnerable;   // seconds of blinking after a hit
  float rapid;          // seconds of rapid fire left (bolt pickup)
  int32_t hp;
  bool aiming_with_mouse;
} Player;

typedef struct {
  int32_t sprites;  // atlas id
  int32_t snd_shoot, snd_hit, snd_explode, snd_pickup, snd_hurt, snd_wave, snd_gameover;
  int32_t music;
} Assets;

typedef struct {
  uint32_t step;  // update steps since this round started
  int32_t score, best, kills, wave, restarts;
  bool over;            // game over: waiting for Enter / R
  uint32_t over_step;   // game.step when it ended
  uint32_t over_frame;  // glint_frame_count() when it ended (for the tests)
  float wave_timer;     // seconds until the next wave starts (when the field is clear)
  float banner;         // seconds the "WAVE n" banner still shows
  int32_t stress;       // --set stress=N: keep N enemies alive, god mode, auto fire
} Game;

extern Player player;
extern Assets assets;
extern Game game;

// player.c
void player_reset(void);
void player_update(float dt);
void player_damage(int32_t amount);
void player_draw(void);

// shots.c: the player's bullets
void shots_reset(void);
void shots_fire(float x, float y, float dx, float dy);
void shots_update(float dt);
void shots_remove(uint32_t id);
int shots_live(void);
void shots_send_world(void);  // MSG_WORLD to the enemies module
void shots_draw(void);
uint64_t shots_hash(uint64_t h);

// pickups.c
void pickups_reset(void);
void pickups_maybe_drop(float x, float y, int32_t enemy_kind);
void pickups_update(float dt);
int pickups_live(void);
void pickups_draw(void);
uint64_t pickups_hash(uint64_t h);

// fx.c: particles, rings, screen shake, sounds
void fx_reset(void);
void fx_burst(float x, float y, int count, float speed, glint_color color, float size);
void fx_ring(float x, float y, float radius, glint_color color);
void fx_shake(float amount);
void fx_update(float dt);
int fx_live(void);
void fx_draw(void);
void fx_camera(float* x, float* y);
void sound(int32_t id, float volume, float x);  // panned by screen x

// waves.c
void waves_reset(void);
void waves_update(float dt);
void waves_draw(void);
int waves_pending(void);

// hud.c
void draw_floor(void);
void draw_hud(void);

// main.c
void game_over(void);
int32_t entities_live(void);
uint64_t hash_bytes(uint64_t h, const void* data, uint32_t len);
float clampf(float v, float lo, float hi);
