// A WASI program built with -g for the CLI's source-level output: trap backtraces with
// file:line, and --break FILE:LINE with variables. The tests find lines by the markers.
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  int x, y;
} Point;

__attribute__((noinline)) int scale(const Point* p, int k) {
  int sum = p->x * k + p->y;  // @scale
  return sum;
}

__attribute__((noinline)) int divide(int a, int b) {
  return a / b;  // @divide
}

int main(int argc, char** argv) {
  Point p = {3, 4};
  int total = scale(&p, argc + 1);
  printf("total %d\n", total);
  if (argc > 1 && argv[1][0] == 't') total = divide(total, argc - 2);  // @call_divide
  return total > 1000;
}
