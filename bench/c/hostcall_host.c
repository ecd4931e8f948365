// The native side of hostcall.c: the "host function", in its own translation unit and never
// inlined, so native code pays a real call like the wasm engines do.
#include <stdint.h>

__attribute__((noinline)) uint32_t host_step(uint32_t x) { return x * 3u + 1u; }
