// Window or headless surface, event pump, screenshots.
#include "glint_host/platform.h"

#include <stb/stb_image_write.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace glint::host {

bool Platform::want_headless(bool asked) {
  if (asked) return true;
  auto set = [](const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
  };
  return !set("SDL_VIDEODRIVER") && !set("DISPLAY") && !set("WAYLAND_DISPLAY");
}

std::unique_ptr<Platform> Platform::create(const PlatformConfig& config, std::string& error) {
  std::unique_ptr<Platform> p(new Platform());
  p->config_ = config;
  if (config.headless) {
    SDL_setenv("SDL_VIDEODRIVER", "dummy", 1);
    SDL_setenv("SDL_AUDIODRIVER", "dummy", 1);
  }
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");  // nearest: crisp pixel art
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS | SDL_INIT_GAMECONTROLLER) != 0) {
    error = std::string("SDL_Init: ") + SDL_GetError();
    return nullptr;
  }
  if (config.headless) {
    p->surface_ = SDL_CreateRGBSurfaceWithFormat(0, config.width, config.height, 32,
                                                 SDL_PIXELFORMAT_ARGB8888);
    p->renderer_ = p->surface_ ? SDL_CreateSoftwareRenderer(p->surface_) : nullptr;
  } else {
    bool own_size = config.window_width > 0 && config.window_height > 0;
    p->window_ =
        SDL_CreateWindow(config.title.c_str(), SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                         own_size ? config.window_width : config.width,
                         own_size ? config.window_height : config.height, SDL_WINDOW_RESIZABLE);
    if (p->window_) {
      Uint32 flags = SDL_RENDERER_ACCELERATED | (config.vsync ? SDL_RENDERER_PRESENTVSYNC : 0);
      p->renderer_ = SDL_CreateRenderer(p->window_, -1, flags | SDL_RENDERER_TARGETTEXTURE);
      if (!p->renderer_) p->renderer_ = SDL_CreateRenderer(p->window_, -1, flags);
      if (!p->renderer_) p->renderer_ = SDL_CreateRenderer(p->window_, -1, SDL_RENDERER_SOFTWARE);
      if (p->renderer_ && !own_size)
        SDL_RenderSetLogicalSize(p->renderer_, config.width, config.height);
    }
  }
  if (!p->renderer_) {
    error = std::string("cannot create a renderer: ") + SDL_GetError();
    return nullptr;
  }
  SDL_SetRenderDrawBlendMode(p->renderer_, SDL_BLENDMODE_BLEND);
  if (config.audio) {
    std::string audio_error;
    p->audio_open_ = p->audio_.open(audio_error);
    if (!p->audio_open_)
      std::fprintf(stderr, "glint: no audio (%s); continuing without sound\n", audio_error.c_str());
  }
  return p;
}

Platform::~Platform() {
  audio_.close();  // before SDL_Quit, which would pull the device away under it
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (surface_) SDL_FreeSurface(surface_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

const char* Platform::renderer_name() const {
  SDL_RendererInfo info;
  return SDL_GetRendererInfo(renderer_, &info) == 0 ? info.name : "?";
}

bool Platform::poll(Input& input) {
  return poll([&](const SDL_Event& e) { input.handle_event(e); });
}

bool Platform::poll(const std::function<void(const SDL_Event&)>& handle) {
  SDL_Event e;
  bool open = true;
  while (SDL_PollEvent(&e)) {
    if (e.type == SDL_QUIT) open = false;
    handle(e);
  }
  return open;
}

void Platform::present() { SDL_RenderPresent(renderer_); }

bool Platform::screenshot(const std::string& path, std::string& error) {
  int w = 0, h = 0;
  if (SDL_GetRendererOutputSize(renderer_, &w, &h) != 0) {
    error = SDL_GetError();
    return false;
  }
  std::vector<uint8_t> rgba(size_t(w) * size_t(h) * 4);
  // ABGR8888 is R, G, B, A in memory on little-endian machines; RGBA8888 on big-endian ones.
  Uint32 format =
      SDL_BYTEORDER == SDL_LIL_ENDIAN ? SDL_PIXELFORMAT_ABGR8888 : SDL_PIXELFORMAT_RGBA8888;
  if (SDL_RenderReadPixels(renderer_, nullptr, format, rgba.data(), w * 4) != 0) {
    error = SDL_GetError();
    return false;
  }
  if (!stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4)) {
    error = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace glint::host
