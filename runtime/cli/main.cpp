// The `glint` command-line tool: run, validate, inspect, spec.
#include <CLI/CLI.hpp>

#include "commands.h"
#include "spec_runner.h"

int main(int argc, char** argv) {
  CLI::App app{"glint: a WebAssembly runtime for game scripting"};
  app.require_subcommand(1);

  glint::cli::RunOptions run;
  auto* run_cmd = app.add_subcommand(
      "run",
      "Run a WASI command (_start) and exit with its exit code, or call one export.\n"
      "A trap prints the error and a wasm backtrace to stderr and exits with 134.");
  run_cmd->add_option("file", run.file, "the .wasm module")->required()->check(CLI::ExistingFile);
  run_cmd->add_option("args", run.args,
                      "program arguments, or the export's arguments with --invoke");
  run_cmd->add_option("--invoke", run.invoke, "call this export and print its results");
  run_cmd->add_option("--dir", run.dirs, "preopen HOST[::GUEST] directory (sandboxed)");
  run_cmd->add_option("--env", run.env, "set environment variable K=V for the guest");
  run_cmd->add_option("--fuel", run.fuel, "trap after N function entries and loop iterations");
  run_cmd->prefix_command();  // everything after the file belongs to the guest

  std::string file;
  auto* validate_cmd = app.add_subcommand("validate", "Check that a module decodes and validates");
  validate_cmd->add_option("file", file, "the .wasm module")->required();
  auto* inspect_cmd = app.add_subcommand("inspect", "Show sections, imports, exports and sizes");
  inspect_cmd->add_option("file", file, "the .wasm module")->required();

  glint::cli::SpecOptions spec;
  auto* spec_cmd =
      app.add_subcommand("spec",
                         "Run WebAssembly spec test scripts (.wast, converted with wast2json).\n"
                         "The last line is 'spec: N passed, N failed, N skipped'.");
  spec_cmd->add_option("paths", spec.paths, ".wast files or directories of them")->required();
  spec_cmd->add_flag("-v,--verbose", spec.verbose, "per-file counts");

  CLI11_PARSE(app, argc, argv);
  if (run_cmd->parsed()) return glint::cli::run_module(run);
  if (validate_cmd->parsed()) return glint::cli::validate_module(file);
  if (inspect_cmd->parsed()) return glint::cli::inspect_module(file);
  if (spec_cmd->parsed()) return glint::cli::run_spec(spec);
  return 0;
}
