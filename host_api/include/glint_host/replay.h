// Recording a run, and checking a replay of it: glint-demo --record / --replay, and the
// editor's "save range as replay".
//
//   Recorder rec(game);                 // between frames: the run starts here
//   ... each step: game.update(); rec.step(); ... after a draw: rec.drawn();
//   glint::write_file("run.glrp", encode_replay(rec.replay()));
//
//   auto check = check_replay(game, recorded, replay);   // game: the builds to check
//   // check->identical, or check->frame and what differs
//
// A replay holds where the run started (the whole GameState, instances included), each
// module's binary as it ran, and for each update step the input the modules saw, whether the
// game drew after it, and the state hashes after it (the game's, and each module's).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "glint/error.h"
#include "glint_host/game.h"

namespace glint::host {

struct Replay {
  float dt = 1.0f / 60.0f;
  uint64_t fuel = 0;
  GameState start;  // with instances
  struct Build {
    std::string name;            // the module's name
    std::vector<uint8_t> bytes;  // its binary
  };
  std::vector<Build> builds;
  struct Step {
    InputState input;  // what key_down() and the like returned during the step
    bool drawn = false;
    uint64_t hash = 0;                    // Game::state_hash() after it
    std::vector<uint64_t> module_hashes;  // Game::module_state_hash() of each module
  };
  std::vector<Step> steps;  // step i leads from frame start.frame + i to the next
};

// A replay file (glint/snapshot.h's format, kind Replay), and back (refusing bad files).
std::vector<uint8_t> encode_replay(const Replay& replay);
glint::Result<Replay> decode_replay(std::span<const uint8_t> bytes);

class Recorder {
 public:
  // Starts recording `game` from where it is (between frames). Fails if the state cannot be
  // captured (see Game::capture_state).
  static glint::Result<Recorder> start(Game& game);
  void step();   // after each Game::update
  void drawn();  // after a Game::draw, which followed the last step
  const Replay& replay() const { return replay_; }

 private:
  explicit Recorder(Game& game) : game_(&game) {}
  Game* game_;
  Replay replay_;
};

// The outcome of a replay check.
struct ReplayCheck {
  uint64_t steps = 0;  // steps replayed
  bool identical = true;
  uint64_t frame = 0;  // else: the first frame whose state hash differs...
  uint64_t recorded_hash = 0, hash = 0;
  std::vector<std::string> modules;  // ...the modules whose hash differs there...
  std::vector<std::string> ranges;   // ...and the memory that differs, named where it can be
  std::string note;                  // why ranges is empty, if it is
};

// Replays `replay` in `game` and compares the state hash after every step with the recorded
// one. `game` holds the builds to check (other code, or the same on another machine); its
// state is set to the recording's start first. `recorded`, if given, is a game of the
// recording's own builds (make_recorded_game): it runs along, and at the first difference the
// two games' memories are compared, giving the ranges that differ, named by the modules' DWARF
// where they have it.
glint::Result<ReplayCheck> check_replay(Game& game, Game* recorded, const Replay& replay);
// Adds the recording's builds to `game` (an empty game with its own renderer and input).
void add_recorded_builds(Game& game, const Replay& replay);
// A printable report: "replay: N frames identical" or the frame and what differs.
std::string to_string(const ReplayCheck& check);

}  // namespace glint::host
