// The `glint` command-line tool.
#include <CLI/CLI.hpp>
#include <iostream>

#include "spec_runner.h"

int main(int argc, char** argv) {
  CLI::App app{"glint: a WebAssembly runtime for game scripting"};
  app.require_subcommand(1);

  glint::cli::SpecOptions spec;
  auto* spec_cmd = app.add_subcommand("spec", "Run WebAssembly spec test scripts (.wast)");
  spec_cmd->add_option("paths", spec.paths, ".wast files or directories of them")->required();
  spec_cmd->add_flag("-v,--verbose", spec.verbose, "per-file counts");

  CLI11_PARSE(app, argc, argv);
  if (spec_cmd->parsed()) return glint::cli::run_spec(spec);
  return 0;
}
