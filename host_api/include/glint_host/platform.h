// SDL setup for a game host: a window with an accelerated renderer (falling back to software),
// or headless: SDL's dummy video and audio drivers and a software renderer drawing into a
// surface, for tests and machines without a display.
#pragma once
#include <SDL2/SDL.h>

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
