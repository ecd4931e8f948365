// Tries to leave the preopened directory (fd 3, mounted at argv[1]) with raw WASI calls, so the
// runtime's own path checks are what is tested (not wasi-libc's). The test setup puts next to
// the preopen a directory "outside" holding secret.txt, and inside it symlinks that lead out:
//   link_dir -> ../outside, link_file -> ../outside/secret.txt, link_abs -> /etc,
//   sub/up_out -> ../../outside/secret.txt, loop -> loop
// and symlinks that stay inside, which must be followed:
//   link_in -> inside.txt, sub/up -> ../inside.txt, link_sub -> sub, link_chain -> link_sub/up
// Every escape must fail ("refused" or "ESCAPED"), every inside link must read "inside"
// ("followed" or "BROKEN"). Exit code: escapes plus broken links.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static int escapes = 0;

// A symlink that stays inside the preopen opens (following it) and reads the file it names.
static void try_inside(const char* what, const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t err = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  char buf[64] = {0};
  if (err == 0) {
    __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    (void)__wasi_fd_read(fd, &iov, 1, &n);
    (void)__wasi_fd_close(fd);
  }
  if (err == 0 && strcmp(buf, "inside") == 0) {
    printf("followed %s (%s): read [%s]\n", what, path, buf);
  } else {
    printf("BROKEN %s (%s): errno %d, read [%s]\n", what, path, err, buf);
    escapes++;
  }
}

// Opening with symlink_follow: a link that leads out is refused all the same.
static void try_open_follow(const char* what, const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t err = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (err == 0) {
    printf("ESCAPED %s: opened %s following links\n", what, path);
    (void)__wasi_fd_close(fd);
    escapes++;
  } else {
    printf("refused %s (%s): errno %d\n", what, path, err);
  }
}

static void try_open(const char* what, const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t err = __wasi_path_open(3, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
  if (err == 0) {
    char buf[64] = {0};
    __wasi_iovec_t iov = {(uint8_t*)buf, sizeof buf - 1};
    __wasi_size_t n = 0;
    (void)__wasi_fd_read(fd, &iov, 1, &n);
    printf("ESCAPED %s: opened %s, read [%s]\n", what, path, buf);
    (void)__wasi_fd_close(fd);
    escapes++;
  } else {
    printf("refused %s (%s): errno %d\n", what, path, err);
  }
}

static void try_stat(const char* what, const char* path, int follow) {
  __wasi_filestat_t st;
  __wasi_errno_t err =
      __wasi_path_filestat_get(3, follow ? __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW : 0, path, &st);
  // Stat of the link itself (no follow) is allowed: it reveals nothing outside.
  if (err == 0 && (follow || st.filetype != __WASI_FILETYPE_SYMBOLIC_LINK)) {
    printf("ESCAPED %s: stat %s, size %llu\n", what, path, (unsigned long long)st.size);
    escapes++;
  } else {
    printf("refused %s (%s): errno %d\n", what, path, err);
  }
}

static void try_create(const char* what, const char* path) {
  __wasi_fd_t fd;
  __wasi_errno_t err =
      __wasi_path_open(3, 0, path, __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  if (err == 0) {
    printf("ESCAPED %s: created %s\n", what, path);
    (void)__wasi_fd_close(fd);
    escapes++;
  } else {
    printf("refused %s (%s): errno %d\n", what, path, err);
  }
}

int main(int argc, char** argv) {
  // Sanity: fd 3 is the preopen, and an ordinary file inside it opens.
  __wasi_prestat_t pre;
  if (__wasi_fd_prestat_get(3, &pre) != 0) {
    printf("no preopen at fd 3\n");
    return 100;
  }
  __wasi_fd_t fd;
  int inside_ok = __wasi_path_open(3, 0, "inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == 0;
  printf("inside.txt opens: %s\n", inside_ok ? "yes" : "NO");
  if (inside_ok) (void)__wasi_fd_close(fd);
  int sub_ok =
      __wasi_path_open(3, 0, "sub/../inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd) == 0;
  printf("sub/../inside.txt opens: %s\n", sub_ok ? "yes" : "NO");
  if (sub_ok) (void)__wasi_fd_close(fd);

  try_open("dotdot", "../outside/secret.txt");
  try_open("dotdot-deep", "sub/../../outside/secret.txt");
  try_open("dotdot-only", "..");
  try_open("absolute", "/etc/passwd");
  try_open("absolute-root", "/");
  try_open("symlink-dir", "link_dir/secret.txt");
  try_open("symlink-file", "link_file");
  try_open("symlink-abs", "link_abs/passwd");
  try_open("symlink-in-sub", "sub/../link_dir/secret.txt");
  try_open_follow("follow-symlink-file", "link_file");
  try_open_follow("follow-symlink-dir", "link_dir/secret.txt");
  try_open_follow("follow-symlink-abs", "link_abs/passwd");
  try_open_follow("follow-symlink-up-out", "sub/up_out");
  try_open_follow("follow-symlink-loop", "loop");
  try_stat("stat-dotdot", "../outside/secret.txt", 1);
  try_stat("stat-symlink-follow", "link_file", 1);
  try_stat("stat-through-symlink", "link_dir/secret.txt", 0);
  try_create("create-dotdot", "../outside/planted.txt");
  try_create("create-through-symlink", "link_dir/planted.txt");
  try_create("create-absolute", "/tmp/planted.txt");
  try_create("create-through-up-out", "sub/up_out/planted.txt");

  // Links that stay inside are followed: to a file, up out of a folder, to a folder, chained.
  try_inside("symlink-inside", "link_in");
  try_inside("symlink-up-inside", "sub/up");
  try_inside("symlink-dir-inside", "link_sub/up");
  try_inside("symlink-chain-inside", "link_chain");
  __wasi_filestat_t st;
  __wasi_errno_t err =
      __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, "sub/up", &st);
  if (err == 0 && st.filetype == __WASI_FILETYPE_REGULAR_FILE && st.size == 6) {
    printf("followed stat-symlink-inside: size %llu\n", (unsigned long long)st.size);
  } else {
    printf("BROKEN stat-symlink-inside: errno %d\n", err);
    escapes++;
  }

  // Opening the preopen's own parent through a directory fd we opened inside must fail too.
  __wasi_fd_t sub;
  if (__wasi_path_open(3, 0, "sub", __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_FD_READDIR, ~0ull, 0,
                       &sub) == 0) {
    __wasi_fd_t fd2;
    __wasi_errno_t err =
        __wasi_path_open(sub, 0, "../inside.txt", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd2);
    if (err == 0) {
      printf("ESCAPED subdir-dotdot: opened ../inside.txt from sub\n");
      escapes++;
    } else {
      printf("refused subdir-dotdot (../inside.txt from sub): errno %d\n", err);
    }
  }

  // wasi-libc's own resolution of a path outside the preopen (argv[1]) also fails.
  char path[256];
  snprintf(path, sizeof path, "%s/../outside/secret.txt", argc > 1 ? argv[1] : "/sandbox");
  FILE* f = fopen(path, "r");
  printf("fopen %s: %s\n", path, f ? "ESCAPED" : "refused");
  if (f) escapes++, fclose(f);
  printf("%d escapes\n", escapes);
  return escapes;
}
