// glint-reload-bench: what a hot reload costs (issue 16's target: a 1 MB module swapped in,
// after it is built, in 30 ms or less).
//
//   glint-reload-bench [--runs N] [MODULE.wasm]   default: the generated 1 MB game module
//
// Each run loads the module's binary again (decode, validate, translate: what a rebuilt file
// costs) and swaps it in with Game::reload, which carries the state over and runs on_reload.
// Wall clock: median of the runs with the fastest and the slowest.
#include <SDL2/SDL.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "glint/snapshot.h"
#include "glint_host/game.h"

using namespace glint::host;

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void print(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  std::printf("  %-36s median %7.2f ms   (fastest %.2f, slowest %.2f, %zu runs)\n", what,
              ms[ms.size() / 2], ms.front(), ms.back(), ms.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = GLINT_RELOAD_BENCH_MODULE;
  int runs = 20;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc)
      runs = std::max(1, std::atoi(argv[++i]));
    else if (a.rfind("--", 0) == 0) {
      std::fprintf(stderr, "usage: glint-reload-bench [--runs N] [MODULE.wasm]\n");
      return a == "--help" ? 0 : 2;
    } else
      path = a;
  }
  auto bytes = glint::read_file(path);
  if (!bytes) {
    std::fprintf(stderr, "glint-reload-bench: %s\n", bytes.error().message.c_str());
    return 1;
  }
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer* sdl = SDL_CreateSoftwareRenderer(surface);
  int code = 0;
  {
    Renderer renderer(sdl, 960, 540);
    Input input;
    Game game(GameConfig{}, renderer, nullptr, input);
    GuestModule& m = game.add_module(path, *bytes);
    if (!m.running()) {
      std::fprintf(stderr, "glint-reload-bench: %s\n", m.error.c_str());
      return 1;
    }
    for (int i = 0; i < 30; i++) game.update();
    std::printf("module: %s, %zu bytes, memory %llu bytes\n", path.c_str(), bytes->size(),
                (unsigned long long)m.instance->memory()->size());
    std::vector<double> load, swap, total;
    for (int i = 0; i < runs && code == 0; i++) {
      double t0 = now_ms();
      auto fresh = glint::Module::load(*bytes);
      double t1 = now_ms();
      ReloadResult r = fresh ? game.reload(m, *fresh) : ReloadResult{};
      double t2 = now_ms();
      if (r.outcome != ReloadResult::Outcome::Kept) {
        std::fprintf(stderr, "glint-reload-bench: %s\n", r.message.c_str());
        code = 1;
      }
      load.push_back(t1 - t0);
      swap.push_back(t2 - t1);
      total.push_back(t2 - t0);
      game.update();
    }
    if (code == 0) {
      print("load (decode, validate, translate)", load);
      print("swap (state carried over, on_reload)", swap);
      print("load + swap", total);
    }
  }
  SDL_DestroyRenderer(sdl);
  SDL_FreeSurface(surface);
  return code;
}
