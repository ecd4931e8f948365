// glint-demo: runs the demo game's wasm modules in a window, or headless for tests.
//
//   glint-demo                          window (or headless if there is no display)
//   glint-demo --headless --frames 600 --input demo_input.txt --screenshot out.png
//   glint-demo --query score a.wasm b.wasm
//
// The last line of a headless run is `state hash: HEX`: the same inputs give the same hash.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "glint_host/game.h"
#include "glint_host/platform.h"

namespace fs = std::filesystem;
using namespace glint::host;

namespace {

struct Options {
  bool headless = false;
  int64_t frames = -1;  // -1: until the window closes (headless: 600)
  std::string input, screenshot, save, assets = GLINT_DEMO_ASSETS_DIR;
  std::string guest_dir = GLINT_DEMO_GUEST_DIR;
  uint64_t seed = 1, fuel = GameConfig{}.fuel;
  std::vector<std::string> queries, sets, modules;
  bool vsync = true, audio = true, stats = false, render_last = false;
};

// Module files: the ones named on the command line, else every .wasm in the guest folder
// (sorted by name, which is also the update order).
std::vector<std::string> module_paths(const Options& o) {
  if (!o.modules.empty()) return o.modules;
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(o.guest_dir, ec))
    if (e.path().extension() == ".wasm") found.push_back(e.path().string());
  std::sort(found.begin(), found.end());
  return found;
}

std::string format_value(const glint::Value& v) {
  char buf[64];
  switch (v.type) {
    case glint::ValType::I32:
      std::snprintf(buf, sizeof buf, "%" PRId32, v.as_i32());
      break;
    case glint::ValType::I64:
      std::snprintf(buf, sizeof buf, "%" PRId64, v.as_i64());
      break;
    case glint::ValType::F32:
      std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32()));
      break;
    case glint::ValType::F64:
      std::snprintf(buf, sizeof buf, "%.17g", v.as_f64());
      break;
    default:
      return v.to_string();
  }
  return buf;
}

// Host keys: R or F5 restarts stopped modules (the keys still reach the game too).
void handle_host_keys(Game& game, const Input& input) {
  const auto& keys = input.state().keys;
  bool restart = keys[SDL_SCANCODE_R].pressed || keys[SDL_SCANCODE_F5].pressed;
  if (restart && game.any_error()) game.restart_stopped();
}

// Frame statistics in a corner (F3 toggles; --stats starts with it on).
void draw_stats(Game& game, Renderer& r, double frame_ms) {
  const RenderStats& s = r.last_stats();
  char text[200];
  std::snprintf(
      text, sizeof text, "frame %.2f ms  script %.2f ms\nsprites %u  cmds %u  batches %u  verts %u",
      frame_ms, game.script_times().last_ms, s.sprites, s.commands, s.batches, s.vertices);
  DrawState st{INT32_MAX, Camera::screen()};
  float x = float(r.width()) - 330, y = float(r.height()) - 30;  // bottom right: errors use the top
  r.rect(st, x, y, 326, 26, 0x000000B0);
  r.text(st, text, {x + 4, y + 4}, 8, 0xA0FFA0FF);
}

struct Timer {
  double total_ms = 0, max_ms = 0;
  uint64_t n = 0;
  void add(double ms) {
    total_ms += ms;
    max_ms = std::max(max_ms, ms);
    ++n;
  }
  double mean() const { return n ? total_ms / double(n) : 0; }
};

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

int run(const Options& o) {
  PlatformConfig pc;
  pc.headless = Platform::want_headless(o.headless);
  pc.title = "Glint demo";
  pc.vsync = o.vsync;
  pc.audio = o.audio;
  std::string error;
  auto platform = Platform::create(pc, error);
  if (!platform) {
    std::fprintf(stderr, "glint-demo: %s\n", error.c_str());
    return 1;
  }
  InputScript script;
  if (!o.input.empty()) {
    auto s = InputScript::load(o.input);
    if (!s) {
      std::fprintf(stderr, "glint-demo: %s\n", s.error().message.c_str());
      return 2;
    }
    script = std::move(*s);
  }

  Renderer renderer(platform->renderer(), pc.width, pc.height);
  Input input;
  GameConfig gc;
  gc.assets_dir = o.assets;
  gc.seed = o.seed;
  gc.fuel = o.fuel;
  // Windowed play keeps a save under the user's data dir; headless runs only with --save, so
  // that they stay reproducible.
  gc.save_path = !o.save.empty() ? o.save : pc.headless ? "" : SaveSlot::default_path("demo");
  Game game(gc, renderer, platform->audio(), input);
  for (const std::string& kv : o.sets) {
    auto eq = kv.find('=');
    game.shared()[kv.substr(0, eq)] =
        eq == std::string::npos ? 1.0 : std::atof(kv.c_str() + eq + 1);
  }
  auto paths = module_paths(o);
  if (paths.empty()) {
    std::fprintf(stderr, "glint-demo: no modules (no .wasm in %s)\n", o.guest_dir.c_str());
    return 1;
  }
  for (const std::string& p : paths) game.add_module(p);
  std::printf("glint-demo: %zu module(s), %s renderer%s, %s\n", paths.size(),
              platform->renderer_name(), pc.headless ? " (headless)" : "",
              platform->audio() ? "audio on" : "no audio");

  const int64_t frames = o.frames >= 0 ? o.frames : (pc.headless ? 600 : -1);
  const double dt_ms = double(gc.dt) * 1000.0;
  bool stats = o.stats;
  Timer frame_timer;
  double accumulator = 0, last_frame_ms = 0;
  auto last = std::chrono::steady_clock::now(), last_reload_check = last;
  for (int64_t f = 0; frames < 0 || f < frames; ++f) {
    auto t0 = std::chrono::steady_clock::now();
    if (!platform->poll(input)) break;
    if (pc.headless) {
      script.apply(uint64_t(f), input);  // exactly one step per frame: reproducible
      accumulator = dt_ms;
    } else {
      accumulator += std::min(250.0, std::chrono::duration<double, std::milli>(t0 - last).count());
      if (t0 - last_reload_check > std::chrono::milliseconds(500)) {
        game.reload_changed();
        last_reload_check = t0;
      }
    }
    last = t0;
    for (int steps = 0; accumulator >= dt_ms && steps < 5; ++steps) {
      input.begin_step();
      if (input.state().keys[SDL_SCANCODE_F3].pressed) stats = !stats;
      handle_host_keys(game, input);
      game.update();
      accumulator -= dt_ms;
    }
    bool last_frame = frames >= 0 && f + 1 == frames;
    // --render-last: gameplay checks skip drawing (software rendering dominates a headless
    // frame); the game state does not depend on it.
    if (!(o.render_last && pc.headless && !last_frame)) {
      game.draw();
      if (stats) draw_stats(game, renderer, last_frame_ms);
      renderer.flush();
    }
    if (last_frame && !o.screenshot.empty()) {
      if (platform->screenshot(o.screenshot, error))
        std::printf("screenshot: %s\n", o.screenshot.c_str());
      else
        std::fprintf(stderr, "glint-demo: screenshot failed: %s\n", error.c_str());
    }
    if (!pc.headless) platform->present();
    game.end_frame();
    last_frame_ms = ms_since(t0);
    frame_timer.add(last_frame_ms);
  }
  if (!pc.headless) game.save_all();

  const ScriptTimes& st = game.script_times();
  const RenderStats& rs = renderer.last_stats();
  std::printf("frames: %" PRIu64 ", script time per frame: mean %.3f ms, max %.3f ms\n", st.frames,
              st.mean_ms(), st.max_ms);
  std::printf(
      "frame time: mean %.3f ms, max %.3f ms; last frame: %u sprites, %u commands, "
      "%u batches, %u vertices\n",
      frame_timer.mean(), frame_timer.max_ms, rs.sprites, rs.commands, rs.batches, rs.vertices);
  for (const std::string& e : game.errors()) std::printf("error: %s\n", e.c_str());
  for (const std::string& q : o.queries) {
    auto v = game.query(q);
    if (v)
      std::printf("%s = %s\n", q.c_str(), format_value(*v).c_str());
    else
      std::printf("%s = (no module exports query_%s)\n", q.c_str(), q.c_str());
  }
  std::printf("state hash: %016" PRIx64 "\n", game.state_hash());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{
      "glint-demo: the Glint demo game. Gameplay runs as wasm modules; R or F5 "
      "restarts a module that stopped, F3 shows frame statistics."};
  app.add_flag("--headless", o.headless,
               "No window: SDL dummy drivers, software rendering (also when there is no display)");
  app.add_option("--frames", o.frames, "Stop after N frames (headless default: 600)");
  app.add_option("--input", o.input,
                 "Scripted input: lines 'FRAME KEY down|up' (KEY: SDL key name)");
  app.add_option("--screenshot", o.screenshot, "Write the last frame as a PNG");
  app.add_option("--save", o.save, "Save slot file (default: a user dir; headless: none)");
  app.add_option("--seed", o.seed, "Seed of the games' random streams")->capture_default_str();
  app.add_option("--fuel", o.fuel, "Instruction budget per guest call")->capture_default_str();
  app.add_option("--query", o.queries, "After the run print NAME = value of export query_NAME")
      ->allow_extra_args(false);
  app.add_option("--set", o.sets, "Preset a shared value KEY=NUMBER (see shared_get)")
      ->allow_extra_args(false);
  app.add_option("--assets", o.assets, "Assets folder")->capture_default_str();
  app.add_option("--guest-dir", o.guest_dir, "Where to find the modules")->capture_default_str();
  app.add_flag("!--no-vsync", o.vsync, "Do not wait for vsync (window)");
  app.add_flag("!--no-audio", o.audio, "Do not open an audio device");
  app.add_flag("--stats", o.stats, "Show frame statistics (F3)");
  app.add_flag("--render-last", o.render_last,
               "Headless: draw only the last frame (fast gameplay checks; script time then "
               "leaves out draw)");
  app.add_option("modules", o.modules, "Module .wasm files (default: every .wasm in --guest-dir)");
  CLI11_PARSE(app, argc, argv);
  return run(o);
}
