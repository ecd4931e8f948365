// A game run by a thread of its own, for a debugger's UI.
//
// A debug handler runs on the thread that runs the wasm code and waits there until it answers
// (glint/debug.h). If that thread also drew the window, a script stopped at a breakpoint would
// freeze the UI. So the UI thread (the one that owns the window and the SDL renderer) keeps the
// window, and the game runs here: the UI posts jobs (a frame, a restart), the game thread runs
// them in order, and a debug stop parks the game thread until the UI resumes it.
//
//   GameThread runner(game);
//   runner.post([](Game& g) { g.update(); g.draw(); g.end_frame(); });
//   ...each UI frame:
//   if (runner.state() == GameThread::State::Stopped) {
//     show(runner.stop()->stop);                    // call stack, locals, memory
//     if (step_pressed) runner.resume(glint::DebugAction::StepOver);
//   }
//
// Who may touch the Game: the game thread while it runs a job or sits in a stop; the UI thread
// (the one that made the GameThread, and the only one that may post and resume) whenever
// quiet() is true: then the game thread waits and cannot go on until this thread posts or
// resumes. Everything the game thread did before is visible to it.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "glint/glint.h"
#include "glint_host/game.h"

namespace glint::host {

class GameThread {
 public:
  enum class State {
    Idle,     // waiting for a job
    Busy,     // running one
    Stopped,  // parked in a debug stop, waiting for resume()
  };

  // One debug stop: which module, and what the runtime showed.
  struct Stop {
    GuestModule* module = nullptr;
    glint::DebugStop stop;
    uint64_t serial = 0;  // 1 for the first stop, then counting up
    // CPU time the game thread used from the resume() of the stop before to this one (a
    // step's cost, whatever else the machine runs); -1 for the first stop.
    double cpu_ms_since_resume = -1;
  };

  // Starts the game thread and hooks the game's stores (Game::Hooks::store_created): every
  // store gets a debug handler that parks this thread. `on_store` (optional) runs right after,
  // on the game thread: the place to set breakpoints on a module's fresh code. Call before
  // any module is added, so that their stores get the handler too.
  using StoreHook = std::function<void(GuestModule& m, glint::Store& store)>;
  explicit GameThread(Game& game, StoreHook on_store = {});
  // Ends a stop with Abort, drops the jobs not started, and joins the thread.
  ~GameThread();
  GameThread(const GameThread&) = delete;
  GameThread& operator=(const GameThread&) = delete;

  // Queues a job for the game thread; jobs run in the order posted.
  void post(std::function<void(Game&)> job);
  State state() const;
  // No job running or queued, or stopped: the UI thread may use the Game until it posts or
  // resumes.
  bool quiet() const;
  // Jobs finished so far.
  uint64_t jobs_done() const;

  // While Stopped: the stop (UI thread), which the UI may also write through (glint/debug.h:
  // set_local, set_variable). Null otherwise.
  Stop* stop();
  // Answers the stop; the game thread goes on with `action`.
  void resume(glint::DebugAction action);
  // Runs `fn` on the game thread inside the current stop and waits for it: for runtime calls
  // that must run where the wasm code stopped. False (and `fn` not run) if not Stopped.
  bool run_in_stop(const std::function<void()>& fn);
  // Asks every module's store to stop at its next instruction (Store::pause); the first stop
  // takes back the others' requests.
  void pause();
  // Stops so far (the serial of the last one).
  uint64_t stop_count() const;
  // Waits for a stop after the `after`th: true once there is one; false if the timeout passes
  // first, or the game thread runs out of jobs (nothing left that could stop).
  bool wait_stop(uint64_t after, std::chrono::microseconds timeout) const;
  // Waits until quiet() or the timeout passes; true if quiet.
  bool wait_quiet(std::chrono::microseconds timeout) const;

 private:
  void loop();
  glint::DebugAction on_debug_stop(GuestModule& m, const glint::DebugStop& stop);

  Game& game_;
  StoreHook on_store_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // any change of the state below
  std::deque<std::function<void(Game&)>> jobs_;
  std::deque<std::function<void()>> stop_jobs_;  // run_in_stop
  std::map<const GuestModule*, glint::Store*> stores_;
  State state_ = State::Idle;
  std::optional<Stop> stop_;
  std::optional<glint::DebugAction> answer_;
  uint64_t serial_ = 0, jobs_done_ = 0, stop_jobs_done_ = 0;
  double resumed_cpu_ms_ = -1;  // the game thread's CPU time when it left the last stop
  bool quitting_ = false;
  std::thread thread_;  // last: starts when everything above exists
};

}  // namespace glint::host
