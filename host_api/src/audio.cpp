// The mixer and the SDL audio device.
#include "glint_host/audio.h"

#include <algorithm>
#include <cmath>

namespace glint::host {

namespace {
constexpr float kToneGain = 0.3f;       // tones are loud; keep headroom for mixing
constexpr float kEdgeSeconds = 0.005f;  // fade in/out of tones, so they do not click

void pan_gains(float volume, float pan, float& left, float& right) {
  volume = std::clamp(volume, 0.0f, 1.0f);
  pan = std::clamp(pan, -1.0f, 1.0f);
  left = volume * std::min(1.0f, 1.0f - pan);
  right = volume * std::min(1.0f, 1.0f + pan);
}
}  // namespace

// ---- mixer --------------------------------------------------------------------------------------

int Mixer::add_sample(std::vector<float> stereo) {
  samples_.push_back(std::move(stereo));
  return int(samples_.size()) - 1;
}

uint32_t Mixer::start(Voice v) {
  for (Voice& slot : voices_) {
    if (slot.handle) continue;
    v.handle = next_handle_++;
    if (next_handle_ == 0) next_handle_ = 1;
    slot = v;
    return v.handle;
  }
  return 0;  // all voices busy
}

uint32_t Mixer::play(int sample, float volume, float pan, float pitch, bool loop) {
  if (sample < 0 || sample >= int(samples_.size()) || samples_[sample].empty()) return 0;
  Voice v;
  v.sample = sample;
  v.step = std::clamp(double(pitch), 0.01, 16.0);
  v.loop = loop;
  pan_gains(volume, pan, v.left, v.right);
  return start(v);
}

uint32_t Mixer::tone(Wave wave, float freq, float seconds, float volume) {
  if (!(freq > 0) || !(seconds > 0)) return 0;
  Voice v;
  v.wave = wave;
  v.step = double(std::min(freq, float(rate_) / 2)) / rate_;
  v.total = v.remaining = std::max<uint64_t>(1, uint64_t(std::min(seconds, 60.0f) * float(rate_)));
  pan_gains(volume * kToneGain, 0, v.left, v.right);
  return start(v);
}

void Mixer::stop(uint32_t handle) {
  for (Voice& v : voices_)
    if (handle && v.handle == handle) v = Voice{};
}

void Mixer::stop_all() { voices_.fill(Voice{}); }

void Mixer::set_state(const State& s) {
  voices_ = s.voices;
  for (Voice& v : voices_)
    if (v.sample >= int(samples_.size())) v = Voice{};
  next_handle_ = s.next_handle ? s.next_handle : 1;
  frames_mixed_ = s.frames_mixed;
}

int Mixer::active_voices() const {
  return int(
      std::count_if(voices_.begin(), voices_.end(), [](const Voice& v) { return v.handle; }));
}

float Mixer::next_tone_value(Voice& v) {
  float p = float(v.pos), value = 0;
  switch (v.wave) {
    case Wave::Square:
      value = p < 0.5f ? 1.0f : -1.0f;
      break;
    case Wave::Triangle:
      value = 4.0f * std::fabs(p - 0.5f) - 1.0f;
      break;
    case Wave::Sine:
      value = std::sin(6.2831853f * p);
      break;
    case Wave::Saw:
      value = 2.0f * p - 1.0f;
      break;
    case Wave::Noise:
      value = v.noise_value;
      break;
  }
  v.pos += v.step;
  if (v.pos >= 1.0) {
    v.pos -= 1.0;
    // Noise holds a new random level each period, so `freq` colors it.
    v.noise ^= v.noise << 13;
    v.noise ^= v.noise >> 17;
    v.noise ^= v.noise << 5;
    v.noise_value = float(v.noise & 0xFFFF) / 32767.5f - 1.0f;
  }
  // Short linear fades at both ends.
  uint64_t edge = std::max<uint64_t>(1, uint64_t(kEdgeSeconds * float(rate_)));
  uint64_t done = v.total - v.remaining;
  float env = std::min({1.0f, float(done) / float(edge), float(v.remaining) / float(edge)});
  --v.remaining;
  return value * env;
}

void Mixer::mix(float* out, int frames) {
  std::fill(out, out + size_t(frames) * 2, 0.0f);
  for (Voice& v : voices_) {
    if (!v.handle) continue;
    for (int i = 0; i < frames && v.handle; ++i) {
      float l, r;
      if (v.sample < 0) {
        float s = next_tone_value(v);
        l = s;
        r = s;
        if (v.remaining == 0) v = Voice{};
      } else {
        const std::vector<float>& data = samples_[v.sample];
        size_t n = data.size() / 2;
        size_t i0 = size_t(v.pos), i1 = i0 + 1 < n ? i0 + 1 : (v.loop ? 0 : i0);
        float t = float(v.pos - double(i0));
        l = data[2 * i0] + (data[2 * i1] - data[2 * i0]) * t;
        r = data[2 * i0 + 1] + (data[2 * i1 + 1] - data[2 * i0 + 1]) * t;
        v.pos += v.step;
        if (v.pos >= double(n)) {
          if (v.loop)
            v.pos = std::fmod(v.pos, double(n));
          else
            v = Voice{};
        }
      }
      out[2 * i] += l * v.left;
      out[2 * i + 1] += r * v.right;
    }
  }
  for (int i = 0; i < frames * 2; ++i) out[i] = std::clamp(out[i], -1.0f, 1.0f);
  frames_mixed_ += uint64_t(frames);
}

// ---- device -------------------------------------------------------------------------------------

// Holds the device lock while the main thread changes the mixer.
struct Audio::Lock {
  explicit Lock(SDL_AudioDeviceID d) : device(d) {
    if (device) SDL_LockAudioDevice(device);
  }
  ~Lock() {
    if (device) SDL_UnlockAudioDevice(device);
  }
  SDL_AudioDeviceID device;
};

Audio::Audio() : mixer_(48000) {}

Audio::~Audio() { close(); }

void Audio::close() {
  if (device_) SDL_CloseAudioDevice(device_);
  device_ = 0;
}

bool Audio::open(std::string& error) {
  if (!SDL_WasInit(SDL_INIT_AUDIO) && SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    error = SDL_GetError();
    return false;
  }
  SDL_AudioSpec want{}, have{};
  want.freq = mixer_.sample_rate();
  want.format = AUDIO_F32SYS;
  want.channels = 2;
  want.samples = 1024;
  want.callback = &Audio::callback;
  want.userdata = this;
  // No "allow changes": SDL converts from our fixed format to whatever the device wants.
  device_ = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
  if (!device_) {
    error = SDL_GetError();
    return false;
  }
  SDL_PauseAudioDevice(device_, 0);
  return true;
}

void Audio::callback(void* self, Uint8* stream, int len) {
  auto* audio = static_cast<Audio*>(self);
  audio->mixer_.mix(reinterpret_cast<float*>(stream), len / int(2 * sizeof(float)));
}

int Audio::load_wav(const std::string& path, std::string& error) {
  SDL_AudioSpec spec;
  Uint8* buf = nullptr;
  Uint32 len = 0;
  if (!SDL_LoadWAV(path.c_str(), &spec, &buf, &len)) {
    error = SDL_GetError();
    return -1;
  }
  SDL_AudioCVT cvt;
  if (SDL_BuildAudioCVT(&cvt, spec.format, spec.channels, spec.freq, AUDIO_F32SYS, 2,
                        mixer_.sample_rate()) < 0) {
    error = SDL_GetError();
    SDL_FreeWAV(buf);
    return -1;
  }
  std::vector<Uint8> data(size_t(len) * size_t(std::max(1, cvt.len_mult)));
  std::copy(buf, buf + len, data.begin());
  SDL_FreeWAV(buf);
  cvt.buf = data.data();
  cvt.len = int(len);
  if (cvt.needed && SDL_ConvertAudio(&cvt) != 0) {
    error = SDL_GetError();
    return -1;
  }
  size_t bytes = cvt.needed ? size_t(cvt.len_cvt) : size_t(len);
  std::vector<float> stereo(bytes / sizeof(float));
  std::copy_n(data.data(), stereo.size() * sizeof(float), reinterpret_cast<Uint8*>(stereo.data()));
  Lock lock(device_);
  return mixer_.add_sample(std::move(stereo));
}

uint32_t Audio::play(int sample, float volume, float pan, float pitch, bool loop) {
  Lock lock(device_);
  return mixer_.play(sample, volume, pan, pitch, loop);
}

uint32_t Audio::tone(Wave wave, float freq, float seconds, float volume) {
  Lock lock(device_);
  return mixer_.tone(wave, freq, seconds, volume);
}

void Audio::stop(uint32_t handle) {
  Lock lock(device_);
  mixer_.stop(handle);
}

void Audio::set_paused(bool paused) {
  if (device_) SDL_PauseAudioDevice(device_, paused ? 1 : 0);
}

void Audio::stop_all() {
  Lock lock(device_);
  mixer_.stop_all();
  music_ = 0;
}

void Audio::play_music(int sample, float volume) {
  Lock lock(device_);
  mixer_.stop(music_);
  music_ = mixer_.play(sample, volume, 0, 1, true);
}

void Audio::stop_music() {
  Lock lock(device_);
  mixer_.stop(music_);
  music_ = 0;
}

Audio::State Audio::state() {
  Lock lock(device_);
  return {mixer_.state(), music_};
}

void Audio::set_state(const State& s) {
  Lock lock(device_);
  mixer_.set_state(s.mixer);
  music_ = s.music;
}

uint64_t Audio::frames_mixed() {
  Lock lock(device_);
  return mixer_.frames_mixed();
}

}  // namespace glint::host
