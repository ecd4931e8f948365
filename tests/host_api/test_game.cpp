// Game-level tests with the VM: lifecycle, queries, state hash, restart, hot reload.
// The guests are built from tests/host_api/guests into GUEST_DIR.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "glint_host/game.h"
#include "glint_host/game_thread.h"
#include "glint_host/replay.h"
#include "glint_host/timeline.h"

using namespace glint::host;
namespace fs = std::filesystem;

namespace {

std::string guest(const char* name) { return std::string(GUEST_DIR) + "/" + name + ".wasm"; }

// A Game drawing into an off-screen software renderer, without audio.
struct Harness {
  SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 960, 540, 32, SDL_PIXELFORMAT_ARGB8888);
  SDL_Renderer* sdl = SDL_CreateSoftwareRenderer(surface);
  Renderer renderer{sdl, 960, 540};
  Input input;
  Game game;
  explicit Harness(GameConfig config = {}) : game(config, renderer, nullptr, input) {}
  ~Harness() {
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surface);
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) {
      input.begin_step();
      game.update();
      game.draw();
      renderer.flush();
      game.end_frame();
    }
  }
  int32_t query_i32(const char* name) {
    auto v = game.query(name);
    REQUIRE(v.has_value());
    return v->as_i32();
  }
};

}  // namespace

TEST_CASE("lifecycle, queries and a reproducible state hash") {
  Harness a, b;
  a.game.add_module(guest("good"));
  b.game.add_module(guest("good"));
  REQUIRE(a.game.modules().size() == 1);
  CHECK(a.game.modules()[0]->name == "good");
  CHECK(a.game.modules()[0]->running());
  a.frames(10);
  b.frames(10);
  CHECK(a.query_i32("updates") == 10);
  CHECK(a.game.state_hash() == b.game.state_hash());
  b.frames(1);
  CHECK(a.game.state_hash() != b.game.state_hash());
  CHECK(!a.game.query("no_such_query").has_value());
  CHECK(a.game.script_times().frames == 10);
  CHECK(a.renderer.last_stats().commands > 0);  // good.wasm drew its box
}

TEST_CASE("a module that cannot load is listed with its error; the others run") {
  Harness h;
  GuestModule& missing = h.game.add_module("/nonexistent/missing.wasm");
  h.game.add_module(guest("good"));
  CHECK(!missing.running());
  CHECK(missing.error.find("cannot load") == 0);
  h.frames(3);
  CHECK(h.query_i32("updates") == 3);
  REQUIRE(h.game.errors().size() == 1);
  CHECK(h.game.errors()[0].find("missing: cannot load") == 0);
}

TEST_CASE("a trapping module stops alone and restarts fresh") {
  Harness h;
  GuestModule& bad = h.game.add_module(guest("bad_trap"));
  h.game.add_module(guest("good"));
  h.frames(9);
  CHECK(bad.running());
  h.frames(1);
  CHECK(!bad.running());
  CHECK(bad.error.find("unreachable") != std::string::npos);
  uint64_t stopped_hash = h.game.state_hash();
  CHECK(stopped_hash == h.game.state_hash());  // a stopped module hashes its error, stably
  h.frames(5);
  CHECK(h.query_i32("updates") == 15);
  h.game.restart_stopped();
  CHECK(bad.running());
  CHECK(bad.error.empty());
  h.frames(9);
  CHECK(bad.running());  // its counter started again from zero
  h.frames(1);
  CHECK(!bad.running());
}

TEST_CASE("hot reload: save -> new instance -> on_reload -> load") {
  fs::path dir = fs::temp_directory_path() / ("glint_reload_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path path = dir / "hero.wasm";
  fs::copy_file(guest("reload_v1"), path, fs::copy_options::overwrite_existing);
  Harness h;
  GuestModule& m = h.game.add_module(path.string());
  h.frames(5);
  CHECK(h.query_i32("version") == 1);
  CHECK(h.query_i32("state") == 5);
  CHECK(h.game.reload_changed() == 0);  // nothing changed yet

  fs::copy_file(guest("reload_v2"), path, fs::copy_options::overwrite_existing);
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(2));
  CHECK(h.game.reload_changed() == 1);
  CHECK(m.running());
  CHECK(h.query_i32("version") == 12);  // v2, and on_reload ran instead of init
  CHECK(h.query_i32("state") == 5);     // the state came through save/load
  h.frames(1);
  CHECK(h.query_i32("state") == 7);

  // A broken file on disk does not replace the running module.
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << "not wasm"; }
  fs::last_write_time(path, fs::last_write_time(path) + std::chrono::seconds(4));
  CHECK(h.game.reload_changed() == 0);
  CHECK(m.running());
  CHECK(h.query_i32("version") == 12);
  fs::remove_all(dir);
}

TEST_CASE("WASI stand-ins: game time, seeded entropy") {
  GameConfig c1, c2;
  c2.seed = 99;
  Harness a(c1), b(c1), other(c2);
  for (Harness* h : {&a, &b, &other}) {
    h->game.add_module(guest("wasi_user"));
    h->frames(60);
    REQUIRE(h->game.modules()[0]->running());
  }
  auto clock = a.game.query("clock_ms");
  REQUIRE(clock.has_value());
  CHECK(clock->as_i64() == 983);  // frame 59 of 1/60 s steps, in whole milliseconds
  CHECK(a.query_i32("entropy") == b.query_i32("entropy"));
  CHECK(a.query_i32("entropy") != other.query_i32("entropy"));
}

// ---- Snapshots of the whole game
// -----------------------------------------------------------------

namespace {
// Hashes of the next n frames, and the shared number and inbox sizes at their end.
std::vector<uint64_t> run_hashes(Harness& h, int n) {
  std::vector<uint64_t> out;
  for (int i = 0; i < n; ++i) {
    h.frames(1);
    out.push_back(h.game.state_hash());
  }
  return out;
}
}  // namespace

TEST_CASE("a game snapshot restores modules and host state: the same frames follow") {
  GameConfig config;
  config.seed = 7;
  Harness h(config);
  h.game.add_module(guest("ping"));
  h.game.add_module(guest("pong"));
  h.game.add_module(guest("wasi_user"));  // random_get and the game clock
  h.frames(30);
  auto file = h.game.save_snapshot();
  REQUIRE(file.ok());
  uint64_t frame = h.game.frame();
  size_t inbox = h.game.modules()[1]->inbox.size();
  auto expected = run_hashes(h, 40);
  int replies = h.query_i32("replies");

  h.game.shared()["ping.updates"] = -1;  // host state a restore must put back
  REQUIRE(h.game.load_snapshot(*file).ok());
  CHECK(h.game.frame() == frame);
  CHECK(h.game.modules()[1]->inbox.size() == inbox);
  CHECK(h.game.shared()["ping.updates"] == 30);
  CHECK(run_hashes(h, 40) == expected);
  CHECK(h.query_i32("replies") == replies);

  // In another game (a new process would be the same): the same frames again.
  Harness other(config);
  other.game.add_module(guest("ping"));
  other.game.add_module(guest("pong"));
  other.game.add_module(guest("wasi_user"));
  REQUIRE(other.game.load_snapshot(*file).ok());
  CHECK(run_hashes(other, 40) == expected);
}

TEST_CASE("a game snapshot of another build or another set of modules is refused, untouched") {
  fs::path dir = fs::temp_directory_path() / ("glint_snap_" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path path = dir / "hero.wasm";
  fs::copy_file(guest("reload_v1"), path, fs::copy_options::overwrite_existing);
  Harness v1;
  v1.game.add_module(path.string());
  v1.frames(5);
  auto file = v1.game.save_snapshot();
  REQUIRE(file.ok());

  fs::copy_file(guest("reload_v2"), path, fs::copy_options::overwrite_existing);
  Harness v2;
  v2.game.add_module(path.string());
  v2.frames(3);
  uint64_t before = v2.game.state_hash();
  auto r = v2.game.load_snapshot(*file);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("module 'hero' is another build") != std::string::npos);
  CHECK(v2.game.state_hash() == before);
  CHECK(v2.game.frame() == 3);

  Harness two;
  two.game.add_module(path.string());
  two.game.add_module(guest("good"));
  r = two.game.load_snapshot(*file);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("modules hero; this game has hero, good") != std::string::npos);
  fs::remove_all(dir);
}

// ---- GameThread: the game on its own thread, for a debugger's UI -----------------------------

namespace {

// Runs one frame as a job and waits for it (or for a stop).
void post_frame(GameThread& t) {
  t.post([](Game& g) {
    g.input().begin_step();
    g.update();
    g.draw();
    g.end_frame();
  });
}

}  // namespace

TEST_CASE("GameThread: jobs run in order on the game thread; a breakpoint parks it") {
  Harness h;
  std::thread::id ui = std::this_thread::get_id(), game_thread;
  GameThread t(h.game);
  t.post([&](Game& g) {
    game_thread = std::this_thread::get_id();
    g.add_module(guest("good"));
  });
  REQUIRE(t.wait_quiet(std::chrono::seconds(10)));
  CHECK(game_thread != ui);
  GuestModule& m = *h.game.modules()[0];
  auto at = glint::function_code_offset(*m.module, "update");
  REQUIRE(at);
  REQUIRE(glint::set_breakpoint(*m.module, *at));

  post_frame(t);
  REQUIRE(t.wait_stop(0, std::chrono::seconds(10)));
  CHECK(t.state() == GameThread::State::Stopped);
  CHECK(t.quiet());  // the UI may read the game while it waits
  REQUIRE(t.stop() != nullptr);
  CHECK(t.stop()->module == &m);
  CHECK(t.stop()->serial == 1);
  CHECK(t.stop()->stop.frames[0].func_name == "update");
  // Code may run on the game thread inside the stop.
  std::thread::id in_stop;
  CHECK(t.run_in_stop([&] { in_stop = std::this_thread::get_id(); }));
  CHECK(in_stop == game_thread);

  glint::clear_breakpoint(*m.module, *at);
  t.resume(glint::DebugAction::Continue);
  REQUIRE(t.wait_quiet(std::chrono::seconds(10)));
  CHECK(t.state() == GameThread::State::Idle);
  CHECK(t.jobs_done() == 2);
  CHECK(h.query_i32("updates") == 1);
  CHECK(!t.run_in_stop([] {}));  // not stopped
}

TEST_CASE("GameThread: pause stops the next instruction; a step answers; quitting while stopped") {
  Harness h;
  auto t = std::make_unique<GameThread>(h.game);
  t->post([](Game& g) { g.add_module(guest("good")); });
  REQUIRE(t->wait_quiet(std::chrono::seconds(10)));
  t->pause();
  post_frame(*t);
  REQUIRE(t->wait_stop(0, std::chrono::seconds(10)));
  CHECK(t->stop()->stop.reason == glint::DebugStop::Reason::Pause);
  uint32_t at = t->stop()->stop.frames[0].code_offset;
  t->resume(glint::DebugAction::StepInto);
  REQUIRE(t->wait_stop(1, std::chrono::seconds(10)));
  CHECK(t->stop()->stop.reason == glint::DebugStop::Reason::Step);
  CHECK(t->stop()->stop.frames[0].code_offset > at);
  // Destroying it while stopped ends the call (Abort) and joins the thread.
  t.reset();
  CHECK(!h.game.modules()[0]->error.empty());
}

// ---- Hot reload keeping state -------------------------------------------------------------------

namespace {
// The whole game, bytes: equal before and after a failed reload means bit for bit untouched.
std::vector<uint8_t> game_bytes(Game& g) {
  auto s = g.capture_state(true);
  REQUIRE(s.ok());
  glint::ByteWriter w;
  write_game_state(w, *s, true);
  return w.out;
}

std::shared_ptr<const glint::Module> load(const char* name) {
  auto m = glint::Module::load_file(guest(name));
  REQUIRE(m.ok());
  return *m;
}
}  // namespace

TEST_CASE("hot reload keeps the state, and a stored function pointer calls the new code") {
  Harness h;
  h.game.add_module(guest("ping"));  // another module, with its own state, runs along
  h.game.add_module(guest("pong"));
  GuestModule& m = h.game.add_module(guest("reload_fp_v1"));
  h.frames(10);
  CHECK(h.query_i32("value") == 10);
  int replies = h.query_i32("replies");

  ReloadResult r = h.game.reload(m, load("reload_fp_v2"));
  INFO(r.message);
  CHECK(r.outcome == ReloadResult::Outcome::Kept);
  CHECK(r.message.find("state kept") != std::string::npos);
  CHECK(h.query_i32("version") == 2);
  CHECK(h.query_i32("value") == 10);    // kept
  CHECK(h.query_i32("reloads") == 10);  // v2's on_reload ran, once
  h.frames(1);
  CHECK(h.query_i32("value") == 110);  // the pointer v1 stored now runs v2's step
  CHECK(h.query_i32("replies") == replies + 1);
  MESSAGE("swap took " << r.swap_ms << " ms");
}

TEST_CASE("a failed reload keeps the old code and the whole game's state, bit for bit") {
  Harness h;
  h.game.add_module(guest("ping"));
  h.game.add_module(guest("pong"));
  GuestModule& m = h.game.add_module(guest("reload_fp_v1"));
  h.frames(10);
  auto before = game_bytes(h.game);
  auto check_untouched = [&](const ReloadResult& r, const char* words) {
    INFO(r.message);
    CHECK(r.outcome != ReloadResult::Outcome::Kept);
    CHECK(r.message.find(words) != std::string::npos);
    CHECK(game_bytes(h.game) == before);
    CHECK(h.query_i32("version") == 1);
    CHECK(m.running());
  };
  SUBCASE("a trap in on_reload (after it wrote to memory)") {
    check_untouched(h.game.reload(m, load("reload_trap")), "the new build trapped; on_reload");
  }
  SUBCASE("a module that does not link") {
    check_untouched(h.game.reload(m, load("reload_link")),
                    "does not link: link error: unknown import: 'glint.no_such_function'");
  }
  SUBCASE("a module that does not load") {
    fs::path bad = fs::temp_directory_path() / ("glint_bad_" + std::to_string(getpid()) + ".wasm");
    { std::ofstream(bad, std::ios::binary) << "\0asm\x01\0\0\0\x01\x05"; }
    check_untouched(h.game.reload_file(m, bad.string()), "malformed module");
    fs::remove(bad);
  }
  SUBCASE("a changed data layout without save/load hooks") {
    ReloadResult r = h.game.reload(m, load("reload_layout"));
    check_untouched(r, "its data layout changed and it has no save and load hooks");
    CHECK(r.outcome == ReloadResult::Outcome::LayoutChanged);
    REQUIRE_FALSE(r.changes.empty());
    CHECK(r.changes[0].find("global 0 starts at") != std::string::npos);  // the stack pointer
  }
  h.frames(1);  // and the old code runs on
  CHECK(h.query_i32("value") == 11);
}

TEST_CASE("a changed layout goes through save/load; a trap in load rolls everything back") {
  Harness h;
  GuestModule& m = h.game.add_module(guest("reload_v1"));
  h.frames(5);
  auto before = game_bytes(h.game);
  ReloadResult r = h.game.reload(m, load("reload_load"));
  INFO(r.message);
  CHECK(r.outcome == ReloadResult::Outcome::Failed);
  CHECK(r.message.find("the new build trapped; load") != std::string::npos);
  CHECK(game_bytes(h.game) == before);  // the save hook's write to the slot is undone too
  CHECK(h.query_i32("version") == 1);
  h.frames(1);
  CHECK(h.query_i32("state") == 6);
}

// ---- The rewind timeline
// -------------------------------------------------------------------------

TEST_CASE("the timeline rewinds the whole game and plays on from any frame") {
  Harness h;
  h.game.add_module(guest("ping"));
  h.game.add_module(guest("pong"));
  h.game.add_module(guest("wasi_user"));
  h.frames(5);
  TimelineConfig config;
  config.max_frames = 100;
  Timeline timeline(h.game, config);
  std::map<uint64_t, uint64_t> hashes;
  hashes[h.game.frame()] = h.game.state_hash();
  for (int i = 0; i < 130; ++i) {
    h.input.begin_step();
    h.game.update();
    REQUIRE(timeline.record().ok());
    hashes[h.game.frame()] = h.game.state_hash();
  }
  CHECK(timeline.frames() == 100);  // the oldest were dropped
  CHECK(timeline.last() == 135);
  CHECK(timeline.first() == 36);
  CHECK_FALSE(timeline.seek(20).ok());
  for (uint64_t f : {120u, 36u, 135u, 90u}) {  // scrub
    REQUIRE(timeline.seek(f).ok());
    CHECK(h.game.frame() == f);
    CHECK(h.game.state_hash() == hashes[f]);
  }
  // Resume from frame 90: the same steps give the same frames (the game is deterministic).
  for (int i = 0; i < 10; ++i) {
    h.input.begin_step();
    h.game.update();
    REQUIRE(timeline.record().ok());
    CHECK(h.game.state_hash() == hashes[h.game.frame()]);
  }
  CHECK(timeline.last() == 100);  // the frames after 90 were dropped when play went on
  MESSAGE("timeline: " << timeline.frames() << " frames, " << timeline.bytes_used() / 1024
                       << " KiB, pages by " << std::string(timeline.tracking()));

  // A range as a replay: it replays identically in a fresh game.
  auto replay = timeline.replay(60, 100);
  REQUIRE(replay.ok());
  CHECK(replay->steps.size() == 40);
  Harness other;
  other.game.add_module(guest("ping"));
  other.game.add_module(guest("pong"));
  other.game.add_module(guest("wasi_user"));
  auto check = check_replay(other.game, nullptr, *replay);
  REQUIRE(check.ok());
  CHECK(check->identical);
  CHECK(check->steps == 40);
}

// A restarted module's new instance often sits at the old one's address; the timeline must still
// see that it is another instance (it once kept the old instance's ring: a double free).
TEST_CASE("the timeline starts over when a module restarts, many times in a row") {
  Harness h;
  GuestModule& m = h.game.add_module(guest("ping"));
  h.game.add_module(guest("pong"));
  Timeline timeline(h.game);
  for (int restart = 0; restart < 20; ++restart) {
    for (int i = 0; i < 3; ++i) {
      h.input.begin_step();
      h.game.update();
      REQUIRE(timeline.record().ok());
    }
    CHECK(timeline.frames() == 4u);  // the frame it began at and three more
    uint64_t generation = m.instance_generation;
    h.game.restart(m);
    CHECK(m.instance_generation == generation + 1);
    h.input.begin_step();
    h.game.update();
    REQUIRE(timeline.record().ok());  // the restart seen: the timeline begins at this frame
    CHECK(timeline.first() == h.game.frame());
  }
}

TEST_CASE("retroactive reload: the last frames run again with the new code") {
  Harness h;
  GuestModule& m = h.game.add_module(guest("reload_fp_v1"));
  Timeline timeline(h.game);
  for (int i = 0; i < 30; ++i) {
    h.input.begin_step();
    h.game.update();
    REQUIRE(timeline.record().ok());
  }
  CHECK(h.query_i32("value") == 30);
  ReloadResult r = timeline.reload_back(m, load("reload_fp_v2"), 10);
  INFO(r.message);
  REQUIRE(r.outcome == ReloadResult::Outcome::Kept);
  CHECK(h.game.frame() == 30);
  CHECK(h.query_i32("value") == 20 + 10 * 100);  // frames 21..30 ran v2's step
  CHECK(r.message.find("the last 10 frames ran again") != std::string::npos);
  CHECK(timeline.last() == 30);

  // A reload that fails there leaves the game where it was.
  uint64_t before = h.game.state_hash();
  ReloadResult bad = timeline.reload_back(m, load("reload_trap"), 10);
  CHECK_FALSE(bad.swapped());
  CHECK(h.game.frame() == 30);
  CHECK(h.game.state_hash() == before);
}
