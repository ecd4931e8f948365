// Translates validated wasm function bodies into internal code (see execute/iops.def).
#pragma once
#include <memory>

#include "compile/code.h"
#include "decode/module.h"

namespace glint::detail {

// Translates every defined function of a validated module. Never fails on valid input.
std::unique_ptr<CompiledModule> compile_module(const ModuleDesc& m);

}  // namespace glint::detail
