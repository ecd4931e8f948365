// Audio: a small software mixer (samples with volume/pan/pitch, looping music, synthesized
// tones) and the SDL device that pulls from it. The Mixer is plain code with no device, so it
// can be tested directly; Audio locks the device around every change it makes to the mixer.
// With SDL's dummy audio driver the callback still runs: sound is mixed and discarded.
#pragma once
#include <SDL2/SDL.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace glint::host {

enum class Wave { Square = 0, Triangle = 1, Noise = 2, Sine = 3, Saw = 4 };

class Mixer {
 public:
  static constexpr int kVoices = 32;
  struct Voice {
    uint32_t handle = 0;       // 0 = free
    int sample = -1;           // -1 = a tone
    double pos = 0, step = 1;  // sample frames (or tone phase 0..1 and phase step)
    float left = 0, right = 0;
    bool loop = false;
    Wave wave = Wave::Square;
    uint64_t remaining = 0, total = 0;  // tone length in frames
    uint32_t noise = 1;                 // noise generator state
    float noise_value = 0;
  };
  // What is playing, for snapshots (samples are assets: not part of it).
  struct State {
    std::array<Voice, kVoices> voices{};
    uint32_t next_handle = 1;
    uint64_t frames_mixed = 0;
  };
  explicit Mixer(int sample_rate = 48000) : rate_(sample_rate) {}

  int sample_rate() const { return rate_; }
  // Adds a sample (interleaved stereo floats at the mixer's rate); returns its index.
  int add_sample(std::vector<float> stereo);
  // Returns a voice handle > 0, or 0 if nothing was started.
  uint32_t play(int sample, float volume, float pan, float pitch, bool loop);
  uint32_t tone(Wave wave, float freq, float seconds, float volume);
  void stop(uint32_t handle);
  void stop_all();
  int active_voices() const;
  // Writes `frames` stereo frames to `out` (overwriting it).
  void mix(float* out, int frames);
  uint64_t frames_mixed() const { return frames_mixed_; }
  State state() const { return {voices_, next_handle_, frames_mixed_}; }
  void set_state(const State& s);  // voices of unknown samples are dropped

 private:
  uint32_t start(Voice v);
  float next_tone_value(Voice& v);
  int rate_;
  std::vector<std::vector<float>> samples_;
  std::array<Voice, kVoices> voices_{};
  uint32_t next_handle_ = 1;
  uint64_t frames_mixed_ = 0;
};

class Audio {
 public:
  Audio();
  ~Audio();
  // Opens the default device (or none: then sounds are accepted and never mixed).
  bool open(std::string& error);
  bool is_open() const { return device_ != 0; }
  void close();  // stops the device (sounds are kept)
  // Silences the device and holds every voice where it is (a debugger's pause); false resumes.
  void set_paused(bool paused);
  // Loads a WAV and converts it to the mixer's format; returns the sample index or -1.
  int load_wav(const std::string& path, std::string& error);
  uint32_t play(int sample, float volume, float pan, float pitch, bool loop);
  uint32_t tone(Wave wave, float freq, float seconds, float volume);
  void stop(uint32_t handle);
  void stop_all();
  void play_music(int sample, float volume);
  void stop_music();
  uint64_t frames_mixed();
  struct State {
    Mixer::State mixer;
    uint32_t music = 0;  // the music's voice
  };
  State state();
  void set_state(const State& s);

 private:
  static void callback(void* self, Uint8* stream, int len);
  struct Lock;
  SDL_AudioDeviceID device_ = 0;
  Mixer mixer_;
  uint32_t music_ = 0;
};

}  // namespace glint::host
