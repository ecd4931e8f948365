// glint-demo: runs the demo game's wasm modules in a window, or headless for tests.
//
//   glint-demo                          window (or headless if there is no display)
//   glint-demo --headless --frames 600 --input demo_input.txt --screenshot out.png
//   glint-demo --query score a.wasm b.wasm
//   glint-demo --headless --frames 300 --save-snapshot s.glsnap     then, in another process,
//   glint-demo --headless --frames 300 --load-snapshot s.glsnap     frames 300..599
//   glint-demo --headless --record run.glrp ...   glint-demo --replay run.glrp
//   glint-demo --headless --record-range 300:500=part.glrp ...   frames 300..500 of the timeline
//
// The last line of a headless run is `state hash: HEX`: the same inputs give the same hash.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <thread>

#include "glint/snapshot.h"
#include "glint_host/game.h"
#include "glint_host/platform.h"
#include "glint_host/replay.h"
#include "glint_host/timeline.h"
#include "glint_host/watch.h"

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
  bool vsync = true, audio = true, stats = false, render_last = false, watch = false;
  std::string save_snapshot, load_snapshot, record, replay;
  std::vector<std::string> reloads;  // FRAME=PATH
  size_t rewind_frames = 0;          // 0: no timeline
  size_t retro_frames = 0;           // 0: reloads swap in at the current frame
  std::vector<std::string> seeks;    // FRAME=TARGET
  std::vector<std::string> ranges;   // FROM:TO=FILE
};

struct PlannedReload {
  uint64_t frame = 0;
  std::string path;
};

// --reload FRAME=PATH: swaps in the build at PATH before frame FRAME, for the module of the same
// file name, as the editor does when a file changes.
bool parse_frame_specs(const char* option, const char* form, const std::vector<std::string>& specs,
                       std::vector<PlannedReload>& out) {
  for (const std::string& s : specs) {
    size_t eq = s.find('=');
    char* end = nullptr;
    unsigned long long frame = eq == std::string::npos ? 0 : std::strtoull(s.c_str(), &end, 10);
    if (eq == std::string::npos || end != s.c_str() + eq || eq + 1 == s.size()) {
      std::fprintf(stderr, "glint-demo: %s %s: expected %s\n", option, s.c_str(), form);
      return false;
    }
    out.push_back({frame, s.substr(eq + 1)});
  }
  return true;
}

// --watch: the watcher's messages on the console (stdout, line by line: a test reads them as
// they come).
void print_watch(const std::vector<WatchMessage>& messages, uint64_t frame) {
  for (const WatchMessage& m : messages) {
    if (m.kind == WatchMessage::Kind::BuildOutput) {
      std::istringstream lines(m.text);
      for (std::string line; std::getline(lines, line);) std::printf("  | %s\n", line.c_str());
    } else {
      std::printf("watch: frame %" PRIu64 ": %s\n", frame, m.text.c_str());
    }
  }
}

// A headless --watch run ends at SIGINT or SIGTERM like at its last frame (outputs written).
std::atomic<bool> stop_requested{false};

// --seek FRAME=TARGET: after frame FRAME, the timeline takes the game back to frame TARGET and
// play goes on from there (the editor's scrub and resume). False: the loop ends.
void run_seeks(Game& game, Timeline& timeline, std::vector<PlannedReload>& seeks,
               InputScript& script) {
  for (PlannedReload& s : seeks) {
    uint64_t at = game.frame(), target = std::strtoull(s.path.c_str(), nullptr, 10);
    if (s.frame != at) continue;
    s.frame = UINT64_MAX;  // once: the frame comes again after a seek back
    if (auto back = timeline.seek(target); !back)
      std::fprintf(stderr, "glint-demo: --seek at frame %" PRIu64 ": %s\n", at,
                   back.error().message.c_str());
    else
      script.skip_to(target);  // its input comes again
    if (game.frame() == target)
      std::printf("frame %" PRIu64 ": back to frame %" PRIu64 " (the timeline holds %" PRIu64
                  "..%" PRIu64 ")\n",
                  at, target, timeline.first().value_or(0), timeline.last().value_or(0));
  }
}

void run_reloads(Game& game, const std::vector<PlannedReload>& plan,
                 const Watcher::ReloadFn& reload) {
  for (const PlannedReload& r : plan) {
    if (r.frame != game.frame()) continue;
    std::string name = fs::path(r.path).stem().string();
    GuestModule* m = game.find(name);
    if (!m) {
      std::fprintf(stderr, "glint-demo: --reload: no module named '%s' is loaded\n", name.c_str());
      continue;
    }
    auto fresh = glint::Module::load_file(r.path);
    ReloadResult result = fresh ? reload(*m, *fresh) : game.reload_file(*m, r.path);
    std::printf("frame %" PRIu64 ": %s\n", game.frame(), result.message.c_str());
    if (result.swapped())
      for (const std::string& note : result.notes) std::printf("  %s\n", note.c_str());
  }
}

// Exit status of a replay check that found a difference (1 and 2 are errors).
constexpr int kReplayDiffers = 3;

// Module files: the ones named on the command line, else every .wasm in the guest folder
// (sorted by name, which is also the update order).
std::vector<std::string> module_paths(const Options& o) {
  return o.modules.empty() ? modules_in(o.guest_dir) : o.modules;
}

// Host keys: R or F5 restarts stopped modules, F6 restarts modules with a new build a hot
// reload refused (the keys still reach the game too).
void handle_host_keys(Game& game, const Input& input) {
  const auto& keys = input.state().keys;
  bool restart = keys[SDL_SCANCODE_R].pressed || keys[SDL_SCANCODE_F5].pressed;
  if (restart && game.any_error()) game.restart_stopped();
  // F6: start the new builds that a hot reload could not carry the state to (their state is
  // lost; the reload said what changed).
  if (keys[SDL_SCANCODE_F6].pressed) game.restart_pending();
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

// --record-range FROM:TO=FILE: parsed into `from`, `to` and `path`; false (said) if malformed.
bool parse_range(const std::string& spec, uint64_t& from, uint64_t& to, std::string& path) {
  unsigned long long a = 0, b = 0;
  int used = 0;
  if (std::sscanf(spec.c_str(), "%llu:%llu=%n", &a, &b, &used) != 2 || used == 0 ||
      size_t(used) == spec.size()) {
    std::fprintf(stderr, "glint-demo: --record-range %s: expected FROM:TO=FILE\n", spec.c_str());
    return false;
  }
  from = a, to = b, path = spec.substr(size_t(used));
  return true;
}

// --save-snapshot, --record and --record-range, after the last frame.
bool write_outputs(const Options& o, Game& game, const std::optional<Recorder>& recorder,
                   const Timeline* timeline) {
  auto write = [](const char* option, const std::string& path,
                  const glint::Result<std::vector<uint8_t>>& bytes) {
    auto done = bytes ? glint::write_file(path, *bytes) : glint::Result<void>(bytes.error());
    if (!done)
      std::fprintf(stderr, "glint-demo: %s %s: %s\n", option, path.c_str(),
                   done.error().message.c_str());
    else
      std::printf("%s: %s (%zu bytes)\n", option + 2, path.c_str(), bytes->size());
    return done.ok();
  };
  bool ok = true;
  if (!o.save_snapshot.empty())
    ok &= write("--save-snapshot", o.save_snapshot, game.save_snapshot());
  if (recorder) ok &= write("--record", o.record, encode_replay(recorder->replay()));
  for (const std::string& spec : o.ranges) {
    uint64_t from = 0, to = 0;
    std::string path;
    if (!parse_range(spec, from, to, path)) return false;
    auto saved = timeline->save_replay(from, to, path);
    if (!saved) {
      std::fprintf(stderr, "glint-demo: --record-range %s: %s\n", spec.c_str(),
                   saved.error().message.c_str());
      ok = false;
    } else {
      std::printf("record-range: %s (%zu bytes, frames %" PRIu64 "..%" PRIu64 ")\n", path.c_str(),
                  *saved, from, to);
    }
  }
  return ok;
}

// --replay: runs the recording with these modules, and with the recorded builds alongside.
int replay(const Options& o, Game& game, const GameConfig& config) {
  auto file = glint::read_file(o.replay);
  auto rec = file ? decode_replay(*file) : glint::Result<Replay>(file.error());
  if (!rec) {
    std::fprintf(stderr, "glint-demo: --replay %s: %s\n", o.replay.c_str(),
                 rec.error().message.c_str());
    return 1;
  }
  // The recorded builds run in a game of their own, drawing nowhere.
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer* sdl = SDL_CreateSoftwareRenderer(surface);
  int code = 1;
  {
    Renderer renderer(sdl, game.renderer().width(), game.renderer().height());
    Input input;
    GameConfig rc = config;
    rc.fuel = rec->fuel;
    rc.dt = rec->dt;
    Game recorded(rc, renderer, nullptr, input);
    add_recorded_builds(recorded, *rec);
    auto check = check_replay(game, &recorded, *rec);
    if (!check) {
      std::fprintf(stderr, "glint-demo: --replay %s: %s\n", o.replay.c_str(),
                   check.error().message.c_str());
    } else {
      std::printf("%s\n", to_string(*check).c_str());
      code = check->identical ? 0 : kReplayDiffers;
    }
  }
  SDL_DestroyRenderer(sdl);
  SDL_FreeSurface(surface);
  return code;
}

int run(const Options& o) {
  PlatformConfig pc;
  pc.headless = Platform::want_headless(o.headless || !o.replay.empty());
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
  if (!o.replay.empty()) return replay(o, game, gc);
  if (!o.load_snapshot.empty()) {
    auto file = glint::read_file(o.load_snapshot);
    auto loaded = file ? game.load_snapshot(*file) : glint::Result<void>(file.error());
    if (!loaded) {
      std::fprintf(stderr, "glint-demo: --load-snapshot %s: %s\n", o.load_snapshot.c_str(),
                   loaded.error().message.c_str());
      return 1;
    }
    std::printf("snapshot loaded: %s, frame %" PRIu64 "\n", o.load_snapshot.c_str(), game.frame());
  }
  script.skip_to(game.frame());
  std::vector<PlannedReload> reloads;
  std::vector<PlannedReload> seeks;
  if (!parse_frame_specs("--reload", "FRAME=PATH", o.reloads, reloads) ||
      !parse_frame_specs("--seek", "FRAME=TARGET", o.seeks, seeks))
    return 2;
  for (const std::string& spec : o.ranges) {  // said before the run, not after it
    uint64_t from, to;
    std::string path;
    if (!parse_range(spec, from, to, path)) return 2;
  }
  std::optional<Watcher> watcher;
  if (o.watch) {
    watcher.emplace(game);
    if (!watcher->ok()) {
      std::fprintf(stderr, "glint-demo: --watch: %s\n", watcher->error().c_str());
      return 1;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (pc.headless) {
      std::signal(SIGINT, [](int) { stop_requested = true; });
      std::signal(SIGTERM, [](int) { stop_requested = true; });
    }
  }
  std::optional<Recorder> recorder;
  if (!o.record.empty()) {
    auto r = Recorder::start(game);
    if (!r) {
      std::fprintf(stderr, "glint-demo: --record: %s\n", r.error().message.c_str());
      return 1;
    }
    recorder.emplace(std::move(*r));
  }
  std::optional<Timeline> timeline;
  if (o.rewind_frames || o.retro_frames || !seeks.empty() || !o.ranges.empty())
    timeline.emplace(game, TimelineConfig{std::max<size_t>(o.rewind_frames ? o.rewind_frames : 600,
                                                           o.retro_frames + 1)});
  // --retro N: a hot reload goes back N frames and runs them again with the new code.
  Watcher::ReloadFn reload = [&](GuestModule& m, std::shared_ptr<const glint::Module> fresh) {
    if (o.retro_frames) return timeline->reload_back(m, std::move(fresh), o.retro_frames);
    return game.reload(m, std::move(fresh));
  };
  if (watcher) watcher->set_reload(reload);
  bool timeline_error = false;  // said once

  const int64_t frames = o.frames >= 0 ? o.frames : (pc.headless && !o.watch ? 600 : -1);
  const double dt_ms = double(gc.dt) * 1000.0;
  bool stats = o.stats;
  Timer frame_timer;
  double accumulator = 0, last_frame_ms = 0;
  auto last = std::chrono::steady_clock::now(), last_reload_check = last;
  const uint64_t first_frame = game.frame();  // 0, or the loaded snapshot's
  for (int64_t i = 0; frames < 0 || i < frames; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    if (!platform->poll(input) || stop_requested) break;
    if (watcher) print_watch(watcher->poll(), game.frame());  // swaps in at this frame boundary
    if (pc.headless) {
      i = int64_t(game.frame() - first_frame);  // one step per frame (a seek goes back)
      script.apply(game.frame(), input);        // input by frame: reproducible
      accumulator = dt_ms;
    } else {
      accumulator += std::min(250.0, std::chrono::duration<double, std::milli>(t0 - last).count());
      if (!watcher && t0 - last_reload_check > std::chrono::milliseconds(500)) {
        game.reload_changed();
        last_reload_check = t0;
      }
    }
    last = t0;
    for (int steps = 0; accumulator >= dt_ms && steps < 5; ++steps) {
      input.begin_step();
      if (input.state().keys[SDL_SCANCODE_F3].pressed) stats = !stats;
      handle_host_keys(game, input);
      run_reloads(game, reloads, reload);
      game.update();
      if (recorder) recorder->step();
      if (timeline)
        if (auto kept = timeline->record(); !kept && !timeline_error) {
          timeline_error = true;
          std::fprintf(stderr, "timeline: frame %llu not kept: %s\n",
                       (unsigned long long)game.frame(), kept.error().message.c_str());
        }
      if (timeline && pc.headless) run_seeks(game, *timeline, seeks, script);
      accumulator -= dt_ms;
    }
    bool last_frame = frames >= 0 && i + 1 == frames;
    // --render-last: gameplay checks skip drawing (software rendering dominates a headless
    // frame); the game state does not depend on it.
    if (!(o.render_last && pc.headless && !last_frame)) {
      game.draw();
      if (recorder) recorder->drawn();
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
    if (pc.headless && watcher)  // real time, so that edits land while it runs
      std::this_thread::sleep_until(t0 + std::chrono::microseconds(int64_t(dt_ms * 1000)));
    game.end_frame();
    last_frame_ms = ms_since(t0);
    frame_timer.add(last_frame_ms);
  }
  if (!pc.headless) game.save_all();
  if (!write_outputs(o, game, recorder, timeline ? &*timeline : nullptr)) return 1;
  if (timeline)
    std::printf(
        "timeline: %zu frames held, %.1f MiB (written pages found by %s); a frame "
        "recorded in %.3f ms (mean), %.3f ms (max), %.1f pages copied (mean)\n",
        timeline->frames(), double(timeline->bytes_used()) / 1048576.0, timeline->tracking(),
        timeline->mean_record_ms(), timeline->max_record_ms(), timeline->mean_record_pages());

  const ScriptTimes& st = game.script_times();
  const RenderStats& rs = renderer.last_stats();
  std::printf("frames: %" PRIu64 ", script time per frame: mean %.3f ms, max %.3f ms\n", st.frames,
              st.mean_ms(), st.max_ms);
  std::printf("script page faults per frame: mean %.1f\n", st.mean_faults());
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
  app.add_option("--save-snapshot", o.save_snapshot,
                 "After the last frame, write the whole game (modules and host state) to FILE");
  app.add_option("--load-snapshot", o.load_snapshot,
                 "Before the first frame, restore FILE (from --save-snapshot of the same modules); "
                 "frames continue from its frame, and so does --input");
  app.add_option("--record", o.record,
                 "Write a replay of the run to FILE: where it started, the modules, each step's "
                 "input and state hash");
  app.add_option("--replay", o.replay,
                 "Replay FILE headless with these modules and check every frame's state hash: "
                 "prints 'replay: N frames identical', or the first frame that differs and the "
                 "memory that differs (exit status 3)");
  app.add_option("--reload", o.reloads,
                 "FRAME=PATH: before frame FRAME, hot-reload the module of PATH's file name from "
                 "the build at PATH, keeping the game's state (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--watch", o.watch,
               "Watch each module's sources and file (inotify): rebuild it with the command of "
               "its build recipe (NAME.wasm.build, which CMake writes) when a source changes, "
               "swap the new build in at the next frame boundary keeping the game's state, and "
               "print the build's output and the time from the save to the new code running. "
               "Headless runs then go in real time until --frames or Ctrl-C");
  app.add_option("--rewind", o.rewind_frames,
                 "Keep the last N frames of the whole game for rewind (the editor's timeline); "
                 "prints how much memory they took");
  app.add_option("--retro", o.retro_frames,
                 "N: retroactive reload: a hot reload (--reload, --watch) goes back N frames on "
                 "the timeline, swaps the new build in there and runs the recorded input again, "
                 "so the last N frames happen with the new code");
  app.add_option("--seek", o.seeks,
                 "FRAME=TARGET (headless): after frame FRAME, go back to frame TARGET of the "
                 "timeline and play on from there, as the editor's timeline does (repeatable)");
  app.add_option("--record-range", o.ranges,
                 "FROM:TO=FILE: after the last frame, write frames FROM..TO of the rewind "
                 "timeline (which must still hold them: see --rewind, default 600) as a replay "
                 "to FILE, which --replay checks (repeatable)")
      ->allow_extra_args(false);
  app.add_option("modules", o.modules, "Module .wasm files (default: every .wasm in --guest-dir)");
  CLI11_PARSE(app, argc, argv);
  return run(o);
}
