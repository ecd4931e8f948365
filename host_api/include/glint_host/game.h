// A game: several wasm modules, each in its own Store, run in lockstep by the host.
//
// Lifecycle of a module: instantiate -> `_initialize` (if exported) -> `init` (or `on_reload`
// after a hot reload) -> `load` (if the save slot has its section). Then every step `update(dt)`,
// every frame `draw()`. Each call gets a fresh fuel budget. A call that fails (trap, out of fuel,
// bad host-call argument) stops that module only: its error goes to stderr and onto the screen,
// the others keep running, and `restart` brings it back.
#pragma once
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "glint/glint.h"
#include "glint_host/assets.h"
#include "glint_host/audio.h"
#include "glint_host/game_state.h"
#include "glint_host/input.h"
#include "glint_host/renderer.h"
#include "glint_host/save.h"

namespace glint::host {

class Api;

struct GameConfig {
  std::string assets_dir;
  std::string save_path;       // "" = the save slot lives in memory only
  uint64_t seed = 1;           // every module's random stream derives from it
  uint64_t fuel = 50'000'000;  // per guest call (init, update, draw, ...)
  float dt = 1.0f / 60.0f;     // the fixed timestep
  size_t max_queue = 1024;     // messages waiting per module
};

// One frame of a module's work (its update steps and its draw), for profilers.
struct ModuleFrameStats {
  double script_ms = 0;     // CPU time of the thread in its calls (as ScriptTimes)
  uint64_t fuel = 0;        // fuel its calls used
  uint64_t host_calls = 0;  // host API functions it called
  // Page faults the thread took in its calls (getrusage): the rewind timeline's write tracking
  // takes one at the first write to a page it protected.
  uint64_t faults = 0;
};

struct GuestModule {
  std::string name, path;
  std::shared_ptr<const glint::Module> module;
  std::unique_ptr<glint::Store> store;
  std::unique_ptr<Api> api;
  glint::Instance* instance = nullptr;
  // Counts the instances this module has had (a start, a restart, a reload's swap). Who keeps
  // state per instance compares it, never the pointer: a new instance may reuse the old address.
  uint64_t instance_generation = 0;
  std::string error;  // non-empty: stopped until restarted
  std::deque<Message> inbox;
  std::filesystem::file_time_type mtime{};
  // A new build a reload could not carry the state to: restart_pending() starts it fresh.
  std::shared_ptr<const glint::Module> pending_build;
  double load_ms = 0;                 // reading, decoding, validating and translating the file
  ModuleFrameStats frame_stats;       // the frame being run
  ModuleFrameStats last_frame_stats;  // the last one finished (end_frame)
  bool running() const { return instance && error.empty(); }
};

// What a hot reload did (Game::reload).
struct ReloadResult {
  enum class Outcome {
    Kept,            // new code running, state carried over
    SavedAndLoaded,  // new code running, state carried by the module's save/load hooks
    LayoutChanged,   // old code still running: the state could not be carried (see changes)
    Failed,          // old code and state untouched (see message)
  };
  Outcome outcome = Outcome::Failed;
  std::string message;               // one line for the console
  std::vector<std::string> changes;  // LayoutChanged: what moved in the data layout
  std::vector<std::string> notes;    // Kept: what was carried over
  double swap_ms = 0;                // from the loaded module to the new code ready to run
  bool swapped() const { return outcome == Outcome::Kept || outcome == Outcome::SavedAndLoaded; }
};

// CPU time of the calling thread, in ms (script times count it: on a busy machine wall-clock
// time would count the time other processes ran too).
double thread_cpu_ms();

// Guest time per frame (update + draw of every module, including the host calls they make).
struct ScriptTimes {
  double last_ms = 0, total_ms = 0, max_ms = 0;
  uint64_t frames = 0;
  uint64_t faults = 0;  // page faults in guest calls, all frames (ModuleFrameStats)
  double mean_ms() const { return frames ? total_ms / double(frames) : 0; }
  double mean_faults() const { return frames ? double(faults) / double(frames) : 0; }
};

class Game {
 public:
  enum class Level { Info, Warn, Error };
  // What a host that watches the game (the editor's debugger) is told. Each runs on the thread
  // that runs the game.
  struct Hooks {
    // A module's new store, before its instance exists (and while the store it replaces, if
    // any, still does): where a debugger attaches its handler and sets breakpoints. A reload
    // calls it when it swaps the new build's store in (its code is m.module then), and again
    // with the old store if it swaps that back.
    std::function<void(GuestModule& m, glint::Store& store)> store_created;
    // A guest's log line, or the error that stopped a module (with its trap, if it trapped).
    std::function<void(const GuestModule& m, Level level, std::string_view text,
                       const glint::Trap* trap)>
        log;
  };

  // `audio` may be null (no sound); renderer and input are required.
  Game(GameConfig config, Renderer& renderer, Audio* audio, Input& input);
  ~Game();

  // Loads and starts a module; a failure leaves it in the error state (it is still listed).
  GuestModule& add_module(const std::string& path);
  // The same from a binary in memory; `path` names it (its file name stem is the module name).
  GuestModule& add_module(const std::string& path, std::span<const uint8_t> bytes);
  const std::vector<std::unique_ptr<GuestModule>>& modules() const { return modules_; }

  void update();     // one fixed step of every running module (take the input snapshot first)
  void draw();       // every running module's draw calls, then the error overlay
  void end_frame();  // closes the frame's script-time measurement

  void set_hooks(Hooks hooks) { hooks_ = std::move(hooks); }
  const Hooks& hooks() const { return hooks_; }

  void restart(GuestModule& m);  // fresh instance from the same file
  void restart_stopped();        // every module in the error state
  // Hot reload (reload.cpp): swaps in a new build of `m` at a frame boundary, keeping the
  // game's state (glint/reload.h: memory, globals, tables carry over). Where the data layout
  // moved, the module's save/load hooks carry it if it has both; else the old code keeps
  // running and the result says what changed (restart_with() then starts the new build
  // fresh). A failure (a module that does not link, a trap in on_reload, init or load) leaves
  // the old code and the whole game's state exactly as they were. on_reload runs last.
  // `state_of`: carry the state of that instance (of another game: a replay's recorded builds)
  // instead of m's own.
  ReloadResult reload(GuestModule& m, std::shared_ptr<const glint::Module> fresh,
                      const glint::Instance* state_of = nullptr);
  // Loads `path` (a new build of `m`'s module) and reloads it.
  ReloadResult reload_file(GuestModule& m, const std::string& path);
  // Starts `fresh` in place of `m`'s module with a new state (after a reload that could not
  // keep it), and the new builds that reloads refused, each in place of its module.
  void restart_with(GuestModule& m, std::shared_ptr<const glint::Module> fresh);
  void restart_pending();
  // Reloads modules whose file changed on disk; returns how many were swapped in.
  int reload_changed();
  void save_all();  // calls each running module's `save` hook

  // Combined hash of every module's state_hash() (or its memory, if it has none).
  // With `module_hashes`, also each module's part (module_state_hash), in order.
  uint64_t state_hash(std::vector<uint64_t>* module_hashes = nullptr);
  // One module's part of it: its state_hash() export, else a hash of its memory.
  uint64_t module_state_hash(GuestModule& m);
  // ---- Snapshots (game_state.cpp) --------------------------------------------------------------
  // Call these between frames. The whole game, `instances` with each module's instance.
  glint::Result<GameState> capture_state(bool instances);
  // Checks that `s` fits this game (the same modules; with instances, the same builds and
  // instances that can take its snapshots): what restore_state checks before it writes.
  glint::Result<void> check_state(const GameState& s, bool instances) const;
  // Checks, then puts it all back; on an error nothing changed.
  glint::Result<void> restore_state(const GameState& s, bool instances);
  // As a file (glint/snapshot.h's format, kind GameSnapshot), and back. A bad file (damaged,
  // truncated, of other modules or builds, of a newer format) is refused with what is wrong.
  glint::Result<std::vector<uint8_t>> save_snapshot();
  glint::Result<void> load_snapshot(std::span<const uint8_t> file);

  // Calls `query_NAME` in the first module exporting it.
  std::optional<glint::Value> query(const std::string& name);
  std::vector<std::string> errors() const;
  bool any_error() const;

  uint64_t frame() const { return frame_; }
  const ScriptTimes& script_times() const { return times_; }
  const GameConfig& config() const { return config_; }

  // Services for the host API.
  Renderer& renderer() { return renderer_; }
  Audio* audio() { return audio_; }
  Input& input() { return input_; }
  Assets& assets() { return assets_; }
  SaveSlot& save_slot() { return save_; }
  GuestModule* find(std::string_view name);
  std::map<std::string, double, std::less<>>& shared() { return shared_; }
  void log(const GuestModule& m, Level level, std::string_view text);

 private:
  bool start(GuestModule& m, bool reloading);
  // Calls an export with a fresh fuel budget; false (and the module stopped) if it failed.
  bool call(GuestModule& m, const char* name, std::span<const glint::Value> args,
            std::vector<glint::Value>* results = nullptr);
  // The same without stopping the module: "" if it ran, else why not (and in `trap`, if
  // given, the trap that ended it).
  std::string try_call(GuestModule& m, const char* name, std::span<const glint::Value> args,
                       std::vector<glint::Value>* results = nullptr,
                       std::optional<glint::Trap>* trap = nullptr);
  void stop(GuestModule& m, std::string error, const glint::Trap* trap = nullptr);
  void draw_overlay();

  GameConfig config_;
  Hooks hooks_;
  Renderer& renderer_;
  Audio* audio_;
  Input& input_;
  Assets assets_;
  SaveSlot save_;
  glint::Linker base_linker_;
  std::vector<std::unique_ptr<GuestModule>> modules_;
  std::map<std::string, double, std::less<>> shared_;
  std::deque<std::pair<uint64_t, std::string>> recent_errors_;  // (frame, line) for the overlay
  uint64_t frame_ = 0;
  double frame_script_ms_ = 0;
  ScriptTimes times_;
};

// Every .wasm file in `dir`, sorted by name: a game's modules in their update order.
std::vector<std::string> modules_in(const std::string& dir);
// A value as a person reads it: "42", "-1.5" (floats with all their digits).
std::string format_value(const glint::Value& v);

}  // namespace glint::host
