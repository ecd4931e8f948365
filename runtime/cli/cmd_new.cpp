// `glint new NAME --lang c|rust`: a game project that glint-demo --watch and the editor run and
// hot-reload. C: a CMake project building NAME.wasm with the guest SDK's glint_api.h. Rust: a
// cargo crate (cargo build, offline) with the SDK as a path dependency (a copy of the generated
// glint_api.rs). Both write the module's build recipe (NAME.wasm.build, glint_host/watch.h).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "commands.h"

namespace glint::cli {

namespace {

namespace fs = std::filesystem;

// Where this build of Glint put the generated SDK and found the wasm toolchains (CMake).
constexpr const char* kSdkDir = GLINT_SDK_DIR;
constexpr const char* kWasmClang = GLINT_WASM_CLANG;
constexpr const char* kWasmRustc = GLINT_WASM_RUSTC;
constexpr const char* kRustTarget = GLINT_RUST_WASM_TARGET;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

bool write(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path);
  out << text;
  if (!out) {
    std::fprintf(stderr, "glint new: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

const char* kGameC =
    R"~(// @NAME@: a Glint game module. Run it with `glint-demo --watch build/@NAME@.wasm`, edit this
// file and save: it is rebuilt and swapped in while the game runs, and the ball stays where it was.
#include "glint_api.h"

static float x = 480, y = 270;
static int steps;

GLINT_EXPORT(update) void update(float dt) {
  float speed = 240;
  if (glint_key_down(GLINT_KEY_RIGHT)) x += speed * dt;
  if (glint_key_down(GLINT_KEY_LEFT)) x -= speed * dt;
  if (glint_key_down(GLINT_KEY_DOWN)) y += speed * dt;
  if (glint_key_down(GLINT_KEY_UP)) y -= speed * dt;
  ++steps;
}

GLINT_EXPORT(draw) void draw(void) {
  glint_clear_background(GLINT_RGBA(20, 24, 32, 255));
  glint_draw_circle(x, y, 16, GLINT_RGBA(240, 200, 80, 255));
  glint_draw_text(GLINT_STR("@NAME@: arrow keys move the ball"), 16, 16, 20,
                  GLINT_RGBA(255, 255, 255, 255));
}

GLINT_EXPORT(query_steps) int query_steps(void) { return steps; }
GLINT_EXPORT(query_x) float query_x(void) { return x; }
)~";

const char* kCMakeLists =
    R"~(# @NAME@: a Glint game module (made by `glint new`). Builds build/@NAME@.wasm and its build
# recipe (@NAME@.wasm.build: what glint-demo --watch and the editor run when a source changes).
cmake_minimum_required(VERSION 3.20)
project(@NAME@ NONE)
set(GLINT_SDK "@SDK@" CACHE PATH "Folder of the Glint guest SDK (glint_api.h)")
set(WASM_CC "@CLANG@" CACHE FILEPATH "clang with the wasm32-wasi target")
set(SOURCES ${CMAKE_SOURCE_DIR}/src/game.c)
set(FLAGS --target=wasm32-wasi -O2 -g -Wall -Wextra -I${GLINT_SDK})
set(OBJECTS)
foreach(src ${SOURCES})
  get_filename_component(stem ${src} NAME)
  set(obj ${CMAKE_BINARY_DIR}/${stem}.o)
  add_custom_command(OUTPUT ${obj} COMMAND ${WASM_CC} ${FLAGS} -c ${src} -o ${obj}
                     DEPENDS ${src} ${GLINT_SDK}/glint_api.h VERBATIM)
  list(APPEND OBJECTS ${obj})
endforeach()
# Compiled and linked in two steps: linking with -O2 would run wasm-opt, which drops DWARF.
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/@NAME@.wasm
  COMMAND ${WASM_CC} --target=wasm32-wasi -mexec-model=reactor ${OBJECTS}
          -o ${CMAKE_BINARY_DIR}/@NAME@.wasm
  DEPENDS ${OBJECTS} VERBATIM)
add_custom_target(@NAME@ ALL DEPENDS ${CMAKE_BINARY_DIR}/@NAME@.wasm)
set(recipe "dir ${CMAKE_BINARY_DIR}\ncommand ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR}\n")
foreach(src ${SOURCES})
  string(APPEND recipe "source ${src}\n")
endforeach()
file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/@NAME@.wasm.build CONTENT "${recipe}")
)~";

const char* kLibRs = R"~(// @NAME@: a Glint game module. Run it with
// `glint-demo --watch target/@TARGET@/debug/@NAME@.wasm`, edit this file and save: it is rebuilt
// and swapped in while the game runs, and the ball stays where it was.
use glint_api::*;

struct Game {
    x: f32,
    y: f32,
    steps: i32,
}

static mut GAME: Game = Game { x: 480.0, y: 270.0, steps: 0 };

fn game() -> &'static mut Game {
    unsafe { &mut *std::ptr::addr_of_mut!(GAME) }
}

#[no_mangle]
pub extern "C" fn update(dt: f32) {
    let g = game();
    let speed = 240.0;
    if key_down(KEY_RIGHT) { g.x += speed * dt; }
    if key_down(KEY_LEFT) { g.x -= speed * dt; }
    if key_down(KEY_DOWN) { g.y += speed * dt; }
    if key_down(KEY_UP) { g.y -= speed * dt; }
    g.steps += 1;
}

#[no_mangle]
pub extern "C" fn draw() {
    let g = game();
    clear_background(rgba(20, 24, 32, 255));
    draw_circle(g.x, g.y, 16.0, rgba(240, 200, 80, 255));
    draw_text("@NAME@: arrow keys move the ball", 16.0, 16.0, 20.0, rgba(255, 255, 255, 255));
}

#[no_mangle]
pub extern "C" fn query_steps() -> i32 { game().steps }

#[no_mangle]
pub extern "C" fn query_x() -> f32 { game().x }
)~";

const char* kCargoToml = R"~([package]
name = "@NAME@"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["cdylib"]
path = "src/lib.rs"

[dependencies]
glint_api = { path = "glint_api" }

[profile.dev]
opt-level = 1
)~";

const char* kSdkCargoToml = R"~([package]
name = "glint_api"
version = "0.1.0"
edition = "2021"

[lib]
path = "glint_api.rs"
)~";

const char* kCargoConfig = R"~([build]
target = "@TARGET@"
rustc = "@RUSTC@"
)~";

const char* kRecipeRust = R"~(dir @DIR@
command @CARGO@ build --offline
source @DIR@/src/lib.rs
)~";

}  // namespace

int new_project(const std::string& name, const std::string& lang) {
  if (name.empty() ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    std::fprintf(stderr,
                 "glint new: '%s': use lower-case letters, digits and _ (it names the "
                 "module and the crate)\n",
                 name.c_str());
    return 2;
  }
  fs::path dir = fs::absolute(name);
  if (fs::exists(dir)) {
    std::fprintf(stderr, "glint new: %s already exists\n", dir.c_str());
    return 1;
  }
  auto fill = [&](std::string text) {
    text = replace_all(text, "@NAME@", name);
    text = replace_all(text, "@SDK@", kSdkDir);
    text = replace_all(text, "@CLANG@", kWasmClang);
    text = replace_all(text, "@TARGET@", kRustTarget);
    text = replace_all(text, "@RUSTC@", kWasmRustc);
    text = replace_all(text, "@DIR@", dir.string());
    fs::path cargo = fs::path(kWasmRustc).parent_path() / "cargo";
    return replace_all(text, "@CARGO@", fs::exists(cargo) ? cargo.string() : "cargo");
  };
  if (lang == "c") {
    if (!write(dir / "CMakeLists.txt", fill(kCMakeLists)) ||
        !write(dir / "src" / "game.c", fill(kGameC)))
      return 1;
    std::printf(
        "created %s (C). Build it and run it, then edit src/game.c and save:\n"
        "  cmake -S %s -B %s/build && cmake --build %s/build\n"
        "  glint-demo --watch %s/build/%s.wasm\n",
        dir.c_str(), name.c_str(), name.c_str(), name.c_str(), name.c_str(), name.c_str());
    return 0;
  }
  if (lang == "rust") {
    std::error_code ec;
    fs::path wasm = dir / "target" / kRustTarget / "debug" / (name + ".wasm");
    if (!write(dir / "Cargo.toml", fill(kCargoToml)) ||
        !write(dir / ".cargo" / "config.toml", fill(kCargoConfig)) ||
        !write(dir / "src" / "lib.rs", fill(kLibRs)) ||
        !write(dir / "glint_api" / "Cargo.toml", kSdkCargoToml) ||
        !write(wasm.string() + ".build", fill(kRecipeRust)))
      return 1;
    fs::copy_file(fs::path(kSdkDir) / "glint_api.rs", dir / "glint_api" / "glint_api.rs", ec);
    if (ec) {
      std::fprintf(stderr, "glint new: cannot copy the SDK's glint_api.rs from %s: %s\n", kSdkDir,
                   ec.message().c_str());
      return 1;
    }
    std::printf(
        "created %s (Rust). Build it and run it, then edit src/lib.rs and save:\n"
        "  (cd %s && %s build --offline)\n"
        "  glint-demo --watch %s\n",
        dir.c_str(), name.c_str(), fill("@CARGO@").c_str(), fs::relative(wasm).c_str());
    return 0;
  }
  std::fprintf(stderr, "glint new: --lang %s: expected c or rust\n", lang.c_str());
  return 2;
}

}  // namespace glint::cli
