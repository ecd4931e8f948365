// Host functions: system and messages (api.def sections "system" and "messages").
#include <algorithm>
#include <cstring>

#include "api.h"

namespace glint::host {

void Api::log_info(std::string_view text) { game_.log(module_, Game::Level::Info, text); }
void Api::log_warn(std::string_view text) { game_.log(module_, Game::Level::Warn, text); }
void Api::log_error(std::string_view text) { game_.log(module_, Game::Level::Error, text); }

float Api::frame_time() { return game_.config().dt; }
uint32_t Api::frame_count() { return uint32_t(game_.frame()); }

void Api::random_seed(uint64_t seed) { rng_.seed(seed); }
uint32_t Api::random_u32() { return rng_.next32(); }
int32_t Api::random_int(int32_t lo, int32_t hi) { return rng_.range_int(lo, hi); }
float Api::random_float() { return rng_.unit(); }
float Api::random_range(float lo, float hi) { return lo + (hi - lo) * rng_.unit(); }

int32_t Api::asset_id(std::string_view name) {
  std::string error;
  int32_t id = game_.assets().lookup(name, error);
  if (id < 0) game_.log(module_, Game::Level::Warn, "asset_id: " + error);
  return id;
}

bool Api::save_write(std::span<const uint8_t> data) {
  std::string error;
  if (game_.save_slot().write(module_.name, data, error)) return true;
  game_.log(module_, Game::Level::Warn, "save_write: " + error);
  return false;
}

int32_t Api::save_read(std::span<uint8_t> buf) {
  const std::vector<uint8_t>* saved = game_.save_slot().read(module_.name);
  if (!saved) return -1;
  if (size_t n = std::min(buf.size(), saved->size())) std::memcpy(buf.data(), saved->data(), n);
  return int32_t(saved->size());
}

// ---- messages -----------------------------------------------------------------------------------

bool Api::send_message(std::string_view to, int32_t kind, std::span<const uint8_t> data) {
  if (kind < 0) bad_argument("send_message", "kind", kind, "must be >= 0");
  auto deliver = [&](GuestModule& receiver) {
    if (receiver.inbox.size() >= game_.config().max_queue) return false;
    receiver.inbox.push_back({kind, module_.name, {data.begin(), data.end()}});
    return true;
  };
  if (to == "*") {
    bool all = true;
    for (const auto& m : game_.modules())
      if (m.get() != &module_) all = deliver(*m) && all;
    return all;
  }
  GuestModule* receiver = game_.find(to);
  return receiver && deliver(*receiver);
}

int32_t Api::receive_message(std::span<uint8_t> buf) {
  if (module_.inbox.empty()) return -1;
  Message msg = std::move(module_.inbox.front());
  module_.inbox.pop_front();
  if (size_t n = std::min(buf.size(), msg.data.size())) std::memcpy(buf.data(), msg.data.data(), n);
  last_message_size_ = int32_t(msg.data.size());
  last_sender_ = std::move(msg.sender);
  return msg.kind;
}

int32_t Api::message_size() { return last_message_size_; }

int32_t Api::message_sender(std::span<uint8_t> buf) {
  if (size_t n = std::min(buf.size(), last_sender_.size()))
    std::memcpy(buf.data(), last_sender_.data(), n);
  return int32_t(last_sender_.size());
}

void Api::shared_set(std::string_view key, double value) {
  auto it = game_.shared().find(key);
  if (it == game_.shared().end())
    game_.shared().emplace(std::string(key), value);
  else
    it->second = value;
}

double Api::shared_get(std::string_view key) {
  auto it = game_.shared().find(key);
  return it == game_.shared().end() ? 0.0 : it->second;
}

}  // namespace glint::host
