// Names for places in linear memory (memory_names.h), from the module's DWARF data layout.
#include "memory_names.h"

#include "glint/source.h"

namespace glint::host {

std::string name_memory_range(const glint::Instance& inst, uint32_t addr, uint32_t len) {
  return glint::name_memory(*glint::data_layout(inst.module()), addr, len);
}

}  // namespace glint::host
