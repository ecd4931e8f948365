#include "compile/helper_thread.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace glint::detail {
namespace {

struct Helper {
  std::mutex mu;
  std::condition_variable job_ready, job_done;
  std::function<void()> job;
  bool busy = false;  // a job was started and not yet waited for
  bool done = false;

  void loop() {
    std::unique_lock lock(mu);
    for (;;) {
      job_ready.wait(lock, [this] { return bool(job); });
      std::function<void()> j = std::move(job);
      job = nullptr;
      lock.unlock();
      j();
      lock.lock();
      done = true;
      job_done.notify_all();
    }
  }
};

// Never destroyed: the detached thread may still be waiting on it when the process exits.
Helper& helper() {
  static Helper* h = [] {
    auto* made = new Helper;
    std::thread([made] { made->loop(); }).detach();
    return made;
  }();
  return *h;
}

}  // namespace

bool helper_thread_try_start(std::function<void()> job) {
  Helper& h = helper();
  std::lock_guard lock(h.mu);
  if (h.busy) return false;
  h.busy = true;
  h.done = false;
  h.job = std::move(job);
  h.job_ready.notify_one();
  return true;
}

void helper_thread_wait() {
  Helper& h = helper();
  std::unique_lock lock(h.mu);
  h.job_done.wait(lock, [&h] { return h.done; });
  h.busy = false;
}

}  // namespace glint::detail
