// Waves: when the field is clear, the next wave is announced and its enemies appear, each first
// shown as a blinking marker for a moment (so nothing spawns on the player unseen), then sent to
// the enemies module as MSG_SPAWN. In stress mode (--set stress=N) the count is kept at N.
#include <math.h>

#include "arena.h"

#define MAX_MARKERS 256
#define MARKER_TIME 0.7f
#define WAVE_PAUSE 2.0f

typedef struct {
  Spawn spawn;
  float timer;  // seconds until it becomes an enemy
} Marker;

static Marker markers[MAX_MARKERS];
static int marker_count;
static uint32_t last_spawn_step;  // the enemies' alive count lags a step behind a spawn

void waves_reset(void) {
  marker_count = 0;
  last_spawn_step = 0;
  game.wave_timer = 1.0f;
  // --set start_wave=N begins at wave N (to try the later waves).
  int start = (int)glint_shared_get(GLINT_STR("start_wave"));
  if (start > 1) game.wave = start - 1;
}

int waves_pending(void) { return marker_count; }

// A random point on the floor at least `min_dist` from the player.
static void spawn_point(float min_dist, float* x, float* y) {
  for (int tries = 0; tries < 20; ++tries) {
    *x = glint_random_range(FIELD_X0 + 30, FIELD_X1 - 30);
    *y = glint_random_range(FIELD_Y0 + 30, FIELD_Y1 - 30);
    float dx = *x - player.x, dy = *y - player.y;
    if (dx * dx + dy * dy >= min_dist * min_dist) return;
  }
}

static void mark(int kind, float x, float y, float delay) {
  if (marker_count < MAX_MARKERS)
    markers[marker_count++] = (Marker){{kind, x, y}, MARKER_TIME + delay};
}

static void start_wave(int n) {
  int chasers = 3 + 2 * n;
  int shooters = n >= 2 ? (n - 1 < 6 ? n - 1 : 6) : 0;
  int swarms = n >= 3 ? 1 + (n - 3) / 2 : 0;
  int brutes = n >= 4 ? (n - 2) / 2 : 0;
  float delay = 0, x, y;
  for (int i = 0; i < chasers; ++i, delay += 0.15f) {
    spawn_point(240, &x, &y);
    mark(ENEMY_CHASER, x, y, delay);
  }
  for (int i = 0; i < shooters; ++i, delay += 0.25f) {
    spawn_point(300, &x, &y);
    mark(ENEMY_SHOOTER, x, y, delay);
  }
  for (int i = 0; i < swarms; ++i, delay += 0.5f) {
    spawn_point(320, &x, &y);
    for (int j = 0; j < 7; ++j)
      mark(ENEMY_SWARMER, x + glint_random_range(-30, 30), y + glint_random_range(-30, 30), delay);
  }
  for (int i = 0; i < brutes; ++i, delay += 0.8f) {
    spawn_point(320, &x, &y);
    mark(ENEMY_BRUTE, x, y, delay);
  }
  game.banner = 2.0f;
  sound(assets.snd_wave, 0.7f, SCREEN_W / 2);
}

// Stress mode: top the enemies up to game.stress right away, a mix of every kind.
static void stress_fill(int alive) {
  static Spawn batch[4096];
  int missing = game.stress - alive, n = 0;
  for (; n < missing && n < 4096; ++n) {
    batch[n].kind = glint_random_int(0, 2);
    spawn_point(150, &batch[n].x, &batch[n].y);
  }
  if (n > 0) glint_send_message(GLINT_STR("enemies"), MSG_SPAWN, batch, n * sizeof(Spawn));
  last_spawn_step = game.step;
}

void waves_update(float dt) {
  int alive = (int)glint_shared_get(GLINT_STR("enemies.alive"));
  bool settled = game.step > last_spawn_step + 2;  // the alive count has seen our last spawn
  if (game.stress > 0) {
    if (settled && game.step % 30 == 0) stress_fill(alive);
    return;
  }
  // Markers count down; the ones that are due are sent as one message.
  static Spawn due[MAX_MARKERS];
  int n = 0;
  for (int i = 0; i < marker_count;) {
    markers[i].timer -= dt;
    if (markers[i].timer <= 0) {
      due[n++] = markers[i].spawn;
      markers[i] = markers[--marker_count];
    } else {
      ++i;
    }
  }
  if (n > 0) {
    glint_send_message(GLINT_STR("enemies"), MSG_SPAWN, due, n * sizeof(Spawn));
    last_spawn_step = game.step;
  }
  if (game.over || alive > 0 || marker_count > 0 || !settled) return;
  game.wave_timer -= dt;
  if (game.wave_timer <= 0) {
    game.wave++;
    game.wave_timer = WAVE_PAUSE;
    start_wave(game.wave);
  }
}

void waves_draw(void) {
  glint_set_layer(LAYER_MARKERS);
  for (int i = 0; i < marker_count; ++i) {
    const Marker* m = &markers[i];
    if (m->timer > MARKER_TIME) continue;  // not announced yet
    float k = m->timer / MARKER_TIME;      // 1 -> 0
    glint_color c =
        (game.step / 4) % 2 ? GLINT_RGBA(255, 255, 255, 220) : GLINT_RGBA(255, 255, 255, 120);
    glint_draw_sprite(assets.sprites, FR_SPAWN_MARKER, m->spawn.x, m->spawn.y, k * 180,
                      m->spawn.kind == ENEMY_BRUTE ? 4 : 2.5f, 0, c);
  }
}
