// One background thread for loading: it takes half of a large module's translation while the
// loading thread does the other half. Started on first use and kept for the life of the
// process: a thread started for each load often lands on the loader's own core, and by the time
// the scheduler moves it the work is done; a kept thread wakes where it last ran.
#pragma once
#include <functional>

namespace glint::detail {

// Starts `job` on the helper thread and returns true, or returns false at once when the helper
// is busy with another load (the caller then does all the work itself).
bool helper_thread_try_start(std::function<void()> job);

// Waits for the job started by a successful helper_thread_try_start.
void helper_thread_wait();

}  // namespace glint::detail
