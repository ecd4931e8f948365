// The `glint` subcommands other than `spec`.
#pragma once
#include <string>
#include <vector>

namespace glint::cli {

struct RunOptions {
  std::string file;
  std::vector<std::string> args;    // guest argv after the file, or --invoke values
  std::string invoke;               // call this export instead of _start
  std::vector<std::string> dirs;    // HOST[::GUEST] preopens
  std::vector<std::string> env;     // K=V
  long long fuel = -1;              // < 0: unlimited
  std::vector<std::string> breaks;  // function names or byte offsets to print stops at
};

int run_module(const RunOptions& options);
int validate_module(const std::string& file);
int inspect_module(const std::string& file);
int new_project(const std::string& name, const std::string& lang);

}  // namespace glint::cli
