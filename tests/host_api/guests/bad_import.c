// Imports draw_rect with the wrong signature: linking must fail with a message naming the
// import and both types.
#include <stdint.h>

__attribute__((import_module("glint"), import_name("draw_rect"))) void wrong_draw_rect(int32_t x);

__attribute__((export_name("update"))) void update(float dt) {
  if (dt < 0) wrong_draw_rect(1);
}
