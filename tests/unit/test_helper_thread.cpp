// The helper thread's sharing of big copies (compile/helper_thread.h): every chunk is done
// once, whoever does it; the caller never waits for a helper that is busy or not running; and
// on return the helper no longer touches the work, even when it was slow in its chunk.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "compile/helper_thread.h"

using namespace glint::detail;

namespace {

struct Chunks {
  std::vector<std::atomic<int>> done;
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> by_helper{0};
  bool slow_helper = false;
  explicit Chunks(size_t n) : done(n) {}

  static void work(void* context, size_t chunk) noexcept {
    auto& c = *static_cast<Chunks*>(context);
    if (std::this_thread::get_id() != c.caller) {
      if (c.slow_helper && c.by_helper == 0)  // as if the scheduler took it off the CPU here
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
      c.by_helper++;
    }
    c.done[chunk]++;
  }
  bool each_once() const {
    for (const auto& d : done)
      if (d != 1) return false;
    return true;
  }
};

}  // namespace

TEST_CASE("helper_thread_share: every chunk is done exactly once") {
  for (size_t n : {0, 1, 2, 3, 64, 1000}) {
    Chunks c(n);
    size_t by_helper = helper_thread_share(n, Chunks::work, &c);
    CHECK(c.each_once());
    CHECK(by_helper == size_t(c.by_helper));
  }
}

TEST_CASE("helper_thread_share: a slow helper has finished its chunk when the call returns") {
  for (int round = 0; round < 5; round++) {
    Chunks c(200);
    c.slow_helper = true;
    helper_thread_share(c.done.size(), Chunks::work, &c);
    CHECK(c.each_once());  // read after the return: a helper still in its chunk would race
  }
}

TEST_CASE("helper_thread_share: a busy helper is not waited for; sharing can be turned off") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  bool started = false;  // a load in progress (once the helper is back from the last sharing)
  for (int tries = 0; !started && tries < 1000; tries++) {
    started = helper_thread_try_start([released] { released.wait(); });
    if (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(started);
  Chunks busy(100);
  CHECK(helper_thread_share(busy.done.size(), Chunks::work, &busy) == 0);
  CHECK(busy.each_once());
  release.set_value();
  helper_thread_wait();

  helper_thread_allow_sharing(false);
  Chunks alone(100);
  CHECK(helper_thread_share(alone.done.size(), Chunks::work, &alone) == 0);
  CHECK(alone.each_once());
  helper_thread_allow_sharing(true);
}

TEST_CASE("helper_thread_share: callers on several threads at once each get all their chunks") {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; t++)
    threads.emplace_back([&] {
      for (int round = 0; round < 50; round++) {
        Chunks c(40);
        helper_thread_share(c.done.size(), Chunks::work, &c);
        if (!c.each_once()) wrong++;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(wrong == 0);
}
