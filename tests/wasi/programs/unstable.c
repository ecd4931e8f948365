// A command built for WASI snapshot 0 ("wasi_unstable"), as older toolchains emit them: no
// libc (today's wasi-libc speaks preview1 only), the imports and snapshot 0's layouts declared
// here. It checks the calls whose layouts differ from preview1 (fd_seek's whence, filestat,
// poll_oneoff's subscriptions) and a few that agree, prints what it saw and "N failures", and
// exits with the number of failures.
//   unstable.wasm DIR      DIR: a preopened directory it may write one file into (removed again)
#include <stdint.h>

#define WASI(name) __attribute__((import_module("wasi_unstable"), import_name(#name)))

typedef struct {
  const void* buf;
  uint32_t len;
} Iovec;

WASI(args_sizes_get) int32_t args_sizes_get(uint32_t* argc, uint32_t* size);
WASI(args_get) int32_t args_get(char** argv, char* buf);
WASI(fd_write) int32_t fd_write(int32_t fd, const Iovec* iovs, uint32_t n, uint32_t* written);
WASI(fd_read) int32_t fd_read(int32_t fd, const Iovec* iovs, uint32_t n, uint32_t* nread);
WASI(fd_prestat_get) int32_t fd_prestat_get(int32_t fd, uint32_t prestat[2]);
WASI(fd_prestat_dir_name) int32_t fd_prestat_dir_name(int32_t fd, char* path, uint32_t len);
WASI(path_open)
int32_t path_open(int32_t dirfd, uint32_t lookupflags, const char* path, uint32_t len,
                  uint32_t oflags, uint64_t rights, uint64_t inheriting, uint32_t fdflags,
                  int32_t* fd);
WASI(fd_seek) int32_t fd_seek(int32_t fd, int64_t offset, uint32_t whence, uint64_t* newoffset);
WASI(fd_filestat_get) int32_t fd_filestat_get(int32_t fd, uint8_t* filestat);
WASI(path_filestat_get)
int32_t path_filestat_get(int32_t dirfd, uint32_t lookupflags, const char* path, uint32_t len,
                          uint8_t* filestat);
WASI(path_unlink_file) int32_t path_unlink_file(int32_t dirfd, const char* path, uint32_t len);
WASI(fd_close) int32_t fd_close(int32_t fd);
WASI(clock_time_get) int32_t clock_time_get(uint32_t clock, uint64_t precision, uint64_t* time);
WASI(poll_oneoff)
int32_t poll_oneoff(const void* in, void* out, uint32_t nsubscriptions, uint32_t* nevents);
WASI(proc_exit) _Noreturn void proc_exit(uint32_t code);

// Snapshot 0's numbers where they differ from preview1.
enum { kWhenceCur = 0, kWhenceEnd = 1, kWhenceSet = 2 };
// filestat: 56 bytes; nlink is a u32 at 20, size a u64 at 24.
enum { kFilestatSize = 56, kFiletypeAt = 16, kNlinkAt = 20, kSizeAt = 24 };
// subscription: 56 bytes; userdata at 0, tag at 8, then for a clock: identifier at 16, clock id
// at 24, timeout at 32, precision at 40, flags at 48; for fd_write: the fd at 16.
enum { kSubSize = 56, kEventSize = 32 };

static int failures;

static uint32_t length(const char* s) {
  uint32_t n = 0;
  while (s[n]) n++;
  return n;
}

static void print(const char* s) {
  Iovec v = {s, length(s)};
  uint32_t written;
  fd_write(1, &v, 1, &written);
}

static void print_u64(uint64_t x) {
  char buf[24];
  int i = 23;
  buf[i] = 0;
  do {
    buf[--i] = (char)('0' + x % 10);
    x /= 10;
  } while (x);
  print(buf + i);
}

// "what: got" and, when it is not what was expected, " (expected N) FAILED".
static void check(const char* what, uint64_t got, uint64_t expected) {
  print(what);
  print(": ");
  print_u64(got);
  if (got != expected) {
    print(" (expected ");
    print_u64(expected);
    print(") FAILED");
    failures++;
  }
  print("\n");
}

static uint64_t load64(const uint8_t* p) {
  uint64_t x = 0;
  for (int i = 7; i >= 0; i--) x = x << 8 | p[i];
  return x;
}
static uint32_t load32(const uint8_t* p) { return (uint32_t)load64(p) & 0xffffffffu; }
static void store64(uint8_t* p, uint64_t x) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(x >> 8 * i);
}

static uint64_t now_ns(void) {
  uint64_t t = 0;
  clock_time_get(1, 1, &t);  // monotonic
  return t;
}

static void check_filestat(const char* who, const uint8_t* st) {
  print(who);
  print("\n");
  check("  filetype (4: regular file)", st[kFiletypeAt], 4);
  check("  nlink", load32(st + kNlinkAt), 1);
  check("  size", load64(st + kSizeAt), 100);
  check("  untouched bytes after the 56", load64(st + kFilestatSize), 0x5a5a5a5a5a5a5a5aull);
}

static int32_t find_preopen(char* name, uint32_t cap) {
  for (int32_t fd = 3; fd < 16; fd++) {
    uint32_t prestat[2];
    if (fd_prestat_get(fd, prestat) != 0 || prestat[1] >= cap) continue;
    fd_prestat_dir_name(fd, name, prestat[1]);
    name[prestat[1]] = 0;
    return fd;
  }
  return -1;
}

static void files(int32_t dir) {
  static const char kName[] = "unstable.bin";
  uint32_t name_len = sizeof kName - 1;
  int32_t fd = -1;
  uint64_t rights = (1u << 1) | (1u << 2) | (1u << 6) | (1u << 21);  // read seek write stat
  check("path_open errno", (uint32_t)path_open(dir, 1, kName, name_len, 1 | 8, rights, 0, 0, &fd),
        0);
  uint8_t data[100];
  for (int i = 0; i < 100; i++) data[i] = (uint8_t)i;
  Iovec v = {data, 100};
  uint32_t n = 0;
  fd_write(fd, &v, 1, &n);
  check("bytes written", n, 100);

  // Each seek lands elsewhere if whence were read as preview1's (set = 0, cur = 1, end = 2).
  uint64_t pos = 0;
  fd_seek(fd, 7, kWhenceSet, &pos);
  check("seek 7 from set", pos, 7);
  fd_seek(fd, 3, kWhenceCur, &pos);
  check("seek 3 from cur", pos, 10);
  fd_seek(fd, -10, kWhenceEnd, &pos);
  check("seek -10 from end", pos, 90);
  uint8_t back[4] = {0};
  Iovec r = {back, 4};
  fd_read(fd, &r, 1, &n);
  check("byte read at 90", back[0], 90);

  uint8_t st[kFilestatSize + 8];
  for (unsigned i = 0; i < sizeof st; i++) st[i] = 0x5a;
  check("fd_filestat_get errno", (uint32_t)fd_filestat_get(fd, st), 0);
  check_filestat("fd_filestat_get", st);
  fd_close(fd);
  for (unsigned i = 0; i < sizeof st; i++) st[i] = 0x5a;
  check("path_filestat_get errno", (uint32_t)path_filestat_get(dir, 1, kName, name_len, st), 0);
  check_filestat("path_filestat_get", st);
  check("path_unlink_file errno", (uint32_t)path_unlink_file(dir, kName, name_len), 0);
}

// A 2 ms relative clock and stdout's write readiness, in one call: the second subscription is
// at 56 (preview1: 48), and the clock's timeout at 32 (preview1: 24, here the clock id).
static void poll(void) {
  uint8_t subs[2 * kSubSize] = {0};
  store64(subs, 0x1234);             // userdata
  subs[8] = 0;                       // clock
  store64(subs + 16, 0);             // identifier
  store64(subs + 24, 1);             // monotonic
  store64(subs + 32, 2000000);       // timeout: 2 ms, relative (flags 0)
  store64(subs + 40, 1000);          // precision
  store64(subs + kSubSize, 0x5678);  // userdata
  subs[kSubSize + 8] = 2;            // fd_write
  store64(subs + kSubSize + 16, 1);  // stdout
  uint8_t events[2 * kEventSize];
  uint32_t nevents = 0;
  uint64_t start = now_ns();
  check("poll_oneoff errno", (uint32_t)poll_oneoff(subs, events, 2, &nevents), 0);
  uint64_t waited = now_ns() - start;
  check("events", nevents, 2);
  check("event 0 userdata", load64(events), 0x1234);
  check("event 0 type (0: clock)", events[10], 0);
  check("event 1 userdata", load64(events + kEventSize), 0x5678);
  check("event 1 type (2: fd_write)", events[kEventSize + 10], 2);
  check("waited at least 2 ms", waited >= 2000000, 1);
}

void _start(void) {
  uint32_t argc = 0, size = 0;
  args_sizes_get(&argc, &size);
  char* argv[8];
  char buf[256];
  if (argc > 8 || size > sizeof buf) proc_exit(100);
  args_get(argv, buf);
  check("argc", argc, 2);
  char name[64];
  int32_t dir = find_preopen(name, sizeof name);
  print("preopen: ");
  print(dir < 0 ? "none" : name);
  print("\n");
  if (dir < 0) proc_exit(101);
  files(dir);
  poll();
  print_u64((uint64_t)failures);
  print(" failures\n");
  proc_exit((uint32_t)failures);
}
