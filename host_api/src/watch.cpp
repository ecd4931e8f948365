// Watching sources and modules for hot reload (glint_host/watch.h).
#include "glint_host/watch.h"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

namespace glint::host {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

struct Watcher::Entry {
  std::string module, path;  // GuestModule::name, its .wasm (canonical)
  std::optional<BuildRecipe> recipe;
  std::vector<std::string> sources;  // canonical
  // The running build (a thread, so the game goes on meanwhile).
  std::thread thread;
  std::atomic<bool> done{false};
  int status = 0;
  std::string output;
  Clock::time_point build_start;
  bool again = false;                      // a source changed while it ran: build once more
  std::optional<Clock::time_point> saved;  // the first change not yet running
};

namespace {

std::string canonical(const std::string& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p : c.string();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// When the file was written, else now (the change is seen within a frame of it).
Clock::time_point written_at(const std::string& path) {
  std::error_code ec;
  auto t = fs::last_write_time(path, ec);
  if (ec) return Clock::now();
  return std::chrono::time_point_cast<Clock::duration>(std::chrono::file_clock::to_sys(t));
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

}  // namespace

std::string build_recipe_path(const std::string& wasm_path) { return wasm_path + ".build"; }

glint::Result<BuildRecipe> read_build_recipe(const std::string& wasm_path) {
  std::string path = build_recipe_path(wasm_path);
  std::ifstream in(path);
  if (!in) return glint::Error{glint::ErrorKind::Io, "no build recipe (" + path + ")"};
  BuildRecipe r;
  std::string line;
  for (int n = 1; std::getline(in, line); n++) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find(' ');
    std::string key = line.substr(0, sp),
                value = sp == std::string::npos ? "" : line.substr(sp + 1);
    if (key == "dir")
      r.dir = value;
    else if (key == "command")
      r.command = value;
    else if (key == "source")
      r.sources.push_back(value);
    else
      return glint::Error{glint::ErrorKind::Usage, path + ":" + std::to_string(n) +
                                                       ": unknown entry '" + key +
                                                       "' (expected dir, command or source)"};
  }
  if (r.command.empty()) return glint::Error{glint::ErrorKind::Usage, path + ": no 'command' line"};
  return r;
}

Watcher::Watcher(Game& game) : game_(game) {
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) {
    error_ = std::string("inotify: ") + std::strerror(errno);
    return;
  }
  auto watch_dir = [&](const std::string& file) {
    std::string dir = fs::path(file).parent_path().string();
    for (const auto& d : dirs_)
      if (d.second == dir) return;
    int wd = inotify_add_watch(fd_, dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO);
    if (wd >= 0) dirs_.push_back({wd, dir});
  };
  for (const auto& m : game.modules()) {
    auto e = std::make_unique<Entry>();
    e->module = m->name;
    e->path = canonical(m->path);
    auto r = read_build_recipe(m->path);
    if (r) {
      e->recipe = *r;
      for (const std::string& s : r->sources) e->sources.push_back(canonical(s));
    }
    watch_dir(e->path);
    for (const std::string& s : e->sources) watch_dir(s);
    std::string what = e->recipe ? std::to_string(e->sources.size()) + " source(s), built by `" +
                                       e->recipe->command + "`"
                                 : r.error().message + ": the module file only";
    pending_.push_back(
        {WatchMessage::Kind::Watching, e->module, "watching '" + e->module + "': " + what});
    entries_.push_back(std::move(e));
  }
}

Watcher::~Watcher() {
  for (auto& e : entries_)
    if (e->thread.joinable()) e->thread.join();
  if (fd_ >= 0) close(fd_);
}

bool Watcher::building() const {
  for (const auto& e : entries_)
    if (e->thread.joinable()) return true;
  return false;
}

std::vector<WatchMessage> Watcher::poll() {
  std::vector<WatchMessage> out = std::move(pending_);
  pending_.clear();
  if (fd_ < 0) return out;
  static_assert(alignof(inotify_event) <= alignof(uint64_t));
  uint64_t buf[1024];
  ssize_t n;
  while ((n = read(fd_, buf, sizeof buf)) > 0) {
    const char* p = reinterpret_cast<const char*>(buf);
    for (const char* end = p + n; p < end;) {
      const auto* ev = reinterpret_cast<const inotify_event*>(p);
      p += sizeof(inotify_event) + ev->len;
      if (!ev->len) continue;
      for (const auto& d : dirs_)
        if (d.first == ev->wd) on_change(d.second + "/" + ev->name, out);
    }
  }
  for (auto& e : entries_)
    if (e->thread.joinable() && e->done) finish_build(*e, out);
  return out;
}

void Watcher::on_change(const std::string& path, std::vector<WatchMessage>& out) {
  for (auto& e : entries_) {
    bool source = std::find(e->sources.begin(), e->sources.end(), path) != e->sources.end();
    if (source) {
      if (!e->saved) e->saved = written_at(path);
      if (e->thread.joinable()) {
        e->again = true;  // the build running now may have read the old text
      } else {
        out.push_back({WatchMessage::Kind::Building, e->module,
                       fs::path(path).filename().string() + " changed: building '" + e->module +
                           "' (" + e->recipe->command + ")"});
        start_build(*e, out);
      }
    } else if (path == e->path && !e->thread.joinable()) {
      // Built by something else: swap it in (a build of ours is swapped in when it ends).
      if (!e->saved) e->saved = written_at(path);
      swap_in(*e, out);
    }
  }
}

void Watcher::start_build(Entry& e, std::vector<WatchMessage>&) {
  e.done = false;
  e.again = false;
  e.output.clear();
  e.build_start = Clock::now();
  std::string cmd = (e.recipe->dir.empty() ? "" : "cd " + shell_quote(e.recipe->dir) + " && ") +
                    e.recipe->command + " 2>&1";
  e.thread = std::thread([&e, cmd] {
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe) {
      e.output = std::string("cannot run the build: ") + std::strerror(errno);
      e.status = -1;
    } else {
      char chunk[4096];
      size_t got;
      while ((got = fread(chunk, 1, sizeof chunk, pipe)) > 0) e.output.append(chunk, got);
      int st = pclose(pipe);
      e.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }
    e.done = true;
  });
}

void Watcher::finish_build(Entry& e, std::vector<WatchMessage>& out) {
  e.thread.join();
  double took = seconds_since(e.build_start);
  if (!e.output.empty()) out.push_back({WatchMessage::Kind::BuildOutput, e.module, e.output});
  if (e.again) {  // a newer change: its build is the one to run
    out.push_back({WatchMessage::Kind::Building, e.module,
                   "a source changed during the build: building '" + e.module + "' again"});
    start_build(e, out);
    return;
  }
  if (e.status != 0) {
    out.push_back({WatchMessage::Kind::BuildFailed, e.module,
                   "build of '" + e.module + "' failed (exit status " + std::to_string(e.status) +
                       ", " + seconds_text(took) + "); the old code runs on with its state"});
    e.saved.reset();
    return;
  }
  out.push_back({WatchMessage::Kind::Building, e.module,
                 "built '" + e.module + "' in " + seconds_text(took)});
  swap_in(e, out);
}

void Watcher::swap_in(Entry& e, std::vector<WatchMessage>& out) {
  Clock::time_point saved = e.saved.value_or(Clock::now());
  e.saved.reset();
  GuestModule* m = game_.find(e.module);
  if (!m) return;
  auto fresh = glint::Module::load_file(m->path);
  if (fresh && m->module && (*fresh)->content_hash() == m->module->content_hash()) {
    out.push_back({WatchMessage::Kind::Unchanged, e.module,
                   "'" + e.module + "' is the same build: nothing to swap"});
    return;
  }
  ReloadResult r = !fresh    ? game_.reload_file(*m, m->path)
                   : reload_ ? reload_(*m, *fresh)
                             : game_.reload(*m, *fresh);
  std::error_code ec;
  m->mtime = fs::last_write_time(m->path, ec);  // Game::reload_changed need not see it again
  WatchMessage msg{r.swapped() ? WatchMessage::Kind::Reloaded : WatchMessage::Kind::NotReloaded,
                   e.module, r.message};
  msg.seconds = seconds_since(saved);
  if (r.swapped())
    msg.text += "; new code running " + seconds_text(msg.seconds) + " after the save";
  msg.reload = std::move(r);
  out.push_back(std::move(msg));
}

}  // namespace glint::host
