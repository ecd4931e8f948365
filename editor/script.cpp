// The editor's commands (script.h).
#include "script.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "places.h"

namespace glint::editor {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// The text after the first `n` words.
std::string rest_after(const std::string& s, size_t n) {
  size_t i = 0;
  for (size_t w = 0; w < n; ++w) {
    i = s.find_first_not_of(" \t", i);
    if (i == std::string::npos) return "";
    i = s.find_first_of(" \t", i);
    if (i == std::string::npos) return "";
  }
  size_t start = s.find_first_not_of(" \t", i);
  if (start == std::string::npos) return "";
  size_t end = s.find_last_not_of(" \t");
  return s.substr(start, end - start + 1);
}

// Equal as text, or as numbers (so "480" matches "480.0" and floats printed with 9 digits).
bool same_value(const std::string& got, const std::string& want) {
  if (got == want) return true;
  char *end_got = nullptr, *end_want = nullptr;
  double a = std::strtod(got.c_str(), &end_got), b = std::strtod(want.c_str(), &end_want);
  if (got.empty() || want.empty() || *end_got || *end_want) return false;
  return a == b || std::fabs(a - b) <= 1e-6 * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

void Script::set_timeout(double seconds) {
  wait_timeout_ = std::chrono::milliseconds(int64_t(seconds * 1000));
  deadline_ = Clock::now() + wait_timeout_;
}

std::string Script::help() {
  return "commands (glint-editor --script FILE, or typed here):\n"
         "  break WHERE [MODULE] [if VAR OP NUMBER] [hits N] [once]\n"
         "                         breakpoint at FILE:LINE, a function name, or 0xOFFSET (in\n"
         "                         MODULE, or the first module where WHERE is found)\n"
         "  delete N|all           remove breakpoint N (numbers: breakpoints panel)\n"
         "  continue | pause | restart\n"
         "  wait stop [SECONDS]    until the game stops in the debugger (default 30)\n"
         "  step over|into|out|instr\n"
         "  print VAR              a variable of the selected frame (p.pos.x, a[2], *p, a\n"
         "                         global), or $N for wasm local N\n"
         "  expect VAR VALUE       fail unless VAR shows VALUE (numbers compare as numbers)\n"
         "  set VAR VALUE          write a variable (or $N), the code goes on with it\n"
         "  locals                 the selected frame's variables (its wasm locals without DWARF)\n"
         "  frame N [DEPTH]        select frame N of the call stack (DEPTH: an inlined one)\n"
         "  frames N               let N game frames run\n"
         "  reload [MODULE [FILE]] hot-reload MODULE from its file (or FILE: a new build of it),\n"
         "                         keeping its state; no MODULE: every module whose file changed\n"
         "  restart-new-build MODULE  start the new build a reload could not carry the state to\n"
         "  timeline [hold | seek FRAME | back N | resume | save FROM TO FILE | keep SECONDS]\n"
         "                         the rewind timeline: what it keeps; stop between frames;\n"
         "                         show a kept frame (the game holds there); play on from the\n"
         "                         frame shown; kept frames as a replay file (glint-demo\n"
         "                         --replay checks it); how many seconds it keeps\n"
         "  audio silent|playing   check the sound device: mixing nothing (paused), or mixing\n"
         "                         (fails otherwise)\n"
         "  key KEY down|up        a key (SDL name: Left, Space, A); F5/F6/F9/F10/F11 act on\n"
         "                         the debugger (Shift+F5, Shift+F11 too) as pressed keys do,\n"
         "                         and the next command waits until they have; others go to\n"
         "                         the game\n"
         "  memory ADDR|VAR        show memory there (where VAR lives)\n"
         "  source FILE[:LINE]     show a source file\n"
         "  disasm FUNC|0xOFFSET   show the disassembly there\n"
         "  panel NAME             bring a panel to the front (Source, Locals, Memory, ...)\n"
         "  screenshot FILE.png    the editor window as it is now\n"
         "  quit [CODE]            exit (code 1 if a command failed, unless CODE)\n"
         "  help";
}

bool Script::load(const std::string& path, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read the script '" + path + "'";
    return false;
  }
  int n = 0;
  for (std::string text; std::getline(in, text);) {
    ++n;
    if (auto hash = text.find('#'); hash != std::string::npos) text.resize(hash);
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    lines_.push_back({text, path + ":" + std::to_string(n)});
  }
  return true;
}

void Script::submit(const std::string& line) { lines_.push_back({line, "console"}); }

void Script::fail(const std::string& why) {
  ++failures_;
  ed_.console.error(origin_ + ": " + why);
}

void Script::ok(const std::string& text) { ed_.console.output(text); }

void Script::tick() {
  if (ed_.session.state() == RunState::Loading) return;  // commands start once the game is open
  // A command that asks the game to run (continue, pause, restart, the debugger's keys) ends
  // the tick: the session acts on it at the end of this UI frame, and the next command must see
  // what it did.
  yield_ = false;
  while (!quit_ && !yield_ && !waiting() && !lines_.empty()) {
    Line line = std::move(lines_.front());
    lines_.pop_front();
    run(line);
  }
}

bool Script::waiting() {
  Session& s = ed_.session;
  // Time spent opening the modules does not count: on a busy machine (or under valgrind) it
  // can take longer than any wait.
  if (s.state() == RunState::Loading) deadline_ = Clock::now() + wait_timeout_;
  bool late = Clock::now() > deadline_;
  switch (wait_) {
    case Wait::None:
      return false;
    case Wait::Stop:
      if (s.state() == RunState::Stopped && s.stop_count() > wait_after_stop_) break;
      if (late) fail("no stop came in time");
      if (late) break;
      return true;
    case Wait::Frames:
      if (s.frames_played() >= wait_until_frame_) break;
      if (s.state() == RunState::Stopped) {
        ok("frames: stopped in the debugger before the last frame");
        break;
      }
      if (late) fail("the frames did not run in time");
      if (late) break;
      return true;
    case Wait::Screenshot:
      return !screenshot_path_.empty();
    case Wait::Key:  // until the frame after the one that acted on it: its action is done
      if (ed_.debugger_keys >= wait_keys_) break;
      if (late) fail("key " + wait_key_ + ": the editor did not act on it");
      if (late) break;
      return true;
  }
  wait_ = Wait::None;
  return false;
}

std::string Script::screenshot_due() {
  if (screenshot_path_.empty()) return "";
  // Two frames after the command: scrolls and layouts asked for by earlier commands are
  // applied by then.
  return settle_frames_-- > 0 ? "" : screenshot_path_;
}

void Script::screenshot_done(bool done, const std::string& error) {
  char where[96];  // where the game's picture is in it (tests compare it across screenshots)
  std::snprintf(where, sizeof where, " (game view: %d %d %d %d)", int(ed_.game_x), int(ed_.game_y),
                int(ed_.game_w), int(ed_.game_h));
  if (done)
    ok("screenshot: " + screenshot_path_ + where);
  else
    fail("screenshot " + screenshot_path_ + ": " + error);
  screenshot_path_.clear();
}

std::optional<std::string> Script::evaluate(const std::string& var, std::string& error) {
  auto v = variable(var, error);
  if (!v) return std::nullopt;
  return v->value;
}

std::optional<glint::Variable> Script::variable(const std::string& path, std::string& error) {
  const glint::DebugFrame* f = ed_.session.frame();
  if (!f) {
    error = "not stopped in the debugger";
    return std::nullopt;
  }
  auto v = glint::find_variable(*f, path, ed_.session.selected_depth());
  if (!v) {
    error = v.error().message;
    return std::nullopt;
  }
  return *v;
}

void Script::run(const Line& line) {
  origin_ = line.origin;
  std::vector<std::string> args = split(line.text);
  if (args.empty()) return;
  ed_.console.add(ConsoleLine::Kind::Command, line.text);
  const std::string& cmd = args[0];
  Session& s = ed_.session;
  if (cmd == "break") {
    cmd_break(args);
  } else if (cmd == "delete" && args.size() == 2) {
    if (args[1] == "all") {
      for (const UserBreakpoint& bp : s.breakpoints()) s.remove_breakpoint(bp.number);
    } else if (auto n = parse_number(args[1]); !n || !s.remove_breakpoint(int(*n))) {
      fail("no breakpoint " + args[1]);
    }
  } else if (cmd == "continue" || cmd == "pause" || cmd == "restart") {
    resumed_after_ = s.stop_count();
    cmd == "continue" ? s.continue_running() : cmd == "pause" ? s.pause() : s.restart();
    yield_ = true;
  } else if (cmd == "wait") {
    cmd_wait(args);
  } else if (cmd == "step") {
    cmd_step(args);
  } else if (cmd == "print" && args.size() >= 2) {
    cmd_print(args, false);
  } else if (cmd == "expect" && args.size() >= 3) {
    std::vector<std::string> a = {cmd, args[1], rest_after(line.text, 2)};
    cmd_print(a, true);
  } else if (cmd == "locals") {
    const glint::DebugFrame* f = s.frame();
    if (!f) return fail("locals: not stopped in the debugger");
    std::vector<glint::Variable> vars = glint::frame_variables(*f, s.selected_depth());
    if (vars.empty()) {
      for (size_t i = 0; i < f->locals.size(); ++i)
        ok("$" + std::to_string(i) + " = " + format_value(f->locals[i]));
    }
    for (const glint::Variable& v : vars) ok(v.name + " = " + v.value);
  } else if (cmd == "frame" && (args.size() == 2 || args.size() == 3)) {
    auto n = parse_number(args[1]);
    auto depth = args.size() == 3 ? parse_number(args[2]) : std::optional<uint64_t>(0);
    const auto* stop = s.stop();
    if (!stop || !n || !depth || *n >= stop->stop.frames.size()) {
      fail("no frame " + args[1]);
    } else {
      s.select_frame(size_t(*n), size_t(*depth));
      ed_.follow_stop();
      const glint::SourceLoc* src = s.frame_source();
      ok("frame " + args[1] + ": " +
         (src ? src->function + " (" + file_name(src->file) + ":" + std::to_string(src->line) + ")"
              : describe(stop->module->name, *s.frame())));
    }
  } else if (cmd == "frames" && args.size() == 2) {
    auto n = parse_number(args[1]);
    if (!n) return fail("frames: expected a number");
    wait_ = Wait::Frames;
    wait_until_frame_ = s.frames_played() + *n;
    set_timeout(30 + double(*n) * 0.1);
  } else if (cmd == "key") {
    cmd_key(args);
  } else if (cmd == "audio" && args.size() == 2) {
    cmd_audio(args[1]);
  } else if (cmd == "timeline") {
    cmd_timeline(args);
  } else if (cmd == "reload" && args.size() <= 3) {
    if (args.size() > 1 && !s.module_info(args[1])) return fail("reload: no module " + args[1]);
    s.reload(args.size() > 1 ? args[1] : "", args.size() > 2 ? args[2] : "");
  } else if (cmd == "restart-new-build" && args.size() == 2) {
    if (!s.restart_new_build(args[1]))
      fail("restart-new-build: " + args[1] + " has no new build waiting (see reload)");
  } else if (cmd == "set" && args.size() >= 3) {
    std::string value = rest_after(line.text, 2);
    auto r = s.write_variable(args[1], value);
    if (!r) return fail("set " + args[1] + ": " + r.error().message);
    std::string error;
    ok(args[1] + " = " + evaluate(args[1], error).value_or(value));
  } else if (cmd == "source" && args.size() == 2) {
    size_t colon = args[1].rfind(':');
    std::string file = colon == std::string::npos ? args[1] : args[1].substr(0, colon);
    uint32_t at = colon == std::string::npos ? 1 : uint32_t(std::atoi(args[1].c_str() + colon + 1));
    bool shown = false;
    for (const ModuleInfo& m : s.modules()) {
      if (!m.module || shown) continue;
      for (const std::string& f : glint::source_files(*m.module)) {
        if (f != file && !(f.size() > file.size() && f.ends_with("/" + file))) continue;
        ed_.show_source(m.name, f, std::max(1u, at));
        ed_.code.line = std::max(1u, at);
        shown = true;
        break;
      }
    }
    if (!shown) fail("source: no module's DWARF names a file " + file);
  } else if (cmd == "memory" && args.size() == 2) {
    std::string error;
    std::optional<uint64_t> address = parse_number(args[1]);
    if (!address) {
      if (auto v = variable(args[1], error); v && v->address)
        address = *v->address;
      else if (v && v->scalar)
        address = uint32_t(v->scalar->bits);  // a wasm local holding an address
    }
    if (!address) return fail("memory: " + (error.empty() ? "not in memory" : error));
    if (const auto* stop = s.stop()) ed_.memory.module = stop->module->name;
    ed_.memory.address = *address & ~uint64_t(15);
    ed_.memory.scroll = ed_.memory.moved = true;
    ed_.select_panel["Memory"] = true;
  } else if (cmd == "disasm" && args.size() == 2) {
    const ModuleInfo* info = s.module_info(ed_.code.module);
    std::optional<uint32_t> offset = parse_offset(args[1]);
    for (const ModuleInfo& m : s.modules()) {
      if (offset || !m.module) break;
      if (auto f = glint::function_code_offset(*m.module, args[1])) {
        offset = *f;
        info = &m;
      }
    }
    if (!offset || !info) return fail("disasm: no function or offset " + args[1]);
    ed_.show_offset(info->name, *offset);
  } else if (cmd == "panel" && args.size() >= 2) {
    ed_.select_panel[rest_after(line.text, 1)] = true;
  } else if (cmd == "screenshot" && args.size() == 2) {
    screenshot_path_ = args[1];
    settle_frames_ = 2;
    wait_ = Wait::Screenshot;
  } else if (cmd == "quit") {
    if (args.size() == 2) exit_code_ = std::atoi(args[1].c_str());
    quit_ = true;
  } else if (cmd == "help") {
    ok(help());
  } else {
    fail("unknown command or wrong arguments: " + line.text + " (help lists the commands)");
  }
}

// break WHERE [MODULE] [if PATH OP NUMBER] [hits N] [once]
void Script::cmd_break(const std::vector<std::string>& args) {
  if (args.size() < 2)
    return fail("break: expected break WHERE [MODULE] [if VAR OP NUMBER] [hits N]");
  std::string module;
  glint::BreakCondition condition;
  for (size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "if" && i + 3 < args.size()) {
      condition.test = args[i + 1] + " " + args[i + 2] + " " + args[i + 3];
      i += 3;
    } else if (args[i] == "hits" && i + 1 < args.size()) {
      condition.hit_count = uint32_t(std::atoi(args[++i].c_str()));
    } else if (args[i] == "once") {
      condition.once = true;
    } else if (module.empty()) {
      module = args[i];
    } else {
      return fail("break: what is '" + args[i] + "'?");
    }
  }
  const UserBreakpoint& bp = ed_.session.add_breakpoint(module, args[1], condition);
  if (!bp.error.empty()) return fail("break " + args[1] + ": " + bp.error);
  std::string text = "breakpoint " + std::to_string(bp.number);
  text += " in " + bp.module + " at";
  if (bp.line) text += ' ' + file_name(bp.file) + ':' + std::to_string(bp.line);
  for (uint32_t off : bp.offsets) text += ' ' + hex(off);
  ok(text);
}

// timeline | timeline seek FRAME | timeline back N | timeline resume
void Script::cmd_timeline(const std::vector<std::string>& args) {
  Session& s = ed_.session;
  const TimelineInfo& t = s.timeline();
  if (args.size() == 1) {
    if (!t.on) return fail("timeline: there is none (--rewind 0)");
    return ok("timeline: frames " + std::to_string(t.first) + ".." + std::to_string(t.last) +
              " kept, the game is at " + std::to_string(t.current));
  }
  if (args.size() == 2 && args[1] == "resume") {
    // No yield: play starts at the end of this UI frame, so a `frames N` right after counts
    // every step from the frame resumed at.
    if (s.state() != RunState::Paused) return fail("timeline resume: the game is not held");
    s.continue_running();
    return ok("timeline: playing on from frame " + std::to_string(t.current));
  }
  if (args.size() == 2 && args[1] == "hold") {
    if (s.state() != RunState::Running) return fail("timeline hold: the game is not running");
    s.hold();
    return ok("timeline: holding");
  }
  if (args.size() == 5 && args[1] == "save") {
    auto from = parse_number(args[2]), to = parse_number(args[3]);
    if (!from || !to) return fail("timeline save: expected timeline save FROM TO FILE");
    std::string error;
    size_t bytes = s.save_range(*from, *to, args[4], error);
    if (!bytes) return fail("timeline save: " + error);
    return ok("timeline: frames " + args[2] + ".." + args[3] + " saved to " + args[4] + " (" +
              std::to_string(bytes) + " bytes)");
  }
  if (args.size() == 3 && args[1] == "keep") {
    auto seconds = parse_number(args[2]);
    if (!seconds || *seconds == 0) return fail("timeline keep: expected a number of seconds");
    s.set_timeline_frames(size_t(*seconds) * 60);
    return ok("timeline: keeps " + std::to_string(s.timeline().max_frames) + " frames");
  }
  auto n = args.size() == 3 ? parse_number(args[2]) : std::nullopt;
  if (!n || (args[1] != "seek" && args[1] != "back"))
    return fail(
        "timeline: expected timeline [hold | seek FRAME | back N | resume | save FROM "
        "TO FILE | keep SECONDS]");
  uint64_t frame = args[1] == "seek" ? *n : t.current - std::min(*n, t.current);
  std::string error;
  if (!s.seek(frame, error)) return fail("timeline " + args[1] + ": " + error);
  ok("timeline: the game is back at frame " + std::to_string(frame));
}

void Script::cmd_wait(const std::vector<std::string>& args) {
  if (args.size() < 2 || args[1] != "stop") return fail("wait: expected wait stop [SECONDS]");
  double seconds = args.size() > 2 ? std::atof(args[2].c_str()) : 30;
  wait_ = Wait::Stop;
  wait_after_stop_ = resumed_after_;  // a stop since the game last went on counts
  set_timeout(seconds);
}

void Script::cmd_step(const std::vector<std::string>& args) {
  static const std::pair<const char*, StepKind> kinds[] = {{"over", StepKind::Over},
                                                           {"into", StepKind::Into},
                                                           {"out", StepKind::Out},
                                                           {"instr", StepKind::Instruction}};
  if (args.size() != 2) return fail("step: expected step over|into|out|instr");
  if (ed_.session.state() != RunState::Stopped) return fail("step: not stopped in the debugger");
  for (auto [name, kind] : kinds) {
    if (args[1] != name) continue;
    wait_ = Wait::Stop;
    wait_after_stop_ = resumed_after_ = ed_.session.stop_count();
    set_timeout(30);
    ed_.session.step(kind);
    return;
  }
  fail("step: expected over, into, out or instr, not " + args[1]);
}

void Script::cmd_print(const std::vector<std::string>& args, bool expect) {
  std::string error;
  std::optional<std::string> value = evaluate(args[1], error);
  if (!value) return fail((expect ? "expect " : "print ") + args[1] + ": " + error);
  if (!expect) return ok(args[1] + " = " + *value);
  if (same_value(*value, args[2]))
    ok("ok: " + args[1] + " = " + *value);
  else
    fail("expected " + args[1] + " = " + args[2] + ", got " + *value);
}

// The debugger's keys take the path of a key pressed on the keyboard: an SDL event in SDL's
// queue, ImGui's SDL backend, handle_debugger_keys (the next UI frame). Other keys go to the
// game's input.
void Script::cmd_key(const std::vector<std::string>& args) {
  if (args.size() != 3 || (args[2] != "down" && args[2] != "up"))
    return fail("key: expected key KEY down|up");
  std::string name = args[1];
  bool shift = name.rfind("Shift+", 0) == 0;
  if (shift) name = name.substr(6);
  SDL_Scancode key = SDL_GetScancodeFromName(name.c_str());
  if (key == SDL_SCANCODE_UNKNOWN) return fail("key: no key named '" + args[1] + "'");
  bool down = args[2] == "down";
  if (key < SDL_SCANCODE_F1 || key > SDL_SCANCODE_F12) return ed_.session.game_key(key, down);
  // ImGui's backend reads Shift from SDL's modifier state, as it is when the event comes.
  if (down) SDL_SetModState(shift ? KMOD_LSHIFT : KMOD_NONE);
  SDL_Event e{};
  e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
  e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
  e.key.keysym.scancode = key;
  e.key.keysym.sym = SDL_GetKeyFromScancode(key);
  e.key.keysym.mod = Uint16(shift ? KMOD_LSHIFT : KMOD_NONE);
  if (SDL_PushEvent(&e) < 0) return fail(std::string("key: ") + SDL_GetError());
  bool debugger = key == SDL_SCANCODE_F5 || key == SDL_SCANCODE_F6 || key == SDL_SCANCODE_F9 ||
                  key == SDL_SCANCODE_F10 || key == SDL_SCANCODE_F11;
  if (!down || !debugger) return;
  // The key acts in a later UI frame, after this tick (the event is read at the frame's
  // start): the next command waits until it has, or a `frames` after F5 would see the game
  // still stopped.
  resumed_after_ = ed_.session.stop_count();  // a `wait stop` after it waits for a new stop
  wait_ = Wait::Key;
  wait_keys_ = ed_.debugger_keys + 1;
  wait_key_ = args[1];
  set_timeout(10);
}

// audio silent: the sound device mixes nothing for 100 ms (paused: its callback is not
// called); audio playing: it mixes within 300 ms.
void Script::cmd_audio(const std::string& want) {
  host::Audio* audio = ed_.session.audio();
  if (!audio || !audio->is_open()) return fail("audio: no sound device (--no-audio?)");
  if (want != "silent" && want != "playing") return fail("audio: expected silent or playing");
  uint64_t before = audio->frames_mixed();
  bool mixed = false;
  for (int i = 0; i < 30 && !mixed; i++) {  // up to 300 ms: a device mixes every few ms
    SDL_Delay(10);
    mixed = audio->frames_mixed() != before;
    if (want == "silent" && i == 9) break;
  }
  std::string seen = mixed ? "mixing" : "nothing mixed";
  if ((want == "silent") == mixed) return fail("audio: expected " + want + ", " + seen);
  ok("audio: " + want + " (" + seen + ")");
}

bool debugger_key(Editor& ed, SDL_Scancode key, bool shift) {
  Session& s = ed.session;
  switch (key) {
    case SDL_SCANCODE_F5:
      shift ? s.restart() : s.continue_running();
      return true;
    case SDL_SCANCODE_F6:
      s.pause();
      return true;
    case SDL_SCANCODE_F9:  // on the line (or instruction) selected in the code view shown
      if (ed.code.module.empty()) return true;
      if (ed.code.source_active && !ed.code.file.empty() && ed.code.line)
        s.toggle_breakpoint(ed.code.module, ed.code.file + ":" + std::to_string(ed.code.line),
                            ed.code.file, ed.code.line);
      else
        s.toggle_breakpoint(ed.code.module, hex(ed.code.offset));
      return true;
    case SDL_SCANCODE_F10:
      s.step(StepKind::Over);
      return true;
    case SDL_SCANCODE_F11:
      s.step(shift ? StepKind::Out : StepKind::Into);
      return true;
    default:
      return false;
  }
}

}  // namespace glint::editor
