// Translates validated wasm function bodies into internal code (see execute/iops.def).
#pragma once
#include <memory>
#include <stdexcept>
#include <string>

#include "compile/code.h"
#include "decode/module.h"

namespace glint::detail {

// Thrown for a valid module that this host cannot run (ErrorKind::Unsupported); offset is the
// first instruction that needs what is missing.
struct UnsupportedError : std::runtime_error {
  UnsupportedError(std::string m, size_t off) : std::runtime_error(std::move(m)), offset(off) {}
  size_t offset;
};

// Validates a decoded module and translates every defined function, reading each body once
// (the translator listens to the validator). Throws ValidateError or DecodeError.
std::unique_ptr<CompiledModule> validate_and_compile(const ModuleDesc& m);

}  // namespace glint::detail
