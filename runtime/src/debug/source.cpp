// Source-level debugging, the runtime's side (glint/source.h): finds and loads the DWARF reader
// plugin, opens one reader per module on first use, and answers through it.
//
// Nothing here runs when a module loads: a module's DWARF is read at the first question about
// it (a source location, a line, a variable, a backtrace of a trap in it). The plugin
// (debug/dwarf/, libglint_dwarf.so) is loaded at the first question about any module.
#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "debug/source_info.h"
#include "decode/module.h"

namespace glint {
namespace detail {
namespace {

// Where the plugin is looked for, in order: $GLINT_DWARF_PLUGIN; next to the executable; where
// the build put it (GLINT_DWARF_PLUGIN_PATH); the system's library path.
std::vector<std::string> plugin_candidates() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("GLINT_DWARF_PLUGIN")) paths.push_back(env);
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back((exe.parent_path() / "libglint_dwarf.so").string());
#ifdef GLINT_DWARF_PLUGIN_PATH
  paths.push_back(GLINT_DWARF_PLUGIN_PATH);
#endif
  paths.push_back("libglint_dwarf.so");
  return paths;
}

struct Plugin {
  OpenDwarfFn open = nullptr;
  std::string error;  // why it could not be loaded
};

const Plugin& plugin() {
  static const Plugin loaded = [] {
    Plugin p;
    std::string tried;
    for (const std::string& path : plugin_candidates()) {
      bool named = path.find('/') == std::string::npos;
      if (!named && !std::filesystem::exists(path)) continue;
      // Never closed: LLVM does not support being unloaded.
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!handle) {
        tried += std::string(tried.empty() ? "" : "; ") + dlerror();
        continue;
      }
      p.open = reinterpret_cast<OpenDwarfFn>(dlsym(handle, GLINT_OPEN_DWARF_SYMBOL));
      if (p.open) return p;
      tried += (tried.empty() ? "" : "; ") + path + " has no " + GLINT_OPEN_DWARF_SYMBOL;
    }
    p.error = "the DWARF reader (libglint_dwarf.so) could not be loaded: " + tried;
    return p;
  }();
  return loaded;
}

struct Entry {
  std::once_flag opened;
  std::shared_ptr<SourceInfo> info = std::make_shared<SourceInfo>();
};
std::mutex g_mutex;
std::unordered_map<const Module*, std::shared_ptr<Entry>> g_entries;

bool is_dwarf(const CustomSection& c) { return c.name.starts_with(".debug_"); }

DwarfInput input_of(const ModuleDesc& d) {
  DwarfInput in;
  for (const CustomSection& c : d.customs)
    if (is_dwarf(c)) in.sections.push_back({c.name, {d.bytes.data() + c.data_begin, c.data_size}});
  for (const SectionInfo& s : d.sections)
    if (s.id == 10) {
      in.code_start = s.offset;
      in.code_size = s.size;
    }
  for (const FuncBody& b : d.bodies) in.bodies.push_back({b.body_offset, b.code_end});
  return in;
}

void open_reader(const Module& module, SourceInfo& info) {
  const Plugin& p = plugin();
  info.info.present = true;
  if (!p.open) {
    info.info.problems.push_back(p.error);
    return;
  }
  info.reader.reset(p.open(input_of(module.desc())));
  if (!info.reader) info.info.problems.push_back("the DWARF reader ran out of memory");
}

// Calls `ask` with the module's reader under its lock; `otherwise` without DWARF.
template <class T, class F>
T ask(const Module& module, T otherwise, F&& ask) {
  auto info = source_info(module);
  if (!info) return otherwise;
  std::lock_guard lock(info->mutex);
  if (!info->reader) return otherwise;
  return ask(*info->reader);
}

void make_readable(std::vector<SourceLoc>& locs) {
  for (SourceLoc& l : locs) l.function = readable_name(l.function);
}

}  // namespace

std::shared_ptr<SourceInfo> source_info(const Module& module) {
  const auto& customs = module.desc().customs;
  if (std::none_of(customs.begin(), customs.end(), is_dwarf)) return nullptr;
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(g_mutex);
    auto& e = g_entries[&module];
    if (!e) e = std::make_shared<Entry>();
    entry = e;
  }
  std::call_once(entry->opened, [&] { open_reader(module, *entry->info); });
  return entry->info;
}

void forget_source_info(const Module& module) {
  std::lock_guard lock(g_mutex);
  g_entries.erase(&module);
}

void add_trace_frames(const Module& module, TraceFrame frame, std::vector<TraceFrame>& out) {
  std::vector<SourceLoc> locs = source_locations(module, frame.code_offset);
  if (locs.empty()) {
    out.push_back(std::move(frame));
    return;
  }
  for (size_t i = 0; i < locs.size(); i++) {
    TraceFrame f = frame;
    if (!locs[i].function.empty()) f.func_name = locs[i].function;
    f.file = locs[i].file;
    f.line = locs[i].line;
    f.column = locs[i].column;
    f.inlined = i + 1 < locs.size();
    out.push_back(std::move(f));
  }
}

std::optional<LineRow> line_row(const Module& module, uint32_t code_offset) {
  return ask(module, std::optional<LineRow>{},
             [&](DwarfReader& r) { return r.row_at(code_offset); });
}

std::vector<LineRow> line_chain(const Module& module, uint32_t code_offset) {
  return ask(module, std::vector<LineRow>{},
             [&](DwarfReader& r) { return r.line_chain(code_offset); });
}

InstanceState instance_state(const Instance& instance) {
  InstanceState s;
  if (Memory* m = instance.memory()) {
    s.memory = m->data();
    s.memory_size = m->size();
  }
  s.instance = &instance;
  s.global = [&instance](uint32_t i) -> std::optional<Value> {
    if (i >= instance.globals_.size()) return std::nullopt;
    return instance.globals_[i]->get();
  };
  return s;
}

Result<Variable> wasm_local_variable(const DebugFrame& frame, std::string_view path) {
  uint32_t index = 0;
  auto [end, ec] = std::from_chars(path.data() + 1, path.data() + path.size(), index);
  if (ec != std::errc() || end != path.data() + path.size() || path.size() < 2)
    return Error{ErrorKind::Usage,
                 std::string("'").append(path).append("' is not a wasm local ($N)")};
  if (index >= frame.locals.size())
    return Error{ErrorKind::Usage, std::string("the frame has no wasm local ").append(path)};
  Variable v;
  v.name = std::string(path);
  const Value& value = frame.locals[index];
  v.type = to_string(value.type);
  v.available = !frame.dead[index];
  v.value = v.available ? value.to_string() : "<not available>";
  if (v.available) v.scalar = value;
  auto ref = std::make_shared<VarRef>();
  ref->wasm_kind = 0;
  ref->wasm_index = index;
  ref->instance = frame.instance;
  v.ref = ref;
  return v;
}

FrameState frame_state(const DebugFrame& frame) {
  FrameState s;
  s.code_offset = frame.code_offset;
  s.locals = &frame.locals;
  s.dead = &frame.dead;
  s.stack = frame.has_stack ? &frame.stack : nullptr;
  s.instance = instance_state(*frame.instance);
  return s;
}

}  // namespace detail

DwarfInfo dwarf_info(const Module& module) {
  auto info = detail::source_info(module);
  if (!info) return {};
  std::lock_guard lock(info->mutex);
  return info->reader ? info->reader->info() : info->info;
}

std::vector<SourceLoc> source_locations(const Module& module, uint32_t code_offset) {
  auto locs = detail::ask(module, std::vector<SourceLoc>{},
                          [&](detail::DwarfReader& r) { return r.locations(code_offset); });
  detail::make_readable(locs);
  return locs;
}

std::vector<std::string> source_files(const Module& module) {
  return detail::ask(module, std::vector<std::string>{},
                     [](detail::DwarfReader& r) { return r.files(); });
}

Result<LineCode> find_line(const Module& module, std::string_view file, uint32_t line) {
  Result<LineCode> none = Error{ErrorKind::Usage, "the module has no DWARF line information"};
  if (auto info = detail::source_info(module)) {
    std::lock_guard lock(info->mutex);
    if (info->reader) return info->reader->find_line(file, line);
    if (!info->info.problems.empty()) none = Error{ErrorKind::Usage, info->info.problems[0]};
  }
  return none;
}

std::vector<uint32_t> lines_with_code(const Module& module, std::string_view file) {
  return detail::ask(module, std::vector<uint32_t>{},
                     [&](detail::DwarfReader& r) { return r.lines_with_code(file); });
}

std::vector<Variable> frame_variables(const DebugFrame& frame, size_t inline_depth) {
  if (!frame.instance) return {};
  return detail::ask(frame.instance->module(), std::vector<Variable>{},
                     [&](detail::DwarfReader& r) {
                       return r.frame_variables(detail::frame_state(frame), inline_depth);
                     });
}

std::shared_ptr<const DataLayout> data_layout(const Module& module) {
  static const auto none = std::make_shared<const DataLayout>(DataLayout{{LayoutType{}}, {}});
  auto info = detail::source_info(module);
  if (!info) return none;
  std::lock_guard lock(info->mutex);
  if (!info->reader) return none;
  if (!info->layout) info->layout = std::make_shared<const DataLayout>(info->reader->data_layout());
  return info->layout;
}

std::vector<Variable> global_variables(const Instance& instance) {
  return detail::ask(instance.module(), std::vector<Variable>{}, [&](detail::DwarfReader& r) {
    return r.globals(detail::instance_state(instance));
  });
}

std::vector<Variable> children(const Variable& v, size_t first, size_t max) {
  if (!v.ref || !v.ref->instance) return {};
  const Instance& instance = *v.ref->instance;
  return detail::ask(instance.module(), std::vector<Variable>{}, [&](detail::DwarfReader& r) {
    return r.children(v, detail::instance_state(instance), first, max);
  });
}

Result<Variable> find_variable(const DebugFrame& frame, std::string_view path,
                               size_t inline_depth) {
  if (path.starts_with("$")) return detail::wasm_local_variable(frame, path);
  Result<Variable> none = Error{ErrorKind::Usage, "the module has no DWARF variable information"};
  if (!frame.instance) return none;
  return detail::ask(frame.instance->module(), none, [&](detail::DwarfReader& r) {
    return r.find_variable(detail::frame_state(frame), path, inline_depth);
  });
}

}  // namespace glint
