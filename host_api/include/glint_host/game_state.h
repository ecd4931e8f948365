// The state of a whole game at a frame boundary: what snapshots, the rewind timeline, replays
// and hot reload save and put back. Everything gameplay can see: each module's instance
// (memories, globals, tables) and the host's side of it (its random stream, message queue and
// cursor, mouse camera, fuel, whether it is stopped), and the game's (frame counter, which is
// also the game time, input, shared values, save slot, audio voices and music position).
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "glint/snapshot.h"
#include "glint_host/audio.h"
#include "glint_host/input.h"
#include "glint_host/renderer.h"

namespace glint::host {

struct Message {
  int32_t kind = 0;
  std::string sender;
  std::vector<uint8_t> data;
};

struct ModuleState {
  std::string name;
  uint64_t module_hash = 0;  // glint::Module::content_hash of the build it ran
  std::string error;         // non-empty: stopped
  // The module's host API state (api.h's ApiState).
  uint64_t rng = 0;
  int32_t last_message_size = 0;
  std::string last_sender;
  Camera mouse_camera;
  bool has_fuel = false;
  uint64_t fuel = 0;
  std::deque<Message> inbox;
  bool has_instance = false;  // false: it never instantiated
  glint::Snapshot instance;   // when taken with instances
};

struct GameState {
  uint64_t frame = 0;
  std::map<std::string, double, std::less<>> shared;
  std::map<std::string, std::vector<uint8_t>> save;
  InputState live_input, step_input;
  bool has_audio = false;
  Audio::State audio;
  std::vector<ModuleState> modules;
};

// As part of a file's content. `instances`: with each module's instance snapshot.
void write_game_state(glint::ByteWriter& w, const GameState& s, bool instances);
bool read_game_state(glint::ByteReader& r, GameState& s, bool instances);
// Input states as replays store them: a fixed-size block per state.
void write_input(glint::ByteWriter& w, const InputState& s);
bool read_input(glint::ByteReader& r, InputState& s);
// The hash a game file's header carries: of the modules' names and content hashes, in order.
uint64_t modules_hash(const GameState& s);

}  // namespace glint::host
