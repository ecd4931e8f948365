// Watching a game's files for hot reload (glint-demo --watch, the editor): when a module's
// source changes, its build command runs in the background, and the new build is swapped in at
// the next frame boundary (Game::reload: the game keeps its state). A module file that changes
// on its own (built by something else) is swapped in too.
//
//   Watcher watcher(game);
//   ... at each frame boundary:
//   for (const WatchMessage& m : watcher.poll()) console(m.text);
//
// How a module is rebuilt is in a build recipe next to it, `NAME.wasm.build` (text, one entry a
// line), which glint_add_c_guest / glint_add_rust_guest (host_api/cmake/GlintApi.cmake) and
// `glint new` projects write:
//   dir /path/to/build            where the command runs
//   command cmake --build /path/to/build --target demo_arena
//   source /path/to/main.c        every file whose change needs a rebuild (repeatable)
// Files are watched with inotify; the build runs with /bin/sh -c.
#pragma once
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "glint/glint.h"
#include "glint_host/game.h"

namespace glint::host {

struct BuildRecipe {
  std::string dir, command;
  std::vector<std::string> sources;
};

// The recipe of the module at `wasm_path` (wasm_path + ".build"); an error if it is missing or
// says nothing to run.
glint::Result<BuildRecipe> read_build_recipe(const std::string& wasm_path);
std::string build_recipe_path(const std::string& wasm_path);

struct WatchMessage {
  enum class Kind {
    Watching,     // what is watched (once, at the start)
    Building,     // a source changed: the build started
    BuildOutput,  // the build's output (compiler messages), after it ends
    BuildFailed,  // the old code runs on
    Reloaded,     // the new code runs: text says after how long since the save
    NotReloaded,  // the reload failed or could not keep the state (text says why)
    Unchanged,    // the build made the same module
  };
  Kind kind;
  std::string module;
  std::string text;       // one line for the console (BuildOutput: the whole output)
  double seconds = 0;     // Reloaded: from the change on disk to the new code in place
  ReloadResult reload{};  // Reloaded, NotReloaded
};

class Watcher {
 public:
  // Watches every module of `game` (its file, and its recipe's sources if it has one).
  explicit Watcher(Game& game);
  ~Watcher();
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

  // Call at a frame boundary, on the game's thread: reads the changes (never blocks), starts
  // builds, swaps in the builds that finished. Returns what happened, in order.
  std::vector<WatchMessage> poll();
  bool building() const;  // a build is running
  // How a new build is swapped in: Game::reload unless set (the editor's retroactive reload
  // sets Timeline::reload_back here).
  using ReloadFn = std::function<ReloadResult(GuestModule&, std::shared_ptr<const glint::Module>)>;
  void set_reload(ReloadFn reload) { reload_ = std::move(reload); }
  // False if inotify could not be set up (error() says why): poll() then does nothing.
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  struct Entry;

 private:
  void on_change(const std::string& path, std::vector<WatchMessage>& out);
  void start_build(Entry& e, std::vector<WatchMessage>& out);
  void finish_build(Entry& e, std::vector<WatchMessage>& out);
  void swap_in(Entry& e, std::vector<WatchMessage>& out);

  Game& game_;
  int fd_ = -1;
  std::string error_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::pair<int, std::string>> dirs_;  // inotify watch descriptor, directory
  std::vector<WatchMessage> pending_;              // for the next poll()
  ReloadFn reload_;
};

}  // namespace glint::host
