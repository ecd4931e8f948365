// Breakpoints as people set them (glint/debug.h: add_breakpoint): at a source line, a function
// or an offset, each patching one or more instructions, with a condition the stop checks.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "debug/debugger.h"
#include "debug/patches.h"
#include "debug/source_info.h"
#include "decode/module.h"

namespace glint {
namespace detail {
namespace {

struct UserBreakpoint {
  Breakpoint info;
  std::vector<const Cell*> cells;
};
std::map<int, UserBreakpoint> g_breakpoints;  // guarded by g_patch_mutex
int g_next_id = 1;

std::optional<uint32_t> parse_offset(std::string_view s) {
  int base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) {
    s.remove_prefix(2);
    base = 16;
  }
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// The first instruction of the one defined function whose name ends with "::" + name
// ("weigh" for Rust's "debuggee::weigh"); `otherwise` if there is not exactly one.
Result<uint32_t> function_by_last_name(const Module& module, std::string_view name,
                                       Error otherwise) {
  const ModuleDesc& d = module.desc();
  std::string suffix = "::" + std::string(name);
  std::optional<uint32_t> found;
  for (uint32_t i = d.num_imported_funcs; i < d.func_space.size(); i++) {
    std::string f = module.function_name(i);
    if (!f.ends_with(suffix)) continue;
    if (found) return otherwise;
    found = d.bodies[i - d.num_imported_funcs].code_begin;
  }
  if (found) return *found;
  return otherwise;
}

// The wasm offsets `where` names, and the source line where it is one.
Result<std::vector<uint32_t>> resolve(const Module& module, std::string_view where, Breakpoint& b) {
  size_t colon = where.rfind(':');
  if (colon != std::string_view::npos && colon > 0 && where[colon - 1] != ':') {
    auto line = parse_offset(where.substr(colon + 1));
    if (line && !where.substr(colon + 1).starts_with("0x")) {
      auto code = find_line(module, where.substr(0, colon), *line);
      if (!code) return code.error();
      b.file = code->file;
      b.line = code->line;
      return code->offsets;
    }
  }
  if (auto offset = parse_offset(where)) return std::vector<uint32_t>{*offset};
  auto start = function_code_offset(module, where);
  if (!start) start = function_by_last_name(module, where, start.error());
  if (!start) return start.error();
  return std::vector<uint32_t>{function_body_start(module, *start)};
}

// "PATH OP NUMBER" -> its parts; false if it is not one.
struct Test {
  std::string path, op;
  double number = 0;
};
Result<Test> parse_test(std::string_view text) {
  static const char* const kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
  for (const char* op : kOps) {
    size_t at = text.find(op);
    if (at == std::string_view::npos) continue;
    auto trim = [](std::string_view s) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      return s;
    };
    Test t{std::string(trim(text.substr(0, at))), op, 0};
    std::string number(trim(text.substr(at + std::string_view(op).size())));
    char* end = nullptr;
    t.number = std::strtod(number.c_str(), &end);
    if (t.path.empty() || number.empty() || *end != '\0') break;
    return t;
  }
  return Error{ErrorKind::Usage,
               "a breakpoint test is 'VARIABLE OP NUMBER' (OP one of == != < "
               "<= > >=), not '" +
                   std::string(text) + "'"};
}

double as_number(const Value& v) {
  switch (v.type) {
    case ValType::I32:
      return v.as_i32();
    case ValType::I64:
      return double(v.as_i64());
    case ValType::F32:
      return v.as_f32();
    case ValType::F64:
      return v.as_f64();
    default:
      return NAN;
  }
}

bool test_holds(const Test& t, const DebugFrame& frame) {
  auto var = find_variable(frame, t.path);
  if (!var || !var->scalar) return false;
  double x = as_number(*var->scalar);
  if (t.op == "==") return x == t.number;
  if (t.op == "!=") return x != t.number;
  if (t.op == "<") return x < t.number;
  if (t.op == "<=") return x <= t.number;
  if (t.op == ">") return x > t.number;
  return x >= t.number;
}

void remove_locked(std::map<int, UserBreakpoint>::iterator it) {
  for (const Cell* c : it->second.cells) {
    auto p = g_patches.find(c);
    if (p == g_patches.end()) continue;
    std::erase(p->second.user, it->first);
    unpatch_if_unused(p);
  }
  g_breakpoints.erase(it);
}

}  // namespace

std::vector<int> breakpoints_that_stop(const std::vector<int>& ids,
                                       const std::function<DebugFrame()>& top) {
  std::vector<std::pair<int, BreakCondition>> conditions;
  {
    std::lock_guard lock(g_patch_mutex);
    for (int id : ids)
      if (auto it = g_breakpoints.find(id); it != g_breakpoints.end())
        conditions.push_back({id, it->second.info.condition});
  }
  std::vector<int> held;            // the test is evaluated without the lock: it reads DWARF
  std::optional<DebugFrame> frame;  // described only for a test
  for (const auto& [id, c] : conditions) {
    if (c.test.empty()) {
      held.push_back(id);
      continue;
    }
    auto test = parse_test(c.test);
    if (!frame) frame = top();
    if (test && test_holds(*test, *frame)) held.push_back(id);
  }
  std::vector<int> stopping;
  std::lock_guard lock(g_patch_mutex);
  for (int id : held) {
    auto it = g_breakpoints.find(id);
    if (it == g_breakpoints.end()) continue;
    Breakpoint& b = it->second.info;
    if (++b.hits < b.condition.hit_count) continue;
    stopping.push_back(id);
    if (b.condition.once) remove_locked(it);
  }
  return stopping;
}

void forget_breakpoints(const Module& module) {
  std::erase_if(g_breakpoints, [&](const auto& b) { return b.second.info.module == &module; });
}

uint32_t function_body_start(const Module& module, uint32_t function_start) {
  auto info = source_info(module);
  if (!info) return function_start;
  std::lock_guard lock(info->mutex);
  return info->reader ? info->reader->after_prologue(function_start) : function_start;
}

}  // namespace detail

Result<Breakpoint> add_breakpoint(const Module& module, std::string_view where,
                                  BreakCondition condition) {
  if (!condition.test.empty()) {
    auto test = detail::parse_test(condition.test);
    if (!test) return test.error();
  }
  Breakpoint b;
  b.module = &module;
  b.where = std::string(where);
  b.condition = std::move(condition);
  auto offsets = detail::resolve(module, where, b);
  if (!offsets) return offsets.error();
  std::vector<const detail::Cell*> cells;
  for (uint32_t offset : *offsets) {
    uint32_t taken = 0;
    const detail::Cell* at = detail::instruction_at(module, offset, taken);
    if (!at || std::find(cells.begin(), cells.end(), at) != cells.end()) continue;
    cells.push_back(at);
    b.offsets.push_back(taken);
  }
  if (cells.empty())
    return Error{ErrorKind::Usage, "no instruction at or after offset " +
                                       std::to_string(offsets->empty() ? 0 : offsets->front()) +
                                       " in a function body"};
  std::lock_guard lock(detail::g_patch_mutex);
  b.id = detail::g_next_id++;
  for (const detail::Cell* at : cells) detail::patch(at, module).user.push_back(b.id);
  detail::g_breakpoints[b.id] = {b, cells};
  return b;
}

bool remove_breakpoint(int id) {
  std::lock_guard lock(detail::g_patch_mutex);
  auto it = detail::g_breakpoints.find(id);
  if (it == detail::g_breakpoints.end()) return false;
  detail::remove_locked(it);
  return true;
}

std::vector<Breakpoint> list_breakpoints() {
  std::lock_guard lock(detail::g_patch_mutex);
  std::vector<Breakpoint> out;
  for (const auto& [id, b] : detail::g_breakpoints) out.push_back(b.info);
  return out;
}

}  // namespace glint
