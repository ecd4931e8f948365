// The game's own thread for a debugger's UI (see game_thread.h).
#include "glint_host/game_thread.h"

namespace glint::host {

GameThread::GameThread(Game& game, StoreHook on_store)
    : game_(game), on_store_(std::move(on_store)) {
  Game::Hooks hooks = game_.hooks();
  hooks.store_created = [this](GuestModule& m, glint::Store& store) {
    store.set_debug_handler([this, &m](const glint::DebugStop& s) { return on_debug_stop(m, s); });
    {
      std::lock_guard lock(mutex_);
      stores_[&m] = &store;  // the old store, if any, is destroyed after this returns
    }
    if (on_store_) on_store_(m, store);
  };
  game_.set_hooks(std::move(hooks));
  thread_ = std::thread([this] { loop(); });
}

GameThread::~GameThread() {
  {
    std::lock_guard lock(mutex_);
    quitting_ = true;
    jobs_.clear();
    if (state_ == State::Stopped) {
      answer_ = glint::DebugAction::Abort;
      state_ = State::Busy;
    }
    // A script in a long loop: its call ends at once (the game thread still finishes its job).
    for (auto& [module, store] : stores_) store->interrupt();
  }
  changed_.notify_all();
  thread_.join();
  Game::Hooks hooks = game_.hooks();
  hooks.store_created = nullptr;
  game_.set_hooks(std::move(hooks));
}

void GameThread::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return quitting_ || !jobs_.empty(); });
    if (quitting_) return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    state_ = State::Busy;
    lock.unlock();
    job(game_);
    lock.lock();
    ++jobs_done_;
    state_ = State::Idle;
    changed_.notify_all();
  }
}

// On the game thread, inside the interpreter: parks until the UI answers.
glint::DebugAction GameThread::on_debug_stop(GuestModule& m, const glint::DebugStop& s) {
  double cpu = thread_cpu_ms();
  std::unique_lock lock(mutex_);
  if (quitting_) return glint::DebugAction::Abort;
  if (s.reason == glint::DebugStop::Reason::Pause)
    for (auto& [module, store] : stores_) store->cancel_pause();
  stop_ = Stop{&m, s, ++serial_, resumed_cpu_ms_ < 0 ? -1 : cpu - resumed_cpu_ms_};
  answer_.reset();
  state_ = State::Stopped;
  changed_.notify_all();
  for (;;) {
    changed_.wait(lock, [&] { return answer_ || !stop_jobs_.empty(); });
    if (stop_jobs_.empty()) break;  // answered
    auto fn = std::move(stop_jobs_.front());
    stop_jobs_.pop_front();
    lock.unlock();
    fn();
    lock.lock();
    ++stop_jobs_done_;
    changed_.notify_all();
  }
  glint::DebugAction action = *answer_;
  answer_.reset();
  stop_.reset();
  resumed_cpu_ms_ = thread_cpu_ms();
  return action;
}

void GameThread::post(std::function<void(Game&)> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  changed_.notify_all();
}

GameThread::State GameThread::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

bool GameThread::quiet() const {
  std::lock_guard lock(mutex_);
  return state_ == State::Stopped || (state_ == State::Idle && jobs_.empty());
}

uint64_t GameThread::jobs_done() const {
  std::lock_guard lock(mutex_);
  return jobs_done_;
}

GameThread::Stop* GameThread::stop() {
  std::lock_guard lock(mutex_);
  return state_ == State::Stopped && stop_ ? &*stop_ : nullptr;
}

void GameThread::resume(glint::DebugAction action) {
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::Stopped) return;
    answer_ = action;
    state_ = State::Busy;  // from now on: not stopped, not quiet
  }
  changed_.notify_all();
}

bool GameThread::run_in_stop(const std::function<void()>& fn) {
  std::unique_lock lock(mutex_);
  if (state_ != State::Stopped) return false;
  uint64_t ticket = stop_jobs_done_ + stop_jobs_.size() + 1;
  stop_jobs_.push_back(fn);
  changed_.notify_all();
  changed_.wait(lock, [&] { return stop_jobs_done_ >= ticket; });
  return true;
}

void GameThread::pause() {
  std::lock_guard lock(mutex_);
  for (auto& [module, store] : stores_) store->pause();
}

uint64_t GameThread::stop_count() const {
  std::lock_guard lock(mutex_);
  return serial_;
}

bool GameThread::wait_stop(uint64_t after, std::chrono::microseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    return (state_ == State::Stopped && serial_ > after) ||
           (state_ == State::Idle && jobs_.empty());
  });
  return state_ == State::Stopped && serial_ > after;
}

bool GameThread::wait_quiet(std::chrono::microseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return state_ == State::Stopped || (state_ == State::Idle && jobs_.empty());
  });
}

}  // namespace glint::host
