// The WebAssembly 2.0 validator.
#pragma once
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

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
  // The validator's operand types, (*operand_types)[0, *operand_depth) after the instruction
  // instr() receives (kUnknown, 0, in unreachable code). Set for each body.
  const std::vector<ValType>* operand_types = nullptr;
  const size_t* operand_depth = nullptr;
};

// Validation in two steps, so that bodies can be validated (and translated by their listeners)
// on several threads: the constructor checks the module-level rules; bodies() checks function
// bodies, each range [first, last) that `next` hands out in order, until it returns false.
// bodies() only reads shared state, so calls on different threads may run at once. Both throw
// ValidateError (invalid) or DecodeError (malformed bytes).
class ModuleValidation {
 public:
  using NextRange = std::function<bool(uint32_t& first, uint32_t& last)>;
  explicit ModuleValidation(const ModuleDesc& m);
  void bodies(const NextRange& next, BodyListener* listener) const;

 private:
  const ModuleDesc& m_;
  std::set<uint32_t> declared_funcs_;  // functions that ref.func may name in a body
};

// Module-level rules first, then every body in order.
void validate_module(const ModuleDesc& m, BodyListener* listener = nullptr);

}  // namespace glint::detail
