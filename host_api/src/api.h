// glint::host::Api: the host functions of one module. Its members are declared from api.def
// (api_decl.inc, generated); bind.cpp binds them into the VM. One Api per module instance,
// reached through Store::user_data, holds that module's drawing state, random stream and
// message cursor.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "glint/glint.h"
#include "glint_host/game.h"
#include "glint_host/renderer.h"
#include "glint_host/rng.h"

namespace glint::host {

// The part of an Api that gameplay can see again later, for snapshots.
struct ApiState {
  uint64_t rng = 0;
  int32_t last_message_size = 0;
  std::string last_sender;
  Camera mouse_camera;
};

class Api {
 public:
  Api(Game& game, GuestModule& module);
  ApiState state() const { return {rng_.state(), last_message_size_, last_sender_, mouse_camera_}; }
  void set_state(const ApiState& s) {
    rng_.seed(s.rng);
    last_message_size_ = s.last_message_size;
    last_sender_ = s.last_sender;
    mouse_camera_ = s.mouse_camera;
  }

  // Called before the module's draw(): layer 0, screen-space camera.
  void begin_draw();
  Rng& rng() { return rng_; }
  Game& game() { return game_; }
  GuestModule& module() { return module_; }

#include "api_decl.inc"

  uint64_t host_calls = 0;  // counted by the binding (bind.cpp), read by Game for profilers

 private:
  // Traps the guest: "FN: argument 'ARG' (VALUE) WHY".
  [[noreturn]] static void bad_argument(const char* fn, const char* arg, long long value,
                                        const std::string& why);
  const Atlas& atlas_arg(const char* fn, int32_t atlas);

  Game& game_;
  GuestModule& module_;
  DrawState draw_;
  Camera mouse_camera_;  // the camera of this module's last draw, for mouse_world_*
  Rng rng_;
  int32_t last_message_size_ = 0;
  std::string last_sender_;
};

}  // namespace glint::host
