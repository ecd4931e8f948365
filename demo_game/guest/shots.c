// The player's bullets. Each has an id so the enemies module can say which ones hit
// (MSG_HITS); every step the live ones go to it in MSG_WORLD.
#include <math.h>

#include "arena.h"

#define MAX_SHOTS 1024
#define SHOT_SPEED 560.0f
#define SHOT_LIFE 1.4f
#define SHOT_RADIUS 5.0f

typedef struct {
  uint32_t id;  // 0 = free slot
  float x, y, vx, vy, life;
} Shot;

static Shot shots[MAX_SHOTS];
static int count;  // shots[0..count) are live (removal swaps in the last one)
static uint32_t next_id;

void shots_reset(void) {
  count = 0;
  next_id = 1;
}

void shots_fire(float x, float y, float dx, float dy) {
  if (count == MAX_SHOTS) return;
  shots[count++] = (Shot){next_id++, x, y, dx * SHOT_SPEED, dy * SHOT_SPEED, SHOT_LIFE};
}

static void remove_at(int i) { shots[i] = shots[--count]; }

void shots_remove(uint32_t id) {
  for (int i = 0; i < count; ++i)
    if (shots[i].id == id) {
      remove_at(i);
      return;
    }
}

void shots_update(float dt) {
  for (int i = 0; i < count;) {
    Shot* s = &shots[i];
    s->x += s->vx * dt;
    s->y += s->vy * dt;
    s->life -= dt;
    bool out = s->x < FIELD_X0 || s->x > FIELD_X1 || s->y < FIELD_Y0 || s->y > FIELD_Y1;
    if (out) fx_burst(s->x, s->y, 3, 90, GLINT_RGBA(120, 220, 255, 255), 2);  // wall spark
    if (out || s->life <= 0)
      remove_at(i);
    else
      ++i;
  }
}

int shots_live(void) { return count; }

void shots_send_world(void) {
  static uint8_t buf[sizeof(World) + MAX_SHOTS * sizeof(Bullet)];
  World* w = (World*)buf;
  w->player_x = player.x;
  w->player_y = player.y;
  w->aim_x = player.aim_x;
  w->aim_y = player.aim_y;
  w->player_vulnerable = !game.over && player.invulnerable <= 0 && game.stress == 0;
  w->bullet_count = count;
  Bullet* b = (Bullet*)(buf + sizeof(World));
  for (int i = 0; i < count; ++i)
    b[i] = (Bullet){shots[i].id, shots[i].x, shots[i].y, shots[i].vx, shots[i].vy, SHOT_RADIUS, 1};
  glint_send_message(GLINT_STR("enemies"), MSG_WORLD, buf,
                     (uint32_t)(sizeof(World) + (uint32_t)count * sizeof(Bullet)));
}

void shots_draw(void) {
  glint_set_layer(LAYER_SHOTS);
  for (int i = 0; i < count; ++i) {
    float angle = atan2f(shots[i].vy, shots[i].vx) * 57.29578f;
    glint_draw_sprite(assets.sprites, FR_PLAYER_BULLET, shots[i].x, shots[i].y, angle, 2, 0,
                      0xFFFFFFFF);
  }
}

uint64_t shots_hash(uint64_t h) {
  h = hash_bytes(h, &count, sizeof count);
  return hash_bytes(h, shots, (uint32_t)count * (uint32_t)sizeof(Shot));
}
