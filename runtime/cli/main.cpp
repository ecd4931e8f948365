// The `glint` command-line tool: run, validate, inspect, spec.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "commands.h"
#include "glint/cpu.h"
#include "spec_runner.h"

// `glint run [OPTIONS] FILE ARGS...`: everything after FILE belongs to the guest, even words that
// look like glint's options (CLI11 would parse or silently drop them), so a `--` goes after FILE.
static std::vector<char*> separate_guest_args(int argc, char** argv) {
  static char separator[] = "--";
  std::vector<char*> out(argv, argv + argc);
  if (argc < 2 || std::string_view(argv[1]) != "run") return out;
  for (int i = 2; i < argc; i++) {
    std::string_view a = argv[i];
    if (a == "--") break;  // already separated
    if (a.starts_with("-")) {
      if (a == "--invoke" || a == "--dir" || a == "--env" || a == "--fuel" || a == "--break")
        i++;  // its value
      continue;
    }
    out.insert(out.begin() + i + 1, separator);  // argv[i] is FILE
    break;
  }
  return out;
}

// The interpreter copy and whether SIMD modules load: both chosen from this CPU (GLINT_CPU).
static std::string version_text() {
  std::string text = "glint: a WebAssembly runtime for game scripting\ninterpreter: ";
  text += glint::interpreter_variant();
  text += glint::simd_supported() ? "\nsimd: yes" : "\nsimd: no (the CPU has no SSE4.1)";
  return text;
}

int main(int argc, char** argv) {
  CLI::App app{"glint: a WebAssembly runtime for game scripting"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_text,
                       "Say which interpreter this CPU runs (x86-64-v3 or x86-64) and exit");

  glint::cli::RunOptions run;
  auto* run_cmd = app.add_subcommand(
      "run",
      "Run a WASI command (_start) and exit with its exit code, or call one export.\n"
      "A trap prints the error and a wasm backtrace to stderr and exits with 134.");
  run_cmd->add_option("file", run.file, "the .wasm module")->required()->check(CLI::ExistingFile);
  run_cmd->add_option(
      "args", run.args,
      "everything after FILE: program arguments, or the export's arguments with --invoke");
  run_cmd->add_option("--invoke", run.invoke, "call this export and print its results");
  // One value per --dir/--env (repeat the option for more); otherwise CLI11 lets a vector option
  // swallow the FILE and the guest's arguments that follow it.
  run_cmd->add_option("--dir", run.dirs, "preopen HOST[::GUEST] directory (sandboxed)")
      ->allow_extra_args(false);
  run_cmd->add_option("--env", run.env, "set environment variable K=V for the guest")
      ->allow_extra_args(false);
  run_cmd->add_option("--fuel", run.fuel, "trap after N function entries and loop iterations");
  run_cmd
      ->add_option("--break", run.breaks,
                   "print each stop at a source line (FILE:LINE, with DWARF), a function's "
                   "start (by name) or the instruction at a byte offset (0x1a2): variables, "
                   "locals, operand stack and callers, to stderr; then run on")
      ->allow_extra_args(false);

  std::string file;
  auto* validate_cmd = app.add_subcommand("validate", "Check that a module decodes and validates");
  validate_cmd->add_option("file", file, "the .wasm module")->required();
  auto* inspect_cmd = app.add_subcommand("inspect", "Show sections, imports, exports and sizes");
  inspect_cmd->add_option("file", file, "the .wasm module")->required();

  std::string new_name, new_lang = "c";
  auto* new_cmd = app.add_subcommand(
      "new", "Create a game project that glint-demo --watch and the editor hot-reload");
  new_cmd->add_option("name", new_name, "the project's folder and module name")->required();
  new_cmd->add_option("--lang", new_lang, "c (a CMake project) or rust (a cargo crate)")
      ->check(CLI::IsMember({"c", "rust"}));

  glint::cli::SpecOptions spec;
  auto* spec_cmd =
      app.add_subcommand("spec",
                         "Run WebAssembly spec test scripts (.wast, converted with wast2json).\n"
                         "The last line is 'spec: N passed, N failed, N skipped'.");
  spec_cmd->add_option("paths", spec.paths, ".wast files or directories of them")->required();
  spec_cmd->add_flag("-v,--verbose", spec.verbose, "per-file counts");

  std::vector<char*> args = separate_guest_args(argc, argv);
  CLI11_PARSE(app, int(args.size()), args.data());
  if (run_cmd->parsed()) return glint::cli::run_module(run);
  if (validate_cmd->parsed()) return glint::cli::validate_module(file);
  if (inspect_cmd->parsed()) return glint::cli::inspect_module(file);
  if (spec_cmd->parsed()) return glint::cli::run_spec(spec);
  if (new_cmd->parsed()) return glint::cli::new_project(new_name, new_lang);
  return 0;
}
