// Running a game's modules: lifecycle, guarded calls, restart and hot reload, state hash.
#include "glint_host/game.h"

#include <algorithm>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <ctime>
#if __has_include(<sys/resource.h>)
#include <sys/resource.h>
#endif

#include "api.h"
#include "glint/snapshot.h"
#include "glint_host/api_table.h"
#include "glint_host/font.h"

namespace fs = std::filesystem;

namespace glint::host {

// Script time is the CPU time of this thread: on a busy machine, wall-clock time would also
// count the time other processes ran, and the per-frame budget would measure the machine.
double thread_cpu_ms() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) * 1e-6;
#endif
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

// Page faults of this thread so far (the rewind timeline's write tracking takes them in the
// scripts). getrusage's kernel time is no use here: the kernel splits the thread's CPU time
// into user and kernel time by its ticks, so over a call it says little.
uint64_t thread_faults() {
#if defined(RUSAGE_THREAD)
  rusage u{};
  if (getrusage(RUSAGE_THREAD, &u) == 0) return uint64_t(u.ru_minflt) + uint64_t(u.ru_majflt);
#endif
  return 0;
}

uint64_t mix(uint64_t h, uint64_t v) {
  Rng r(h ^ v);
  return r.next64();
}

std::filesystem::file_time_type mtime_of(const std::string& path) {
  std::error_code ec;
  auto t = fs::last_write_time(path, ec);
  return ec ? fs::file_time_type{} : t;
}

// The exports the host calls, and the only types it accepts for them.
const glint::FuncType* expected_type(std::string_view name) {
  static const glint::FuncType none{}, update{{glint::ValType::F32}, {}};
  if (name == "update") return &update;
  if (name == "_initialize" || name == "init" || name == "draw" || name == "save" ||
      name == "load" || name == "on_reload")
    return &none;
  return nullptr;
}

}  // namespace

Game::Game(GameConfig config, Renderer& renderer, Audio* audio, Input& input)
    : config_(std::move(config)),
      renderer_(renderer),
      audio_(audio),
      input_(input),
      assets_(config_.assets_dir, &renderer, audio),
      save_(config_.save_path) {
  bind_api(base_linker_);
  std::string error;
  if (!save_.load(error)) std::fprintf(stderr, "glint: %s; starting without it\n", error.c_str());
}

Game::~Game() = default;

GuestModule* Game::find(std::string_view name) {
  for (auto& m : modules_)
    if (m->name == name) return m.get();
  return nullptr;
}

void Game::log(const GuestModule& m, Level level, std::string_view text) {
  static const char* const prefix[] = {"", "warning: ", "error: "};
  FILE* out = level == Level::Info ? stdout : stderr;
  std::fprintf(out, "[%s] %s%.*s\n", m.name.c_str(), prefix[int(level)], int(text.size()),
               text.data());
  if (hooks_.log) hooks_.log(m, level, text, nullptr);
  if (level == Level::Error) {
    recent_errors_.emplace_back(frame_, "[" + m.name + "] " + std::string(text));
    if (recent_errors_.size() > 4) recent_errors_.pop_front();
  }
}

// ---- lifecycle ----------------------------------------------------------------------------------

GuestModule& Game::add_module(const std::string& path) {
  auto bytes = glint::read_file(path);
  return add_module(path, bytes ? *bytes : std::vector<uint8_t>{});
}

GuestModule& Game::add_module(const std::string& path, std::span<const uint8_t> bytes) {
  modules_.push_back(std::make_unique<GuestModule>());
  GuestModule& m = *modules_.back();
  m.path = path;
  m.name = fs::path(path).stem().string();
  m.mtime = mtime_of(path);
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = glint::Module::load(bytes);
  m.load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!loaded) {
    glint::Error e = loaded.error();
    e.message = path + ": " + (bytes.empty() && !fs::exists(path) ? "no such file" : e.message);
    stop(m, "cannot load: " + e.to_string());
    return m;
  }
  m.module = *loaded;
  start(m, false);
  return m;
}

bool Game::start(GuestModule& m, bool reloading) {
  m.error.clear();
  m.inbox.clear();
  m.instance = nullptr;
  ++m.instance_generation;
  auto store = std::make_unique<glint::Store>();
  if (hooks_.store_created) hooks_.store_created(m, *store);
  m.store = std::move(store);  // destroys the previous instance
  m.api = std::make_unique<Api>(*this, m);
  m.store->user_data = m.api.get();

  glint::Linker linker = base_linker_;
  bind_wasi_stubs(linker, *m.module);
  m.store->set_fuel(config_.fuel);  // the start function, if any
  auto inst = linker.instantiate(*m.store, m.module);
  if (!inst) {
    stop(m, "cannot instantiate: " + inst.error().to_string());
    return false;
  }
  m.instance = *inst;
  if (!m.instance->func("update")) {
    stop(m, "the module exports no 'update' function");
    return false;
  }
  bool use_reload = reloading && m.instance->func("on_reload");
  // Start-up (init, which typically loads assets, and load) is loading time: it is kept out of
  // the per-frame script time, which is about update and draw.
  double frame_ms = frame_script_ms_;
  ModuleFrameStats frame_stats = m.frame_stats;
  bool ok = call(m, "_initialize", {}) && call(m, use_reload ? "on_reload" : "init", {}) &&
            (!save_.has(m.name) || call(m, "load", {}));
  frame_script_ms_ = frame_ms;
  m.frame_stats = frame_stats;
  return ok;
}

bool Game::call(GuestModule& m, const char* name, std::span<const glint::Value> args,
                std::vector<glint::Value>* results) {
  if (!m.running()) return false;
  std::optional<glint::Trap> trap;
  std::string why = try_call(m, name, args, results, &trap);
  if (why.empty()) return true;
  stop(m, why, trap ? &*trap : nullptr);
  return false;
}

std::string Game::try_call(GuestModule& m, const char* name, std::span<const glint::Value> args,
                           std::vector<glint::Value>* results, std::optional<glint::Trap>* trap) {
  glint::Function* f = m.instance->func(name);
  if (!f) return "";  // every export but update is optional
  if (const glint::FuncType* want = expected_type(name); want && f->type() != *want)
    return std::string("export '") + name + "' has type " + f->type().to_string() + ", expected " +
           want->to_string();
  m.store->set_fuel(config_.fuel);
  uint64_t host_calls = m.api->host_calls;
  uint64_t faults = thread_faults();  // outside the timed part: it costs a system call
  double t0 = thread_cpu_ms();
  auto r = m.store->call(f, args);
  double ms = thread_cpu_ms() - t0;
  faults = thread_faults() - faults;
  frame_script_ms_ += ms;
  m.frame_stats.script_ms += ms;
  m.frame_stats.faults += faults;
  m.frame_stats.fuel += config_.fuel - m.store->fuel().value_or(config_.fuel);
  m.frame_stats.host_calls += m.api->host_calls - host_calls;
  if (!r) {
    const glint::Error& e = r.error();
    std::string why = std::string(name) + ": " + e.to_string();
    if (e.trap && e.trap->kind == glint::TrapKind::OutOfFuel)
      why += "\n(the call used its whole budget of " + std::to_string(config_.fuel) +
             " fuel: an endless loop?)";
    if (trap && e.trap) *trap = *e.trap;
    return why;
  }
  if (results) *results = std::move(*r);
  return "";
}

void Game::stop(GuestModule& m, std::string error, const glint::Trap* trap) {
  m.error = std::move(error);
  std::fprintf(stderr, "glint: module '%s' stopped: %s\n", m.name.c_str(), m.error.c_str());
  if (hooks_.log) hooks_.log(m, Level::Error, "module stopped: " + m.error, trap);
  std::fprintf(stderr, "glint: the other modules keep running; press R or F5 to restart it\n");
}

void Game::update() {
  const glint::Value dt = glint::Value::f32(config_.dt);
  for (auto& m : modules_) {
    if (m->running()) call(*m, "update", {&dt, 1});
  }
  ++frame_;
}

void Game::draw() {
  for (auto& m : modules_) {
    if (!m->running()) continue;
    m->api->begin_draw();
    call(*m, "draw", {});
  }
  draw_overlay();
}

void Game::end_frame() {
  times_.last_ms = frame_script_ms_;
  times_.total_ms += frame_script_ms_;
  times_.max_ms = std::max(times_.max_ms, frame_script_ms_);
  ++times_.frames;
  frame_script_ms_ = 0;
  for (auto& m : modules_) {
    times_.faults += m->frame_stats.faults;
    m->last_frame_stats = m->frame_stats;
    m->frame_stats = {};
  }
}

void Game::restart(GuestModule& m) {
  // Pick up a rebuilt file if there is one; otherwise run the module we have again.
  auto fresh = glint::Module::load_file(m.path);
  if (fresh) {
    m.module = *fresh;
    m.mtime = mtime_of(m.path);
  } else if (!m.module) {
    stop(m, "cannot load: " + fresh.error().to_string());
    return;
  }
  std::fprintf(stderr, "glint: restarting module '%s'\n", m.name.c_str());
  start(m, false);
}

void Game::restart_stopped() {
  for (auto& m : modules_)
    if (!m->running()) restart(*m);
}

int Game::reload_changed() {
  int reloaded = 0;
  for (auto& m : modules_) {
    auto t = mtime_of(m->path);
    if (t == m->mtime) continue;
    m->mtime = t;
    ReloadResult r = reload_file(*m, m->path);  // a half-written file: the next change retries
    std::fprintf(stderr, "glint: %s\n", r.message.c_str());
    reloaded += r.swapped();
  }
  return reloaded;
}

void Game::save_all() {
  for (auto& m : modules_)
    if (m->running()) call(*m, "save", {});
}

// ---- results ------------------------------------------------------------------------------------

uint64_t Game::module_state_hash(GuestModule& m) {
  std::vector<glint::Value> out;
  glint::Function* f = m.running() ? m.instance->func("state_hash") : nullptr;
  // The hash is the host's question (the rewind timeline asks it every frame, replays too),
  // not the game's frame: kept out of the script time, as start-up is. The timeline counts
  // it in its own record time.
  double frame_ms = frame_script_ms_;
  ModuleFrameStats frame_stats = m.frame_stats;
  bool hashed = f && f->type().params.empty() && f->type().results.size() == 1 &&
                call(m, "state_hash", {}, &out);
  frame_script_ms_ = frame_ms;
  m.frame_stats = frame_stats;
  if (hashed) return out[0].bits;
  if (m.running() && m.instance->memory()) {
    glint::Memory* mem = m.instance->memory();
    return fnv1a({reinterpret_cast<const char*>(mem->data()), size_t(mem->size())});
  }
  return fnv1a(m.error);  // a stopped module: its error is its state
}

uint64_t Game::state_hash(std::vector<uint64_t>* module_hashes) {
  uint64_t h = 0x676C696E74ull;  // "glint"
  if (module_hashes) module_hashes->clear();
  for (auto& m : modules_) {
    uint64_t mine = module_state_hash(*m);
    if (module_hashes) module_hashes->push_back(mine);
    h = mix(h, fnv1a(m->name));
    h = mix(h, mine);
  }
  return h;
}

std::optional<glint::Value> Game::query(const std::string& name) {
  std::string export_name = "query_" + name;
  for (auto& m : modules_) {
    glint::Function* f = m->running() ? m->instance->func(export_name) : nullptr;
    if (!f || !f->type().params.empty() || f->type().results.size() != 1) continue;
    std::vector<glint::Value> out;
    if (call(*m, export_name.c_str(), {}, &out)) return out[0];
  }
  return std::nullopt;
}

std::vector<std::string> Game::errors() const {
  std::vector<std::string> out;
  for (auto& m : modules_)
    if (!m->error.empty()) out.push_back(m->name + ": " + m->error);
  return out;
}

bool Game::any_error() const {
  return std::any_of(modules_.begin(), modules_.end(),
                     [](const auto& m) { return !m->error.empty(); });
}

// ---- error overlay ------------------------------------------------------------------------------

// Splits text into lines of at most `width` characters.
static std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    for (size_t i = 0; i < line.size() || i == 0; i += width)
      lines.push_back(line.substr(i, width));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return lines;
}

void Game::draw_overlay() {
  while (!recent_errors_.empty() && recent_errors_.front().first + 600 < frame_)
    recent_errors_.pop_front();
  std::vector<std::pair<std::string, uint32_t>> lines;  // text, color
  const float size = 8;
  size_t width = size_t(float(renderer_.width() - 16) / (size * kAdvance));
  for (auto& m : modules_) {
    if (m->error.empty()) continue;
    lines.push_back({"module '" + m->name + "' stopped:", 0xFF6060FF});
    auto body = wrap(m->error, width - 2);
    if (body.size() > 14) body.resize(14);
    for (auto& l : body) lines.push_back({"  " + l, 0xFFFFFFFF});
  }
  if (!lines.empty()) lines.push_back({"press R or F5 to restart", 0xFFD060FF});
  for (auto& [frame, text] : recent_errors_)
    for (auto& l : wrap(text, width)) lines.push_back({l, 0xFF9090FF});
  if (lines.empty()) return;

  DrawState s{INT32_MAX, Camera::screen()};
  float line_h = size * kLineHeight;
  renderer_.rect(s, 0, 0, float(renderer_.width()), 12 + line_h * float(lines.size()), 0x000000C8);
  float y = 6;
  for (auto& [text, color] : lines) {
    renderer_.text(s, text, {8, y}, size, color);
    y += line_h;
  }
}

std::vector<std::string> modules_in(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".wasm") found.push_back(e.path().string());
  std::sort(found.begin(), found.end());
  return found;
}

std::string format_value(const glint::Value& v) {
  char buf[64];
  switch (v.type) {
    case glint::ValType::I32:
      std::snprintf(buf, sizeof buf, "%" PRId32, v.as_i32());
      break;
    case glint::ValType::I64:
      std::snprintf(buf, sizeof buf, "%" PRId64, v.as_i64());
      break;
    case glint::ValType::F32:
      std::snprintf(buf, sizeof buf, "%.9g", double(v.as_f32()));
      break;
    case glint::ValType::F64:
      std::snprintf(buf, sizeof buf, "%.17g", v.as_f64());
      break;
    default:
      return v.to_string();
  }
  return buf;
}

}  // namespace glint::host
