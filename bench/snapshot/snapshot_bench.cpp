// glint-snapshot-bench: what snapshots cost (issue 16's targets), and the measurement behind
// the choice of dirty-page tracking (runtime/SNAPSHOTS.md).
//
//   glint-snapshot-bench                 full captures and restores (after 2% of the pages
//                                        were written, and after all of them), ring pushes
//                                        and restores; 16 MiB of memory
//   glint-snapshot-bench --tracking      the ways of finding written pages, side by side
//   glint-snapshot-bench --deferred      the ways of deferring the copy of every page written
//                                        (copy at the first write; a copy-on-write mapping)
//   options: --mib N (memory size), --dirty PERCENT, --runs N, --one-thread (big copies
//   without the helper thread), --incremental (only the 2% captures and restores: profiles
//   and long A/B runs)
//
// Wall-clock times of single operations: the median of --runs runs, with the fastest and the
// slowest, so the spread a shared machine adds is visible.
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "compile/helper_thread.h"
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "snapshot/page_image.h"

namespace {

constexpr size_t kPage = 4096;

struct Options {
  size_t mib = 16;
  double dirty_percent = 2;
  int runs = 200;
  bool tracking = false;
  bool deferred = false;
  bool incremental = false;  // only the 2% capture and restore (profiles, long A/B runs)
};

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Stats {
  std::vector<double> ms;
  void add(double v) { ms.push_back(v); }
  void print(const char* what) {
    std::sort(ms.begin(), ms.end());
    std::printf("  %-50s median %8.3f ms   (fastest %.3f, slowest %.3f, %zu runs)\n", what,
                ms[ms.size() / 2], ms.front(), ms.back(), ms.size());
  }
};

// A module with just a memory of `pages` 64 KiB pages (and room to grow).
std::vector<uint8_t> memory_module(uint32_t pages) {
  auto leb = [](std::vector<uint8_t>& out, uint32_t v) {
    do {
      uint8_t b = v & 0x7f;
      v >>= 7;
      out.push_back(v ? b | 0x80 : b);
    } while (v);
  };
  std::vector<uint8_t> limits = {0x01};
  leb(limits, pages);
  leb(limits, pages * 2);
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05};
  leb(m, uint32_t(limits.size() + 1));
  m.push_back(1);
  m.insert(m.end(), limits.begin(), limits.end());
  const uint8_t exports[] = {0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00};
  m.insert(m.end(), exports, exports + sizeof exports);
  return m;
}

std::vector<size_t> pick_pages(std::mt19937& rng, size_t pages, double percent) {
  std::vector<size_t> all(pages);
  for (size_t i = 0; i < pages; i++) all[i] = i;
  std::shuffle(all.begin(), all.end(), rng);
  all.resize(std::max<size_t>(1, size_t(double(pages) * percent / 100)));
  return all;
}

void write_pages(uint8_t* mem, const std::vector<size_t>& pages, uint64_t v) {
  for (size_t p : pages) std::memcpy(mem + p * kPage + (v * 8) % kPage, &v, 8);
}

int snapshot_costs(const Options& o) {
  uint32_t wasm_pages = uint32_t(o.mib * 16);
  auto module = glint::Module::load(memory_module(wasm_pages));
  if (!module) {
    std::fprintf(stderr, "%s\n", module.error().to_string().c_str());
    return 1;
  }
  glint::Store store;
  auto inst = glint::Linker().instantiate(store, *module);
  if (!inst) return 1;
  glint::Memory& mem = *(*inst)->memory();
  size_t pages = mem.size() / kPage;
  std::mt19937 rng(1);
  for (size_t i = 0; i < mem.size(); i += 8) std::memcpy(mem.data() + i, &i, 8);  // all used
  std::printf("memory: %zu MiB (%zu pages of 4 KiB), %.1f%% of the pages written per frame\n",
              o.mib, pages, o.dirty_percent);

  // A full capture is a complete snapshot, but shares the pages not written since the
  // memory's last capture or restore with it: it costs what was written since. So each run
  // writes a frame's pages first, then captures; then writes again and restores.
  glint::Snapshot snap;
  Stats first, first_kept, full, restore, full_all, restore_all;
  // A memory's first capture copies it all: into pages new to the process, or into the blocks
  // that the snapshots of a memory freed before left (the usual case in a game that snapshots).
  Stats first_prepared;
  for (int i = 0; i < (o.incremental ? 0 : 3 * std::min(o.runs, 20)); i++) {
    glint::Store own;  // freed after each run
    auto fresh = glint::Linker().instantiate(own, *module);
    if (!fresh) return 1;
    glint::Memory& m = *(*fresh)->memory();
    for (size_t k = 0; k < m.size(); k += 8) std::memcpy(m.data() + k, &k, 8);
    if (i % 3 != 1) glint::detail::release_kept_blocks();
    if (i % 3 == 2) {  // snapshots of it started a few frames before (a ring, say)
      glint::detail::prepare_blocks(m.size());
      usleep(50000);
    }
    glint::Snapshot s;
    double t0 = now_ms();
    (void)glint::capture(**fresh, s);
    (i % 3 == 0 ? first : i % 3 == 1 ? first_kept : first_prepared).add(now_ms() - t0);
  }
  (void)glint::capture(**inst, snap);
  for (int i = 0; i < o.runs; i++) {
    write_pages(mem.data(), pick_pages(rng, pages, o.dirty_percent), uint64_t(i));
    double t0 = now_ms();
    (void)glint::capture(**inst, snap);
    full.add(now_ms() - t0);
    write_pages(mem.data(), pick_pages(rng, pages, o.dirty_percent), uint64_t(i) + 7);
    t0 = now_ms();
    (void)glint::restore(**inst, snap);
    restore.add(now_ms() - t0);
  }
  if (o.incremental) {
    char what[96];
    std::snprintf(what, sizeof what, "full capture, %.1f%% of pages written since",
                  o.dirty_percent);
    full.print(what);
    std::snprintf(what, sizeof what, "full restore, %.1f%% of pages written since",
                  o.dirty_percent);
    restore.print(what);
    return 0;
  }
  for (int i = 0; i < o.runs; i++) {  // the worst case: every page written since
    write_pages(mem.data(), pick_pages(rng, pages, 100), uint64_t(i));
    double t0 = now_ms();
    (void)glint::capture(**inst, snap);
    full_all.add(now_ms() - t0);
    write_pages(mem.data(), pick_pages(rng, pages, 100), uint64_t(i) + 7);
    t0 = now_ms();
    (void)glint::restore(**inst, snap);
    restore_all.add(now_ms() - t0);
  }
  Stats copy;  // what bounds the worst case: the machine's memory bandwidth
  std::vector<uint8_t> scratch(mem.size());
  for (int i = 0; i < o.runs; i++) {
    double t0 = now_ms();
    std::memcpy(scratch.data(), mem.data(), mem.size());
    copy.add(now_ms() - t0);
  }
  char what[96];
  auto shared = glint::detail::helper_thread_sharing_counts();
  first.print("a memory's first full capture, into new pages");
  first_kept.print("a memory's first full capture, into kept pages");
  first_prepared.print("... into pages prepared 50 ms before");
  std::snprintf(what, sizeof what, "full capture, %.1f%% of pages written since", o.dirty_percent);
  full.print(what);
  std::snprintf(what, sizeof what, "full restore, %.1f%% of pages written since", o.dirty_percent);
  restore.print(what);
  full_all.print("full capture, every page written since");
  restore_all.print("full restore, every page written since");
  copy.print("(a plain memcpy of the memory, for scale)");
  std::printf("  big copies shared with the helper thread: it did %llu of their %llu chunks\n",
              (unsigned long long)shared.by_helper, (unsigned long long)shared.chunks);

  for (bool kernel : {true, false}) {
    glint::RingConfig config;
    config.kernel_tracking = kernel;
    config.max_frames = 600;
    config.max_bytes = size_t(4) << 30;
    glint::SnapshotRing ring(**inst, config);
    (void)ring.push(0);
    Stats push, back;
    // The ring fills up first (600 frames), then is timed as a game sees it from then on:
    // every push also drops the oldest frame.
    for (uint64_t frame = 1; frame <= 600 + uint64_t(o.runs); frame++) {
      write_pages(mem.data(), pick_pages(rng, pages, o.dirty_percent), frame);
      double t0 = now_ms();
      (void)ring.push(frame);
      if (frame > 600) push.add(now_ms() - t0);
    }
    for (int i = 0; i < o.runs; i++) {  // one frame back, then forward again
      uint64_t last = *ring.last_frame();
      double t0 = now_ms();
      (void)ring.restore(last - 1);
      back.add(now_ms() - t0);
      (void)ring.restore(last);
    }
    std::printf(" ring, written pages found by %s:\n", ring.tracking());
    push.print("incremental capture (ring push, ring full)");
    back.print("restore one frame back (ring restore)");
    std::printf("  ring memory: %.1f MiB for %zu frames\n", double(ring.bytes_used()) / 1048576.0,
                ring.frames());
  }
  return 0;
}

// ---- the ways of finding written pages ---------------------------------------------------------

uint8_t* g_mem = nullptr;
size_t g_size = 0;
std::vector<uint8_t> g_written;

void on_fault(int, siginfo_t* si, void*) {
  auto* a = static_cast<uint8_t*>(si->si_addr);
  if (a < g_mem || a >= g_mem + g_size) {
    signal(SIGSEGV, SIG_DFL);
    return;
  }
  size_t p = size_t(a - g_mem) / kPage;
  g_written[p] = 1;
  mprotect(g_mem + p * kPage, kPage, PROT_READ | PROT_WRITE);
}

struct PmScanArg {
  uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages, category_inverted,
      category_mask, category_anyof_mask, return_mask;
};

// One way: `arm` runs once, `collect` after each frame's writes and returns the pages found.
struct Method {
  const char* name;
  std::function<bool()> arm;
  std::function<size_t()> collect;
};

int tracking_options(const Options& o) {
  g_size = o.mib << 20;
  size_t pages = g_size / kPage;
  g_mem = static_cast<uint8_t*>(
      mmap(nullptr, g_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  for (size_t i = 0; i < g_size; i += kPage) g_mem[i] = 1;
  std::vector<uint8_t> copy(g_mem, g_mem + g_size);
  std::vector<uint64_t> hashes(pages);
  int uffd = -1, pagemap = -1;
  std::vector<uint64_t> regions(3 * pages);

  std::vector<Method> methods = {
      {"mprotect + SIGSEGV handler",
       [&] {
         struct sigaction sa {};
         sa.sa_sigaction = on_fault;
         sa.sa_flags = SA_SIGINFO;
         g_written.assign(pages, 0);
         return sigaction(SIGSEGV, &sa, nullptr) == 0 && mprotect(g_mem, g_size, PROT_READ) == 0;
       },
       [&] {
         size_t n = 0;
         for (size_t p = 0; p < pages; p++)
           if (g_written[p]) {
             g_written[p] = 0;
             ++n;
           }
         mprotect(g_mem, g_size, PROT_READ);
         return n;
       }},
      {"soft-dirty bits (/proc/self/clear_refs)",
       [&] {
         int fd = open("/proc/self/clear_refs", O_WRONLY);
         bool ok = fd >= 0 && write(fd, "4", 1) == 1;
         if (fd >= 0) close(fd);
         pagemap = open("/proc/self/pagemap", O_RDONLY);
         g_mem[0] = 2;  // must show as soft-dirty now
         uint64_t e = 0;
         ok = ok && pread(pagemap, &e, 8, off_t(uintptr_t(g_mem) / kPage * 8)) == 8;
         if (!(ok && (e >> 55 & 1)))
           std::printf("  %-40s not available (kernel without CONFIG_MEM_SOFT_DIRTY)\n",
                       "soft-dirty bits (/proc/self/clear_refs)");
         return ok && (e >> 55 & 1);
       },
       [&] {
         std::vector<uint64_t> entries(pages);
         size_t n = 0;
         if (pread(pagemap, entries.data(), pages * 8, off_t(uintptr_t(g_mem) / kPage * 8)) > 0)
           for (uint64_t e : entries) n += e >> 55 & 1;
         int fd = open("/proc/self/clear_refs", O_WRONLY);
         if (fd >= 0 && write(fd, "4", 1) != 1) n = 0;
         if (fd >= 0) close(fd);
         return n;
       }},
      {"userfaultfd async write-protect + PAGEMAP_SCAN",
       [&] {
         uffd = int(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | 1));
         uffdio_api api{};
         api.api = UFFD_API;
         api.features = (1 << 15) | (1 << 13);
         uffdio_register reg{};
         reg.range = {uint64_t(uintptr_t(g_mem)), g_size};
         reg.mode = UFFDIO_REGISTER_MODE_WP;
         uffdio_writeprotect wp{};
         wp.range = reg.range;
         wp.mode = UFFDIO_WRITEPROTECT_MODE_WP;
         pagemap = open("/proc/self/pagemap", O_RDONLY);
         return uffd >= 0 && ioctl(uffd, UFFDIO_API, &api) == 0 &&
                ioctl(uffd, UFFDIO_REGISTER, &reg) == 0 &&
                ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) == 0;
       },
       [&] {
         PmScanArg a{};
         a.size = sizeof a;
         a.flags = 3;
         a.start = uint64_t(uintptr_t(g_mem));
         a.end = a.start + g_size;
         a.vec = uint64_t(uintptr_t(regions.data()));
         a.vec_len = pages;
         a.category_mask = a.return_mask = 2;
         long n = ioctl(pagemap, _IOWR('f', 16, PmScanArg), &a);
         size_t found = 0;
         for (long i = 0; i < n; i++) found += (regions[3 * i + 1] - regions[3 * i]) / kPage;
         return found;
       }},
      {"xxh3 hash of every page",
       [&] {
         for (size_t p = 0; p < pages; p++) hashes[p] = XXH3_64bits(g_mem + p * kPage, kPage);
         return true;
       },
       [&] {
         size_t n = 0;
         for (size_t p = 0; p < pages; p++) {
           uint64_t h = XXH3_64bits(g_mem + p * kPage, kPage);
           if (h != hashes[p]) hashes[p] = h, ++n;
         }
         return n;
       }},
      {"memcmp of every page with a copy",
       [&] {
         std::memcpy(copy.data(), g_mem, g_size);
         return true;
       },
       [&] {
         size_t n = 0;
         for (size_t p = 0; p < pages; p++)
           if (std::memcmp(g_mem + p * kPage, copy.data() + p * kPage, kPage)) {
             std::memcpy(copy.data() + p * kPage, g_mem + p * kPage, kPage);
             ++n;
           }
         return n;
       }},
  };
  std::printf("finding the pages written in a frame: %zu MiB, %.1f%% of the pages written\n", o.mib,
              o.dirty_percent);
  std::mt19937 rng(1);
  for (Method& m : methods) {
    if (!m.arm()) {
      if (std::strncmp(m.name, "soft", 4) != 0) std::printf("  %-40s not available\n", m.name);
      continue;
    }
    Stats writes, collect;
    size_t found = 0, expected = 0;
    for (int i = 0; i < o.runs; i++) {
      auto which = pick_pages(rng, pages, o.dirty_percent);
      expected += which.size();
      double t0 = now_ms();
      write_pages(g_mem, which, uint64_t(i) + 1000);
      writes.add(now_ms() - t0);
      t0 = now_ms();
      found += m.collect();
      collect.add(now_ms() - t0);
    }
    std::printf(" %s: %zu of %zu written pages found\n", m.name, found, expected);
    writes.print("the frame's writes (first write faults included)");
    collect.print("finding them (and re-arming)");
    if (uffd >= 0) close(uffd), uffd = -1;
    if (pagemap >= 0) close(pagemap), pagemap = -1;
    mprotect(g_mem, g_size, PROT_READ | PROT_WRITE);
    signal(SIGSEGV, SIG_DFL);
  }
  return 0;
}

// ---- deferring the copy -------------------------------------------------------------------------
// With every page written since, a capture or a restore copies the whole memory, which takes as
// long as the machine's memory bandwidth allows. These are the ways of leaving the copying to
// later, measured against copying at once: the call itself is then cheap, and the cost moves to
// the frame's first write (or read) of each page.

uint8_t* g_copy = nullptr;       // where a deferred capture's pages go
size_t g_chunk_pages = 1;        // pages copied and unprotected per fault
std::vector<uint8_t> g_pending;  // per chunk: not copied yet

void on_first_write(int, siginfo_t* si, void*) {
  auto* a = static_cast<uint8_t*>(si->si_addr);
  if (a < g_mem || a >= g_mem + g_size) {
    signal(SIGSEGV, SIG_DFL);
    return;
  }
  size_t bytes = g_chunk_pages * kPage, c = size_t(a - g_mem) / bytes;
  if (g_pending[c]) std::memcpy(g_copy + c * bytes, g_mem + c * bytes, bytes);
  g_pending[c] = 0;
  mprotect(g_mem + c * bytes, bytes, PROT_READ | PROT_WRITE);
}

int deferred_copy_options(const Options& o) {
  g_size = o.mib << 20;
  size_t pages = g_size / kPage;
  auto map = [] {
    void* p = mmap(nullptr, g_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) std::exit(1);
    std::memset(p, 1, g_size);  // faulted in, as a memory in use and kept snapshot pages are
    return static_cast<uint8_t*>(p);
  };
  g_mem = map();
  g_copy = map();
  int runs = std::min(o.runs, 20);  // a fault per page makes a frame cost 100+ ms
  std::mt19937 rng(1);
  auto all_pages = [&] { return pick_pages(rng, pages, 100); };
  std::printf("deferring the copy: %zu MiB, every page written in each frame, %d runs\n", o.mib,
              runs);

  Stats now, writes;
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    for (size_t p = 0; p < pages; p++) std::memcpy(g_copy + p * kPage, g_mem + p * kPage, kPage);
    now.add(now_ms() - t0);
    auto which = all_pages();
    t0 = now_ms();
    write_pages(g_mem, which, uint64_t(i));
    writes.add(now_ms() - t0);
  }
  std::printf(" copying every page at the capture:\n");
  now.print("the capture");
  writes.print("then the frame's writes");

  struct sigaction sa {};
  sa.sa_sigaction = on_first_write;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, nullptr);
  for (size_t chunk : {size_t(1), size_t(64)}) {
    g_chunk_pages = chunk;
    Stats arm, faulted;
    for (int i = 0; i < runs; i++) {
      auto which = all_pages();
      double t0 = now_ms();
      g_pending.assign(pages / chunk, 1);
      mprotect(g_mem, g_size, PROT_READ);
      arm.add(now_ms() - t0);
      t0 = now_ms();
      write_pages(g_mem, which, uint64_t(i));
      faulted.add(now_ms() - t0);
    }
    std::printf(" copying at the first write (mprotect + SIGSEGV handler), %zu page(s) a fault:\n",
                chunk);
    arm.print("the capture (write-protect)");
    faulted.print("then the frame's writes (the copies in them)");
  }
  signal(SIGSEGV, SIG_DFL);

  // Restore: the snapshot's bytes in a memfd, mapped copy-on-write over the memory.
  int fd = int(memfd_create("glint-snapshot-bench", 0));
  if (fd < 0 || ftruncate(fd, off_t(g_size)) != 0) return 1;
  void* file = mmap(nullptr, g_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (file == MAP_FAILED) return 1;
  std::memset(file, 2, g_size);
  munmap(file, g_size);
  Stats remap, reads, cow;
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    if (mmap(g_mem, g_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED)
      return 1;
    remap.add(now_ms() - t0);
    t0 = now_ms();
    uint64_t sum = 0;
    for (size_t p = 0; p < pages; p++) sum += g_mem[p * kPage];
    reads.add(now_ms() - t0);
    if (sum != 2 * pages) return 1;
    auto which = all_pages();
    t0 = now_ms();
    write_pages(g_mem, which, uint64_t(i));
    cow.add(now_ms() - t0);
  }
  close(fd);
  std::printf(
      " restoring by mapping a memfd copy-on-write over the memory (MAP_PRIVATE|MAP_FIXED):\n");
  remap.print("the restore (mmap)");
  reads.print("then reading every page (a fault each)");
  cow.print("then the frame's writes (the kernel copies)");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atof(argv[++i]) : 0.0; };
    if (a == "--tracking")
      o.tracking = true;
    else if (a == "--one-thread")
      glint::detail::helper_thread_allow_sharing(false);
    else if (a == "--deferred")
      o.deferred = true;
    else if (a == "--incremental")
      o.incremental = true;
    else if (a == "--mib")
      o.mib = size_t(next());
    else if (a == "--dirty")
      o.dirty_percent = next();
    else if (a == "--runs")
      o.runs = int(next());
    else {
      std::fprintf(stderr,
                   "usage: glint-snapshot-bench [--tracking | --deferred] [--mib N] "
                   "[--dirty PERCENT] [--runs N] [--one-thread] [--incremental]\n");
      return a == "--help" ? 0 : 2;
    }
  }
  if (o.mib == 0 || o.runs <= 0) return 2;
  if (o.deferred) return deferred_copy_options(o);
  return o.tracking ? tracking_options(o) : snapshot_costs(o);
}
