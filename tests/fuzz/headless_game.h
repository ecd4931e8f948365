// A headless game host for the fuzz targets that need one (fuzz_host, fuzz_snapshot): SDL's
// dummy video driver and software renderer, made once per process.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "glint_host/game.h"
#include "glint_host/platform.h"

namespace fuzzgen {

struct HeadlessHost {
  std::unique_ptr<glint::host::Platform> platform;
  std::unique_ptr<glint::host::Renderer> renderer;
  glint::host::Input input;

  static HeadlessHost& get() {
    static HeadlessHost* h = [] {
      auto* h = new HeadlessHost;
      glint::host::PlatformConfig pc;
      pc.headless = true;
      pc.audio = false;
      std::string error;
      h->platform = glint::host::Platform::create(pc, error);
      if (!h->platform) {
        std::fprintf(stderr, "no headless platform: %s\n", error.c_str());
        std::abort();
      }
      h->renderer =
          std::make_unique<glint::host::Renderer>(h->platform->renderer(), pc.width, pc.height);
      return h;
    }();
    return *h;
  }

  // A game with no audio, the test assets and a fuel budget per call.
  std::unique_ptr<glint::host::Game> game() {
    glint::host::GameConfig config;
    config.assets_dir = GLINT_FUZZ_ASSETS;
    config.fuel = 1'000'000;
    return std::make_unique<glint::host::Game>(config, *renderer, nullptr, input);
  }
};

}  // namespace fuzzgen
