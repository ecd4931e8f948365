// Messages between modules (C side): sends its update count to "pong" every update, counts the
// replies, and publishes a shared number.
#include "glint_api.h"

static int updates, replies, last_reply;

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  ++updates;
  glint_send_message(GLINT_STR("pong"), 1, &updates, sizeof updates);
  int32_t payload = 0;
  int kind;
  while ((kind = glint_receive_message(&payload, sizeof payload)) >= 0) {
    char sender[16];
    int n = glint_message_sender(sender, sizeof sender);
    if (kind == 2 && n == 4 && sender[0] == 'p' && glint_message_size() == 4) {
      ++replies;
      last_reply = payload;
    }
  }
  glint_shared_set(GLINT_STR("ping.updates"), updates);
}

GLINT_EXPORT(query_replies) int query_replies(void) { return replies; }
GLINT_EXPORT(query_last_reply) int query_last_reply(void) { return last_reply; }
GLINT_EXPORT(query_no_such_module) int query_no_such_module(void) {
  return glint_send_message(GLINT_STR("nobody"), 1, 0, 0);
}
