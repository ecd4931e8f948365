// glint-editor's window and main loop (app.cpp); main.cpp reads the command line into this.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace glint::editor {

struct EditorOptions {
  std::vector<std::string> modules;  // empty: the demo game
  std::string guest_dir, assets;
  std::vector<std::string> source_path;
  std::string script;          // command file (script.h), "" for none
  size_t rewind_frames = 600;  // the rewind timeline (0: none)
  std::string input;           // scripted game input, as glint-demo --input
  std::string layout;          // the layout ini: "" = the default, "none" = none
  uint64_t seed = 1, fuel = 0;
  int width = 1600, height = 900;
  bool audio = true, vsync = true;
};

// Runs the editor until the window closes or a script quits; returns the exit code.
int run_editor(const EditorOptions& options);

}  // namespace glint::editor
