// `glint run`: a WASI command's _start, or one export with --invoke.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "glint/glint.h"
#include "glint/wasi.h"

namespace glint::cli {
namespace {

// Exit status for a trapped guest: 128 + SIGABRT, as a crashed native program would report.
constexpr int kTrapExit = 134;

Result<Value> parse_arg(const std::string& s, ValType t) {
  try {
    size_t used = 0;
    Value v;
    switch (t) {
      case ValType::I32:
        v = Value::i32(int32_t(std::stoll(s, &used, 0)));
        break;
      case ValType::I64:
        v = Value::i64(int64_t(std::stoll(s, &used, 0)));
        break;
      case ValType::F32:
        v = Value::f32(std::stof(s, &used));
        break;
      case ValType::F64:
        v = Value::f64(std::stod(s, &used));
        break;
      default:
        return Error{ErrorKind::Usage,
                     "cannot pass a " + std::string(to_string(t)) + " from the command line"};
    }
    if (used != s.size()) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    return Error{ErrorKind::Usage, "'" + s + "' is not a valid " + to_string(t)};
  }
}

void print_value(const Value& v) {
  switch (v.type) {
    case ValType::I32:
      std::printf("%" PRId32 "\n", v.as_i32());
      break;
    case ValType::I64:
      std::printf("%" PRId64 "\n", v.as_i64());
      break;
    case ValType::F32:
      std::printf("%.9g\n", double(v.as_f32()));
      break;
    case ValType::F64:
      std::printf("%.17g\n", v.as_f64());
      break;
    default:
      std::printf("%s\n", v.to_string().c_str());
  }
}

// A stack overflow's backtrace has tens of thousands of frames: show the innermost and the
// outermost ones, and say how many were left out.
constexpr size_t kInnerFrames = 20, kOuterFrames = 5;

std::string describe(const Error& e) {
  if (!e.trap || e.trap->backtrace.size() <= kInnerFrames + kOuterFrames) return e.to_string();
  Trap shown = *e.trap;
  size_t omitted = shown.backtrace.size() - kInnerFrames - kOuterFrames;
  shown.backtrace.erase(shown.backtrace.begin() + kInnerFrames,
                        shown.backtrace.end() - kOuterFrames);
  std::string s = std::string(to_string(e.kind)) + ": " + shown.to_string();  // as Error::to_string
  // The message is one line, then one line per frame: insert the note after the inner frames.
  size_t pos = s.find('\n');
  for (size_t i = 0; i < kInnerFrames && pos != std::string::npos; i++) pos = s.find('\n', pos + 1);
  if (pos != std::string::npos)
    s.insert(pos, "\n    ... " + std::to_string(omitted) + " more frames ...");
  return s;
}

// --break: stops are printed to stderr, up to this many (a breakpoint in a hot loop would
// otherwise bury the program's own output).
constexpr size_t kShownStops = 100;

// "[1 (i32), 2.5 (f64)]": an operand stack, bottom first.
std::string stack_text(const std::vector<Value>& stack) {
  std::string text;
  for (const Value& v : stack)
    text += (text.empty() ? "" : ", ") + v.to_string() + " (" + to_string(v.type) + ")";
  return "[" + text + "]";
}

// "'update' at player.c:42:5 (offset 0x1a2)", or "'update' at offset 0x1a2" without DWARF.
std::string place(const DebugFrame& f) {
  char offset[32];
  std::snprintf(offset, sizeof offset, "offset 0x%x", f.code_offset);
  if (f.source.empty() || f.source[0].line == 0) return "'" + f.func_name + "' at " + offset;
  const SourceLoc& s = f.source[0];
  std::string name = s.function.empty() ? f.func_name : s.function;
  std::string where = s.file;
  where.append(":").append(std::to_string(s.line));
  if (s.column) where.append(":").append(std::to_string(s.column));
  return "'" + name + "' at " + where + " (" + offset + ")";
}

// "hp = 10 (int), pos = {x = 1, y = 2} (struct Vec2)": the source variables of a stop.
std::string variables_text(const DebugFrame& f) {
  std::string text;
  for (const Variable& v : frame_variables(f))
    text += (text.empty() ? "" : ", ") + v.name + " = " + v.value + " (" + v.type + ")";
  return text;
}

void print_stop(const DebugStop& s, size_t n) {
  const DebugFrame& top = s.frames[0];
  const Module& m = top.instance->module();
  std::fflush(stdout);
  std::fprintf(stderr, "glint: break %zu in %s\n", n, place(top).c_str());
  std::string variables = variables_text(top);
  if (!variables.empty()) std::fprintf(stderr, "  variables: %s\n", variables.c_str());
  std::string locals;
  for (uint32_t i = 0; i < top.locals.size(); i++) {
    std::string name = m.local_name(top.func_index, i);
    if (name.empty()) name.append("$").append(std::to_string(i));
    if (i > 0) locals += ", ";
    locals += name;
    locals += " = ";
    locals += top.dead[i] ? "dead" : top.locals[i].to_string();  // overwritten before read
    locals += std::string(" (") + to_string(top.locals[i].type) + ")";
  }
  if (!locals.empty()) std::fprintf(stderr, "  locals: %s\n", locals.c_str());
  if (top.has_stack) std::fprintf(stderr, "  stack: %s\n", stack_text(top.stack).c_str());
  for (size_t i = 1; i < s.frames.size(); i++) {
    const DebugFrame& f = s.frames[i];
    std::string stack = f.has_stack ? ", stack " + stack_text(f.stack) : "";
    std::fprintf(stderr, "  called from %s%s\n", place(f).c_str(), stack.c_str());
  }
  if (n == kShownStops) std::fprintf(stderr, "glint: further stops are not shown\n");
}

int report(const Error& e) {
  std::fflush(stdout);
  std::cerr << "error: " << describe(e) << "\n";
  return e.kind == ErrorKind::Trap ? kTrapExit : 1;
}

}  // namespace

int run_module(const RunOptions& o) {
  auto module = Module::load_file(o.file);
  if (!module) return report(module.error());

  wasi::Config config;
  config.args.push_back(std::filesystem::path(o.file).filename().string());
  if (o.invoke.empty()) config.args.insert(config.args.end(), o.args.begin(), o.args.end());
  config.env = o.env;
  for (const auto& d : o.dirs) {
    size_t sep = d.find("::");
    wasi::Preopen p{d.substr(0, sep), sep == std::string::npos ? d : d.substr(sep + 2)};
    if (!std::filesystem::is_directory(p.host_path)) {
      std::cerr << "error: --dir " << d << ": '" << p.host_path << "' is not a directory\n";
      return 1;
    }
    config.preopens.push_back(p);
  }
  for (const std::string& where : o.breaks) {
    auto b = add_breakpoint(**module, where);
    if (!b) {
      std::cerr << "error: --break " << where << ": " << b.error().message << "\n";
      return 1;
    }
  }
  Store store;
  size_t stops = 0;
  if (!o.breaks.empty())
    store.set_debug_handler([&stops](const DebugStop& s) {
      if (++stops <= kShownStops) print_stop(s, stops);
      return DebugAction::Continue;
    });
  if (o.fuel >= 0) store.set_fuel(uint64_t(o.fuel));
  Linker linker;
  wasi::add_to_linker(linker, config);

  if (o.invoke.empty()) {
    auto code = wasi::run_command(store, linker, *module);
    if (!code) return report(code.error());
    std::fflush(stdout);
    return *code;
  }
  auto inst = linker.instantiate(store, *module);
  if (!inst) return report(inst.error());
  Function* f = (*inst)->func(o.invoke);
  if (!f) {
    std::cerr << "error: no exported function '" << o.invoke << "'\n";
    return 1;
  }
  const FuncType& t = f->type();
  if (o.args.size() != t.params.size()) {
    std::cerr << "error: '" << o.invoke << "' has type " << t.to_string() << ": expected "
              << t.params.size() << " arguments, got " << o.args.size() << "\n";
    return 1;
  }
  std::vector<Value> args;
  for (size_t i = 0; i < o.args.size(); i++) {
    auto v = parse_arg(o.args[i], t.params[i]);
    if (!v) return report(v.error());
    args.push_back(*v);
  }
  auto results = store.call(f, args);
  if (!results) return report(results.error());
  for (const Value& v : *results) print_value(v);
  return 0;
}

}  // namespace glint::cli
