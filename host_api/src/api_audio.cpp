// Host functions: audio (api.def section "audio"). Without an audio device nothing plays and
// every call still succeeds, so games run the same with or without sound.
#include "api.h"

namespace glint::host {

int32_t Api::play_sound(int32_t sound, float volume, float pan, float pitch) {
  Audio* audio = game_.audio();
  int sample = game_.assets().sound(sound);
  if (!audio || sample < 0) return 0;
  return int32_t(audio->play(sample, volume, pan, pitch, false));
}

void Api::stop_sound(int32_t voice) {
  if (Audio* audio = game_.audio()) audio->stop(uint32_t(voice));
}

void Api::play_music(int32_t sound, float volume) {
  Audio* audio = game_.audio();
  int sample = game_.assets().sound(sound);
  if (audio && sample >= 0) audio->play_music(sample, volume);
}

void Api::stop_music() {
  if (Audio* audio = game_.audio()) audio->stop_music();
}

int32_t Api::play_tone(int32_t wave, float freq, float duration, float volume) {
  Audio* audio = game_.audio();
  if (wave < 0 || wave > int32_t(Wave::Saw))
    bad_argument("play_tone", "wave", wave, "is not a WAVE_* constant");
  return audio ? int32_t(audio->tone(Wave(wave), freq, duration, volume)) : 0;
}

void Api::stop_all_sounds() {
  if (Audio* audio = game_.audio()) audio->stop_all();
}

}  // namespace glint::host
