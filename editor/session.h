// The game under the debugger: its modules (run by a GameThread), the breakpoints, the
// current stop, and the run, pause, step and restart commands. No UI here: the panels, the
// keys and the script commands all drive the editor through this class, on the UI thread.
//
// One UI frame:
//   session.begin_frame(flush)   a finished game frame: flush its drawing, take its numbers
//   ...panels...                 read the game through game_if_quiet(); ask for actions
//   session.end_frame(ms)        run the actions asked for, start the next game frame
#pragma once
#include <SDL2/SDL.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "console.h"
#include "glint/glint.h"
#include "glint_host/game.h"
#include "glint_host/game_thread.h"
#include "glint_host/input.h"
#include "glint_host/timeline.h"

namespace glint::editor {

struct SessionConfig {
  std::vector<std::string> modules;  // .wasm files, in update order
  host::GameConfig game;
  // One game step per UI frame instead of real time: scripted sessions, which must not depend
  // on how fast the machine draws.
  bool lockstep = false;
  std::string input_script;    // scripted game input (host::InputScript), "" for none
  size_t rewind_frames = 600;  // frames the rewind timeline keeps (0: no timeline)
};

// What the timeline panel shows of the rewind timeline, copied when the game thread is quiet.
struct TimelineInfo {
  bool on = false;
  uint64_t first = 0, last = 0, current = 0;  // frames kept, and the one the game is at
  size_t frames = 0, bytes = 0, max_frames = 0;
  double mean_record_ms = 0, max_record_ms = 0;  // keeping a frame (wall clock)
  std::string error;                             // the last thing that went wrong
};

// A breakpoint as the user set it. It outlives the module's code: a restart or reload makes
// new code, and the breakpoint is set again in it (glint::add_breakpoint).
struct UserBreakpoint {
  int number = 0;      // shown to the user, stable
  std::string module;  // the module it is in ("" until one resolves it)
  std::string where;   // "player.c:42", a function name, or a code offset ("0x1a2")
  glint::BreakCondition condition;
  bool enabled = true;
  // In the module's current code:
  int id = 0;                     // the runtime's breakpoint, 0 if none is set
  std::vector<uint32_t> offsets;  // where it stops; empty if it could not be set
  std::string file;               // the source line it stops at, where known
  uint32_t line = 0;
  uint32_t hits = 0;
  std::string error;  // why it could not be set
};

// What the modules panel shows, copied when the game thread is quiet.
struct ModuleInfo {
  std::string name, path;
  std::shared_ptr<const glint::Module> module;  // its code (immutable: safe to read any time)
  size_t bytes = 0, code_bytes = 0;
  double load_ms = 0;
  std::string state;  // "running", "paused", "stopped at a breakpoint", "trapped", ...
  std::string error;
  glint::DwarfInfo dwarf;      // what its DWARF gave (read when the game opened)
  bool pending_build = false;  // a reload could not keep its state: restart_new_build() runs it
};

// One finished game frame, for the profiler.
struct FrameSample {
  uint64_t frame = 0;
  double script_ms = 0;
  std::vector<host::ModuleFrameStats> modules;  // in module order
};

enum class RunState {
  Loading,  // opening the modules
  Running,
  Paused,   // between game frames (F6 when no module runs, or the user's pause)
  Stopped,  // in the debugger: a breakpoint, a step, a pause inside a script
};

enum class StepKind { Over, Into, Out, Instruction };

class Session {
 public:
  Session(SessionConfig config, host::Renderer& renderer, host::Audio* audio, Console& console);
  ~Session();

  // ---- the frame loop (see the top of this file) ----
  void begin_frame(const std::function<void()>& flush_drawing);
  void end_frame(double elapsed_ms);
  RunState state() const { return state_; }
  const char* state_name() const;
  // The game, when its thread waits (idle between frames, or stopped); null while it runs.
  host::Game* game_if_quiet();
  // The game's frame number (it goes back when the timeline does), and the game steps run
  // since the game opened (what the script's `frames N` waits for: a seek's draw is none).
  uint64_t game_frame() const { return game_frame_; }
  uint64_t frames_played() const { return frames_played_; }
  host::Audio* audio() const { return audio_; }  // null without a device
  const std::vector<ModuleInfo>& modules() const { return module_infos_; }
  const ModuleInfo* module_info(const std::string& name) const;
  const std::deque<FrameSample>& samples() const { return samples_; }
  static constexpr size_t kMaxSamples = 600;  // 10 s of frames for the profiler

  // ---- game input (queued, applied between game frames) ----
  void game_event(const SDL_Event& e);
  void game_key(SDL_Scancode key, bool down);

  // ---- run control (applied at end_frame) ----
  void continue_running();   // F5
  void pause();              // F6
  void step(StepKind kind);  // F10, F11, Shift+F11
  void restart();            // Shift+F5: every module from its file, fresh
  // ---- hot reload (host::Game::reload: the new build takes over the module's state) ----
  // Reloads `module` from its file, or from `path` (a new build of it); with no module, every
  // module whose file changed. Runs between game frames (after the current stop, if stopped;
  // else this waits for it) and says in the console what happened.
  void reload(const std::string& module, const std::string& path = "");
  // Starts the new build a reload refused (its data layout changed) with a fresh state; false
  // if the module has none waiting.
  bool restart_new_build(const std::string& module);
  // Reload modules whose files change on disk, checked twice a second while the game runs
  // (default: on, except in lockstep sessions, which must not depend on the file system).
  void set_watch_files(bool on) { watch_files_ = on; }
  bool watch_files() const { return watch_files_; }
  // Changes whenever a module's code was replaced (reload, restart with a new file): views
  // that cache what they read from the code compare it.
  uint64_t code_generation() const { return code_generation_; }

  // ---- the rewind timeline (host::Timeline, recorded after every game step) ----
  const TimelineInfo& timeline() const { return timeline_info_; }
  // Stops between two game frames (state Paused), where the timeline can go back.
  void hold();
  // Holds the game and shows kept frame `frame` (restored and drawn); continue_running() plays
  // on from it. False (and `error`) if the frame is not kept, or the game is stopped inside a
  // call (continue first: the timeline goes back between frames).
  bool seek(uint64_t frame, std::string& error);
  // Writes kept frames [from, to] as a replay file (host::Timeline::save_replay), which
  // glint-demo --replay checks; its size in bytes, or 0 and `error`.
  size_t save_range(uint64_t from, uint64_t to, const std::string& path, std::string& error);
  // How many frames the timeline keeps (the oldest beyond go at once).
  void set_timeline_frames(size_t frames);

  // Time from resuming a step to the stop it ended in, as the UI thread saw it.
  std::optional<double> last_step_ms() const { return last_step_ms_; }

  // ---- the stop ----
  // The current stop (state() == Stopped), else null. The UI thread may write through it
  // (glint::set_variable and the like) while it lasts.
  host::GameThread::Stop* stop() const;
  uint64_t stop_count() const { return seen_stop_; }
  size_t selected_frame() const { return selected_frame_; }
  size_t selected_depth() const { return selected_depth_; }  // the inlined source frame
  void select_frame(size_t frame, size_t depth = 0);
  glint::DebugFrame* frame() const;  // the selected frame of the stop, or null
  // The selected frame's source place (at the selected inline depth), or null without DWARF.
  const glint::SourceLoc* frame_source() const;
  host::GuestModule* stopped_module() const;
  // Changes whenever what the stop shows may have changed (a new stop, another frame, a
  // write): views that cache what they read compare it.
  uint64_t view_version() const {
    return seen_stop_ * 1000003 + writes_ * 131 + selected_frame_ * 7 + selected_depth_;
  }
  // Writes a variable of the selected frame ("hp", "p.pos.x", "$2"), as glint::set_variable.
  glint::Result<void> write_variable(const std::string& path, const std::string& value);
  void note_write() { ++writes_; }
  // Linear memory of a module as it was at the stop before the current one (for "changed
  // since the last stop"); empty if none.
  const std::vector<uint8_t>& memory_at_previous_stop(const std::string& module) const;
  // Stop in the debugger when a module traps, before its call unwinds (default on).
  void set_break_on_trap(bool on);
  bool break_on_trap() const { return break_on_trap_; }

  // ---- breakpoints ----
  // Adds one and sets it in the module's code (or the first module where `where` resolves);
  // returns it, with `error` set if it stops nowhere.
  const UserBreakpoint& add_breakpoint(const std::string& module, const std::string& where,
                                       const glint::BreakCondition& condition = {});
  bool remove_breakpoint(int number);
  void enable_breakpoint(int number, bool enabled);
  void set_condition(int number, const glint::BreakCondition& condition);
  // F9 and the gutters: removes the module's breakpoint at `where` (or at this source line, or
  // offset), or adds one there.
  void toggle_breakpoint(const std::string& module, const std::string& where,
                         const std::string& file = "", uint32_t line = 0);
  std::vector<UserBreakpoint> breakpoints() const;

  // The game's state hash (host::Game::state_hash), computed on the game thread; none while
  // stopped in the debugger.
  std::optional<uint64_t> state_hash();

  host::Input& input() { return input_; }
  const SessionConfig& config() const { return config_; }

 private:
  void open_modules();
  void on_store(host::GuestModule& m, glint::Store& store);
  void on_log(const host::GuestModule& m, host::Game::Level level, std::string_view text,
              const glint::Trap* trap);
  void on_new_stop(const host::GameThread::Stop& stop);
  void silence_audio(bool silent);  // pauses or resumes the sound device
  void take_finished_frame();
  void read_modules();
  void report_reload(const host::GuestModule& m, const host::ReloadResult& r);
  void start_game_frame(double elapsed_ms);
  void run_requested_action();
  // Sets `bp` in `m`'s current code (game thread in on_store, or the UI thread when quiet).
  void set_in_code(UserBreakpoint& bp, const host::GuestModule& m);
  void clear_in_code(UserBreakpoint& bp);
  // Takes breakpoint `number` out of the code, lets `edit` change it, and sets it again.
  template <class F>
  void edit_breakpoint(int number, F&& edit);
  host::GuestModule* find_module(const std::string& name);

  SessionConfig config_;
  Console& console_;
  host::Audio* audio_;
  host::Input input_;
  host::InputScript input_script_;
  host::Game game_;
  std::unique_ptr<host::GameThread> thread_;

  RunState state_ = RunState::Loading;
  bool frame_in_flight_ = false, loading_ = true, audio_paused_ = false;
  bool pause_requested_ = false;  // F6 while a script runs: waiting for the stop
  int steps_in_flight_ = 0;       // game steps of the frame job in flight (0: a seek's draw)
  uint64_t frames_played_ = 0, game_frame_ = 0;
  double accumulator_ms_ = 0;
  std::vector<SDL_Event> pending_events_;
  enum class Action { None, Continue, Pause, Step, Restart } action_ = Action::None;
  StepKind step_kind_ = StepKind::Over;
  std::chrono::steady_clock::time_point open_started_;

  uint64_t seen_stop_ = 0, writes_ = 0;
  size_t selected_frame_ = 0, selected_depth_ = 0;
  std::atomic<bool> break_on_trap_{true};
  std::optional<double> last_step_ms_;
  std::map<std::string, std::vector<uint8_t>> memory_now_, memory_before_;  // at stops

  std::vector<ModuleInfo> module_infos_;
  std::unique_ptr<host::Timeline> timeline_;  // game thread (or the UI thread when quiet)
  TimelineInfo timeline_info_;
  std::string timeline_error_;  // from the game thread, under breakpoints_mutex_
  uint64_t code_generation_ = 0;
  bool watch_files_ = true;
  std::chrono::steady_clock::time_point last_watch_;
  std::deque<FrameSample> samples_;

  mutable std::mutex breakpoints_mutex_;  // the game thread sets them again on restarts
  std::vector<UserBreakpoint> breakpoints_;
  int next_breakpoint_ = 1;
};

}  // namespace glint::editor
