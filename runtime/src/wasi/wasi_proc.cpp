// WASI process interface: args, environment, clocks, randomness, exit, polling; the calls we
// do not implement (they answer ENOSYS); and running a command module.
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <thread>

#include "wasi/context.h"
#include "wasi/wasi_impl.h"

namespace glint::wasi {
namespace {

using Ctx = std::shared_ptr<Context>;

// argv-style: a table of pointers into one buffer of NUL-terminated strings.
int32_t write_strings(Caller& c, const std::vector<std::string>& strs, uint32_t ptrs,
                      uint32_t buf) {
  Memory& mem = c.memory();
  for (size_t i = 0; i < strs.size(); i++) {
    mem.store<uint32_t>(ptrs + 4 * i, buf);
    auto out = mem.span(buf, strs[i].size() + 1);
    std::copy(strs[i].begin(), strs[i].end(), out.begin());
    out[strs[i].size()] = 0;
    buf += uint32_t(strs[i].size() + 1);
  }
  return kSuccess;
}

int32_t sizes(Caller& c, const std::vector<std::string>& strs, uint32_t count, uint32_t size) {
  uint32_t total = 0;
  for (const auto& s : strs) total += uint32_t(s.size() + 1);
  c.memory().store<uint32_t>(count, uint32_t(strs.size()));
  c.memory().store<uint32_t>(size, total);
  return kSuccess;
}

bool host_clock(int32_t id, clockid_t& out) {
  switch (id) {
    case 0:
      out = CLOCK_REALTIME;
      return true;
    case 1:
      out = CLOCK_MONOTONIC;
      return true;
    case 2:
      out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case 3:
      out = CLOCK_THREAD_CPUTIME_ID;
      return true;
  }
  return false;
}

// Unimplemented calls still link (any WASI import resolves) and answer ENOSYS.
template <class... A>
void nosys(Linker& l, const char* module, const char* name) {
  l.func(module, name, [](A...) { return int32_t(kNosys); });
}

// Where a subscription's fields are (wasi_impl.h: snapshot 0 has an identifier before the
// clock's fields).
struct SubscriptionLayout {
  uint32_t size, clock_id, timeout, flags;
};
constexpr SubscriptionLayout kSubscription{48, 16, 24, 40};
constexpr SubscriptionLayout kSubscription0{56, 24, 32, 48};

}  // namespace

void add_proc(Linker& l, const Ctx& ctx, Abi abi) {
  const char* m = abi.module;
  l.func(m, "args_sizes_get", [ctx](Caller& c, int32_t count, int32_t size) {
    return sizes(c, ctx->config().args, uint32_t(count), uint32_t(size));
  });
  l.func(m, "args_get", [ctx](Caller& c, int32_t ptrs, int32_t buf) {
    return write_strings(c, ctx->config().args, uint32_t(ptrs), uint32_t(buf));
  });
  l.func(m, "environ_sizes_get", [ctx](Caller& c, int32_t count, int32_t size) {
    return sizes(c, ctx->config().env, uint32_t(count), uint32_t(size));
  });
  l.func(m, "environ_get", [ctx](Caller& c, int32_t ptrs, int32_t buf) {
    return write_strings(c, ctx->config().env, uint32_t(ptrs), uint32_t(buf));
  });
  l.func(m, "clock_res_get", [](Caller& c, int32_t id, int32_t out) {
    clockid_t clk;
    if (!host_clock(id, clk)) return int32_t(kInval);
    timespec ts;
    clock_getres(clk, &ts);
    c.memory().store<uint64_t>(uint32_t(out), uint64_t(ts.tv_sec) * 1000000000ull + ts.tv_nsec);
    return int32_t(kSuccess);
  });
  l.func(m, "clock_time_get", [](Caller& c, int32_t id, int64_t precision, int32_t out) {
    (void)precision;
    clockid_t clk;
    if (!host_clock(id, clk)) return int32_t(kInval);
    timespec ts;
    clock_gettime(clk, &ts);
    c.memory().store<uint64_t>(uint32_t(out), uint64_t(ts.tv_sec) * 1000000000ull + ts.tv_nsec);
    return int32_t(kSuccess);
  });
  l.func(m, "random_get", [](Caller& c, int32_t buf, int32_t len) {
    auto out = c.memory().span(uint32_t(buf), uint32_t(len));
    size_t done = 0;
    while (done < out.size()) {
      ssize_t r = getrandom(out.data() + done, out.size() - done, 0);
      if (r < 0) {
        if (errno == EINTR) continue;
        return errno_from_host(errno);
      }
      done += size_t(r);
    }
    return int32_t(kSuccess);
  });
  l.func(m, "proc_exit", [](int32_t code) {
    throw TrapError{"exit(" + std::to_string(code) + ")", TrapKind::Exit, code};
  });
  l.func(m, "sched_yield", [] {
    std::this_thread::yield();
    return int32_t(kSuccess);
  });
  // Clock subscriptions sleep until the earliest deadline; fd subscriptions are always ready.
  SubscriptionLayout sl = abi.snapshot0 ? kSubscription0 : kSubscription;
  l.func(m, "poll_oneoff", [sl](Caller& c, int32_t in, int32_t out, int32_t n, int32_t nevents) {
    Memory& mem = c.memory();
    if (n <= 0) return int32_t(kInval);
    uint64_t min_wait = UINT64_MAX;
    uint32_t count = 0;
    for (int32_t i = 0; i < n; i++) {
      uint32_t sub = uint32_t(in) + sl.size * uint32_t(i);
      uint8_t tag = mem.load<uint8_t>(sub + 8);
      if (tag == 0) {
        uint64_t timeout = mem.load<uint64_t>(sub + sl.timeout);
        uint16_t flags = mem.load<uint16_t>(sub + sl.flags);
        if (flags & 1) {  // absolute time on the given clock
          clockid_t clk;
          timespec now{};  // an unknown clock: the deadline counts from 0
          if (host_clock(int32_t(mem.load<uint32_t>(sub + sl.clock_id)), clk))
            clock_gettime(clk, &now);
          uint64_t t = uint64_t(now.tv_sec) * 1000000000ull + now.tv_nsec;
          timeout = timeout > t ? timeout - t : 0;
        }
        min_wait = std::min(min_wait, timeout);
      }
    }
    if (min_wait != UINT64_MAX) std::this_thread::sleep_for(std::chrono::nanoseconds(min_wait));
    for (int32_t i = 0; i < n; i++) {
      uint32_t sub = uint32_t(in) + sl.size * uint32_t(i);
      uint32_t ev = uint32_t(out) + 32u * count++;
      auto e = mem.span(ev, 32);
      std::fill(e.begin(), e.end(), 0);
      mem.store<uint64_t>(ev, mem.load<uint64_t>(sub));
      mem.store<uint8_t>(ev + 10, mem.load<uint8_t>(sub + 8));
    }
    mem.store<uint32_t>(uint32_t(nevents), count);
    return int32_t(kSuccess);
  });

  using I = int32_t;
  using L = int64_t;
  nosys<I, L, L, I>(l, m, "fd_advise");
  nosys<I, L, L>(l, m, "fd_allocate");
  nosys<I, L, L>(l, m, "fd_fdstat_set_rights");
  nosys<I, L, L, I>(l, m, "fd_filestat_set_times");
  nosys<I, I>(l, m, "fd_renumber");
  nosys<I, I, I, I, L, L, I>(l, m, "path_filestat_set_times");
  nosys<I, I, I, I, I, I, I>(l, m, "path_link");
  nosys<I, I, I, I, I, I>(l, m, "path_readlink");
  nosys<I, I, I, I, I>(l, m, "path_symlink");
  nosys<I>(l, m, "proc_raise");
  nosys<I, I, I>(l, m, "sock_accept");
  nosys<I, I, I, I, I, I>(l, m, "sock_recv");
  nosys<I, I, I, I, I>(l, m, "sock_send");
  nosys<I, I>(l, m, "sock_shutdown");
}

std::shared_ptr<Context> add_to_linker(Linker& linker, Config config) {
  auto ctx = std::make_shared<Context>(std::move(config));
  for (Abi abi : {kPreview1, kSnapshot0}) {
    add_proc(linker, ctx, abi);
    add_fs(linker, ctx, abi);
  }
  return ctx;
}

Result<int> run_command(Store& store, Linker& linker, std::shared_ptr<const Module> module) {
  auto inst = linker.instantiate(store, module);
  if (!inst) {
    const Error& e = inst.error();
    if (e.trap && e.trap->kind == TrapKind::Exit) return e.trap->exit_code;
    return e;
  }
  Function* start = (*inst)->func("_start");
  if (!start)
    return Error{ErrorKind::Usage, "the module has no '_start' export (not a WASI command)"};
  auto r = store.call(start, {});
  if (!r) {
    const Error& e = r.error();
    if (e.trap && e.trap->kind == TrapKind::Exit) return e.trap->exit_code;
    return e;
  }
  return 0;
}

}  // namespace glint::wasi
