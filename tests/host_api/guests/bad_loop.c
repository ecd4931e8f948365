// Never returns from its 3rd update: only the fuel budget stops it.
#include "glint_api.h"

static volatile int spin;
static int updates;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (++updates == 3)
    for (;;) ++spin;
}
