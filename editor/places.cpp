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
  return {module, frame.code_offset, frame.file, frame.line};
}

std::string file_name(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string describe(const std::string&, const glint::DebugFrame& frame) {
  if (frame.source.empty() || frame.source[0].line == 0)
    return frame.func_name + " at " + hex(frame.code_offset);
  const glint::SourceLoc& s = frame.source[0];
  return s.function + " (" + file_name(s.file) + ":" + std::to_string(s.line) + ", " +
         hex(frame.code_offset) + ")";
}

}  // namespace glint::editor
