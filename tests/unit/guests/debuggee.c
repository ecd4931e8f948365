// The source-level debugger's C test program (tests/unit/test_source.cpp), built with -g at -O0
// and at -O2. The tests find lines by the "@name" markers in the comments.
#include <stdio.h>

typedef enum { IDLE, RUNNING, DEAD } State;
typedef struct {
  float x, y;
} Vec2;
typedef struct {
  int id;
  float hp;
  Vec2 pos;
  State state;
  int scores[4];
  const char* name;
} Entity;

// A host function of the test (not WASI): stepping over a call to it.
__attribute__((import_module("env"), import_name("host_add"))) int host_add(int a, int b);

Entity g_entities[3] = {
    {1, 10.5f, {1.0f, 2.0f}, RUNNING, {1, 2, 3, 4}, "alpha"},
    {2, 20.25f, {3.0f, 4.0f}, IDLE, {5, 6, 7, 8}, "beta"},
    {3, 0.5f, {5.0f, 6.0f}, DEAD, {9, 10, 11, 12}, "gamma"},
};
static int g_counter = 7;
volatile int g_bonus;  // written by main: the inlined call below is not optimized away

// Always inlined, also at -O0: stepping over the line that calls it runs it whole.
static inline __attribute__((always_inline)) int bonus(int total, int factor) {
  int b = total * factor;  // @bonus
  if (b > 100) b = 100;    // @bonus_clamp
  return b;
}

__attribute__((noinline)) float weigh(const Entity* e, int factor) {
  float w = e->hp * (float)factor;  // @weigh
  w += (float)e->scores[2];         // @weigh_add
  return w;                         // @weigh_return
}

__attribute__((noinline)) int divide(int a, int b) {
  int q = a / b;  // @divide (traps when b is 0)
  return q;
}

int main(int argc, char** argv) {
  (void)argv;
  int factor = argc + 1;  // 2 without arguments: not a constant the optimizer could fold
  int total = 0;
  for (int i = 0; i < 3; i++) {
    float w = weigh(&g_entities[i], factor);  // @call
    total += (int)w;                          // @after_call
  }
  total = host_add(total, g_counter);              // @host
  printf("total %d\n", total);                     // @print
  g_bonus = bonus(total, factor);                  // @inline_call
  g_bonus += argc;                                 // @after_inline
  if (argc > 1) total += divide(total, argc - 2);  // @trap_call: traps with one argument
  return total == 12345;
}
