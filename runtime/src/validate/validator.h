// The WebAssembly 2.0 validator.
#pragma once
#include <stdexcept>
#include <string>

#include "decode/module.h"

namespace glint::detail {

// Thrown for a module that decodes but is not valid; offset is where the rule broke.
struct ValidateError : std::runtime_error {
  ValidateError(std::string m, size_t off) : std::runtime_error(std::move(m)), offset(off) {}
  size_t offset;
};

// Throws ValidateError (invalid module) or DecodeError (malformed instruction bytes in a body).
void validate_module(const ModuleDesc& m);

}  // namespace glint::detail
