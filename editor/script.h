// The editor's commands, from a file (glint-editor --script FILE) or typed in the console.
// They drive the real editor, one UI frame at a time, which is how the tests run it under Xvfb:
//
//   break main.c:120 [MODULE]  a breakpoint at FILE:LINE, a function, or 0xOFFSET
//   continue                   run on (also: pause, restart)
//   wait stop [SECONDS]        until the game stops in the debugger (default 30 s)
//   step over|into|out|instr   one step by source line (by instruction without DWARF, or instr)
//   print VAR                  a variable of the selected frame ("p.pos.x", "$2" for a local)
//   expect VAR VALUE           print, and fail the script unless it shows VALUE
//   set VAR VALUE              write a variable; the code goes on with the new value
//   frames N                   let N game frames run
//   reload [MODULE [FILE]]     hot reload (of every module whose file changed, without MODULE)
//   timeline [hold|seek F|back N|resume|save FROM TO FILE|keep SECONDS]  the rewind timeline:
//                              show a kept frame, play on from it, save frames as a replay
//   key KEY down|up            a key press: the debugger's keys (an SDL event, as a pressed
//                              key's) act on it before the next command, others go to the game
//   audio silent|playing       check that the sound device mixes nothing, or mixes
//   screenshot FILE.png        the whole editor window as it looks now
//   quit [CODE]
//
// A command that fails says why in the console, and the script goes on; at `quit` the editor
// exits with 1 if any did (or CODE if given).
#pragma once
#include <chrono>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "editor.h"

namespace glint::editor {

class Script {
 public:
  explicit Script(Editor& ed) : ed_(ed) {}
  // Queues the commands of a file; false (and `error`) if it cannot be read.
  bool load(const std::string& path, std::string& error);
  // Runs a typed command after the ones waiting.
  void submit(const std::string& line);
  // Once per UI frame, after Session::begin_frame: runs commands until one has to wait.
  void tick();
  // A screenshot this frame should be written to (the app writes it after drawing), or "".
  std::string screenshot_due();
  void screenshot_done(bool ok, const std::string& error);

  bool quit() const { return quit_; }
  // Commands are left to run (or one is waiting).
  bool active() const { return !lines_.empty() || wait_ != Wait::None; }
  int exit_code() const { return exit_code_ ? *exit_code_ : failures_ ? 1 : 0; }
  int failures() const { return failures_; }
  static std::string help();

 private:
  struct Line {
    std::string text;
    std::string origin;  // "FILE:LINE" or "console"
  };
  enum class Wait { None, Stop, Frames, Screenshot, Key };

  void run(const Line& line);
  bool waiting();  // true while the last command's wait goes on
  void fail(const std::string& why);
  void ok(const std::string& text);
  // The value of VAR at the selected frame, as print shows it.
  std::optional<std::string> evaluate(const std::string& var, std::string& error);
  std::optional<glint::Variable> variable(const std::string& path, std::string& error);

  void cmd_break(const std::vector<std::string>& args);
  void cmd_step(const std::vector<std::string>& args);
  void cmd_print(const std::vector<std::string>& args, bool expect);
  void cmd_key(const std::vector<std::string>& args);
  void cmd_wait(const std::vector<std::string>& args);
  void cmd_timeline(const std::vector<std::string>& args);
  void cmd_audio(const std::string& want);
  void set_timeout(double seconds);  // of the wait just started

  Editor& ed_;
  std::deque<Line> lines_;
  std::string origin_;  // of the command running
  Wait wait_ = Wait::None;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::duration wait_timeout_{};
  uint64_t wait_after_stop_ = 0, wait_until_frame_ = 0, wait_keys_ = 0;
  std::string wait_key_;        // the debugger's key waited for
  uint64_t resumed_after_ = 0;  // the stops seen when a command last let the game go on
  int settle_frames_ = 0;
  std::string screenshot_path_;
  int failures_ = 0;
  std::optional<int> exit_code_;
  bool quit_ = false;
  bool yield_ = false;  // the command run asked the game to go on: wait for the next frame
};

// The debugger's keys (F5 continue, Shift+F5 restart, F6 pause, F9 breakpoint, F10 step over,
// F11 step into, Shift+F11 step out): true if `key` is one and was acted on.
bool debugger_key(Editor& ed, SDL_Scancode key, bool shift);

}  // namespace glint::editor
