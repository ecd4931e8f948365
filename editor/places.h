// Small shared helpers: code places and values as the editor writes them.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "console.h"
#include "glint/glint.h"
#include "glint_host/game.h"

namespace glint::editor {

// "0x1a2" or "418": a code offset; nullopt for anything else (a function name, FILE:LINE).
std::optional<uint64_t> parse_number(std::string_view text);
std::optional<uint32_t> parse_offset(std::string_view text);
std::string hex(uint64_t value);  // "0x1a2"

// "player.c" of "/src/game/player.c".
std::string file_name(const std::string& path);
// A trap backtrace's frame as a console place.
CodePlace place_of(const std::string& module, const glint::TraceFrame& frame);
// "update at 0x1a2", or with a source line "update (main.c:120, 0x1a2)".
std::string describe(const std::string& module, const glint::DebugFrame& frame);

using host::format_value;  // "42", "-1.5"

}  // namespace glint::editor
