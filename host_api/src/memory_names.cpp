// Names for places in linear memory (memory_names.h).
#include "memory_names.h"

namespace glint::host {

std::string name_memory_range(const glint::Instance&, uint32_t, uint32_t) {
  return "";  // until the runtime reads DWARF variables (glint/source.h)
}

}  // namespace glint::host
