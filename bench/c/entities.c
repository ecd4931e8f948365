// A game-like frame update of 10,000 entities: move, bounce off the world edges, bin into a
// uniform grid (counting sort), find overlapping pairs in neighbouring cells and resolve them,
// and run a little per-entity logic (cooldowns, health, respawn). Stresses f32 arithmetic, struct
// field access, integer indexing and branches: the shape of real game scripts.
#include "bench.h"

#define ENTITIES 10000
#define WORLD 1000.0f
#define CELL 10.0f
#define GRID 100  // WORLD / CELL cells per side

typedef struct {
  float x, y, vx, vy, radius;
  int32_t health, cooldown, hits;
} Entity;

static Entity ents[ENTITIES];
static int32_t cell_start[GRID * GRID + 1], cell_items[ENTITIES], cell_of[ENTITIES];

static void spawn(Entity* e, uint32_t* seed) {
  e->x = (float)(bench_rand(seed) % 10000) * 0.1f;
  e->y = (float)(bench_rand(seed) % 10000) * 0.1f;
  e->vx = (float)((int32_t)(bench_rand(seed) % 2001) - 1000) * 0.002f;
  e->vy = (float)((int32_t)(bench_rand(seed) % 2001) - 1000) * 0.002f;
  e->radius = 1.0f + (float)(bench_rand(seed) % 30) * 0.1f;
  e->health = 100;
  e->cooldown = 0;
}

static int32_t cell_index(float v) {
  int32_t c = (int32_t)(v / CELL);
  return c < 0 ? 0 : c >= GRID ? GRID - 1 : c;
}

static void move(float dt) {
  for (int i = 0; i < ENTITIES; i++) {
    Entity* e = &ents[i];
    e->x += e->vx * dt;
    e->y += e->vy * dt;
    if (e->x < 0) e->x = -e->x, e->vx = -e->vx;
    if (e->x > WORLD) e->x = 2 * WORLD - e->x, e->vx = -e->vx;
    if (e->y < 0) e->y = -e->y, e->vy = -e->vy;
    if (e->y > WORLD) e->y = 2 * WORLD - e->y, e->vy = -e->vy;
  }
}

static void build_grid(void) {
  memset(cell_start, 0, sizeof cell_start);
  for (int i = 0; i < ENTITIES; i++) {
    cell_of[i] = cell_index(ents[i].y) * GRID + cell_index(ents[i].x);
    cell_start[cell_of[i] + 1]++;
  }
  for (int c = 0; c < GRID * GRID; c++) cell_start[c + 1] += cell_start[c];
  static int32_t fill[GRID * GRID];
  memcpy(fill, cell_start, sizeof fill);
  for (int i = 0; i < ENTITIES; i++) cell_items[fill[cell_of[i]]++] = i;
}

// Each overlapping pair (checked once, i < j) exchanges velocities and takes damage.
static uint32_t collide(void) {
  uint32_t contacts = 0;
  for (int i = 0; i < ENTITIES; i++) {
    Entity* a = &ents[i];
    int32_t cx = cell_of[i] % GRID, cy = cell_of[i] / GRID;
    for (int32_t y = cy - 1; y <= cy + 1; y++) {
      if (y < 0 || y >= GRID) continue;
      for (int32_t x = cx - 1; x <= cx + 1; x++) {
        if (x < 0 || x >= GRID) continue;
        int32_t c = y * GRID + x;
        for (int32_t k = cell_start[c]; k < cell_start[c + 1]; k++) {
          int32_t j = cell_items[k];
          if (j <= i) continue;
          Entity* b = &ents[j];
          float dx = b->x - a->x, dy = b->y - a->y, r = a->radius + b->radius;
          if (dx * dx + dy * dy >= r * r) continue;
          contacts++;
          float t = a->vx;
          a->vx = b->vx, b->vx = t;
          t = a->vy;
          a->vy = b->vy, b->vy = t;
          if (a->cooldown == 0) a->health -= 7, a->cooldown = 5, a->hits++;
          if (b->cooldown == 0) b->health -= 7, b->cooldown = 5, b->hits++;
        }
      }
    }
  }
  return contacts;
}

static void logic(uint32_t* seed) {
  for (int i = 0; i < ENTITIES; i++) {
    Entity* e = &ents[i];
    if (e->cooldown > 0) e->cooldown--;
    if (e->health <= 0)
      spawn(e, seed);
    else if (e->health < 100 && (i & 7) == 0)
      e->health++;  // slow regeneration
  }
}

static uint64_t run(int frames) {
  uint32_t seed = 0xe7717u;
  for (int i = 0; i < ENTITIES; i++) spawn(&ents[i], &seed), ents[i].hits = 0;

  uint64_t sum = 0;
  for (int f = 0; f < frames; f++) {
    move(0.5f);  // fast-forward: half a second per frame
    build_grid();
    sum = bench_mix(sum, collide());
    logic(&seed);
  }
  for (int i = 0; i < ENTITIES; i += 37) {
    uint32_t bits;
    memcpy(&bits, &ents[i].x, 4);
    sum = bench_mix(sum, bits ^ (uint32_t)ents[i].hits);
  }
  return sum;
}

BENCH_MAIN(run, 40, 1)
