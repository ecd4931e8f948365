// Live input state, per-step snapshots, gamepads, and scripted input.
#include "glint_host/input.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace glint::host {

Input::~Input() {
  for (SDL_GameController* c : controllers_)
    if (c) SDL_GameControllerClose(c);
}

void Input::key(int scancode, bool down) {
  if (scancode >= 0 && scancode < kMaxKeys) live_.keys[scancode].set(down);
}

void Input::mouse_button(int button, bool down) {
  if (button >= 0 && button < kMaxMouseButtons) live_.mouse[button].set(down);
}

void Input::mouse_move(float x, float y) {
  live_.mouse_x = x;
  live_.mouse_y = y;
}

void Input::mouse_wheel(float dy) { live_.wheel += dy; }

bool Input::handle_event(const SDL_Event& e) {
  switch (e.type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP:
      if (!e.key.repeat) key(e.key.keysym.scancode, e.type == SDL_KEYDOWN);
      return true;
    case SDL_MOUSEMOTION:
      mouse_move(float(e.motion.x), float(e.motion.y));
      return true;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      mouse_move(float(e.button.x), float(e.button.y));
      mouse_button(e.button.button, e.type == SDL_MOUSEBUTTONDOWN);
      return true;
    case SDL_MOUSEWHEEL:
      mouse_wheel(e.wheel.preciseY);
      return true;
    case SDL_CONTROLLERDEVICEADDED:
      for (auto& c : controllers_) {
        if (!c) {
          c = SDL_GameControllerOpen(e.cdevice.which);
          break;
        }
      }
      return true;
    case SDL_CONTROLLERDEVICEREMOVED:
      for (auto& c : controllers_) {
        if (c && SDL_JoystickInstanceID(SDL_GameControllerGetJoystick(c)) == e.cdevice.which) {
          SDL_GameControllerClose(c);
          c = nullptr;
        }
      }
      return true;
    default:
      return false;
  }
}

void Input::read_pads() {
  for (int p = 0; p < kMaxPads; ++p) {
    auto& pad = live_.pads[p];
    SDL_GameController* c = controllers_[p];
    pad.connected = c != nullptr;
    if (!c) continue;
    for (int b = 0; b < SDL_CONTROLLER_BUTTON_MAX && b < kMaxPadButtons; ++b)
      pad.buttons[b].set(SDL_GameControllerGetButton(c, SDL_GameControllerButton(b)) != 0);
    for (int a = 0; a < kMaxPadAxes; ++a) {
      float v = SDL_GameControllerGetAxis(c, SDL_GameControllerAxis(a)) / 32767.0f;
      pad.axes[a] = std::clamp(v, -1.0f, 1.0f);
    }
  }
}

void Input::begin_step() {
  read_pads();
  snapshot_ = live_;
  for (auto& k : live_.keys) k.pressed = k.released = 0;
  for (auto& m : live_.mouse) m.pressed = m.released = 0;
  for (auto& p : live_.pads)
    for (auto& b : p.buttons) b.pressed = b.released = 0;
  live_.wheel = 0;
}

void Input::reset() {
  live_ = InputState{};
  snapshot_ = InputState{};
}

// ---- scripted input -----------------------------------------------------------------------------

Result<InputScript> InputScript::load(const std::string& path) {
  std::ifstream f(path);
  if (!f) return Error{ErrorKind::Io, "cannot open input script '" + path + "'"};
  std::stringstream ss;
  ss << f.rdbuf();
  return parse(ss.str(), path);
}

static int mouse_button_from_name(const std::string& name) {
  if (name == "MouseLeft") return SDL_BUTTON_LEFT;
  if (name == "MouseMiddle") return SDL_BUTTON_MIDDLE;
  if (name == "MouseRight") return SDL_BUTTON_RIGHT;
  return -1;
}

Result<InputScript> InputScript::parse(const std::string& text, const std::string& origin) {
  InputScript script;
  std::istringstream in(text);
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string frame_word, name, action;
    if (!(words >> frame_word)) continue;  // blank line
    auto fail = [&](const std::string& why) {
      return Error{ErrorKind::Usage, origin + ":" + std::to_string(line_no) + ": " + why};
    };
    ScriptEvent ev;
    try {
      size_t used = 0;
      ev.frame = std::stoull(frame_word, &used);
      if (used != frame_word.size()) throw std::invalid_argument("frame");
    } catch (const std::exception&) {
      return fail("expected a frame number, got '" + frame_word + "'");
    }
    if (!(words >> name)) return fail("expected a key name after the frame number");
    if (name == "MouseMove") {
      ev.kind = ScriptEvent::MouseMove;
      if (!(words >> ev.x >> ev.y)) return fail("MouseMove needs X and Y");
    } else if (name == "Wheel") {
      ev.kind = ScriptEvent::Wheel;
      if (!(words >> ev.y)) return fail("Wheel needs DY");
    } else {
      if (!(words >> action) || (action != "down" && action != "up"))
        return fail("expected 'down' or 'up' after '" + name + "'");
      ev.down = action == "down";
      if (int b = mouse_button_from_name(name); b >= 0) {
        ev.kind = ScriptEvent::MouseButton;
        ev.code = b;
      } else {
        ev.code = SDL_GetScancodeFromName(name.c_str());
        if (ev.code == SDL_SCANCODE_UNKNOWN) return fail("unknown key name '" + name + "'");
      }
    }
    std::string extra;
    if (words >> extra) return fail("unexpected '" + extra + "' at the end of the line");
    script.events_.push_back(ev);
  }
  std::stable_sort(script.events_.begin(), script.events_.end(),
                   [](const ScriptEvent& a, const ScriptEvent& b) { return a.frame < b.frame; });
  return script;
}

void InputScript::skip_to(uint64_t frame) {
  next_ = size_t(std::lower_bound(events_.begin(), events_.end(), frame,
                                  [](const ScriptEvent& e, uint64_t f) { return e.frame < f; }) -
                 events_.begin());
}

void InputScript::apply(uint64_t frame, Input& input) {
  while (next_ < events_.size() && events_[next_].frame <= frame) {
    const ScriptEvent& e = events_[next_++];
    switch (e.kind) {
      case ScriptEvent::Key:
        input.key(e.code, e.down);
        break;
      case ScriptEvent::MouseButton:
        input.mouse_button(e.code, e.down);
        break;
      case ScriptEvent::MouseMove:
        input.mouse_move(e.x, e.y);
        break;
      case ScriptEvent::Wheel:
        input.mouse_wheel(e.y);
        break;
    }
  }
}

}  // namespace glint::host
