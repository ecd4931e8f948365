// A whole game's state (glint_host/game_state.h): captured, checked, restored, and as files.
#include <xxhash.h>

#include <bit>

#include "api.h"
#include "glint_host/game.h"

namespace glint::host {

namespace {

glint::Error state_error(std::string message) {
  return glint::Error{glint::ErrorKind::Snapshot, std::move(message)};
}

void write_f32(glint::ByteWriter& w, float f) { w.u32(std::bit_cast<uint32_t>(f)); }
float read_f32(glint::ByteReader& r, const char* what) { return std::bit_cast<float>(r.u32(what)); }

void write_buttons(glint::ByteWriter& w, const Buttons& b) {
  w.u8(b.down);
  w.u8(b.pressed);
  w.u8(b.released);
}
void read_buttons(glint::ByteReader& r, Buttons& b) {
  b.down = r.u8("button") & 1;
  b.pressed = r.u8("button") & 1;
  b.released = r.u8("button") & 1;
}

void write_camera(glint::ByteWriter& w, const Camera& c) {
  for (float f : {c.origin.x, c.origin.y, c.target.x, c.target.y, c.zoom, c.cos, c.sin})
    write_f32(w, f);
}
void read_camera(glint::ByteReader& r, Camera& c) {
  for (float* f : {&c.origin.x, &c.origin.y, &c.target.x, &c.target.y, &c.zoom, &c.cos, &c.sin})
    *f = read_f32(r, "camera");
}

void write_audio(glint::ByteWriter& w, const Audio::State& a) {
  w.u32(a.music);
  w.u32(a.mixer.next_handle);
  w.u64(a.mixer.frames_mixed);
  for (const Mixer::Voice& v : a.mixer.voices) {
    w.u32(v.handle);
    w.u32(uint32_t(v.sample));
    w.f64(v.pos);
    w.f64(v.step);
    write_f32(w, v.left);
    write_f32(w, v.right);
    w.u8(v.loop);
    w.u8(uint8_t(v.wave));
    w.u64(v.remaining);
    w.u64(v.total);
    w.u32(v.noise);
    write_f32(w, v.noise_value);
  }
}
void read_audio(glint::ByteReader& r, Audio::State& a) {
  a.music = r.u32("music voice");
  a.mixer.next_handle = r.u32("next voice handle");
  a.mixer.frames_mixed = r.u64("frames mixed");
  for (Mixer::Voice& v : a.mixer.voices) {
    v.handle = r.u32("voice");
    v.sample = int(r.u32("voice"));
    v.pos = r.f64("voice");
    v.step = r.f64("voice");
    v.left = read_f32(r, "voice");
    v.right = read_f32(r, "voice");
    v.loop = r.u8("voice") & 1;
    v.wave = Wave(r.u8("voice") % 5);
    v.remaining = r.u64("voice");
    v.total = r.u64("voice");
    v.noise = r.u32("voice");
    v.noise_value = read_f32(r, "voice");
  }
}

void write_module(glint::ByteWriter& w, const ModuleState& m, bool instances) {
  w.str(m.name);
  w.u64(m.module_hash);
  w.str(m.error);
  w.u64(m.rng);
  w.u32(uint32_t(m.last_message_size));
  w.str(m.last_sender);
  write_camera(w, m.mouse_camera);
  w.u8(m.has_fuel);
  w.u64(m.fuel);
  w.u64(m.inbox.size());
  for (const Message& msg : m.inbox) {
    w.u32(uint32_t(msg.kind));
    w.str(msg.sender);
    w.bytes(msg.data);
  }
  w.u8(m.has_instance);
  if (instances && m.has_instance) glint::write_instance_state(w, m.instance);
}

bool read_module(glint::ByteReader& r, ModuleState& m, bool instances) {
  m.name = r.str("module name");
  m.module_hash = r.u64("module hash");
  m.error = r.str("module error");
  m.rng = r.u64("random stream");
  m.last_message_size = int32_t(r.u32("message size"));
  m.last_sender = r.str("message sender");
  read_camera(r, m.mouse_camera);
  m.has_fuel = r.u8("fuel flag") & 1;
  m.fuel = r.u64("fuel");
  m.inbox.resize(r.count("messages", 16));
  for (Message& msg : m.inbox) {
    msg.kind = int32_t(r.u32("message kind"));
    msg.sender = r.str("message sender");
    auto data = r.bytes("message data");
    msg.data.assign(data.begin(), data.end());
  }
  m.has_instance = r.u8("instance flag") & 1;
  if (instances && m.has_instance) return glint::read_instance_state(r, m.instance);
  return r.ok();
}

}  // namespace

void write_input(glint::ByteWriter& w, const InputState& s) {
  for (const Buttons& b : s.keys) write_buttons(w, b);
  for (const Buttons& b : s.mouse) write_buttons(w, b);
  write_f32(w, s.mouse_x);
  write_f32(w, s.mouse_y);
  write_f32(w, s.wheel);
  for (const InputState::Pad& p : s.pads) {
    w.u8(p.connected);
    for (const Buttons& b : p.buttons) write_buttons(w, b);
    for (float a : p.axes) write_f32(w, a);
  }
}

bool read_input(glint::ByteReader& r, InputState& s) {
  for (Buttons& b : s.keys) read_buttons(r, b);
  for (Buttons& b : s.mouse) read_buttons(r, b);
  s.mouse_x = read_f32(r, "mouse");
  s.mouse_y = read_f32(r, "mouse");
  s.wheel = read_f32(r, "wheel");
  for (InputState::Pad& p : s.pads) {
    p.connected = r.u8("gamepad") & 1;
    for (Buttons& b : p.buttons) read_buttons(r, b);
    for (float& a : p.axes) a = read_f32(r, "gamepad axis");
  }
  return r.ok();
}

void write_game_state(glint::ByteWriter& w, const GameState& s, bool instances) {
  w.u64(s.frame);
  w.u64(s.shared.size());
  for (const auto& [key, value] : s.shared) {
    w.str(key);
    w.f64(value);
  }
  w.u64(s.save.size());
  for (const auto& [name, bytes] : s.save) {
    w.str(name);
    w.bytes(bytes);
  }
  write_input(w, s.live_input);
  write_input(w, s.step_input);
  w.u8(s.has_audio);
  if (s.has_audio) write_audio(w, s.audio);
  w.u64(s.modules.size());
  for (const ModuleState& m : s.modules) write_module(w, m, instances);
}

bool read_game_state(glint::ByteReader& r, GameState& s, bool instances) {
  s.frame = r.u64("frame");
  for (uint64_t n = r.count("shared values", 12); n > 0 && r.ok(); n--) {
    std::string key = r.str("shared key");
    s.shared[key] = r.f64("shared value");
  }
  for (uint64_t n = r.count("save sections", 12); n > 0 && r.ok(); n--) {
    std::string name = r.str("save section name");
    auto bytes = r.bytes("save section");
    s.save[name].assign(bytes.begin(), bytes.end());
  }
  read_input(r, s.live_input);
  read_input(r, s.step_input);
  s.has_audio = r.u8("audio flag") & 1;
  if (s.has_audio) read_audio(r, s.audio);
  s.modules.resize(r.count("modules", 32));
  for (ModuleState& m : s.modules)
    if (!read_module(r, m, instances)) return false;
  return r.ok();
}

uint64_t modules_hash(const GameState& s) {
  glint::ByteWriter w;
  for (const ModuleState& m : s.modules) {
    w.str(m.name);
    w.u64(m.module_hash);
  }
  return XXH3_64bits(w.out.data(), w.out.size());
}

// ---- Game ---------------------------------------------------------------------------------------

glint::Result<GameState> Game::capture_state(bool instances) {
  GameState s;
  s.frame = frame_;
  s.shared = shared_;
  s.save = save_.sections();
  s.live_input = input_.live();
  s.step_input = input_.state();
  if (audio_) {
    s.has_audio = true;
    s.audio = audio_->state();
  }
  for (const auto& m : modules_) {
    ModuleState& ms = s.modules.emplace_back();
    ms.name = m->name;
    ms.module_hash = m->module ? m->module->content_hash() : 0;
    ms.error = m->error;
    ms.inbox = m->inbox;
    if (m->api) {
      ApiState a = m->api->state();
      ms.rng = a.rng;
      ms.last_message_size = a.last_message_size;
      ms.last_sender = a.last_sender;
      ms.mouse_camera = a.mouse_camera;
    }
    if (auto fuel = m->store ? m->store->fuel() : std::nullopt) {
      ms.has_fuel = true;
      ms.fuel = *fuel;
    }
    ms.has_instance = m->instance != nullptr;
    if (instances && m->instance)
      if (auto r = glint::capture(*m->instance, ms.instance); !r)
        return glint::Error{r.error().kind, "module '" + m->name + "': " + r.error().message};
  }
  return s;
}

glint::Result<void> Game::check_state(const GameState& s, bool instances) const {
  auto names = [](auto&& list) {
    std::string out;
    for (const auto& m : list) out += (out.empty() ? "" : ", ") + m->name;
    return out.empty() ? std::string("none") : out;
  };
  std::vector<const ModuleState*> theirs;
  for (const ModuleState& m : s.modules) theirs.push_back(&m);
  if (theirs.size() != modules_.size() || names(theirs) != names(modules_))
    return state_error("the snapshot is of a game with the modules " + names(theirs) +
                       "; this game has " + names(modules_));
  for (size_t i = 0; i < modules_.size(); i++) {
    const GuestModule& m = *modules_[i];
    const ModuleState& ms = s.modules[i];
    uint64_t hash = m.module ? m.module->content_hash() : 0;
    if (instances && ms.module_hash != hash) {
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "module '%s' is another build (module hash %016llx in the snapshot, "
                    "%016llx loaded)",
                    m.name.c_str(), (unsigned long long)ms.module_hash, (unsigned long long)hash);
      return state_error(buf);
    }
    if (ms.has_instance && !m.instance)
      return state_error("module '" + m.name + "' has no instance to restore into (" + m.error +
                         ")");
    if (instances && ms.has_instance)
      if (auto r = glint::check_restore(*m.instance, ms.instance); !r)
        return state_error("module '" + m.name + "': " + r.error().message);
  }
  return {};
}

glint::Result<void> Game::restore_state(const GameState& s, bool instances) {
  if (auto r = check_state(s, instances); !r) return r;
  frame_ = s.frame;
  shared_ = s.shared;
  save_.set_sections(s.save);
  input_.set(s.live_input, s.step_input);
  if (audio_ && s.has_audio) audio_->set_state(s.audio);
  for (size_t i = 0; i < modules_.size(); i++) {
    GuestModule& m = *modules_[i];
    const ModuleState& ms = s.modules[i];
    m.error = ms.error;
    m.inbox = ms.inbox;
    if (m.api) m.api->set_state({ms.rng, ms.last_message_size, ms.last_sender, ms.mouse_camera});
    if (m.store && ms.has_fuel) m.store->set_fuel(ms.fuel);
    if (instances && ms.has_instance)
      if (auto r = glint::restore(*m.instance, ms.instance); !r)  // checked: cannot fail
        return glint::Error{r.error().kind, "module '" + m.name + "': " + r.error().message};
  }
  return {};
}

glint::Result<std::vector<uint8_t>> Game::save_snapshot() {
  auto s = capture_state(true);
  if (!s) return s.error();
  glint::ByteWriter w;
  write_game_state(w, *s, true);
  glint::PackedFile f{glint::FileKind::GameSnapshot, glint::kSnapshotFormatVersion,
                      modules_hash(*s), std::move(w.out)};
  return glint::pack_file(f);
}

glint::Result<void> Game::load_snapshot(std::span<const uint8_t> file) {
  auto f = glint::unpack_file(file);
  if (!f) return f.error();
  if (f->kind != glint::FileKind::GameSnapshot)
    return state_error(std::string("this is a ") + glint::to_string(f->kind) +
                       " file, not a game snapshot");
  GameState s;
  glint::ByteReader r(f->content);
  if (!read_game_state(r, s, true) || !r.done())
    return state_error(
        "malformed content: " +
        (r.ok() ? "unexpected bytes at byte " + std::to_string(r.offset()) : r.error()));
  return restore_state(s, true);
}

}  // namespace glint::host
