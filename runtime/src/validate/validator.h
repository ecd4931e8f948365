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

struct Instr;

// Receives each function body's instructions right after the validator has checked them. The
// translator is one: loading a module decodes every body once, for both.
class BodyListener {
 public:
  virtual ~BodyListener() = default;
  virtual void begin_body(uint32_t defined_index) = 0;
  virtual void instr(const Instr& in) = 0;
  virtual void end_body() = 0;
};

// Throws ValidateError (invalid module) or DecodeError (malformed instruction bytes in a body).
// Module-level rules are checked first, then the bodies in order.
void validate_module(const ModuleDesc& m, BodyListener* listener = nullptr);

}  // namespace glint::detail
