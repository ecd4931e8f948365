// Pickups dropped by dead enemies: gems (points), hearts (+1 hp), bolts (rapid fire). They bob,
// drift to a nearby player, blink before they vanish.
#include <math.h>

#include "arena.h"

#define MAX_PICKUPS 128
#define LIFE 9.0f
#define MAGNET 110.0f  // px: closer than this, the pickup flies to the player
#define GRAB 22.0f

enum { GEM, HEART, BOLT };

typedef struct {
  int32_t kind;
  float x, y, life;
} Pickup;

static Pickup items[MAX_PICKUPS];
static int count;

void pickups_reset(void) { count = 0; }

static void drop(int kind, float x, float y) {
  if (count < MAX_PICKUPS) items[count++] = (Pickup){kind, x, y, LIFE};
}

void pickups_maybe_drop(float x, float y, int32_t enemy_kind) {
  float roll = glint_random_float();
  if (enemy_kind == ENEMY_BRUTE)
    drop(roll < 0.5f ? HEART : BOLT, x, y);
  else if (roll < 0.05f)
    drop(HEART, x, y);
  else if (roll < 0.10f)
    drop(BOLT, x, y);
  else if (roll < 0.45f)
    drop(GEM, x, y);
}

static void collect(const Pickup* p) {
  if (p->kind == GEM) game.score += 25;
  if (p->kind == HEART && player.hp < PLAYER_MAX_HP) player.hp++;
  if (p->kind == BOLT) player.rapid = 6;
  static const glint_color colors[] = {GLINT_RGBA(80, 255, 180, 255), GLINT_RGBA(255, 80, 110, 255),
                                       GLINT_RGBA(255, 230, 60, 255)};
  fx_burst(p->x, p->y, 10, 110, colors[p->kind], 2);
  sound(assets.snd_pickup, 0.5f, p->x);
}

void pickups_update(float dt) {
  for (int i = 0; i < count;) {
    Pickup* p = &items[i];
    p->life -= dt;
    float dx = player.x - p->x, dy = player.y - p->y, d = sqrtf(dx * dx + dy * dy);
    bool taken = false;
    if (!game.over && d < MAGNET && d > 0.01f) {
      float pull = (MAGNET - d) * 4 + 60;
      p->x += dx / d * pull * dt;
      p->y += dy / d * pull * dt;
      taken = d < GRAB;
    }
    if (taken) collect(p);
    if (taken || p->life <= 0)
      items[i] = items[--count];
    else
      ++i;
  }
}

int pickups_live(void) { return count; }

void pickups_draw(void) {
  static const int frames[] = {FR_GEM, FR_HEART, FR_BOLT};
  glint_set_layer(LAYER_PICKUPS);
  for (int i = 0; i < count; ++i) {
    const Pickup* p = &items[i];
    if (p->life < 2 && (game.step / 5) % 2 == 0) continue;  // about to vanish: blink
    float bob = sinf(p->life * 5) * 3;
    glint_draw_circle(p->x, p->y + 12, 9, GLINT_RGBA(0, 0, 0, 70));  // shadow
    glint_draw_sprite(assets.sprites, frames[p->kind], p->x, p->y + bob, 0, 2, 0, 0xFFFFFFFF);
  }
}

uint64_t pickups_hash(uint64_t h) {
  h = hash_bytes(h, &count, sizeof count);
  return hash_bytes(h, items, (uint32_t)count * (uint32_t)sizeof(Pickup));
}
