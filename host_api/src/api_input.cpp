// Host functions: input (api.def section "input"). Out-of-range codes read as "not pressed".
#include "api.h"

namespace glint::host {

namespace {
const Buttons* key_of(const InputState& s, int32_t key) {
  return key >= 0 && key < kMaxKeys ? &s.keys[key] : nullptr;
}
const Buttons* mouse_of(const InputState& s, int32_t b) {
  return b >= 0 && b < kMaxMouseButtons ? &s.mouse[b] : nullptr;
}
const Buttons* pad_of(const InputState& s, int32_t pad, int32_t b) {
  if (pad < 0 || pad >= kMaxPads || b < 0 || b >= kMaxPadButtons) return nullptr;
  return &s.pads[pad].buttons[b];
}
}  // namespace

bool Api::key_down(int32_t key) {
  auto* b = key_of(game_.input().state(), key);
  return b && b->down;
}
bool Api::key_pressed(int32_t key) {
  auto* b = key_of(game_.input().state(), key);
  return b && b->pressed;
}
bool Api::key_released(int32_t key) {
  auto* b = key_of(game_.input().state(), key);
  return b && b->released;
}

float Api::mouse_x() { return game_.input().state().mouse_x; }
float Api::mouse_y() { return game_.input().state().mouse_y; }
float Api::mouse_world_x() {
  const InputState& s = game_.input().state();
  return mouse_camera_.to_world({s.mouse_x, s.mouse_y}).x;
}
float Api::mouse_world_y() {
  const InputState& s = game_.input().state();
  return mouse_camera_.to_world({s.mouse_x, s.mouse_y}).y;
}
bool Api::mouse_down(int32_t button) {
  auto* b = mouse_of(game_.input().state(), button);
  return b && b->down;
}
bool Api::mouse_pressed(int32_t button) {
  auto* b = mouse_of(game_.input().state(), button);
  return b && b->pressed;
}
bool Api::mouse_released(int32_t button) {
  auto* b = mouse_of(game_.input().state(), button);
  return b && b->released;
}
float Api::mouse_wheel() { return game_.input().state().wheel; }

bool Api::gamepad_connected(int32_t pad) {
  return pad >= 0 && pad < kMaxPads && game_.input().state().pads[pad].connected;
}
bool Api::gamepad_down(int32_t pad, int32_t button) {
  auto* b = pad_of(game_.input().state(), pad, button);
  return b && b->down;
}
bool Api::gamepad_pressed(int32_t pad, int32_t button) {
  auto* b = pad_of(game_.input().state(), pad, button);
  return b && b->pressed;
}
bool Api::gamepad_released(int32_t pad, int32_t button) {
  auto* b = pad_of(game_.input().state(), pad, button);
  return b && b->released;
}
float Api::gamepad_axis(int32_t pad, int32_t axis) {
  if (pad < 0 || pad >= kMaxPads || axis < 0 || axis >= kMaxPadAxes) return 0;
  return game_.input().state().pads[pad].axes[axis];
}

}  // namespace glint::host
