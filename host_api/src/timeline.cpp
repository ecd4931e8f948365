// The rewind timeline (glint_host/timeline.h).
#include "glint_host/timeline.h"

#include <algorithm>

namespace glint::host {

namespace {

std::vector<uint8_t> host_bytes(const GameState& s) {
  glint::ByteWriter w;
  write_game_state(w, s, false);
  return std::move(w.out);
}

glint::Error timeline_error(std::string message) {
  return glint::Error{glint::ErrorKind::Usage, std::move(message)};
}

}  // namespace

Timeline::Timeline(Game& game, TimelineConfig config) : game_(game), config_(config) { reset(); }

Timeline::~Timeline() = default;

void Timeline::reset() {
  rings_.clear();
  instances_.clear();
  records_.clear();
  host_bytes_ = 0;
  glint::RingConfig rc;
  rc.max_frames = SIZE_MAX;  // the timeline drops frames from every ring at once (fit)
  rc.max_bytes = SIZE_MAX;
  rc.kernel_tracking = config_.kernel_tracking;
  for (const auto& m : game_.modules()) {
    instances_.push_back(m->instance_generation);
    rings_.push_back(m->instance ? std::make_unique<glint::SnapshotRing>(*m->instance, rc)
                                 : nullptr);
  }
  current_ = game_.frame() - 1;  // record_frame() keeps the current frame as the first
  (void)record_frame(false);
}

bool Timeline::instances_changed() const {
  if (instances_.size() != game_.modules().size()) return true;
  for (size_t i = 0; i < instances_.size(); i++)
    if (instances_[i] != game_.modules()[i]->instance_generation) return true;
  return false;
}

const Timeline::Record* Timeline::find(uint64_t frame) const {
  auto it = std::lower_bound(records_.begin(), records_.end(), frame,
                             [](const Record& r, uint64_t f) { return r.frame < f; });
  return it != records_.end() && it->frame == frame ? &*it : nullptr;
}

glint::Result<void> Timeline::record(bool drawn) {
  auto pages_pushed = [&] {
    uint64_t n = 0;
    for (const auto& ring : rings_) n += ring ? ring->pages_pushed() : 0;
    return n;
  };
  double start = thread_cpu_ms();
  uint64_t pages_before = pages_pushed();
  auto result = record_frame(drawn);
  uint64_t pages_after = pages_pushed();  // a reset starts new rings: count nothing then
  pages_recorded_ += pages_after >= pages_before ? pages_after - pages_before : 0;
  double ms = thread_cpu_ms() - start;
  record_ms_ += ms;
  max_record_ms_ = std::max(max_record_ms_, ms);
  ++records_made_;
  return result;
}

glint::Result<void> Timeline::record_frame(bool drawn) {
  if (instances_changed()) {  // a module restarted or was replaced: its ring is of the old one
    reset();
    return {};
  }
  while (!records_.empty() && records_.back().frame > current_) {  // play went on after a seek
    host_bytes_ -= records_.back().host.size();
    records_.pop_back();
  }
  uint64_t frame = game_.frame();
  if (!records_.empty() && frame <= records_.back().frame)
    return timeline_error("frame " + std::to_string(frame) + " is not after the last one held");
  auto state = game_.capture_state(false);
  if (!state) return state.error();
  Record r;
  r.frame = frame;
  r.host = host_bytes(*state);
  if (!records_.empty()) {
    r.step.input = game_.input().state();
    r.step.drawn = drawn;
    r.step.hash = game_.state_hash(&r.step.module_hashes);
  }
  for (auto& ring : rings_)
    if (ring)
      if (auto pushed = ring->push(frame); !pushed) return pushed;
  host_bytes_ += r.host.size();
  records_.push_back(std::move(r));
  current_ = frame;
  fit();
  return {};
}

glint::Error Timeline::not_held(const std::string& what) const {
  return timeline_error(what + " not in the timeline" +
                        (records_.empty()
                             ? std::string(" (it is empty)")
                             : " (it holds frames " + std::to_string(records_.front().frame) +
                                   ".." + std::to_string(records_.back().frame) + ")"));
}

glint::Result<void> Timeline::seek(uint64_t frame) {
  const Record* r = find(frame);
  if (!r) return not_held("frame " + std::to_string(frame) + " is");
  if (instances_changed())
    return timeline_error("the game's modules changed since the timeline recorded it");
  GameState s;
  glint::ByteReader in(r->host);
  if (!read_game_state(in, s, false)) return timeline_error("damaged frame: " + in.error());
  if (auto ok = game_.check_state(s, false); !ok) return ok;
  for (auto& ring : rings_)
    if (ring)
      if (auto restored = ring->restore(frame); !restored) return restored;
  if (auto ok = game_.restore_state(s, false); !ok) return ok;
  current_ = frame;
  return {};
}

glint::Result<Replay> Timeline::replay(uint64_t from, uint64_t to) const {
  const Record* start = find(from);
  if (to < from)
    return timeline_error("frames " + std::to_string(from) + " to " + std::to_string(to) +
                          ": the range ends before it starts");
  if (!start || !find(to))
    return not_held("frames " + std::to_string(from) + " to " + std::to_string(to) + " are");
  Replay r;
  r.dt = game_.config().dt;
  r.fuel = game_.config().fuel;
  glint::ByteReader in(start->host);
  if (!read_game_state(in, r.start, false)) return timeline_error("damaged frame: " + in.error());
  for (size_t i = 0; i < rings_.size(); i++) {
    ModuleState& ms = r.start.modules[i];
    if (!rings_[i] || !ms.has_instance) continue;
    if (auto ok = rings_[i]->snapshot(from, ms.instance); !ok) return ok.error();
  }
  for (const auto& m : game_.modules()) {
    auto bytes = m->module ? m->module->bytes() : std::span<const uint8_t>{};
    r.builds.push_back({m->name, {bytes.begin(), bytes.end()}});
  }
  for (const Record& rec : records_)
    if (rec.frame > from && rec.frame <= to) r.steps.push_back(rec.step);
  return r;
}

glint::Result<size_t> Timeline::save_replay(uint64_t from, uint64_t to,
                                            const std::string& path) const {
  auto r = replay(from, to);
  if (!r) return r.error();
  std::vector<uint8_t> bytes = encode_replay(*r);
  if (auto written = glint::write_file(path, bytes); !written) return written.error();
  return bytes.size();
}

ReloadResult Timeline::reload_back(GuestModule& m, std::shared_ptr<const glint::Module> fresh,
                                   uint64_t frames) {
  uint64_t end = current_, target = end > frames ? end - frames : 0;
  if (!records_.empty()) target = std::max(target, records_.front().frame);
  std::vector<Replay::Step> steps;
  for (const Record& r : records_)
    if (r.frame > target && r.frame <= end) steps.push_back(r.step);
  if (auto back = seek(target); !back) {
    ReloadResult r;
    r.message = "retroactive reload of '" + m.name + "' failed: " + back.error().message;
    return r;
  }
  ReloadResult r = game_.reload(m, std::move(fresh));
  if (!r.swapped()) {
    (void)seek(end);  // the old code goes on where it was
    return r;
  }
  reset();  // the new instance's ring starts at `target`
  for (const Replay::Step& step : steps) {
    game_.input().set(step.input, step.input);
    game_.update();
    if (step.drawn) {
      game_.draw();
      game_.renderer().discard();
    }
    (void)record(step.drawn);
  }
  r.message += "; the last " + std::to_string(steps.size()) + " frames ran again with it";
  return r;
}

void Timeline::fit() {
  while (records_.size() > 1 &&
         (records_.size() > config_.max_frames || bytes_used() > config_.max_bytes)) {
    host_bytes_ -= records_.front().host.size();
    records_.pop_front();
    for (auto& ring : rings_)
      if (ring) ring->drop_oldest();
  }
}

std::optional<uint64_t> Timeline::first() const {
  if (records_.empty()) return std::nullopt;
  return records_.front().frame;
}

std::optional<uint64_t> Timeline::last() const {
  if (records_.empty()) return std::nullopt;
  return records_.back().frame;
}

size_t Timeline::bytes_used() const {
  size_t n = host_bytes_ + records_.size() * sizeof(Record);
  for (const auto& ring : rings_)
    if (ring) n += ring->bytes_used();
  return n;
}

void Timeline::set_config(TimelineConfig config) {
  config_ = config;
  fit();
}

const char* Timeline::tracking() const {
  for (const auto& ring : rings_)
    if (ring) return ring->tracking();
  return "none";
}

}  // namespace glint::host
