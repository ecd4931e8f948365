// SDL setup for a game host: a window with an accelerated renderer (falling back to software),
// or headless: SDL's dummy video and audio drivers and a software renderer drawing into a
// surface, for tests and machines without a display.
#pragma once
#include <SDL2/SDL.h>

#include <functional>
#include <memory>
#include <string>

#include "glint_host/audio.h"
#include "glint_host/input.h"

namespace glint::host {

struct PlatformConfig {
  bool headless = false;
  int width = 960, height = 540;  // the logical screen size guests see
  std::string title = "Glint";
  bool vsync = true;
  bool audio = true;
  // A window of another size than the screen guests see, drawn 1:1 (no logical scaling): the
  // editor, which draws the game into a texture of width x height and its own UI around it.
  // 0: the window is width x height and scales the game to its size.
  int window_width = 0, window_height = 0;
};

class Platform {
 public:
  // True if we must run headless: asked for, or no display (no SDL_VIDEODRIVER, DISPLAY or
  // WAYLAND_DISPLAY in the environment).
  static bool want_headless(bool asked);
  static std::unique_ptr<Platform> create(const PlatformConfig& config, std::string& error);
  ~Platform();

  bool headless() const { return config_.headless; }
  SDL_Renderer* renderer() const { return renderer_; }
  const char* renderer_name() const;
  Audio* audio() { return audio_open_ ? &audio_ : nullptr; }

  // Feeds pending events to `input`; false once the user closed the window.
  bool poll(Input& input);
  // Gives each pending event to `handle`; false once the user closed the window.
  bool poll(const std::function<void(const SDL_Event&)>& handle);
  SDL_Window* window() const { return window_; }  // null when headless
  void present();
  // Writes what the renderer holds now (call before present) as a PNG.
  bool screenshot(const std::string& path, std::string& error);

 private:
  Platform() = default;
  PlatformConfig config_;
  SDL_Window* window_ = nullptr;
  SDL_Surface* surface_ = nullptr;  // headless target
  SDL_Renderer* renderer_ = nullptr;
  Audio audio_;
  bool audio_open_ = false;
};

}  // namespace glint::host
