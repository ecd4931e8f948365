// Shared helpers (places.h).
#include "places.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

namespace glint::editor {

std::optional<uint64_t> parse_number(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::string s(text);
  int base = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
  const char* digits = s.c_str() + (base == 16 ? 2 : 0);
  char* end = nullptr;
  uint64_t v = std::strtoull(digits, &end, base);
  if (*digits == '\0' || *end != '\0' || *digits == '-' || *digits == '+') return std::nullopt;
  return v;
}

std::optional<uint32_t> parse_offset(std::string_view text) {
  auto v = parse_number(text);
  if (!v || *v > UINT32_MAX) return std::nullopt;
  return uint32_t(*v);
}

std::string hex(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, value);
  return buf;
}

CodePlace place_of(const std::string& module, const glint::TraceFrame& frame) {
  return {module, frame.code_offset, "", 0};
}

std::string describe(const std::string&, const glint::DebugFrame& frame) {
  return frame.func_name + " at " + hex(frame.code_offset);
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

}  // namespace glint::editor
