#include "instance/limits.h"

#include "decode/module.h"

namespace glint::detail {

static Error over(const std::string& what, uint64_t asked, const char* limit, uint64_t max) {
  return Error{ErrorKind::Limit, what + " " + std::to_string(asked) + ", over the limit " + limit +
                                     " = " + std::to_string(max)};
}

std::optional<Error> check_module_size(size_t bytes, const ResourceLimits& limits) {
  if (bytes > limits.max_module_bytes)
    return over("module size in bytes:", bytes, "max_module_bytes", limits.max_module_bytes);
  return std::nullopt;
}

std::optional<Error> check_module_limits(const ModuleDesc& m, const ResourceLimits& limits) {
  if (auto e = check_module_size(m.bytes.size(), limits)) return e;
  if (m.func_space.size() > limits.max_functions)
    return over("functions:", m.func_space.size(), "max_functions", limits.max_functions);
  // (At load the module is not validated yet: a type index may be out of range.)
  for (size_t i = 0; i < m.bodies.size(); i++) {
    uint32_t index = m.num_imported_funcs + uint32_t(i);
    uint32_t type = index < m.func_space.size() ? m.func_space[index] : UINT32_MAX;
    size_t params = type < m.types.size() ? m.types[type].params.size() : 0;
    size_t locals = params + m.bodies[i].locals.size();
    if (locals > limits.max_locals) {
      Error e =
          over("function " + std::to_string(index) + " has locals (parameters included):", locals,
               "max_locals", limits.max_locals);
      e.offset = m.bodies[i].body_offset;
      return e;
    }
  }
  return std::nullopt;
}

std::optional<Error> check_instance_limits(const ModuleDesc& m, const Store& store) {
  const ResourceLimits& limits = store.limits();
  if (auto e = check_module_limits(m, limits)) return e;
  if (store.instance_count() >= limits.max_instances)
    return over("instances in this store, with this one:", store.instance_count() + 1,
                "max_instances", limits.max_instances);
  uint64_t pages = 0;
  for (size_t i = 0; i < m.memories.size(); i++) {
    uint64_t min = m.memories[i].limits.min;
    if (min > limits.max_memory_pages)
      return over("memory " + std::to_string(m.num_imported_memories + i) + " asks for pages:", min,
                  "max_memory_pages", limits.max_memory_pages);
    pages += min;
  }
  uint64_t total = store.memory_pages() + pages;
  if (total > limits.max_store_memory_pages)
    return over("memory pages in this store, with this module's:", total, "max_store_memory_pages",
                limits.max_store_memory_pages);
  for (size_t i = 0; i < m.tables.size(); i++) {
    uint64_t min = m.tables[i].limits.min;
    if (min > limits.max_table_elements)
      return over("table " + std::to_string(m.num_imported_tables + i) + " asks for elements:", min,
                  "max_table_elements", limits.max_table_elements);
  }
  return std::nullopt;
}

}  // namespace glint::detail
