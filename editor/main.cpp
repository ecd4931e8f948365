// glint-editor: the Glint editor and debugger (Dear ImGui). Opens the demo game, or the
// modules named on the command line, runs them with the host API, and debugs their wasm (and,
// with DWARF, their C and Rust source).
//
//   glint-editor                              the demo game
//   glint-editor game.wasm other.wasm         other modules, same host API
//   glint-editor --script session.txt         scripted (how the tests drive it under Xvfb)
#include <CLI/CLI.hpp>

#include "app.h"
#include "glint_host/game.h"
#include "script.h"

int main(int argc, char** argv) {
  glint::editor::EditorOptions o;
  o.assets = GLINT_DEMO_ASSETS_DIR;
  o.guest_dir = GLINT_DEMO_GUEST_DIR;
  std::string size;
  CLI::App app{
      "glint-editor: the Glint editor and debugger. With no module named, it opens the demo "
      "game.\nKeys: F5 continue, Shift+F5 restart, F6 pause, F9 breakpoint, F10 step over, "
      "F11 step into, Shift+F11 step out."};
  app.footer("\n" + glint::editor::Script::help());
  app.add_option("modules", o.modules, "Module .wasm files (default: the demo game's)");
  app.add_option("--script", o.script,
                 "Run the commands in FILE (listed below), one UI frame at a time; the game "
                 "then runs one step per UI frame");
  app.add_option("--input", o.input,
                 "Scripted game input: lines 'FRAME KEY down|up', as glint-demo --input");
  app.add_option("--source-path", o.source_path,
                 "A folder to look for source files in (repeatable), after the DWARF's paths "
                 "and the module's folder")
      ->allow_extra_args(false);
  app.add_option("--assets", o.assets, "Assets folder")->capture_default_str();
  app.add_option("--guest-dir", o.guest_dir, "Where the demo's modules are")->capture_default_str();
  app.add_option("--layout", o.layout,
                 "Panel layout file (ImGui ini); 'none' for none. Default: "
                 "~/.config/glint/editor.ini, none with --script or --input");
  app.add_option("--size", size, "Window size WxH (default 1600x900)");
  app.add_option("--rewind", o.rewind_frames,
                 "Keep the last N frames of the whole game for the timeline (0: no timeline)")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Seed of the games' random streams")->capture_default_str();
  app.add_option("--fuel", o.fuel, "Instruction budget per guest call (default: the host's)");
  app.add_flag("!--no-audio", o.audio, "Do not open an audio device");
  app.add_flag("!--no-vsync", o.vsync, "Do not wait for vsync");
  CLI11_PARSE(app, argc, argv);
  if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height) != 2) {
    std::fprintf(stderr, "glint-editor: --size wants WxH, e.g. 1600x900\n");
    return 2;
  }
  if (o.modules.empty()) {
    o.modules = glint::host::modules_in(o.guest_dir);
    if (o.modules.empty()) {
      std::fprintf(stderr, "glint-editor: no modules given and none in %s (build the demo)\n",
                   o.guest_dir.c_str());
      return 1;
    }
    o.source_path.push_back(GLINT_DEMO_SOURCE_DIR);
  }
  return glint::editor::run_editor(o);
}
