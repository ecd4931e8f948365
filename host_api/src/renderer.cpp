// Command buffer, sorting and batching for the 2D renderer (see renderer.h for the design).
#include "glint_host/renderer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <glm/common.hpp>

#include "glint_host/font.h"

namespace glint::host {

namespace {
constexpr float kDegToRad = 3.14159265358979f / 180.0f;

glm::vec2 rotate(glm::vec2 v, float c, float s) { return {c * v.x - s * v.y, s * v.x + c * v.y}; }
}  // namespace

SDL_Color to_sdl_color(uint32_t rgba) {
  return {Uint8(rgba >> 24), Uint8(rgba >> 16), Uint8(rgba >> 8), Uint8(rgba)};
}

// ---- camera -------------------------------------------------------------------------------------

Camera Camera::centered(float x, float y, float zoom, float rotation, glm::vec2 screen_size) {
  Camera c;
  c.origin = screen_size * 0.5f;
  c.target = {x, y};
  c.zoom = zoom;
  c.cos = std::cos(rotation * kDegToRad);
  c.sin = std::sin(rotation * kDegToRad);
  return c;
}

glm::vec2 Camera::to_world(glm::vec2 screen) const {
  float z = zoom != 0 ? zoom : 1;
  return target + rotate(screen - origin, cos, -sin) / z;  // the inverse rotation
}

// ---- textures -----------------------------------------------------------------------------------

Renderer::Renderer(SDL_Renderer* sdl, int width, int height)
    : sdl_(sdl), width_(width), height_(height), owner_(std::this_thread::get_id()) {
  std::vector<uint32_t> font = build_font_pixels();
  std::string error;
  add_texture(font.data(), kFontTextureW, kFontTextureH, error);  // texture 0
}

Renderer::~Renderer() {
  for (SDL_Texture* t : textures_)
    if (t) SDL_DestroyTexture(t);
}

int Renderer::add_texture(const uint32_t* argb, int w, int h, std::string& error) {
  if (w <= 0 || h <= 0) {
    error = "empty texture";
    return -1;
  }
  textures_.push_back(nullptr);
  texture_sizes_.push_back({float(w), float(h)});
  int id = int(textures_.size()) - 1;
  pending_.push_back({id, w, h, std::vector<uint32_t>(argb, argb + size_t(w) * size_t(h))});
  // SDL renderers belong to the thread that made them: from any other (the editor's game
  // thread), the texture is made at the next flush, which runs on the renderer's thread.
  if (std::this_thread::get_id() == owner_ && !upload_pending(error)) return -1;
  return id;
}

bool Renderer::upload_pending(std::string& error) {
  bool ok = true;
  for (Pending& p : pending_) {
    SDL_Texture* t =
        SDL_CreateTexture(sdl_, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STATIC, p.w, p.h);
    if (!t || SDL_UpdateTexture(t, nullptr, p.argb.data(), p.w * 4) != 0) {
      error = SDL_GetError();
      if (t) SDL_DestroyTexture(t);
      ok = false;
      continue;  // drawn untextured
    }
    SDL_SetTextureBlendMode(t, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(t, SDL_ScaleModeNearest);  // pixel art stays crisp
    textures_[p.id] = t;
  }
  pending_.clear();
  return ok;
}

glm::vec2 Renderer::white_uv() const {
  GlyphRect g = glyph_rect(kSolidGlyph);
  return glm::vec2(g.x + g.w * 0.5f, g.y + g.h * 0.5f) / texture_sizes_[0];
}

// ---- recording ----------------------------------------------------------------------------------

uint32_t Renderer::begin_shape(int32_t layer, int texture, uint32_t vertices, uint32_t indices) {
  if (!commands_.empty()) {
    Command& last = commands_.back();
    if (last.layer == layer && last.texture == texture) {
      uint32_t base = last.vertex_count;
      last.vertex_count += vertices;
      last.index_count += indices;
      return base;
    }
  }
  commands_.push_back({layer, texture, uint32_t(commands_.size()), uint32_t(vertices_.size()),
                       vertices, uint32_t(indices_.size()), indices});
  return 0;
}

bool Renderer::accept(uint32_t vertices, glm::vec2 p, float extent) {
  bool ok = vertices_.size() + vertices <= kMaxFrameVertices && std::isfinite(p.x) &&
            std::isfinite(p.y) && std::isfinite(extent) && std::fabs(p.x) < kMaxCoordinate &&
            std::fabs(p.y) < kMaxCoordinate && std::fabs(extent) < kMaxCoordinate;
  if (!ok) ++dropped_;
  return ok;
}

void Renderer::vertex(glm::vec2 p, SDL_Color color, glm::vec2 uv) {
  vertices_.push_back(SDL_Vertex{{p.x, p.y}, color, {uv.x, uv.y}});
}

void Renderer::quad(const DrawState& s, const glm::vec2 world[4], const glm::vec2 uv[4],
                    uint32_t color, int texture) {
  glm::vec2 p[4];
  for (int i = 0; i < 4; ++i) p[i] = s.camera.to_screen(world[i]);
  glm::vec2 far = glm::max(glm::abs(p[0] - p[2]), glm::abs(p[1] - p[3]));
  if (!accept(4, p[0], far.x + far.y)) return;
  uint32_t base = begin_shape(s.layer, texture, 4, 6);
  SDL_Color c = to_sdl_color(color);
  for (int i = 0; i < 4; ++i) vertex(p[i], c, uv[i]);
  for (int i : {0, 1, 2, 0, 2, 3}) indices_.push_back(int(base) + i);
}

void Renderer::rect(const DrawState& s, float x, float y, float w, float h, uint32_t color) {
  glm::vec2 p[4] = {{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}};
  glm::vec2 uv = white_uv();
  glm::vec2 uvs[4] = {uv, uv, uv, uv};
  quad(s, p, uvs, color, 0);
}

void Renderer::rect_lines(const DrawState& s, float x, float y, float w, float h, float t,
                          uint32_t color) {
  t = std::clamp(t, 0.0f, std::min(w, h) * 0.5f);
  rect(s, x, y, w, t, color);
  rect(s, x, y + h - t, w, t, color);
  rect(s, x, y + t, t, h - 2 * t, color);
  rect(s, x + w - t, y + t, t, h - 2 * t, color);
}

void Renderer::line(const DrawState& s, glm::vec2 a, glm::vec2 b, float thickness, uint32_t color) {
  glm::vec2 d = b - a;
  float len = std::sqrt(d.x * d.x + d.y * d.y);
  glm::vec2 along = len > 0 ? d / len : glm::vec2(1, 0);
  glm::vec2 n = glm::vec2(-along.y, along.x) * (thickness * 0.5f);
  glm::vec2 p[4] = {a + n, b + n, b - n, a - n};
  glm::vec2 uv = white_uv();
  glm::vec2 uvs[4] = {uv, uv, uv, uv};
  quad(s, p, uvs, color, 0);
}

// Enough segments that the outline looks round at its size on screen.
static int circle_segments(float radius, float zoom) {
  if (!std::isfinite(radius * zoom) || std::fabs(radius * zoom) > 1e4f) return 72;
  return std::clamp(int(radius * std::fabs(zoom) * 0.5f) + 10, 10, 72);
}

void Renderer::circle(const DrawState& s, glm::vec2 c, float radius, uint32_t color) {
  int n = circle_segments(radius, s.camera.zoom);
  if (!accept(n + 1, s.camera.to_screen(c), radius * s.camera.zoom)) return;
  uint32_t base = begin_shape(s.layer, 0, n + 1, 3 * n);
  SDL_Color col = to_sdl_color(color);
  glm::vec2 uv = white_uv();
  vertex(s.camera.to_screen(c), col, uv);
  for (int i = 0; i < n; ++i) {
    float a = 6.2831853f * float(i) / float(n);
    vertex(s.camera.to_screen(c + radius * glm::vec2(std::cos(a), std::sin(a))), col, uv);
    indices_.insert(indices_.end(), {int(base), int(base) + 1 + i, int(base) + 1 + (i + 1) % n});
  }
}

void Renderer::circle_lines(const DrawState& s, glm::vec2 c, float radius, float t,
                            uint32_t color) {
  int n = circle_segments(radius, s.camera.zoom);
  if (!accept(2 * n, s.camera.to_screen(c), radius * s.camera.zoom)) return;
  uint32_t base = begin_shape(s.layer, 0, 2 * n, 6 * n);
  SDL_Color col = to_sdl_color(color);
  glm::vec2 uv = white_uv();
  float inner = std::max(0.0f, radius - t);
  for (int i = 0; i < n; ++i) {
    float a = 6.2831853f * float(i) / float(n);
    glm::vec2 dir(std::cos(a), std::sin(a));
    vertex(s.camera.to_screen(c + radius * dir), col, uv);
    vertex(s.camera.to_screen(c + inner * dir), col, uv);
    int o0 = int(base) + 2 * i, o1 = int(base) + 2 * ((i + 1) % n);
    indices_.insert(indices_.end(), {o0, o1, o0 + 1, o0 + 1, o1, o1 + 1});
  }
}

void Renderer::sprite(const DrawState& s, const Atlas& atlas, const AtlasFrame& f, glm::vec2 pos,
                      float rotation, float scale, int flip, uint32_t tint) {
  glm::vec2 half = glm::vec2(f.w, f.h) * (scale * 0.5f);
  float a = rotation * kDegToRad, c = 1, sn = 0;
  if (rotation != 0) c = std::cos(a), sn = std::sin(a);
  glm::vec2 p[4];
  const glm::vec2 corners[4] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
  for (int i = 0; i < 4; ++i) p[i] = pos + rotate(corners[i] * half, c, sn);
  glm::vec2 tex = texture_sizes_[atlas.texture];
  float u0 = f.x / tex.x, u1 = (f.x + f.w) / tex.x;
  float v0 = f.y / tex.y, v1 = (f.y + f.h) / tex.y;
  if (flip & 1) std::swap(u0, u1);
  if (flip & 2) std::swap(v0, v1);
  glm::vec2 uv[4] = {{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}};
  quad(s, p, uv, tint, atlas.texture);
  ++sprites_;
}

void Renderer::text(const DrawState& s, std::string_view text, glm::vec2 pos, float size,
                    uint32_t color) {
  glm::vec2 pen = pos;
  glm::vec2 tex = texture_sizes_[0];
  float w = size * float(kGlyphW) / float(kGlyphH);
  for (char ch : text) {
    if (ch == '\n') {
      pen = {pos.x, pen.y + size * kLineHeight};
      continue;
    }
    if (ch != ' ') {
      GlyphRect g = glyph_rect((unsigned char)ch);
      glm::vec2 p[4] = {pen, pen + glm::vec2(w, 0), pen + glm::vec2(w, size),
                        pen + glm::vec2(0, size)};
      glm::vec2 uv[4] = {glm::vec2(g.x, g.y) / tex, glm::vec2(g.x + g.w, g.y) / tex,
                         glm::vec2(g.x + g.w, g.y + g.h) / tex, glm::vec2(g.x, g.y + g.h) / tex};
      quad(s, p, uv, color, 0);
    }
    pen.x += size * kAdvance;
  }
}

float Renderer::measure_text(std::string_view text, float size) {
  size_t longest = 0, current = 0;
  for (char ch : text) {
    current = ch == '\n' ? 0 : current + 1;
    longest = std::max(longest, current);
  }
  return float(longest) * size * kAdvance;
}

// ---- submission ---------------------------------------------------------------------------------

void Renderer::flush() {
  if (!pending_.empty()) {
    std::string error;
    if (!upload_pending(error))
      std::fprintf(stderr, "glint: cannot make a texture: %s\n", error.c_str());
  }
  stats_ = {uint32_t(commands_.size()), 0, uint32_t(vertices_.size()), sprites_, dropped_};
  SDL_Color clear = to_sdl_color(clear_color_);
  SDL_SetRenderDrawColor(sdl_, clear.r, clear.g, clear.b, clear.a);
  SDL_RenderClear(sdl_);

  order_.resize(commands_.size());
  for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
    const Command &x = commands_[a], &y = commands_[b];
    if (x.layer != y.layer) return x.layer < y.layer;
    if (x.texture != y.texture) return x.texture < y.texture;
    return x.seq < y.seq;
  });

  // Consecutive commands with the same texture become one batch even across layers: their
  // order in the batch is still the sorted order, which is what the screen must show.
  size_t i = 0;
  while (i < order_.size()) {
    int texture = commands_[order_[i]].texture;
    batch_vertices_.clear();
    batch_indices_.clear();
    for (; i < order_.size() && commands_[order_[i]].texture == texture; ++i) {
      const Command& c = commands_[order_[i]];
      int base = int(batch_vertices_.size());
      batch_vertices_.insert(batch_vertices_.end(), vertices_.begin() + c.first_vertex,
                             vertices_.begin() + c.first_vertex + c.vertex_count);
      for (uint32_t k = 0; k < c.index_count; ++k)
        batch_indices_.push_back(base + indices_[c.first_index + k]);
    }
    SDL_RenderGeometry(sdl_, textures_[texture], batch_vertices_.data(),
                       int(batch_vertices_.size()), batch_indices_.data(),
                       int(batch_indices_.size()));
    ++stats_.batches;
  }
  discard();
}

void Renderer::discard() {
  commands_.clear();
  vertices_.clear();
  indices_.clear();
  sprites_ = dropped_ = 0;
  clear_color_ = 0x000000FF;
}

}  // namespace glint::host
