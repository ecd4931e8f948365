// The messages between the demo's two modules, arena (C, this side) and enemies (Rust, mirrored
// at the top of enemies.rs: change both together). Payloads are packed little-endian structs.
//
// Every update, in module order (file names: arena before enemies):
//   arena   receives last step's HITS / KILLED / PLAYER_HIT, moves the player and its bullets,
//           then sends WORLD (the player and every live player bullet) and any SPAWN or RESET.
//   enemies applies RESET and SPAWN, moves enemies and their bullets, tests them against WORLD,
//           and answers with HITS, KILLED and PLAYER_HIT (read by arena on the next step).
// Shared numbers: "enemies.alive" and "enemies.entities" (set by enemies); "enemies.target" (1 if
// an enemy lies within 30 degrees of the aim, 0 if not) with "enemies.target_x" and
// "enemies.target_y": keyboard aim assist; "camera.x" and
// "camera.y" (set by arena: screen shake, so both modules draw with the same camera).
#pragma once
#include <stdint.h>

enum {
  MSG_WORLD = 1,       // World, then World.bullet_count x Bullet
  MSG_SPAWN = 2,       // n x Spawn
  MSG_RESET = 3,       // empty: remove every enemy and enemy bullet
  MSG_HITS = 10,       // n x Hit: player bullets that hit an enemy (arena removes them)
  MSG_KILLED = 11,     // n x Kill
  MSG_PLAYER_HIT = 12  // int32 damage
};

enum { ENEMY_CHASER = 0, ENEMY_SHOOTER = 1, ENEMY_SWARMER = 2, ENEMY_BRUTE = 3, ENEMY_KINDS };

typedef struct {
  float player_x, player_y;
  float aim_x, aim_y;         // where the ship points: enemies pick an aim-assist target
  int32_t player_vulnerable;  // 0 while invulnerable or dead: enemies do not hurt the player
  int32_t bullet_count;
} World;

typedef struct {
  uint32_t id;
  float x, y, vx, vy, radius;
  int32_t damage;
} Bullet;

typedef struct {
  int32_t kind;
  float x, y;
} Spawn;

typedef struct {
  uint32_t bullet_id;
  float x, y;
} Hit;

typedef struct {
  int32_t kind, points;
  float x, y;
} Kill;

_Static_assert(sizeof(World) == 24 && sizeof(Bullet) == 28 && sizeof(Spawn) == 12 &&
                   sizeof(Hit) == 12 && sizeof(Kill) == 16,
               "enemies.rs reads these layouts");
