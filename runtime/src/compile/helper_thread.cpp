#include "compile/helper_thread.h"

#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace glint::detail {
namespace {

void join_open_sharing();

struct Helper {
  std::mutex mu;
  std::condition_variable job_ready, job_done;
  std::function<void()> job;
  bool busy = false;  // a job was started and not yet waited for (or is not done: posted)
  bool done = false;
  bool detached = false;  // the job was posted: nobody waits for it
  pid_t tid = 0;          // the thread's id, for its CPU affinity
  cpu_set_t all_cpus{};   // the CPUs it may run on when not kept off the caller's

  void loop() {
    std::unique_lock lock(mu);
    tid = gettid();
    if (sched_getaffinity(0, sizeof all_cpus, &all_cpus) != 0) tid = 0;
    for (;;) {
      job_ready.wait(lock, [this] { return bool(job); });
      std::function<void()> j = std::move(job);
      job = nullptr;
      lock.unlock();
      j();
      lock.lock();
      if (detached) {
        // A copy may have been shared while this was busy (its post failed): the chunks
        // left are taken as if posted (the caller never waits for this to come).
        lock.unlock();
        join_open_sharing();
        lock.lock();
        if (tid) sched_setaffinity(0, sizeof all_cpus, &all_cpus);  // any CPU again
        detached = false;
        busy = false;
        continue;
      }
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

// The helper is kept off the caller's CPU for the job: woken, the scheduler often put it on
// the caller's own (its last), where the two took turns instead of copying side by side (16
// MiB capture: the helper did 58% of the chunks, and the call was no faster than one thread's
// copy).
bool helper_thread_post(std::function<void()> job) {
  Helper& h = helper();
  std::lock_guard lock(h.mu);
  if (h.busy) return false;
  int cpu = sched_getcpu();
  if (h.tid && cpu >= 0 && CPU_COUNT(&h.all_cpus) > 1 && CPU_ISSET(cpu, &h.all_cpus)) {
    cpu_set_t others = h.all_cpus;
    CPU_CLR(cpu, &others);
    sched_setaffinity(h.tid, sizeof others, &others);
  }
  h.busy = true;
  h.detached = true;
  h.job = std::move(job);
  h.job_ready.notify_one();
  return true;
}

namespace {

void cpu_relax() {
#if defined(__x86_64__)
  _mm_pause();
#endif
}

// helper_thread_share's state, one sharing at a time. The caller opens it, the helper joins it
// whenever the scheduler runs it: it says so (helper_in) before it looks whether the sharing
// is still open, and the caller closes it before it looks whether the helper is in, so either
// the caller sees the helper in and waits for it, or the helper sees it closed and touches
// nothing (both are sequentially consistent). Never destroyed, as the helper.
struct Sharing {
  std::atomic<bool> in_use{false}, allowed{true}, open{false};
  std::atomic<uint32_t> helper_in{0};
  std::atomic<uint64_t> left{0};  // chunks not taken: [front, back), front | back << 32
  ChunkWork work = nullptr;       // these three: written while closed and the helper is out
  void* context = nullptr;
  size_t helper_did = 0;
  std::atomic<uint64_t> chunks_shared{0}, chunks_by_helper{0};

  // The helper leaves the last chunk to the caller: a helper that comes late would otherwise
  // take it and make the caller, done with the rest, wait for it.
  bool take(bool from_back, uint32_t& chunk) {
    uint64_t r = left.load(std::memory_order_relaxed);
    for (;;) {
      uint32_t front = uint32_t(r), back = uint32_t(r >> 32);
      if (front + (from_back ? 1 : 0) >= back) return false;
      uint64_t rest = from_back ? front | uint64_t(back - 1) << 32 : (front + 1) | r >> 32 << 32;
      if (left.compare_exchange_weak(r, rest, std::memory_order_relaxed)) {
        chunk = from_back ? back - 1 : front;
        return true;
      }
    }
  }

  void join() {  // on the helper
    helper_in.store(1);
    if (open.load()) {
      size_t did = 0;
      for (uint32_t c; take(true, c); did++) work(context, c);
      helper_did += did;  // a second join (after a posted job) adds to the first
    }
    helper_in.store(0);
    helper_in.notify_one();
  }
};

Sharing& sharing() {
  static auto* s = new Sharing;
  return *s;
}

void join_open_sharing() { sharing().join(); }

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

void helper_thread_allow_sharing(bool allow) { sharing().allowed = allow; }

SharingCounts helper_thread_sharing_counts() {
  return {sharing().chunks_shared.load(), sharing().chunks_by_helper.load()};
}

size_t helper_thread_share(size_t chunks, ChunkWork work, void* context) {
  Sharing& s = sharing();
  if (chunks < 2 || chunks > UINT32_MAX || !s.allowed || s.in_use.exchange(true)) {
    for (size_t c = 0; c < chunks; c++) work(context, c);
    return 0;
  }
  s.work = work;
  s.context = context;
  s.helper_did = 0;
  s.left.store(uint64_t(chunks) << 32, std::memory_order_relaxed);
  s.open.store(true);
  try {
    helper_thread_post([] { sharing().join(); });
  } catch (...) {  // no thread could be started: the caller does it all
  }
  for (uint32_t c; s.take(false, c);) work(context, c);
  s.open.store(false);
  // The helper finishes the chunk it holds, if any (a few microseconds: spin, then sleep in
  // case the scheduler took it off the CPU in the middle).
  for (int spins = 0; s.helper_in.load() != 0;)
    if (++spins < 1000)
      cpu_relax();
    else
      s.helper_in.wait(1);
  size_t helper_did = s.helper_did;
  s.chunks_shared.fetch_add(chunks, std::memory_order_relaxed);
  s.chunks_by_helper.fetch_add(helper_did, std::memory_order_relaxed);
  s.in_use.store(false);
  return helper_did;
}

}  // namespace glint::detail
