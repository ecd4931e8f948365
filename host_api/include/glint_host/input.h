// Input state for the guests: events (real or scripted) change the live state as they come;
// once per update step `begin_step` freezes a snapshot that the key_*/mouse_*/gamepad_* host
// functions read. `pressed`/`released` are latched, so a tap shorter than a step still counts.
#pragma once
#include <SDL2/SDL.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "glint/error.h"

namespace glint::host {

constexpr int kMaxKeys = 512, kMaxMouseButtons = 8, kMaxPads = 4, kMaxPadButtons = 32,
              kMaxPadAxes = 6;

struct Buttons {
  uint8_t down = 0, pressed = 0, released = 0;
  void set(bool is_down) {
    if (is_down && !down) pressed = 1;
    if (!is_down && down) released = 1;
    down = is_down;
  }
};

struct InputState {
  std::array<Buttons, kMaxKeys> keys{};
  std::array<Buttons, kMaxMouseButtons> mouse{};
  float mouse_x = 0, mouse_y = 0, wheel = 0;
  struct Pad {
    bool connected = false;
    std::array<Buttons, kMaxPadButtons> buttons{};
    std::array<float, kMaxPadAxes> axes{};
  };
  std::array<Pad, kMaxPads> pads{};
};

class Input {
 public:
  ~Input();
  void key(int scancode, bool down);
  void mouse_button(int button, bool down);
  void mouse_move(float x, float y);
  void mouse_wheel(float dy);
  // Applies one SDL event (keyboard, mouse, controller); returns true if it was input.
  bool handle_event(const SDL_Event& e);
  // Freezes the snapshot for the next update step and clears the latches.
  void begin_step();
  const InputState& state() const { return snapshot_; }
  void reset();
  // For snapshots and replays: the live state (events so far) and the frozen step snapshot.
  const InputState& live() const { return live_; }
  void set(const InputState& live, const InputState& step) {
    live_ = live;
    snapshot_ = step;
  }

 private:
  void read_pads();
  InputState live_, snapshot_;
  std::array<SDL_GameController*, kMaxPads> controllers_{};
};

// Scripted input for headless runs: one event per line, `FRAME NAME down|up`, where NAME is an
// SDL key name (`Left`, `Space`, `A`) or MouseLeft/MouseMiddle/MouseRight; also
// `FRAME MouseMove X Y` and `FRAME Wheel DY`. `#` starts a comment.
struct ScriptEvent {
  uint64_t frame = 0;
  enum Kind { Key, MouseButton, MouseMove, Wheel } kind = Key;
  int code = 0;  // scancode or mouse button
  bool down = false;
  float x = 0, y = 0;
};
class InputScript {
 public:
  static Result<InputScript> load(const std::string& path);
  static Result<InputScript> parse(const std::string& text, const std::string& origin);
  // Applies the events of `frame` (they are sorted by frame, file order kept).
  void apply(uint64_t frame, Input& input);
  // The next apply() starts at the events of `frame`, before or after where it was (a run that
  // starts from a snapshot, or goes back on the rewind timeline).
  void skip_to(uint64_t frame);
  size_t size() const { return events_.size(); }

 private:
  std::vector<ScriptEvent> events_;
  size_t next_ = 0;
};

}  // namespace glint::host
