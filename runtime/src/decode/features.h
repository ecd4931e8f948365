// Which WebAssembly features beyond the MVP a module uses (`glint inspect`, Module::features).
#pragma once
#include <string>
#include <vector>

#include "decode/module.h"

namespace glint::detail {

// The features' names, sorted: "bulk-memory", "extended-const", "multi-value", "simd",
// "tail-call", ... The module must have loaded (it decodes).
std::vector<std::string> module_features(const ModuleDesc& m);

}  // namespace glint::detail
