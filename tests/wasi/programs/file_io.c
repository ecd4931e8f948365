// File I/O in a preopened directory (argv[1], e.g. /sandbox): create, write, seek, read back,
// stat, truncate, append, mkdir, readdir, rename, unlink, rmdir, and the errors for missing files.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// dir/name in one of two rotating buffers, so a call can take two paths (rename).
static const char* at(const char* dir, const char* name) {
  static char bufs[2][512];
  static int which = 0;
  which ^= 1;
  snprintf(bufs[which], sizeof bufs[which], "%s/%s", dir, name);
  return bufs[which];
}

static int failures = 0;
#define CHECK(cond)                                                      \
  do {                                                                   \
    if (!(cond)) {                                                       \
      printf("FAILED line %d: %s (errno %d)\n", __LINE__, #cond, errno); \
      failures++;                                                        \
    }                                                                    \
  } while (0)

static int compare_names(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

// Directory order is the host's; sort so both runtimes print the same.
static void list_dir(const char* path) {
  DIR* d = opendir(path);
  CHECK(d != NULL);
  if (!d) return;
  char* names[64];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 64) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char type = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : '?';
    char* s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%c %s", type, e->d_name);
    names[n++] = s;
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], compare_names);
  printf("listing (%d):", n);
  for (int i = 0; i < n; i++) {
    printf(" [%s]", names[i]);
    free(names[i]);
  }
  printf("\n");
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: file_io DIR\n");
    return 2;
  }
  const char* dir = argv[1];

  // Create and write with stdio, then read back with seeks.
  FILE* f = fopen(at(dir, "data.txt"), "w+");
  CHECK(f != NULL);
  for (int i = 0; i < 100; i++) fprintf(f, "line %03d: %d\n", i, i * i);
  long end = ftell(f);
  printf("written %ld bytes\n", end);
  CHECK(fseek(f, 10 * 12 + 1, SEEK_SET) == 0);  // mid-line: the rest of line 010
  char line[64];
  CHECK(fgets(line, sizeof line, f) != NULL);
  printf("from offset 121: %s", line);
  CHECK(fseek(f, -14, SEEK_END) == 0);
  CHECK(fgets(line, sizeof line, f) != NULL);
  printf("last line: %s", line);
  rewind(f);
  long sum = 0;
  int a, b;
  while (fscanf(f, "line %d: %d\n", &a, &b) == 2) sum += b;
  printf("sum of squares read back: %ld\n", sum);
  fclose(f);

  // POSIX calls: stat, pwrite/pread in the middle, truncate, append.
  struct stat st;
  CHECK(stat(at(dir, "data.txt"), &st) == 0);
  printf("stat: size %lld, regular %d, dir %d\n", (long long)st.st_size, S_ISREG(st.st_mode),
         S_ISDIR(st.st_mode));
  int fd = open(at(dir, "data.txt"), O_RDWR);
  CHECK(fd >= 0);
  CHECK(pwrite(fd, "XXXX", 4, 5) == 4);
  char buf[32] = {0};
  CHECK(pread(fd, buf, 12, 0) == 12);
  printf("after pwrite: %s", buf);
  CHECK(lseek(fd, 0, SEEK_CUR) == 0);
  CHECK(ftruncate(fd, 28) == 0);
  CHECK(fstat(fd, &st) == 0);
  printf("truncated size %lld\n", (long long)st.st_size);
  CHECK(lseek(fd, 0, SEEK_END) == 28);
  close(fd);
  fd = open(at(dir, "data.txt"), O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK(write(fd, "appended\n", 9) == 9);
  close(fd);
  f = fopen(at(dir, "data.txt"), "r");
  CHECK(f != NULL);
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  buf[n] = 0;
  printf("contents (%zu bytes):\n%s", n, buf);
  fclose(f);

  // Binary data round trip.
  unsigned char bin[4096];
  for (size_t i = 0; i < sizeof bin; i++) bin[i] = (unsigned char)(i * 7 + 3);
  f = fopen(at(dir, "blob.bin"), "wb");
  CHECK(f && fwrite(bin, 1, sizeof bin, f) == sizeof bin);
  fclose(f);
  unsigned char back[4096];
  f = fopen(at(dir, "blob.bin"), "rb");
  CHECK(f && fread(back, 1, sizeof back, f) == sizeof back);
  CHECK(fgetc(f) == EOF && feof(f));
  fclose(f);
  printf("binary round trip: %s\n", memcmp(bin, back, sizeof bin) == 0 ? "equal" : "DIFFERENT");

  // Directories: mkdir, files inside, readdir, rename, unlink, rmdir.
  CHECK(mkdir(at(dir, "sub"), 0755) == 0);
  CHECK(mkdir(at(dir, "sub"), 0755) == -1 && errno == EEXIST);
  for (int i = 0; i < 3; i++) {
    char name[32];
    snprintf(name, sizeof name, "sub/file%d.txt", i);
    f = fopen(at(dir, name), "w");
    CHECK(f != NULL);
    fprintf(f, "file %d\n", i);
    fclose(f);
  }
  list_dir(dir);
  snprintf(line, sizeof line, "%s/sub", dir);
  list_dir(line);
  CHECK(rename(at(dir, "sub/file0.txt"), at(dir, "renamed.txt")) == 0);
  CHECK(stat(at(dir, "sub/file0.txt"), &st) == -1 && errno == ENOENT);
  CHECK(rmdir(at(dir, "sub")) == -1 && errno == ENOTEMPTY);
  CHECK(unlink(at(dir, "sub/file1.txt")) == 0);
  CHECK(unlink(at(dir, "sub/file2.txt")) == 0);
  CHECK(rmdir(at(dir, "sub")) == 0);
  CHECK(unlink(at(dir, "blob.bin")) == 0);
  list_dir(dir);

  // Errors for things that are not there.
  errno = 0;
  CHECK(fopen(at(dir, "missing.txt"), "r") == NULL);
  printf("open missing: %s\n", errno == ENOENT ? "ENOENT" : "other error");
  CHECK(unlink(at(dir, "missing.txt")) == -1 && errno == ENOENT);
  CHECK(open(at(dir, "renamed.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644) == -1 && errno == EEXIST);
  printf("%d failures\n", failures);
  return failures != 0;
}
