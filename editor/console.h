// The console's lines: guest logs, traps (with the place they happened, which the panel makes
// clickable), the debugger's messages and the output of typed or scripted commands. Lines may
// come from the game thread (logs, traps) and the UI thread; the panel reads them on the UI
// thread. Every line is echoed to stdout or stderr too, so scripted sessions leave a log.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace glint::editor {

// A place a console line points at: a module's code offset, and its source line where known.
struct CodePlace {
  std::string module;
  uint32_t code_offset = 0;
  std::string file;  // "" without DWARF
  uint32_t line = 0;
};

struct ConsoleLine {
  enum class Kind { Info, Warn, Error, Command, Output };
  Kind kind = Kind::Info;
  std::string text;
  std::vector<CodePlace> places;  // a trap's backtrace, innermost first
};

class Console {
 public:
  // `echo`: also print it (guest logs are printed by the Game already).
  void add(ConsoleLine::Kind kind, std::string text, std::vector<CodePlace> places = {},
           bool echo = true);
  void info(std::string text) { add(ConsoleLine::Kind::Info, std::move(text)); }
  void output(std::string text) { add(ConsoleLine::Kind::Output, std::move(text)); }
  void error(std::string text) { add(ConsoleLine::Kind::Error, std::move(text)); }
  // Lines added since `first` (UI thread).
  std::vector<ConsoleLine> lines_since(size_t first) const;
  size_t size() const;
  void clear();
  // Keep only the last lines: a chatty guest must not grow the editor without bound.
  static constexpr size_t kMaxLines = 20000;

 private:
  mutable std::mutex mutex_;
  std::vector<ConsoleLine> lines_;
  size_t dropped_ = 0;  // lines dropped from the front, so indices stay stable
};

}  // namespace glint::editor
