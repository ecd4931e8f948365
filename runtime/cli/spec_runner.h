// `glint spec`: runs WebAssembly spec test scripts (.wast, converted by wabt's wast2json).
#pragma once
#include <string>
#include <vector>

namespace glint::cli {

struct SpecOptions {
  std::vector<std::string> paths;  // .wast files or directories of them
  bool verbose = false;            // per-file counts and spectest prints
};

// Prints failures (and with verbose, per-file lines); the last line is exactly
// "spec: N passed, N failed, N skipped". Returns the process exit code.
int run_spec(const SpecOptions& options);

}  // namespace glint::cli
