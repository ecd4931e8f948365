// The rewind timeline: the whole game at every frame of the last seconds (memory-bounded), with
// the input of each step. The editor's timeline scrubs it (seek), resumes play from any frame
// (record() after a seek branches there), saves a range as a replay, and re-runs its last
// frames with new code (retroactive reload).
//
//   Timeline timeline(game);                // records from the current frame
//   ... each step: input.begin_step(); game.update(); timeline.record();
//   timeline.seek(game.frame() - 120);     // two seconds back: the game shows that frame
//   ... play on: the next record() drops the frames after it
//
// Each module's instance is kept by a glint::SnapshotRing (only the memory pages a frame wrote
// are copied), the host state as a GameState per frame.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "glint/snapshot.h"
#include "glint_host/game.h"
#include "glint_host/replay.h"

namespace glint::host {

struct TimelineConfig {
  size_t max_frames = 600;               // 10 s at 60 steps per second
  size_t max_bytes = size_t(512) << 20;  // all modules' pages, host state and input together
  bool kernel_tracking = true;           // glint::RingConfig::kernel_tracking
};

class Timeline {
 public:
  // Starts with the game's current frame.
  explicit Timeline(Game& game, TimelineConfig config = {});
  ~Timeline();

  // After each Game::update: keeps the frame it reached, with the step's input; `drawn` if a
  // draw follows (replays draw where the recording did). After a seek, the frames after the
  // one sought are dropped first: play went on from there.
  glint::Result<void> record(bool drawn = false);
  // The game's state (every module and the host state) as it was at a held frame.
  glint::Result<void> seek(uint64_t frame);
  // Held frames as a replay: the state at `from`, the steps to `to` (the editor's "save range").
  glint::Result<Replay> replay(uint64_t from, uint64_t to) const;
  // The same written to `path` as a replay file (encode_replay), which glint-demo --replay
  // checks: the editor's "save range" and glint-demo --record-range. Returns its size in bytes.
  glint::Result<size_t> save_replay(uint64_t from, uint64_t to, const std::string& path) const;
  // Retroactive reload: back to `frames` frames ago (as far as held), the new build swapped in
  // there, and the recorded steps run again with it, so the last frames happen with the new
  // code. Ends at the frame it started from. The timeline then holds the re-run frames.
  ReloadResult reload_back(GuestModule& m, std::shared_ptr<const glint::Module> fresh,
                           uint64_t frames);

  std::optional<uint64_t> first() const;
  std::optional<uint64_t> last() const;
  uint64_t current() const { return current_; }  // the frame the game is at
  size_t frames() const { return records_.size(); }
  size_t bytes_used() const;
  const TimelineConfig& config() const { return config_; }
  void set_config(TimelineConfig config);  // drops the oldest frames that no longer fit
  const char* tracking() const;            // how written pages are found
  // The CPU time record() took (of its thread, as script times: on a busy machine wall clock
  // counts the time other processes ran), over the frames recorded since the start (the
  // editor and glint-demo --rewind show it).
  double mean_record_ms() const { return records_made_ ? record_ms_ / double(records_made_) : 0; }
  double max_record_ms() const { return max_record_ms_; }
  // Memory pages a record copied, on average (all modules): the pages a frame wrote, as the
  // write tracking saw them.
  double mean_record_pages() const {
    return records_made_ ? double(pages_recorded_) / double(records_made_) : 0;
  }
  // Starts over at the current frame (modules were restarted or replaced outside reload_back).
  void reset();

 private:
  struct Record {
    uint64_t frame = 0;
    std::vector<uint8_t> host;  // GameState without instances
    Replay::Step step;          // the step that led to this frame (none for the first)
  };
  glint::Result<void> record_frame(bool drawn);
  const Record* find(uint64_t frame) const;
  glint::Error not_held(const std::string& what) const;  // "WHAT not in the timeline (...)"
  bool instances_changed() const;
  void fit();

  Game& game_;
  TimelineConfig config_;
  std::vector<std::unique_ptr<glint::SnapshotRing>> rings_;  // per module; null: no instance
  std::vector<uint64_t> instances_;  // each module's instance_generation when its ring began
  std::deque<Record> records_;
  size_t host_bytes_ = 0;
  uint64_t current_ = 0;
  double record_ms_ = 0, max_record_ms_ = 0;
  uint64_t records_made_ = 0, pages_recorded_ = 0;
};

}  // namespace glint::host
