// The editor's UI state and its panels. Each panel is a function that draws one ImGui tab from
// the Session (session.h) and this state; the panels live in panel_*.cpp by concern, and app.cpp
// tiles them in the window.
#pragma once
#include <SDL2/SDL.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "console.h"
#include "glint/disassembly.h"
#include "session.h"
#include "sources.h"

namespace glint::editor {

// The source view and the disassembly view: which module, which file or function, where.
struct CodeView {
  std::string module;  // the module whose code is shown
  std::string file;    // the source file shown ("" for none)
  uint32_t line = 0;   // the line selected (F9 toggles a breakpoint there), from 1
  bool scroll_to_line = false;
  uint32_t func_index = 0;  // the function the disassembly shows
  bool has_func = false;
  uint32_t offset = 0;  // the instruction selected in the disassembly
  bool scroll_to_offset = false;
  bool source_active = false;  // the Source tab is the one shown (F9 acts on it)
  char file_filter[128] = "";
  // Cached per module: the DWARF's files, and per file the lines with code.
  std::string files_module;
  std::vector<std::string> files;
  std::string code_lines_file;
  std::vector<uint32_t> code_lines;
  // Cached disassembly of (module, func_index).
  std::string disasm_module;
  uint32_t disasm_func = UINT32_MAX;
  std::vector<glint::WasmInstruction> disasm;
};

struct MemoryView {
  std::string module;
  uint64_t address = 0;  // first byte shown (scrolls there)
  bool scroll = false;
  bool moved = false;  // the user went somewhere (else stops show the stack)
  char go_to[128] = "";
  std::string message;         // why the last "go to" failed
  std::vector<uint8_t> bytes;  // what was shown last (kept while the game runs a frame)
  uint64_t bytes_at = 0;
};

// The variables tree of the selected frame, and the source globals: read when what the stop
// shows changes (Session::view_version), children as their node opens.
struct VariablesView {
  uint64_t version = UINT64_MAX;
  std::vector<glint::Variable> variables;
  std::map<std::string, std::vector<glint::Variable>> children;  // by path
  std::string editing;  // the path whose value is being typed
  char edit[256] = "";
  std::string globals_module;
  uint64_t globals_version = UINT64_MAX;
  std::vector<glint::Variable> globals;
  std::map<std::string, std::vector<glint::Variable>> global_children;
};

// What is being typed in the Locals and Breakpoints panels.
struct InspectView {
  int editing_local = -1;
  char local_edit[64] = "";
  char new_breakpoint[256] = "";
  int editing_condition = 0;  // breakpoint number
  char condition[128] = "";
};

// The timeline panel's "save range" and "keep" fields.
struct TimelineView {
  int from = -1, to = -1;  // frames to save
  bool to_last = true;     // `to` follows the last frame kept until it is typed
  char path[256] = "range.glrp";
  int keep_seconds = 0;  // 0: not typed yet (shows the timeline's own)
};

struct ConsoleView {
  std::vector<ConsoleLine> lines;
  size_t next = 0;  // Console index of the next line to take
  char input[512] = "";
  bool scroll_to_bottom = true;
  std::vector<std::string> history;
};

struct Editor {
  Editor(Session& s, Console& c, SourceCache sc) : session(s), console(c), sources(std::move(sc)) {}
  Session& session;
  Console& console;
  SourceCache sources;
  CodeView code;
  MemoryView memory;
  ConsoleView console_view;
  VariablesView variables;
  InspectView inspect;
  TimelineView timeline;
  // The game view: the texture the game draws into, and where it was shown last (for mouse
  // input); whether it has keyboard focus (keys then go to the game).
  SDL_Texture* game_texture = nullptr;
  bool game_view_shrunk = false;  // drawn smaller than the game: app.cpp samples it linearly
  int game_width = 960, game_height = 540;
  float game_x = 0, game_y = 0, game_w = 0, game_h = 0;
  bool game_focused = false;
  // Panels to bring to the front of their tile at the next frame (script `panel NAME`).
  std::map<std::string, bool> select_panel;
  // A command typed in the console (run by the script runner).
  std::function<void(const std::string&)> run_command;
  bool layout_reset = true;      // place the tiles (first frame, or View > Reset layout)
  uint64_t code_generation = 0;  // Session::code_generation the code views' caches are of
  uint64_t shown_stop = 0;       // the stop the views last followed
  uint64_t debugger_keys = 0;    // the debugger's keys acted on (F5, F9...): a script waits

  // Navigation: show a place in the code views (source if it has one, else disassembly).
  void show_place(const CodePlace& place);
  void show_offset(const std::string& module, uint32_t offset, bool bring_to_front = true);
  void show_source(const std::string& module, const std::string& file, uint32_t line);
  // A module's code was replaced (a reload): drop what the views cached from the old code, and
  // read the source files again (they were probably edited).
  void forget_code();
  // Follow a new stop or frame selection: the views go to the selected frame.
  void follow_stop();
  // The guest module by name (only while the game is quiet), or null.
  host::GuestModule* module(const std::string& name);
};

// ---- panels (panel_*.cpp) ----
void draw_game_view(Editor& ed);      // panel_game.cpp
void draw_modules(Editor& ed);        //   "
void draw_profiler(Editor& ed);       //   "
void draw_timeline(Editor& ed);       // panel_timeline.cpp
void draw_source(Editor& ed);         // panel_code.cpp
void draw_disassembly(Editor& ed);    //   "
void draw_call_stack(Editor& ed);     // panel_inspect.cpp
void draw_locals(Editor& ed);         //   "
void draw_operand_stack(Editor& ed);  //   "
void draw_breakpoints(Editor& ed);    //   "
void draw_variables(Editor& ed);      // panel_variables.cpp
void draw_globals(Editor& ed);        //   "
void draw_memory(Editor& ed);         // panel_memory.cpp
void draw_console(Editor& ed);        // panel_console.cpp

}  // namespace glint::editor
