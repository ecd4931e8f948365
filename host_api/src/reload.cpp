// Hot reload of a game's module, keeping the game's state (Game::reload in game.h).
//
// The new build is instantiated in a store of its own and the old instance's state is carried
// over to it (glint::transfer_state), or by the module's save/load hooks where the data layout
// moved. Only then is it swapped in, and on_reload runs. The host state is captured first, and
// the old instance before its save hook runs (it is otherwise never touched: the new build has
// an instance of its own), so a failure at any step puts every module and the host state back
// exactly as they were.
#include "glint/reload.h"

#include <chrono>
#include <cinttypes>

#include "api.h"
#include "glint/snapshot.h"
#include "glint_host/api_table.h"
#include "glint_host/game.h"

namespace glint::host {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// What a module runs with: swapped as a whole.
struct Parts {
  std::shared_ptr<const glint::Module> module;
  std::unique_ptr<glint::Store> store;
  std::unique_ptr<Api> api;
  glint::Instance* instance = nullptr;
  uint64_t instance_generation = 0;
};

void swap_parts(GuestModule& m, Parts& p) {
  std::swap(m.module, p.module);
  std::swap(m.store, p.store);
  std::swap(m.api, p.api);
  std::swap(m.instance, p.instance);
  std::swap(m.instance_generation, p.instance_generation);  // a swap back restores it too
}

std::string lines(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& s : list) out += "\n  " + s;
  return out;
}

}  // namespace

ReloadResult Game::reload(GuestModule& m, std::shared_ptr<const glint::Module> fresh,
                          const glint::Instance* state_of) {
  auto t0 = Clock::now();
  ReloadResult r;
  auto failed = [&](std::string why) {
    r.outcome = ReloadResult::Outcome::Failed;
    r.message = "reload of '" + m.name + "' failed; the old code runs on with its state: " + why;
    r.swap_ms = ms_since(t0);
    return r;
  };
  if (!m.instance || !m.api) {  // it never started: nothing to keep
    restart_with(m, std::move(fresh));
    if (!m.running()) return failed(m.error);
    r.outcome = ReloadResult::Outcome::Kept;
    r.message = "reloaded '" + m.name + "' (it had not started: nothing to keep)";
    r.swap_ms = ms_since(t0);
    return r;
  }
  double frame_ms = frame_script_ms_;  // loading time, not frame time (as in start())
  auto before = capture_state(false);
  if (!before) return failed("cannot capture the game first: " + before.error().message);
  glint::Snapshot old_state;  // taken if the old code runs again (its save hook)
  auto roll_back = [&] {
    (void)restore_state(*before, false);
    if (old_state.module_hash) (void)glint::restore(*m.instance, old_state);
  };

  Parts next;
  next.module = fresh;
  next.instance_generation = m.instance_generation + 1;
  next.store = std::make_unique<glint::Store>();
  next.api = std::make_unique<Api>(*this, m);
  next.api->set_state(m.api->state());  // the same random stream and message cursor
  next.store->user_data = next.api.get();
  glint::Linker linker = base_linker_;
  bind_wasi_stubs(linker, *fresh);
  next.store->set_fuel(config_.fuel);
  auto inst = linker.instantiate(*next.store, fresh);
  if (!inst) return failed("the new build does not link: " + inst.error().to_string());
  next.instance = *inst;
  if (!next.instance->func("update")) return failed("the new build exports no 'update' function");
  auto transfer = glint::transfer_state(state_of ? *state_of : *m.instance, *next.instance);
  if (!transfer) return failed(transfer.error().to_string());

  bool save_load = !transfer->kept;
  if (save_load) {
    if (state_of || !m.instance->func("save") || !next.instance->func("load")) {
      r.outcome = ReloadResult::Outcome::LayoutChanged;
      r.changes = transfer->changes;
      m.pending_build = fresh;  // restart_pending() starts it, when the user says so
      r.message = "not reloaded '" + m.name +
                  "': its data layout changed and it has no save and load hooks to carry its "
                  "state; the old code runs on. Restart it to run the new build (its state is "
                  "lost). What changed:" +
                  lines(r.changes);
      r.swap_ms = ms_since(t0);
      return r;
    }
    if (auto r = glint::capture(*m.instance, old_state); !r)
      return failed("cannot capture the old instance: " + r.error().message);
    if (std::string why = try_call(m, "save", {}); !why.empty()) {
      roll_back();
      return failed("the old build's save hook failed: " + why);
    }
  }
  swap_parts(m, next);
  if (hooks_.store_created) hooks_.store_created(m, *m.store);  // a debugger follows the swap
  m.error.clear();
  std::string why;
  if (save_load) {  // the new build from scratch, then its state from the save slot
    why = try_call(m, "_initialize", {});
    if (why.empty()) why = try_call(m, m.instance->func("on_reload") ? "on_reload" : "init", {});
    if (why.empty() && save_.has(m.name)) why = try_call(m, "load", {});
  } else {
    why = try_call(m, "on_reload", {});
  }
  frame_script_ms_ = frame_ms;
  if (!why.empty()) {
    swap_parts(m, next);
    if (hooks_.store_created) hooks_.store_created(m, *m.store);
    roll_back();
    return failed("the new build trapped; " + why);
  }
  m.pending_build.reset();
  r.outcome = save_load ? ReloadResult::Outcome::SavedAndLoaded : ReloadResult::Outcome::Kept;
  r.changes = transfer->changes;
  r.notes = transfer->notes;
  r.swap_ms = ms_since(t0);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1f ms", r.swap_ms);
  r.message = "reloaded '" + m.name + "' in " + ms +
              (save_load ? ": its data layout changed; its save and load hooks carried its state"
                         : ": state kept");
  return r;
}

ReloadResult Game::reload_file(GuestModule& m, const std::string& path) {
  auto fresh = glint::Module::load_file(path);
  if (!fresh) {
    ReloadResult r;
    r.message = "reload of '" + m.name +
                "' failed; the old code runs on with its state: " + fresh.error().to_string();
    return r;
  }
  return reload(m, *fresh);
}

void Game::restart_pending() {
  for (auto& m : modules_)
    if (m->pending_build) restart_with(*m, m->pending_build);
}

void Game::restart_with(GuestModule& m, std::shared_ptr<const glint::Module> fresh) {
  m.pending_build.reset();
  m.module = std::move(fresh);
  std::fprintf(stderr, "glint: restarting module '%s' with its new build\n", m.name.c_str());
  start(m, false);
}

}  // namespace glint::host
