// Names and printing for the value model, errors and traps; function type interning.
#include <cinttypes>
#include <cstdio>
#include <map>
#include <mutex>

#include "compile/code.h"
#include "glint/glint.h"

namespace glint {

const char* to_string(ValType t) {
  switch (t) {
    case ValType::I32:
      return "i32";
    case ValType::I64:
      return "i64";
    case ValType::F32:
      return "f32";
    case ValType::F64:
      return "f64";
    case ValType::V128:
      return "v128";
    case ValType::FuncRef:
      return "funcref";
    case ValType::ExternRef:
      return "externref";
  }
  return "?";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
    case ExternKind::Tag:
      return "tag";
  }
  return "?";
}

static std::string type_list(const std::vector<ValType>& ts) {
  std::string s = "(";
  for (size_t i = 0; i < ts.size(); i++) s += (i ? ", " : "") + std::string(to_string(ts[i]));
  return s + ")";
}

std::string FuncType::to_string() const { return type_list(params) + " -> " + type_list(results); }

std::string Value::to_string() const {
  char buf[64];
  switch (type) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "%" PRId32, as_i32());
      break;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "%" PRId64, as_i64());
      break;
    case ValType::F32:
      std::snprintf(buf, sizeof buf, "%.9g", double(as_f32()));
      break;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "%.17g", as_f64());
      break;
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (is_null()) return "null";
      std::snprintf(buf, sizeof buf, "%s:0x%" PRIx64, glint::to_string(type), bits);
      break;
    case ValType::V128:
      return lanes("i32x4");
    default:
      return "?";
  }
  return buf;
}

std::string Value::lanes(std::string_view shape) const {
  if (type != ValType::V128) return "";
  std::string out;
  char buf[32];
  auto each = [&](int n, auto show) {
    for (int i = 0; i < n; i++) {
      show(unsigned(i));
      if (i) out += ' ';
      out += buf;
    }
  };
  if (shape == "i8x16")
    each(16, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%d", lane<int8_t>(i)); });
  else if (shape == "i16x8")
    each(8, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%d", lane<int16_t>(i)); });
  else if (shape == "i32x4")
    each(4, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%" PRId32, lane<int32_t>(i)); });
  else if (shape == "i64x2")
    each(2, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%" PRId64, lane<int64_t>(i)); });
  else if (shape == "f32x4")
    each(4, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%.9g", double(lane<float>(i))); });
  else if (shape == "f64x2")
    each(2, [&](unsigned i) { std::snprintf(buf, sizeof buf, "%.17g", lane<double>(i)); });
  return out;
}

const char* to_string(TrapKind k) {
  switch (k) {
    case TrapKind::Unreachable:
      return "unreachable";
    case TrapKind::MemoryOutOfBounds:
      return "out of bounds memory access";
    case TrapKind::TableOutOfBounds:
      return "out of bounds table access";
    case TrapKind::UndefinedElement:
      return "undefined element";
    case TrapKind::UninitializedElement:
      return "uninitialized element";
    case TrapKind::IndirectCallTypeMismatch:
      return "indirect call type mismatch";
    case TrapKind::IntegerDivideByZero:
      return "integer divide by zero";
    case TrapKind::IntegerOverflow:
      return "integer overflow";
    case TrapKind::InvalidConversion:
      return "invalid conversion to integer";
    case TrapKind::StackExhausted:
      return "call stack exhausted";
    case TrapKind::OutOfFuel:
      return "out of fuel";
    case TrapKind::Interrupted:
      return "interrupted";
    case TrapKind::Host:
      return "host error";
    case TrapKind::Exit:
      return "exit";
    case TrapKind::UncaughtException:
      return "uncaught exception";
  }
  return "?";
}

// "main.c:12:5" where the frame has a source line, else "".
static std::string source_place(const TraceFrame& f) {
  if (f.line == 0) return "";
  std::string s = f.file;
  s.append(":").append(std::to_string(f.line));
  if (f.column) s.append(":").append(std::to_string(f.column));
  return s;
}

std::string Trap::to_string() const {
  char buf[64];
  std::string s = message.empty() ? glint::to_string(kind) : message;
  if (!backtrace.empty()) {
    const TraceFrame& top = backtrace.front();
    std::string place = source_place(top);
    std::snprintf(buf, sizeof buf, "offset 0x%x", top.code_offset);
    s += " in '" + top.func_name + "' at " + (place.empty() ? buf : place + " (" + buf + ")");
  }
  for (const TraceFrame& f : backtrace) {
    std::string place = source_place(f);
    std::snprintf(buf, sizeof buf, "offset 0x%x", f.code_offset);
    s += "\n    at " + (f.module.empty() ? "" : f.module + "!") + f.func_name + " (" +
         (place.empty() ? "" : place + ", ") + buf + (f.inlined ? ", inlined" : "") + ")";
  }
  return s;
}

const char* to_string(ErrorKind k) {
  switch (k) {
    case ErrorKind::Malformed:
      return "malformed module";
    case ErrorKind::Invalid:
      return "invalid module";
    case ErrorKind::Link:
      return "link error";
    case ErrorKind::Trap:
      return "trap";
    case ErrorKind::Usage:
      return "usage error";
    case ErrorKind::Io:
      return "i/o error";
    case ErrorKind::Snapshot:
      return "bad snapshot";
    case ErrorKind::Limit:
      return "resource limit";
    case ErrorKind::Unsupported:
      return "unsupported module";
  }
  return "?";
}

std::string Error::to_string() const {
  std::string s = std::string(glint::to_string(kind)) + ": ";
  if (trap) return s + trap->to_string();
  s += message;
  if (offset) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (at byte offset 0x%zx)", *offset);
    s += buf;
  }
  return s;
}

namespace detail {

uint32_t intern_func_type(const FuncType& t) {
  static std::mutex mu;
  static std::map<std::pair<std::vector<ValType>, std::vector<ValType>>, uint32_t> ids;
  std::lock_guard<std::mutex> lock(mu);
  auto [it, inserted] = ids.try_emplace({t.params, t.results}, uint32_t(ids.size() + 1));
  return it->second;
}

Error usage_error(std::string message) { return Error{ErrorKind::Usage, std::move(message)}; }

Error check_signature(const Function* f, const FuncType& expected, std::string_view name) {
  return usage_error("function '" + std::string(name) + "' has type " + f->type().to_string() +
                     ", but was called as " + expected.to_string());
}

}  // namespace detail
}  // namespace glint
