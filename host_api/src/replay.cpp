// Recordings and replay checks (glint_host/replay.h).
//
// Content of a replay file: dt and fuel; the start GameState with instances; the builds; then
// per step the input block XORed with the step before's (so an unchanged key board is zeros,
// which zstd all but removes), whether it drew, and the hashes.
#include "glint_host/replay.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstring>

#include "glint/snapshot.h"
#include "memory_names.h"

namespace glint::host {

namespace {

glint::Error replay_error(std::string message) {
  return glint::Error{glint::ErrorKind::Snapshot, std::move(message)};
}

std::vector<uint8_t> input_block(const InputState& s) {
  glint::ByteWriter w;
  write_input(w, s);
  return std::move(w.out);
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

bool same_builds(const Game& game, const Replay& replay) {
  if (game.modules().size() != replay.start.modules.size()) return false;
  for (size_t i = 0; i < game.modules().size(); i++) {
    const GuestModule& m = *game.modules()[i];
    if (!m.module || m.module->content_hash() != replay.start.modules[i].module_hash) return false;
  }
  return true;
}

// One step as recorded: the input the modules saw, the update, the draw if there was one.
void run_step(Game& game, const Replay::Step& step) {
  game.input().set(step.input, step.input);
  game.update();
  if (step.drawn) {
    game.draw();
    game.renderer().discard();
  }
}

// Byte ranges where two memories differ (a gap of under 16 equal bytes joins two ranges).
std::vector<std::pair<uint64_t, uint64_t>> differing_ranges(const glint::Memory& a,
                                                            const glint::Memory& b) {
  std::vector<std::pair<uint64_t, uint64_t>> out;
  uint64_t n = std::min(a.size(), b.size());
  for (uint64_t i = 0; i < n; i++) {
    if (a.data()[i] == b.data()[i]) continue;
    if (!out.empty() && i - out.back().second < 16)
      out.back().second = i + 1;
    else
      out.emplace_back(i, i + 1);
  }
  if (a.size() != b.size()) out.emplace_back(n, std::max(a.size(), b.size()));
  return out;
}

void describe_differences(Game& game, Game& recorded, ReplayCheck& check) {
  constexpr size_t kShown = 12;
  for (size_t i = 0; i < game.modules().size(); i++) {
    GuestModule& m = *game.modules()[i];
    GuestModule& r = *recorded.modules()[i];
    if (std::find(check.modules.begin(), check.modules.end(), m.name) == check.modules.end())
      continue;
    if (!m.instance || !r.instance || !m.instance->memory() || !r.instance->memory()) continue;
    auto ranges = differing_ranges(*m.instance->memory(), *r.instance->memory());
    for (size_t k = 0; k < ranges.size() && k < kShown; k++) {
      auto [from, to] = ranges[k];
      char buf[96];
      std::snprintf(buf, sizeof buf,
                    "%s: memory 0x%06" PRIx64 "..0x%06" PRIx64 " (%" PRIu64 " bytes)",
                    m.name.c_str(), from, to, to - from);
      std::string line = buf;
      std::string names = name_memory_range(*m.instance, uint32_t(from), uint32_t(to - from));
      if (!names.empty()) line += ": " + names;
      check.ranges.push_back(line);
    }
    if (ranges.size() > kShown)
      check.ranges.push_back(m.name + ": and " + std::to_string(ranges.size() - kShown) +
                             " more ranges");
    if (ranges.empty())
      check.ranges.push_back(m.name + ": memory is the same; globals or host state differ");
  }
}

}  // namespace

std::vector<uint8_t> encode_replay(const Replay& replay) {
  glint::ByteWriter w;
  w.u32(std::bit_cast<uint32_t>(replay.dt));
  w.u64(replay.fuel);
  write_game_state(w, replay.start, true);
  w.u64(replay.builds.size());
  for (const Replay::Build& b : replay.builds) {
    w.str(b.name);
    w.bytes(b.bytes);
  }
  w.u64(replay.steps.size());
  std::vector<uint8_t> previous = input_block(InputState{});
  for (const Replay::Step& s : replay.steps) {
    std::vector<uint8_t> block = input_block(s.input);
    for (size_t i = 0; i < block.size(); i++) w.u8(block[i] ^ previous[i]);
    previous = std::move(block);
    w.u8(s.drawn);
    w.u64(s.hash);
    w.u64(s.module_hashes.size());
    for (uint64_t h : s.module_hashes) w.u64(h);
  }
  glint::PackedFile f{glint::FileKind::Replay, glint::kSnapshotFormatVersion,
                      modules_hash(replay.start), std::move(w.out)};
  return glint::pack_file(f, 3);
}

glint::Result<Replay> decode_replay(std::span<const uint8_t> bytes) {
  auto f = glint::unpack_file(bytes);
  if (!f) return f.error();
  if (f->kind != glint::FileKind::Replay)
    return replay_error(std::string("this is a ") + glint::to_string(f->kind) +
                        " file, not a replay");
  Replay replay;
  glint::ByteReader r(f->content);
  replay.dt = std::bit_cast<float>(r.u32("dt"));
  replay.fuel = r.u64("fuel");
  read_game_state(r, replay.start, true);
  replay.builds.resize(r.count("builds", 16));
  for (Replay::Build& b : replay.builds) {
    b.name = r.str("build name");
    auto binary = r.bytes("build");
    b.bytes.assign(binary.begin(), binary.end());
  }
  std::vector<uint8_t> block = input_block(InputState{});
  replay.steps.resize(r.count("steps", block.size() + 17));
  for (Replay::Step& s : replay.steps) {
    for (uint8_t& b : block) b ^= r.u8("input");
    glint::ByteReader in(block);
    read_input(in, s.input);
    s.drawn = r.u8("drawn") & 1;
    s.hash = r.u64("state hash");
    s.module_hashes.resize(r.count("module hashes", 8));
    for (uint64_t& h : s.module_hashes) h = r.u64("module hash");
  }
  if (!r.ok() || !r.done())
    return replay_error(
        "malformed content: " +
        (r.ok() ? "unexpected bytes at byte " + std::to_string(r.offset()) : r.error()));
  return replay;
}

glint::Result<Recorder> Recorder::start(Game& game) {
  Recorder rec(game);
  auto s = game.capture_state(true);
  if (!s) return s.error();
  rec.replay_.start = std::move(*s);
  rec.replay_.dt = game.config().dt;
  rec.replay_.fuel = game.config().fuel;
  for (const auto& m : game.modules()) {
    auto bytes = m->module ? m->module->bytes() : std::span<const uint8_t>{};
    rec.replay_.builds.push_back({m->name, {bytes.begin(), bytes.end()}});
  }
  return rec;
}

void Recorder::step() {
  Replay::Step& s = replay_.steps.emplace_back();
  s.input = game_->input().state();
  s.hash = game_->state_hash(&s.module_hashes);
}

void Recorder::drawn() {
  if (!replay_.steps.empty()) replay_.steps.back().drawn = true;
}

void add_recorded_builds(Game& game, const Replay& replay) {
  for (const Replay::Build& b : replay.builds) game.add_module(b.name + ".wasm", b.bytes);
}

glint::Result<ReplayCheck> check_replay(Game& game, Game* recorded, const Replay& replay) {
  const GameState& start = replay.start;
  if (recorded)
    if (auto r = recorded->restore_state(start, true); !r) return r.error();
  bool same = same_builds(game, replay);
  if (auto r = game.restore_state(start, same); !r) return r.error();
  if (!same && start.frame > 0) {
    // Started from a snapshot of other builds: their state carried to these, as a hot reload
    // does (the recorded builds' game holds it).
    if (!recorded)
      return replay_error("the recording starts at frame " + std::to_string(start.frame) +
                          " of other builds: its builds must run along to carry their state");
    for (size_t i = 0; i < game.modules().size(); i++) {
      GuestModule& m = *game.modules()[i];
      const GuestModule& r = *recorded->modules()[i];
      if (!m.module || !r.instance) continue;
      ReloadResult moved = game.reload(m, m.module, r.instance);
      if (!moved.swapped())
        return replay_error("cannot carry the recording's state to '" + m.name +
                            "': " + moved.message);
    }
  }
  ReplayCheck check;
  std::vector<uint64_t> module_hashes;
  for (const Replay::Step& step : replay.steps) {
    run_step(game, step);
    if (recorded) run_step(*recorded, step);
    ++check.steps;
    uint64_t hash = game.state_hash(&module_hashes);
    if (hash == step.hash) continue;
    check.identical = false;
    check.frame = game.frame();
    check.recorded_hash = step.hash;
    check.hash = hash;
    for (size_t i = 0; i < module_hashes.size() && i < step.module_hashes.size(); i++)
      if (module_hashes[i] != step.module_hashes[i])
        check.modules.push_back(game.modules()[i]->name);
    if (!recorded)
      check.note = "no run of the recorded builds to compare memory with";
    else if (recorded->state_hash() != step.hash)
      check.note =
          "the recorded builds replay differently here too: this machine or runtime differs "
          "from the one that recorded";
    else
      describe_differences(game, *recorded, check);
    break;
  }
  return check;
}

std::string to_string(const ReplayCheck& c) {
  if (c.identical) return "replay: " + std::to_string(c.steps) + " frames identical";
  std::string s = "replay: frame " + std::to_string(c.frame) + " differs (state hash " +
                  hex(c.hash) + ", recorded " + hex(c.recorded_hash) + ")";
  if (!c.modules.empty()) {
    s += "\n  modules that differ:";
    for (const auto& m : c.modules) s += " " + m;
  }
  for (const auto& r : c.ranges) s += "\n  " + r;
  if (!c.note.empty()) s += "\n  (" + c.note + ")";
  return s;
}

}  // namespace glint::host
