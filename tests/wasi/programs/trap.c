// Traps on purpose, after printing (and flushing) a line; argv[1] picks the kind.
// Each trapping function is noinline so the backtrace names it.
#include <stdio.h>
#include <string.h>

__attribute__((noinline)) void crash_with_unreachable(void) { __builtin_trap(); }

__attribute__((noinline)) int divide(volatile int a, volatile int b) { return a / b; }

__attribute__((noinline)) int load_far_away(void) {
  volatile int* p = (volatile int*)0xFFFFFFF0u;
  return *p;
}

// Calls itself through a volatile pointer so the compiler cannot turn it into a loop; it keeps
// no locals in linear memory, so only the wasm call stack grows.
int recurse_forever(int n);
static int (*volatile recurse_ptr)(int) = recurse_forever;
__attribute__((noinline)) int recurse_forever(int n) { return recurse_ptr(n + 1) + n; }

typedef int (*IntFn)(int);
__attribute__((noinline)) int call_through(IntFn* table, int i) { return table[i](i); }

int main(int argc, char** argv) {
  const char* kind = argc > 1 ? argv[1] : "unreachable";
  printf("about to trap: %s\n", kind);
  fflush(stdout);
  if (strcmp(kind, "unreachable") == 0) crash_with_unreachable();
  if (strcmp(kind, "div0") == 0) return divide(1, 0);
  if (strcmp(kind, "oob") == 0) return load_far_away();
  if (strcmp(kind, "stack") == 0) return recurse_forever(0);
  if (strcmp(kind, "indirect") == 0) {
    static IntFn table[1];
    memset(table, 0xAB, sizeof table);  // not a valid function index
    return call_through(table, 0);
  }
  printf("unknown kind\n");
  return 0;
}
