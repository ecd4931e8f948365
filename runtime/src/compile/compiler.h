// Translates validated wasm function bodies into internal code (see execute/iops.def).
#pragma once
#include <memory>

#include "compile/code.h"
#include "decode/module.h"

namespace glint::detail {

// Validates a decoded module and translates every defined function, reading each body once
// (the translator listens to the validator). Throws ValidateError or DecodeError.
std::unique_ptr<CompiledModule> validate_and_compile(const ModuleDesc& m);

}  // namespace glint::detail
