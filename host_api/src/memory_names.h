// Names for places in a module's linear memory, from its DWARF: what replay checks and hot
// reload report ("game.kills", "enemies[3].hp").
#pragma once
#include <cstdint>
#include <string>

#include "glint/glint.h"

namespace glint::host {

// The variables (and fields) that [addr, addr + len) overlaps, comma-separated; "" where the
// module has no DWARF describing it (the heap, the stack, a module built without -g).
// (glint::name_memory over the module's glint::data_layout.)
std::string name_memory_range(const glint::Instance& inst, uint32_t addr, uint32_t len);

}  // namespace glint::host
