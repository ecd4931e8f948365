// The script-time benchmark: N live entities (shared value "entities", default 1000) that
// move, bounce off the screen edges, push apart from neighbours found through a spatial grid,
// and are drawn as rotating sprites. state_hash covers every position.
#include <string.h>

#include "glint_api.h"

#define MAX_ENTITIES 20000
#define CELL 32
#define GRID_W (960 / CELL + 1)
#define GRID_H (540 / CELL + 1)

typedef struct {
  float x, y, vx, vy, rot;
  int frame, next;  // next: linked list through the grid cell
} Entity;

static Entity e[MAX_ENTITIES];
static int count, atlas, grid[GRID_W * GRID_H];

static int cell_of(float x, float y) {
  int cx = (int)(x / CELL), cy = (int)(y / CELL);
  if (cx < 0) cx = 0;
  if (cy < 0) cy = 0;
  if (cx >= GRID_W) cx = GRID_W - 1;
  if (cy >= GRID_H) cy = GRID_H - 1;
  return cy * GRID_W + cx;
}

GLINT_EXPORT(init) void init(void) {
  count = (int)glint_shared_get(GLINT_STR("entities"));
  if (count <= 0) count = 1000;
  if (count > MAX_ENTITIES) count = MAX_ENTITIES;
  atlas = glint_asset_id(GLINT_STR("sprites.png"));
  for (int i = 0; i < count; ++i) {
    e[i].x = glint_random_range(16, 944);
    e[i].y = glint_random_range(16, 524);
    e[i].vx = glint_random_range(-90, 90);
    e[i].vy = glint_random_range(-90, 90);
    e[i].rot = glint_random_range(0, 360);
    e[i].frame = glint_random_int(0, 3);
  }
}

GLINT_EXPORT(update) void update(float dt) {
  memset(grid, -1, sizeof grid);
  for (int i = 0; i < count; ++i) {
    int c = cell_of(e[i].x, e[i].y);
    e[i].next = grid[c];
    grid[c] = i;
  }
  for (int i = 0; i < count; ++i) {
    Entity* a = &e[i];
    int cx = (int)(a->x / CELL), cy = (int)(a->y / CELL);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        int gx = cx + dx, gy = cy + dy;
        if (gx < 0 || gy < 0 || gx >= GRID_W || gy >= GRID_H) continue;
        for (int j = grid[gy * GRID_W + gx]; j >= 0; j = e[j].next) {
          if (j == i) continue;
          float ddx = a->x - e[j].x, ddy = a->y - e[j].y, d2 = ddx * ddx + ddy * ddy;
          if (d2 < 144 && d2 > 0.01f) {  // closer than 12 px: push apart
            a->vx += ddx * 2;
            a->vy += ddy * 2;
          }
        }
      }
  }
  for (int i = 0; i < count; ++i) {
    Entity* a = &e[i];
    a->vx *= 0.99f;
    a->vy *= 0.99f;
    a->x += a->vx * dt;
    a->y += a->vy * dt;
    if (a->x < 8 || a->x > 952) a->vx = -a->vx, a->x = a->x < 8 ? 8 : 952;
    if (a->y < 8 || a->y > 532) a->vy = -a->vy, a->y = a->y < 8 ? 8 : 532;
    a->rot += 90 * dt;
  }
}

GLINT_EXPORT(draw) void draw(void) {
  glint_clear_background(GLINT_RGBA(10, 12, 20, 255));
  for (int i = 0; i < count; ++i)
    glint_draw_sprite(atlas, e[i].frame, e[i].x, e[i].y, e[i].rot, 1, 0, 0xFFFFFFFF);
}

GLINT_EXPORT(query_entities) int query_entities(void) { return count; }

GLINT_EXPORT(state_hash) uint64_t state_hash(void) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < count; ++i) {
    uint32_t bits[2];
    memcpy(&bits[0], &e[i].x, 4);
    memcpy(&bits[1], &e[i].y, 4);
    h = (h ^ bits[0]) * 1099511628211ull;
    h = (h ^ bits[1]) * 1099511628211ull;
  }
  return h;
}
