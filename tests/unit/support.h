// Helpers shared by the unit tests: the test modules (tests/unit/wat, assembled at build time),
// byte patterns in binaries, and the trap a call ended with.
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "glint/glint.h"

namespace test {

template <class T>
const glint::Trap& trap_of(const glint::Result<T>&& r) = delete;  // would dangle

using Bytes = std::vector<uint8_t>;

inline Bytes read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline Bytes test_wasm_bytes(const std::string& name) {
  return read_bytes(std::string(GLINT_TEST_WASM_DIR) + "/" + name);
}

inline std::shared_ptr<const glint::Module> load_test_module(const std::string& name) {
  auto m = glint::Module::load_file(std::string(GLINT_TEST_WASM_DIR) + "/" + name);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
  return *m;
}

// Where `pattern` occurs in `bytes`; it must occur exactly once.
inline size_t offset_of(const Bytes& bytes, const Bytes& pattern) {
  auto it = std::search(bytes.begin(), bytes.end(), pattern.begin(), pattern.end());
  REQUIRE(it != bytes.end());
  REQUIRE(std::search(it + 1, bytes.end(), pattern.begin(), pattern.end()) == bytes.end());
  return size_t(it - bytes.begin());
}

// The trap a call ended with; the test fails if the call did not trap. (Keep the result in a
// variable: the trap lives in it.)
template <class T>
const glint::Trap& trap_of(const glint::Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.error().trap);
  return *r.error().trap;
}

}  // namespace test
