// Effects: particles, expanding rings, screen shake and sounds. Purely cosmetic, so they draw
// from their own small generator (seeded from the host's stream each round) instead of making a
// host call per particle.
#include <math.h>

#include "arena.h"

#define MAX_PARTICLES 4096
#define MAX_RINGS 64

typedef struct {
  float x, y, vx, vy, life, max_life, size;
  glint_color color;
} Particle;

typedef struct {
  float x, y, radius, life;
  glint_color color;
} Ring;

static Particle parts[MAX_PARTICLES];
static Ring rings[MAX_RINGS];
static int part_count, ring_count;
static float shake;
static uint32_t rng;

static float frand(void) {  // xorshift32 -> [0, 1)
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return (float)(rng >> 8) * (1.0f / 16777216.0f);
}

void fx_reset(void) {
  part_count = ring_count = 0;
  shake = 0;
  rng = glint_random_u32() | 1;
}

void fx_burst(float x, float y, int n, float speed, glint_color color, float size) {
  for (int i = 0; i < n && part_count < MAX_PARTICLES; ++i) {
    float a = frand() * 6.2831853f, v = speed * (0.3f + 0.7f * frand());
    float life = 0.25f + 0.45f * frand();
    parts[part_count++] = (Particle){
        x, y, cosf(a) * v, sinf(a) * v, life, life, size * (0.7f + 0.6f * frand()), color};
  }
}

void fx_ring(float x, float y, float radius, glint_color color) {
  if (ring_count < MAX_RINGS) rings[ring_count++] = (Ring){x, y, radius, 0.35f, color};
}

void fx_shake(float amount) {
  if (amount > shake) shake = amount;
}

void fx_update(float dt) {
  float drag = 1 - 3 * dt;
  for (int i = 0; i < part_count;) {
    Particle* p = &parts[i];
    p->x += p->vx * dt;
    p->y += p->vy * dt;
    p->vx *= drag;
    p->vy *= drag;
    p->life -= dt;
    if (p->life <= 0)
      parts[i] = parts[--part_count];
    else
      ++i;
  }
  for (int i = 0; i < ring_count;) {
    rings[i].life -= dt;
    if (rings[i].life <= 0)
      rings[i] = rings[--ring_count];
    else
      ++i;
  }
  shake = shake > 0.3f ? shake * (1 - 8 * dt) : 0;
}

int fx_live(void) { return part_count + ring_count; }

void fx_camera(float* x, float* y) {
  // The shake offset follows the step count (not the generator) so draw() changes nothing.
  float t = (float)game.step;
  *x = SCREEN_W / 2 + shake * sinf(t * 1.9f);
  *y = SCREEN_H / 2 + shake * cosf(t * 2.7f);
}

static glint_color with_alpha(glint_color c, float a) {
  return (c & 0xFFFFFF00u) | (uint32_t)(clampf(a, 0, 1) * (float)(c & 0xFF));
}

void fx_draw(void) {
  glint_set_layer(LAYER_FX);
  for (int i = 0; i < part_count; ++i) {
    const Particle* p = &parts[i];
    float k = p->life / p->max_life;
    glint_draw_sprite(assets.sprites, FR_PARTICLE, p->x, p->y, 0, p->size * (0.4f + 0.6f * k) / 4,
                      0, with_alpha(p->color, k * 1.5f));
  }
  for (int i = 0; i < ring_count; ++i) {
    const Ring* r = &rings[i];
    float k = 1 - r->life / 0.35f;  // 0 -> 1 as it grows
    glint_draw_circle_lines(r->x, r->y, r->radius * (0.2f + 0.8f * k), 3 * (1 - k) + 1,
                            with_alpha(r->color, 1 - k));
  }
}

void sound(int32_t id, float volume, float x) {
  // Always draw the pitch from the generator, so audio on or off leaves the same game state.
  float pitch = 0.94f + 0.12f * frand();
  glint_play_sound(id, volume, clampf((x / SCREEN_W) * 1.2f - 0.6f, -1, 1), pitch);
}
