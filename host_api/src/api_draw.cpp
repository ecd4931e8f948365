// Host functions: drawing (api.def section "draw").
#include <cmath>

#include "api.h"

namespace glint::host {

Api::Api(Game& game, GuestModule& module)
    : game_(game), module_(module), rng_(fnv1a(module.name, game.config().seed)) {}

void Api::begin_draw() {
  draw_ = DrawState{};
  mouse_camera_ = Camera::screen();
}

void Api::bad_argument(const char* fn, const char* arg, long long value, const std::string& why) {
  throw glint::TrapError{std::string(fn) + ": argument '" + arg + "' (" + std::to_string(value) +
                         ") " + why};
}

const Atlas& Api::atlas_arg(const char* fn, int32_t atlas) {
  const Atlas* a = game_.assets().atlas(atlas);
  if (!a) bad_argument(fn, "atlas", atlas, "is not a loaded atlas (see asset_id)");
  return *a;
}

void Api::clear_background(uint32_t color) { game_.renderer().clear(color); }

void Api::draw_rect(float x, float y, float w, float h, uint32_t color) {
  game_.renderer().rect(draw_, x, y, w, h, color);
}

void Api::draw_rect_lines(float x, float y, float w, float h, float thickness, uint32_t color) {
  game_.renderer().rect_lines(draw_, x, y, w, h, thickness, color);
}

void Api::draw_line(float x1, float y1, float x2, float y2, float thickness, uint32_t color) {
  game_.renderer().line(draw_, {x1, y1}, {x2, y2}, thickness, color);
}

void Api::draw_circle(float x, float y, float radius, uint32_t color) {
  game_.renderer().circle(draw_, {x, y}, radius, color);
}

void Api::draw_circle_lines(float x, float y, float radius, float thickness, uint32_t color) {
  game_.renderer().circle_lines(draw_, {x, y}, radius, thickness, color);
}

void Api::draw_sprite(int32_t atlas, int32_t frame, float x, float y, float rotation, float scale,
                      int32_t flip, uint32_t tint) {
  const Atlas& a = atlas_arg("draw_sprite", atlas);
  if (frame < 0 || size_t(frame) >= a.frames.size())
    bad_argument("draw_sprite", "frame", frame,
                 "is out of range (the atlas has " + std::to_string(a.frames.size()) + " frames)");
  game_.renderer().sprite(draw_, a, a.frames[frame], {x, y}, rotation, scale, flip, tint);
}

void Api::draw_text(std::string_view text, float x, float y, float size, uint32_t color) {
  game_.renderer().text(draw_, text, {x, y}, size, color);
}

float Api::measure_text(std::string_view text, float size) {
  return Renderer::measure_text(text, size);
}

void Api::set_layer(int32_t layer) { draw_.layer = layer; }

void Api::set_camera(float x, float y, float zoom, float rotation) {
  if (!std::isfinite(zoom) || zoom == 0) zoom = 1;  // a degenerate camera would hide everything
  draw_.camera = Camera::centered(x, y, zoom, rotation, game_.renderer().size());
  mouse_camera_ = draw_.camera;
}

void Api::reset_camera() { draw_.camera = Camera::screen(); }

int32_t Api::screen_width() { return game_.renderer().width(); }
int32_t Api::screen_height() { return game_.renderer().height(); }

int32_t Api::atlas_frames(int32_t atlas) {
  return int32_t(atlas_arg("atlas_frames", atlas).frames.size());
}

float Api::frame_width(int32_t atlas, int32_t frame) {
  const Atlas& a = atlas_arg("frame_width", atlas);
  if (frame < 0 || size_t(frame) >= a.frames.size())
    bad_argument("frame_width", "frame", frame, "is out of range");
  return a.frames[frame].w;
}

float Api::frame_height(int32_t atlas, int32_t frame) {
  const Atlas& a = atlas_arg("frame_height", atlas);
  if (frame < 0 || size_t(frame) >= a.frames.size())
    bad_argument("frame_height", "frame", frame, "is out of range");
  return a.frames[frame].h;
}

}  // namespace glint::host
