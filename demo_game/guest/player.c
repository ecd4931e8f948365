// The player's ship: moves with WASD / arrows / left stick, fires with Space (along the way it
// last moved) or the left mouse button (toward the mouse), blinks while invulnerable.
#include <math.h>

#include "arena.h"

#define SPEED 230.0f
#define RADIUS 12.0f
#define FIRE_DELAY 0.12f
#define RAPID_DELAY 0.06f
#define HIT_GRACE 1.2f  // invulnerable seconds after a hit

void player_reset(void) {
  player = (Player){0};
  player.x = (FIELD_X0 + FIELD_X1) / 2;
  player.y = (FIELD_Y0 + FIELD_Y1) / 2;
  player.aim_x = 1;
  player.hp = PLAYER_MAX_HP;
  player.invulnerable = HIT_GRACE;  // a moment to look around
}

static float axis(int neg_a, int neg_b, int pos_a, int pos_b, int pad_axis) {
  float v = 0;
  if (glint_key_down(neg_a) || glint_key_down(neg_b)) v -= 1;
  if (glint_key_down(pos_a) || glint_key_down(pos_b)) v += 1;
  float stick = glint_gamepad_axis(0, pad_axis);
  if (fabsf(stick) > 0.25f) v += stick;
  return clampf(v, -1, 1);
}

static void steer(float dt) {
  float dx = axis(GLINT_KEY_LEFT, GLINT_KEY_A, GLINT_KEY_RIGHT, GLINT_KEY_D, GLINT_AXIS_LEFT_X);
  float dy = axis(GLINT_KEY_UP, GLINT_KEY_W, GLINT_KEY_DOWN, GLINT_KEY_S, GLINT_AXIS_LEFT_Y);
  float len = sqrtf(dx * dx + dy * dy);
  if (len > 1) dx /= len, dy /= len;
  // Ease toward the wanted velocity: quick, but not instant, so the ship feels like one.
  float k = clampf(dt * 14, 0, 1);
  player.vx += (dx * SPEED - player.vx) * k;
  player.vy += (dy * SPEED - player.vy) * k;
  player.x = clampf(player.x + player.vx * dt, FIELD_X0 + RADIUS, FIELD_X1 - RADIUS);
  player.y = clampf(player.y + player.vy * dt, FIELD_Y0 + RADIUS, FIELD_Y1 - RADIUS);
  if (len > 0.1f && !player.aiming_with_mouse) {
    player.aim_x = dx / (len > 1 ? 1 : len);
    player.aim_y = dy / (len > 1 ? 1 : len);
    float n = sqrtf(player.aim_x * player.aim_x + player.aim_y * player.aim_y);
    player.aim_x /= n, player.aim_y /= n;
  }
  if (len > 0.1f && game.step % 3 == 0)  // engine trail
    fx_burst(player.x - player.aim_x * 14, player.y - player.aim_y * 14, 1, 30,
             GLINT_RGBA(255, 170, 60, 255), 2);
}

// Mouse aim while the left button is held; keyboard aim (the last direction moved) otherwise.
static bool want_fire(void) {
  player.aiming_with_mouse = glint_mouse_down(GLINT_MOUSE_LEFT);
  if (player.aiming_with_mouse) {
    float dx = glint_mouse_world_x() - player.x, dy = glint_mouse_world_y() - player.y;
    float len = sqrtf(dx * dx + dy * dy);
    if (len > 1) player.aim_x = dx / len, player.aim_y = dy / len;
    return true;
  }
  if (game.stress > 0) {  // the benchmark: sweep the aim around and keep firing
    float a = (float)game.step * 0.05f;
    player.aim_x = cosf(a), player.aim_y = sinf(a);
    return true;
  }
  return glint_key_down(GLINT_KEY_SPACE) || glint_gamepad_down(0, GLINT_PAD_A) ||
         glint_gamepad_axis(0, GLINT_AXIS_TRIGGER_RIGHT) > 0.5f;
}

// Keyboard aim assist: the enemies module names an enemy close to the aim line (last step's).
static void assist_aim(void) {
  if (player.aiming_with_mouse || glint_shared_get(GLINT_STR("enemies.target")) == 0) return;
  float dx = (float)glint_shared_get(GLINT_STR("enemies.target_x")) - player.x;
  float dy = (float)glint_shared_get(GLINT_STR("enemies.target_y")) - player.y;
  float len = sqrtf(dx * dx + dy * dy);
  if (len > 1) player.aim_x = dx / len, player.aim_y = dy / len;
}

static void fire(void) {
  assist_aim();
  float x = player.x + player.aim_x * 16, y = player.y + player.aim_y * 16;
  shots_fire(x, y, player.aim_x, player.aim_y);
  if (player.rapid > 0) {  // rapid fire also spreads: two more shots 8 degrees off
    float c = 0.990f, s = 0.139f;
    shots_fire(x, y, player.aim_x * c - player.aim_y * s, player.aim_y * c + player.aim_x * s);
    shots_fire(x, y, player.aim_x * c + player.aim_y * s, player.aim_y * c - player.aim_x * s);
  }
  fx_burst(x, y, 2, 60, GLINT_RGBA(150, 230, 255, 255), 2);
  sound(assets.snd_shoot, 0.25f, x);
  player.fire_cooldown = player.rapid > 0 ? RAPID_DELAY : FIRE_DELAY;
}

void player_update(float dt) {
  steer(dt);
  if (player.fire_cooldown > 0) player.fire_cooldown -= dt;
  if (player.invulnerable > 0) player.invulnerable -= dt;
  if (player.rapid > 0) player.rapid -= dt;
  if (want_fire() && player.fire_cooldown <= 0) fire();
}

void player_damage(int32_t amount) {
  if (game.over || game.stress > 0 || player.invulnerable > 0) return;
  player.hp -= amount;
  player.invulnerable = HIT_GRACE;
  sound(assets.snd_hurt, 0.8f, player.x);
  fx_burst(player.x, player.y, 14, 160, GLINT_RGBA(255, 90, 90, 255), 3);
  fx_shake(9);
  if (player.hp <= 0) {
    player.hp = 0;
    game_over();
  }
}

void player_draw(void) {
  if (game.over) return;  // the ship exploded
  glint_set_layer(LAYER_PLAYER);
  bool blink = player.invulnerable > 0 && (game.step / 4) % 2 == 0;
  float angle = atan2f(player.aim_y, player.aim_x) * 57.29578f;
  int frame = FR_PLAYER + (int)((game.step / 4) % 2);
  glint_color tint = blink ? GLINT_RGBA(255, 255, 255, 90) : 0xFFFFFFFF;
  glint_draw_sprite(assets.sprites, frame, player.x, player.y, angle, 2.5f, 0, tint);
  if (player.invulnerable > 0)
    glint_draw_sprite(assets.sprites, FR_SHIELD, player.x, player.y, 0, 2.5f, 0,
                      GLINT_RGBA(255, 255, 255, 120));
  if (player.rapid > 0)
    glint_draw_circle_lines(player.x, player.y, 22, 2, GLINT_RGBA(255, 230, 60, 160));
  if (player.aiming_with_mouse) {
    glint_set_layer(LAYER_HUD);
    glint_draw_sprite(assets.sprites, FR_CROSSHAIR, glint_mouse_world_x(), glint_mouse_world_y(), 0,
                      2, 0, GLINT_RGBA(255, 255, 255, 200));
  }
}
