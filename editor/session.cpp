// The game under the debugger (session.h).
#include "session.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "places.h"

namespace glint::editor {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Whether m's file changed on disk since it was loaded or last looked at (game thread).
bool file_changed(host::GuestModule& m) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(m.path, ec);
  if (ec || t == m.mtime) return false;
  m.mtime = t;
  return true;
}

const char* reason_name(glint::DebugStop::Reason r) {
  switch (r) {
    case glint::DebugStop::Reason::Breakpoint:
      return "breakpoint";
    case glint::DebugStop::Reason::Step:
      return "step";
    case glint::DebugStop::Reason::Pause:
      return "pause";
    case glint::DebugStop::Reason::Trap:
      return "trap";
  }
  return "stop";
}

}  // namespace

Session::Session(SessionConfig config, host::Renderer& renderer, host::Audio* audio,
                 Console& console)
    : config_(std::move(config)),
      console_(console),
      audio_(audio),
      game_(config_.game, renderer, audio, input_) {
  if (!config_.input_script.empty()) {
    auto script = host::InputScript::load(config_.input_script);
    if (script)
      input_script_ = std::move(*script);
    else
      console_.error(script.error().message);
  }
  host::Game::Hooks hooks;
  hooks.log = [this](const host::GuestModule& m, host::Game::Level level, std::string_view text,
                     const glint::Trap* trap) { on_log(m, level, text, trap); };
  game_.set_hooks(std::move(hooks));
  thread_ = std::make_unique<host::GameThread>(
      game_, [this](host::GuestModule& m, glint::Store& store) { on_store(m, store); });
  open_modules();
}

Session::~Session() {
  thread_.reset();  // ends a stop and joins the game thread before the game goes
  if (audio_ && audio_paused_) audio_->set_paused(false);
}

const char* Session::state_name() const {
  switch (state_) {
    case RunState::Loading:
      return "loading";
    case RunState::Running:
      return "running";
    case RunState::Paused:
      return "paused";
    case RunState::Stopped:
      return "stopped";
  }
  return "?";
}

// ---- opening -------------------------------------------------------------------------------

void Session::open_modules() {
  open_started_ = Clock::now();
  thread_->post([this, paths = config_.modules](host::Game& g) {
    auto t0 = Clock::now();
    double cpu0 = host::thread_cpu_ms();
    for (const std::string& p : paths) g.add_module(p);
    double load = 0, dwarf = 0;
    for (const auto& m : g.modules()) {
      load += m->load_ms;
      if (!m->module) continue;
      // The DWARF is read here, with the modules: the first stop and the source view need
      // it, and the time it takes belongs to opening the game.
      glint::DwarfInfo info = glint::dwarf_info(*m->module);
      dwarf += info.read_ms;
      for (const std::string& problem : info.problems)
        console_.add(ConsoleLine::Kind::Warn, "[" + m->name + "] DWARF: " + problem);
      if (!info.present) console_.info("[" + m->name + "] no DWARF: debugging at the wasm level");
    }
    double total = ms_since(t0), cpu = host::thread_cpu_ms() - cpu0;
    char text[240];
    std::snprintf(text, sizeof text,
                  "opened %zu module(s) in %.1f ms, %.1f ms of CPU (loading %.1f ms, DWARF "
                  "%.1f ms, starting %.1f ms)",
                  g.modules().size(), total, cpu, load, dwarf, total - load - dwarf);
    console_.info(text);
    if (config_.rewind_frames) {
      host::TimelineConfig tc;
      tc.max_frames = config_.rewind_frames;
      timeline_ = std::make_unique<host::Timeline>(g, tc);
    }
  });
}

const ModuleInfo* Session::module_info(const std::string& name) const {
  for (const ModuleInfo& m : module_infos_)
    if (m.name == name) return &m;
  return nullptr;
}

host::Game* Session::game_if_quiet() { return thread_->quiet() ? &game_ : nullptr; }

host::GuestModule* Session::find_module(const std::string& name) {
  for (const auto& m : game_.modules())
    if (m->name == name) return m.get();
  return nullptr;
}

// ---- hooks, on the game thread ---------------------------------------------------------------

void Session::on_store(host::GuestModule& m, glint::Store& store) {
  store.set_break_on_trap(break_on_trap_);
  std::lock_guard lock(breakpoints_mutex_);
  for (UserBreakpoint& bp : breakpoints_) {
    if (!bp.enabled || (bp.module != m.name && !bp.module.empty())) continue;
    set_in_code(bp, m);
    if (bp.module.empty() && !bp.offsets.empty()) bp.module = m.name;
  }
}

void Session::on_log(const host::GuestModule& m, host::Game::Level level, std::string_view text,
                     const glint::Trap* trap) {
  auto kind = level == host::Game::Level::Info   ? ConsoleLine::Kind::Info
              : level == host::Game::Level::Warn ? ConsoleLine::Kind::Warn
                                                 : ConsoleLine::Kind::Error;
  std::vector<CodePlace> places;
  if (trap)
    for (const glint::TraceFrame& f : trap->backtrace)
      if (!f.host) places.push_back(place_of(m.name, f));
  // The Game printed it already.
  console_.add(kind, "[" + m.name + "] " + std::string(text), std::move(places), false);
}

// ---- the frame loop ----------------------------------------------------------------------------

void Session::begin_frame(const std::function<void()>& flush_drawing) {
  // Lockstep: the game frame started with the last UI frame ends before this one goes on, so
  // scripted sessions see the same game frames whatever the machine's speed.
  if (config_.lockstep && frame_in_flight_) thread_->wait_quiet(std::chrono::seconds(10));
  if (const auto* s = thread_->stop(); s && s->serial != seen_stop_) on_new_stop(*s);
  if (!thread_->quiet() || thread_->state() == host::GameThread::State::Stopped) return;
  if (state_ == RunState::Loading) state_ = RunState::Running;
  if (frame_in_flight_) {
    frame_in_flight_ = false;
    flush_drawing();
    take_finished_frame();
  }
  read_modules();
}

// What the panels show of the modules, copied while the game thread waits.
void Session::read_modules() {
  std::vector<ModuleInfo> before = std::move(module_infos_);
  module_infos_.clear();
  const host::GameThread::Stop* stop = thread_->stop();
  for (const auto& m : game_.modules()) {
    ModuleInfo info;
    info.name = m->name;
    info.path = m->path;
    info.module = m->module;
    std::error_code ec;
    info.bytes = size_t(std::filesystem::file_size(m->path, ec));
    info.code_bytes = m->module ? m->module->code_size() : 0;
    info.load_ms = m->load_ms;
    info.error = m->error;
    if (info.module) info.dwarf = glint::dwarf_info(*info.module);
    info.pending_build = m->pending_build != nullptr;
    info.state = stop && stop->module == m.get() ? "stopped in the debugger"
                 : !m->error.empty()             ? "failed"
                 : state_ == RunState::Paused    ? "paused"
                                                 : "running";
    size_t i = module_infos_.size();
    if (i < before.size() && before[i].module != info.module) ++code_generation_;
    module_infos_.push_back(std::move(info));
  }
  timeline_info_.on = timeline_ != nullptr;
  if (timeline_) {
    timeline_info_.first = timeline_->first().value_or(0);
    timeline_info_.last = timeline_->last().value_or(0);
    timeline_info_.current = timeline_->current();
    timeline_info_.frames = timeline_->frames();
    timeline_info_.max_frames = timeline_->config().max_frames;
    timeline_info_.bytes = timeline_->bytes_used();
    timeline_info_.mean_record_ms = timeline_->mean_record_ms();
    timeline_info_.max_record_ms = timeline_->max_record_ms();
  }
  std::lock_guard lock(breakpoints_mutex_);  // hit counts, kept by the runtime
  timeline_info_.error = timeline_error_;
  std::map<int, uint32_t> hits;
  for (const glint::Breakpoint& b : glint::list_breakpoints()) hits[b.id] = b.hits;
  for (UserBreakpoint& bp : breakpoints_)
    if (bp.id) bp.hits = hits[bp.id];
}

void Session::take_finished_frame() {
  game_frame_ = game_.frame();
  if (steps_in_flight_ == 0) return;  // a kept frame drawn again: the game did not go on
  frames_played_ += uint64_t(std::exchange(steps_in_flight_, 0));
  FrameSample s;
  s.frame = game_.frame();
  s.script_ms = game_.script_times().last_ms;
  for (const auto& m : game_.modules()) s.modules.push_back(m->last_frame_stats);
  samples_.push_back(std::move(s));
  if (samples_.size() > kMaxSamples) samples_.pop_front();
  if (pause_requested_ && std::none_of(game_.modules().begin(), game_.modules().end(),
                                       [](const auto& m) { return m->running(); })) {
    pause_requested_ = false;  // nothing runs that could stop: pause between frames
    state_ = RunState::Paused;
  }
}

void Session::end_frame(double elapsed_ms) {
  run_requested_action();
  if (state_ == RunState::Running) {
    accumulator_ms_ = std::min(accumulator_ms_ + elapsed_ms, 250.0);
    if (!frame_in_flight_ && thread_->quiet() && thread_->state() == host::GameThread::State::Idle)
      start_game_frame(elapsed_ms);
  }
  if (watch_files_ && !config_.lockstep && state_ == RunState::Running &&
      Clock::now() - last_watch_ > std::chrono::milliseconds(500)) {
    last_watch_ = Clock::now();
    thread_->post([this](host::Game& g) {
      for (const auto& m : g.modules())
        if (file_changed(*m)) report_reload(*m, g.reload_file(*m, m->path));
    });
  }
  silence_audio(state_ != RunState::Running);
}

void Session::silence_audio(bool silent) {
  if (audio_ && silent != audio_paused_) audio_->set_paused(silent);
  audio_paused_ = silent;
}

void Session::start_game_frame(double) {
  const double dt_ms = double(config_.game.dt) * 1000.0;
  int steps = 1;
  if (config_.lockstep) {
    accumulator_ms_ = 0;
  } else {
    steps = std::min(5, int(accumulator_ms_ / dt_ms));
    accumulator_ms_ -= steps * dt_ms;
    if (steps == 0) return;
  }
  for (const SDL_Event& e : pending_events_) input_.handle_event(e);
  pending_events_.clear();
  if (config_.lockstep) input_script_.apply(game_.frame(), input_);
  frame_in_flight_ = true;
  steps_in_flight_ = steps;
  thread_->post([this, steps](host::Game& g) {
    for (int i = 0; i < steps; ++i) {
      g.input().begin_step();
      g.update();
      if (!timeline_) continue;
      if (auto kept = timeline_->record(i + 1 == steps); !kept) {
        std::lock_guard lock(breakpoints_mutex_);
        if (timeline_error_.empty()) console_.error("timeline: " + kept.error().message);
        timeline_error_ = kept.error().message;
      }
    }
    g.draw();
    g.end_frame();
  });
}

std::optional<uint64_t> Session::state_hash() {
  if (state_ == RunState::Stopped || !thread_->wait_quiet(std::chrono::seconds(5))) return {};
  // Shared: if the hash stops at a breakpoint, the job outlives this call.
  auto hash = std::make_shared<std::optional<uint64_t>>();
  thread_->post([hash](host::Game& g) { *hash = g.state_hash(); });
  if (!thread_->wait_quiet(std::chrono::seconds(5)) ||
      thread_->state() == host::GameThread::State::Stopped)
    return {};
  return *hash;
}

// ---- input ---------------------------------------------------------------------------------

void Session::game_event(const SDL_Event& e) { pending_events_.push_back(e); }

void Session::game_key(SDL_Scancode key, bool down) {
  SDL_Event e{};
  e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
  e.key.keysym.scancode = key;
  e.key.keysym.sym = SDL_GetKeyFromScancode(key);
  e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
  game_event(e);
}

// ---- run control ---------------------------------------------------------------------------

void Session::continue_running() { action_ = Action::Continue; }
void Session::pause() { action_ = Action::Pause; }
void Session::restart() { action_ = Action::Restart; }
void Session::step(StepKind kind) {
  action_ = Action::Step;
  step_kind_ = kind;
}

void Session::run_requested_action() {
  Action action = std::exchange(action_, Action::None);
  switch (action) {
    case Action::None:
      return;
    case Action::Continue:
      if (state_ == RunState::Stopped) thread_->resume(glint::DebugAction::Continue);
      if (state_ == RunState::Stopped || state_ == RunState::Paused) state_ = RunState::Running;
      return;
    case Action::Pause:
      if (state_ != RunState::Running) return;
      pause_requested_ = true;
      thread_->pause();  // the next instruction any module runs stops, with reason Pause
      return;
    case Action::Restart: {
      if (state_ == RunState::Stopped) thread_->resume(glint::DebugAction::Abort);
      if (state_ != RunState::Loading) state_ = RunState::Running;
      console_.info("restarting every module");
      thread_->post([](host::Game& g) {
        for (const auto& m : g.modules()) g.restart(*m);
      });
      return;
    }
    case Action::Step:
      break;
  }
  if (state_ != RunState::Stopped) return;
  // By source line where the code has lines; the runtime steps by instruction elsewhere.
  bool lines =
      !thread_->stop()->stop.frames.empty() && !thread_->stop()->stop.frames[0].source.empty();
  glint::DebugAction a = glint::DebugAction::StepInto;
  switch (step_kind_) {
    case StepKind::Over:
      a = lines ? glint::DebugAction::StepOverLine : glint::DebugAction::StepOver;
      break;
    case StepKind::Into:
      a = lines ? glint::DebugAction::StepIntoLine : glint::DebugAction::StepInto;
      break;
    case StepKind::Out:
      a = glint::DebugAction::StepOut;
      break;
    case StepKind::Instruction:
      break;
  }
  uint64_t before = seen_stop_;
  auto t0 = Clock::now();
  thread_->resume(a);
  state_ = RunState::Running;
  // A step usually ends within microseconds: wait for it here, so the next UI frame shows it
  // (and the time measured is the step's, not the UI's frame rate).
  if (thread_->wait_stop(before, std::chrono::milliseconds(100))) {
    last_step_ms_ = ms_since(t0);
    on_new_stop(*thread_->stop());
    char text[96];
    std::snprintf(text, sizeof text, "(the step took %.2f ms, %.2f ms of CPU)", *last_step_ms_,
                  thread_->stop()->cpu_ms_since_resume);
    console_.info(text);
  }
}

// ---- the rewind timeline ---------------------------------------------------------------------

void Session::hold() {
  if (state_ == RunState::Running) state_ = RunState::Paused;
}

bool Session::seek(uint64_t frame, std::string& error) {
  if (!timeline_info_.on) return (error = "no timeline (--rewind 0)"), false;
  if (state_ == RunState::Stopped || state_ == RunState::Loading) {
    error = state_ == RunState::Loading ? "the game is still opening"
                                        : "stopped inside a call: continue (F5) first, the "
                                          "timeline goes back between frames";
    return false;
  }
  hold();
  if (!thread_->wait_quiet(std::chrono::seconds(10)) || thread_->stop())
    return (error = "the frame running did not end (stopped in the debugger?)"), false;
  auto result = std::make_shared<std::string>();
  thread_->post([this, frame, result](host::Game& g) {
    if (auto back = timeline_->seek(frame); !back) {
      *result = back.error().message;
      return;
    }
    g.draw();  // the game view shows the frame
    g.end_frame();
  });
  frame_in_flight_ = true;  // its drawing is flushed, as a game frame's (steps_in_flight_ 0)
  if (!thread_->wait_quiet(std::chrono::seconds(10)) || thread_->stop())
    return (error = "the frame's draw did not end (stopped in the debugger?)"), false;
  if (!result->empty()) return (error = *result), false;
  if (config_.lockstep) input_script_.skip_to(frame);  // its input comes again from there
  read_modules();
  return true;
}

size_t Session::save_range(uint64_t from, uint64_t to, const std::string& path,
                           std::string& error) {
  if (!timeline_info_.on) return (error = "no timeline (--rewind 0)"), 0;
  // The UI thread starts the game's frames: once the game thread is quiet, it stays so here.
  if (state_ == RunState::Stopped || !thread_->wait_quiet(std::chrono::seconds(10)) ||
      thread_->stop())
    return (error = "stopped inside a call: continue (F5) first"), 0;
  auto saved = timeline_->save_replay(from, to, path);
  if (!saved) return (error = saved.error().message), 0;
  return *saved;
}

void Session::set_timeline_frames(size_t frames) {
  if (!timeline_ || frames == 0 || state_ == RunState::Stopped ||
      !thread_->wait_quiet(std::chrono::seconds(10)) || thread_->stop())
    return;
  host::TimelineConfig tc = timeline_->config();
  tc.max_frames = frames;
  timeline_->set_config(tc);
  read_modules();
}

// ---- hot reload --------------------------------------------------------------------------

void Session::reload(const std::string& module, const std::string& path) {
  thread_->post([this, module, path](host::Game& g) {
    bool any = false;
    for (const auto& m : g.modules()) {
      if (module.empty() ? !file_changed(*m) : m->name != module) continue;
      if (!module.empty() && path.empty()) (void)file_changed(*m);  // reloaded: not "changed"
      any = true;
      report_reload(*m, g.reload_file(*m, path.empty() ? m->path : path));
    }
    if (!any) console_.info("reload: no module's file changed");
  });
  if (state_ == RunState::Stopped)
    console_.info("reload: after this stop (it runs between game frames)");
  else if (thread_->wait_quiet(std::chrono::seconds(10)) && !thread_->stop())
    read_modules();  // what comes next sees the new code
}

// On the game thread.
void Session::report_reload(const host::GuestModule& m, const host::ReloadResult& r) {
  auto kind = r.swapped() ? ConsoleLine::Kind::Output : ConsoleLine::Kind::Warn;
  console_.add(kind, "[" + m.name + "] " + r.message);
  if (r.outcome != host::ReloadResult::Outcome::LayoutChanged)  // its message lists them
    for (const std::string& c : r.changes) console_.add(kind, "    " + c);
  for (const std::string& n : r.notes) console_.info("    " + n);
  if (r.outcome == host::ReloadResult::Outcome::LayoutChanged)
    console_.add(kind, "    (Modules panel: 'start new build', or restart-new-build " + m.name +
                           ", runs it with a fresh state)");
}

bool Session::restart_new_build(const std::string& module) {
  const ModuleInfo* info = module_info(module);
  if (!info || !info->pending_build) return false;
  thread_->post([this, module](host::Game& g) {
    for (const auto& m : g.modules()) {
      if (m->name != module || !m->pending_build) continue;
      g.restart_with(*m, m->pending_build);
      console_.info("[" + module + "] started its new build, with a fresh state");
    }
  });
  if (state_ != RunState::Stopped && thread_->wait_quiet(std::chrono::seconds(10)) &&
      !thread_->stop())
    read_modules();
  return true;
}

// ---- stops ---------------------------------------------------------------------------------

void Session::on_new_stop(const host::GameThread::Stop& stop) {
  seen_stop_ = stop.serial;
  selected_frame_ = selected_depth_ = 0;
  state_ = RunState::Stopped;
  silence_audio(true);  // now: what sees the stop this frame (a script's check) hears silence
  pause_requested_ = false;
  const std::string& name = stop.module->name;
  memory_before_[name] = std::move(memory_now_[name]);
  memory_now_[name].clear();
  if (stop.module->instance && stop.module->instance->memory()) {
    const glint::Memory& mem = *stop.module->instance->memory();
    memory_now_[name].assign(mem.data(), mem.data() + mem.size());
  }
  std::string where = stop.stop.frames.empty() ? std::string("(no wasm frame)")
                                               : describe(name, stop.stop.frames[0]);
  std::string text = std::string("stopped (") + reason_name(stop.stop.reason) + ") in " + name;
  text += ": " + where;
  if (stop.stop.trap) {
    std::vector<CodePlace> places;
    for (const glint::TraceFrame& f : stop.stop.trap->backtrace)
      if (!f.host) places.push_back(place_of(name, f));
    console_.add(ConsoleLine::Kind::Error, text + ": " + stop.stop.trap->message,
                 std::move(places));
  } else {
    console_.info(text);
  }
}

host::GameThread::Stop* Session::stop() const {
  return state_ == RunState::Stopped ? thread_->stop() : nullptr;
}

host::GuestModule* Session::stopped_module() const {
  const auto* s = stop();
  return s ? s->module : nullptr;
}

void Session::select_frame(size_t frame, size_t depth) {
  const auto* s = stop();
  if (!s || frame >= s->stop.frames.size()) return;
  size_t depths = std::max<size_t>(1, s->stop.frames[frame].source.size());
  selected_frame_ = frame;
  selected_depth_ = std::min(depth, depths - 1);
}

glint::DebugFrame* Session::frame() const {
  auto* s = stop();
  return s && selected_frame_ < s->stop.frames.size() ? &s->stop.frames[selected_frame_] : nullptr;
}

const glint::SourceLoc* Session::frame_source() const {
  const glint::DebugFrame* f = frame();
  return f && selected_depth_ < f->source.size() ? &f->source[selected_depth_] : nullptr;
}

glint::Result<void> Session::write_variable(const std::string& path, const std::string& value) {
  glint::DebugFrame* f = frame();
  if (!f) return glint::Error{glint::ErrorKind::Usage, "not stopped in the debugger"};
  auto r = glint::set_variable(*f, path, value, selected_depth_);
  if (r) ++writes_;
  return r;
}

void Session::set_break_on_trap(bool on) {
  break_on_trap_ = on;
  thread_->wait_quiet(std::chrono::seconds(1));
  if (!thread_->quiet()) return;  // the next restart takes it
  for (const auto& m : game_.modules())
    if (m->store) m->store->set_break_on_trap(on);
}

const std::vector<uint8_t>& Session::memory_at_previous_stop(const std::string& module) const {
  static const std::vector<uint8_t> none;
  auto it = memory_before_.find(module);
  return it == memory_before_.end() ? none : it->second;
}

// ---- breakpoints ---------------------------------------------------------------------------

void Session::set_in_code(UserBreakpoint& bp, const host::GuestModule& m) {
  clear_in_code(bp);
  bp.error.clear();
  if (!m.module) {
    bp.error = "module '" + m.name + "' is not loaded";
    return;
  }
  auto r = glint::add_breakpoint(*m.module, bp.where, bp.condition);
  if (!r) {
    bp.error = r.error().message;
    return;
  }
  bp.id = r->id;
  bp.offsets = r->offsets;
  bp.file = r->file;
  bp.line = r->line;
}

void Session::clear_in_code(UserBreakpoint& bp) {
  if (bp.id) glint::remove_breakpoint(bp.id);
  bp.id = 0;
  bp.offsets.clear();
  bp.file.clear();
  bp.line = 0;
}

const UserBreakpoint& Session::add_breakpoint(const std::string& module, const std::string& where,
                                              const glint::BreakCondition& condition) {
  // Breakpoints are set while the game thread waits (glint/debug.h: not while it runs the
  // module); a game frame takes a few milliseconds at most.
  thread_->wait_quiet(std::chrono::seconds(1));
  std::lock_guard lock(breakpoints_mutex_);
  UserBreakpoint bp;
  bp.number = next_breakpoint_++;
  bp.module = module;
  bp.where = where;
  bp.condition = condition;
  if (!thread_->quiet()) {
    bp.error = "the game is busy: set again when it waits";
  } else if (!module.empty()) {
    if (host::GuestModule* m = find_module(module))
      set_in_code(bp, *m);
    else
      bp.error = "no module named '" + module + "'";
  } else {
    std::string errors;
    for (const auto& m : game_.modules()) {
      set_in_code(bp, *m);
      if (!bp.offsets.empty()) {
        bp.module = m->name;
        break;
      }
      errors += (errors.empty() ? "" : "; ") + m->name + ": " + bp.error;
    }
    if (bp.offsets.empty()) bp.error = errors.empty() ? "no module loaded" : errors;
  }
  breakpoints_.push_back(std::move(bp));
  return breakpoints_.back();
}

template <class F>
void Session::edit_breakpoint(int number, F&& edit) {
  thread_->wait_quiet(std::chrono::seconds(1));
  std::lock_guard lock(breakpoints_mutex_);
  for (UserBreakpoint& bp : breakpoints_) {
    if (bp.number != number) continue;
    if (!thread_->quiet()) {
      bp.error = "the game is busy: try again when it waits";
      return;
    }
    clear_in_code(bp);
    edit(bp);
    host::GuestModule* m = find_module(bp.module);
    if (bp.enabled && m) set_in_code(bp, *m);
  }
}

bool Session::remove_breakpoint(int number) {
  bool found = false;
  edit_breakpoint(number, [&](UserBreakpoint& bp) {
    found = true;
    bp.enabled = false;
  });
  std::lock_guard lock(breakpoints_mutex_);
  std::erase_if(breakpoints_,
                [&](const UserBreakpoint& b) { return b.number == number && !b.enabled; });
  return found;
}

void Session::enable_breakpoint(int number, bool enabled) {
  edit_breakpoint(number, [&](UserBreakpoint& bp) { bp.enabled = enabled; });
}

void Session::set_condition(int number, const glint::BreakCondition& condition) {
  edit_breakpoint(number, [&](UserBreakpoint& bp) { bp.condition = condition; });
}

void Session::toggle_breakpoint(const std::string& module, const std::string& where,
                                const std::string& file, uint32_t line) {
  std::optional<uint32_t> offset = parse_offset(where);
  int existing = 0;
  {
    std::lock_guard lock(breakpoints_mutex_);
    for (const UserBreakpoint& bp : breakpoints_) {
      if (bp.module != module) continue;
      bool at_line = line && bp.line == line && bp.file == file;
      bool at_offset = offset && std::count(bp.offsets.begin(), bp.offsets.end(), *offset);
      if (bp.where == where || at_line || at_offset) existing = bp.number;
    }
  }
  // Said in the console: a key (F9) or a click in the gutter has no other answer.
  if (existing) {
    remove_breakpoint(existing);
    console_.info("breakpoint " + std::to_string(existing) + " removed");
    return;
  }
  const UserBreakpoint& bp = add_breakpoint(module, where);
  if (!bp.error.empty()) return console_.error("breakpoint at " + where + ": " + bp.error);
  std::string text = "breakpoint " + std::to_string(bp.number) + " set in " + bp.module;
  if (bp.line)
    text +=
        " at " + std::filesystem::path(bp.file).filename().string() + ":" + std::to_string(bp.line);
  console_.info(text);
}

std::vector<UserBreakpoint> Session::breakpoints() const {
  std::lock_guard lock(breakpoints_mutex_);
  return breakpoints_;
}

}  // namespace glint::editor
