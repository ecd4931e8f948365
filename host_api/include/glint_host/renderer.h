// The 2D renderer behind the draw_* host functions.
//
// Guest draw calls are not drawn immediately: each becomes triangles (already in screen space,
// through the caller's camera) appended to a per-frame command buffer. At the end of the frame
// `flush` sorts the commands by layer, then texture (stable), and submits one
// SDL_RenderGeometry call per run of equal textures. Consecutive calls with the same layer and
// texture extend one command, so 10,000 sprites from one atlas are one command and one batch.
#pragma once
#include <SDL2/SDL.h>

#include <cstdint>
#include <glm/vec2.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace glint::host {

// world -> screen: screen = origin + zoom * R(rotation) * (world - target), rotation in degrees,
// clockwise on screen. Build one with screen() or centered(); the rotation is kept as a
// precomputed sine and cosine because every vertex goes through to_screen.
struct Camera {
  glm::vec2 origin{0, 0};  // screen point the target maps to
  glm::vec2 target{0, 0};  // world point at `origin`
  float zoom = 1;
  float cos = 1, sin = 0;  // of the rotation

  static Camera screen() { return {}; }  // world = screen pixels
  static Camera centered(float x, float y, float zoom, float rotation, glm::vec2 screen_size);
  glm::vec2 to_screen(glm::vec2 world) const {
    glm::vec2 d = world - target;
    return origin + zoom * glm::vec2(cos * d.x - sin * d.y, sin * d.x + cos * d.y);
  }
  glm::vec2 to_world(glm::vec2 screen) const;
};

// What a guest's draw calls are recorded with; each module has its own.
struct DrawState {
  int32_t layer = 0;
  Camera camera;
};

struct AtlasFrame {
  float x, y, w, h;  // texels
};
struct Atlas {
  int texture = -1;
  int width = 0, height = 0;
  std::vector<AtlasFrame> frames;
};

struct RenderStats {
  uint32_t commands = 0, batches = 0, vertices = 0, sprites = 0;
  uint32_t dropped = 0;  // shapes skipped: non-finite or absurd coordinates, or buffer full
};

// Bounds that keep a misbehaving guest from exhausting memory or feeding the rasterizer
// coordinates it cannot handle.
constexpr uint32_t kMaxFrameVertices = 1u << 22;  // about a million quads per frame
constexpr float kMaxCoordinate = 1e7f;            // screen pixels

class Renderer {
 public:
  Renderer(SDL_Renderer* sdl, int width, int height);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  int width() const { return width_; }
  int height() const { return height_; }
  glm::vec2 size() const { return {float(width_), float(height_)}; }
  SDL_Renderer* sdl() const { return sdl_; }

  // Makes a texture from ARGB8888 pixels; returns its id, or -1 with `error` set. Safe from
  // another thread than the renderer's (which must not flush meanwhile): the SDL texture is
  // then made by the next flush.
  int add_texture(const uint32_t* argb, int w, int h, std::string& error);

  // Recording. Colors are 0xRRGGBBAA.
  void clear(uint32_t color) { clear_color_ = color; }
  void rect(const DrawState& s, float x, float y, float w, float h, uint32_t color);
  void rect_lines(const DrawState& s, float x, float y, float w, float h, float t, uint32_t color);
  void line(const DrawState& s, glm::vec2 a, glm::vec2 b, float thickness, uint32_t color);
  void circle(const DrawState& s, glm::vec2 c, float radius, uint32_t color);
  void circle_lines(const DrawState& s, glm::vec2 c, float radius, float t, uint32_t color);
  void sprite(const DrawState& s, const Atlas& atlas, const AtlasFrame& f, glm::vec2 pos,
              float rotation, float scale, int flip, uint32_t tint);
  void text(const DrawState& s, std::string_view text, glm::vec2 pos, float size, uint32_t color);
  static float measure_text(std::string_view text, float size);

  // Sorts, batches and submits everything recorded since the last flush, then clears it.
  void flush();
  // Drops what was recorded since the last flush, unseen (a replay that only needs the draw
  // calls' effects on the game).
  void discard();
  const RenderStats& last_stats() const { return stats_; }

 private:
  struct Command {
    int32_t layer;
    int texture;
    uint32_t seq;  // recording order, the tie-breaker that makes the sort stable
    uint32_t first_vertex, vertex_count, first_index, index_count;
  };
  // Starts (or extends) a command and reserves room; returns the index of its first vertex
  // relative to the command, for writing indices.
  uint32_t begin_shape(int32_t layer, int texture, uint32_t vertices, uint32_t indices);
  // False (and counted as dropped) if a shape of `vertices` at screen point p must be skipped.
  bool accept(uint32_t vertices, glm::vec2 p, float extent);
  void vertex(glm::vec2 screen, SDL_Color color, glm::vec2 uv);
  void quad(const DrawState& s, const glm::vec2 world[4], const glm::vec2 uv[4], uint32_t color,
            int texture);
  glm::vec2 white_uv() const;

  // Textures added but not made yet (see add_texture); made by upload_pending.
  struct Pending {
    int id, w, h;
    std::vector<uint32_t> argb;
  };
  bool upload_pending(std::string& error);

  SDL_Renderer* sdl_;
  int width_, height_;
  std::thread::id owner_;  // the thread that made the renderer, the one that may call SDL
  std::vector<Pending> pending_;
  std::vector<SDL_Texture*> textures_;  // 0 is the font (and the white texel)
  std::vector<glm::vec2> texture_sizes_;
  uint32_t clear_color_ = 0x000000FF;
  std::vector<Command> commands_;
  std::vector<SDL_Vertex> vertices_;
  std::vector<int> indices_;
  // Reused by flush.
  std::vector<uint32_t> order_;
  std::vector<SDL_Vertex> batch_vertices_;
  std::vector<int> batch_indices_;
  uint32_t sprites_ = 0, dropped_ = 0;
  RenderStats stats_;
};

SDL_Color to_sdl_color(uint32_t rgba);

}  // namespace glint::host
