// Audio through the host API: a WAV sample, looping music and a tone start voices (the dummy
// audio driver mixes them and throws the result away).
#include "glint_api.h"

static int32_t voice, tone, beep;

GLINT_EXPORT(init) void init(void) {
  beep = glint_asset_id(GLINT_STR("beep.wav"));
  voice = glint_play_sound(beep, 0.8f, -0.5f, 1.5f);
  tone = glint_play_tone(GLINT_WAVE_TRIANGLE, 330, 0.25f, 0.5f);
  glint_play_music(beep, 0.3f);
}

GLINT_EXPORT(update) void update(float dt) {
  (void)dt;
  if (glint_frame_count() == 30) glint_stop_music();
  if (glint_frame_count() == 40 && glint_shared_get(GLINT_STR("bad_wave")) != 0)
    glint_play_tone(7, 100, 1, 1);  // not a WAVE_* constant: traps with a clear message
}

GLINT_EXPORT(query_voice) int query_voice(void) { return voice; }
GLINT_EXPORT(query_tone) int query_tone(void) { return tone; }
GLINT_EXPORT(query_missing) int query_missing(void) {
  return glint_play_sound(glint_asset_id(GLINT_STR("missing.wav")), 1, 0, 1);
}
