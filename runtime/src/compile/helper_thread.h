// One background thread, kept for the life of the process and started on first use: a thread
// started for each job often lands on the caller's own core, and by the time the scheduler
// moves it the work is done; a kept thread wakes where it last ran.
//
// Two ways to use it:
// - loading: it takes half of a large module's translation while the loading thread does the
//   other half (helper_thread_try_start, helper_thread_wait);
// - big copies (snapshots): helper_thread_share, where the caller never waits for the helper
//   to start, so a helper that the scheduler keeps off the CPU costs nothing but its wake-up.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>

namespace glint::detail {

// Starts `job` on the helper thread and returns true, or returns false at once when the helper
// is busy with another load (the caller then does all the work itself).
bool helper_thread_try_start(std::function<void()> job);

// Waits for the job started by a successful helper_thread_try_start.
void helper_thread_wait();

// Runs work(context, i) once for each i in [0, chunks), on the calling thread and, if it is
// free and gets to run in time, the helper thread: the caller takes chunks from the front, the
// helper from the back, one at a time, so a helper that wakes late takes fewer (none if it
// wakes after the last). On return every chunk is done and the helper has stopped touching
// them: the caller waits only for the one chunk the helper may be in the middle of. `work`
// must not throw, and must make its writes visible with an ordinary store (streaming stores:
// end with a fence). Returns how many chunks the helper did (for tests and benches).
using ChunkWork = void (*)(void* context, size_t chunk) noexcept;
size_t helper_thread_share(size_t chunks, ChunkWork work, void* context);

// Starts `job` on the helper thread and returns at once, never waiting for it (false: the
// helper is busy, the job is not run). Kept off the caller's CPU while it runs; afterwards the
// helper joins a helper_thread_share that opened meanwhile. `job` must not throw.
bool helper_thread_post(std::function<void()> job);

// For tests and benches: false makes helper_thread_share do every chunk on the caller.
void helper_thread_allow_sharing(bool allow);
// For benches: chunks shared so far (of calls with at least 2), and how many the helper did.
struct SharingCounts {
  uint64_t chunks = 0, by_helper = 0;
};
SharingCounts helper_thread_sharing_counts();

}  // namespace glint::detail
