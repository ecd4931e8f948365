// Resource limits (glint::ResourceLimits): the checks at load and at instantiation. Each
// returns the error naming the limit, or nothing when the module fits.
#pragma once
#include <optional>

#include "glint/glint.h"

namespace glint::detail {

struct ModuleDesc;

// The binary's size, before anything is decoded.
std::optional<Error> check_module_size(size_t bytes, const ResourceLimits& limits);
// Functions and locals of a decoded module (and its size again).
std::optional<Error> check_module_limits(const ModuleDesc& m, const ResourceLimits& limits);
// What instantiating `m` in `store` would add: an instance, memories, tables.
std::optional<Error> check_instance_limits(const ModuleDesc& m, const Store& store);

}  // namespace glint::detail
