// `glint validate` and `glint inspect`.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "commands.h"
#include "glint/glint.h"

namespace glint::cli {

// Loads the module (validation and translation). One that this host cannot run (SIMD on a CPU
// without SSE4.1; loading stops at its first SIMD code) is validated on its own, and if valid
// is "ok" with a note saying so.
int validate_module(const std::string& file) {
  auto m = Module::load_file(file);
  Result<void> valid;
  if (!m && m.error().kind == ErrorKind::Unsupported) {
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    valid = Module::validate(bytes);
    if (valid) std::cerr << "note: " << m.error().to_string() << "\n";
  }
  if (!m && (m.error().kind != ErrorKind::Unsupported || !valid)) {
    std::cerr << "error: " << (valid ? m.error() : valid.error()).to_string() << "\n";
    return 1;
  }
  std::cout << "ok\n";
  return 0;
}

static std::string limits(const Limits& l) {
  return std::to_string(l.min) + (l.max ? " max " + std::to_string(*l.max) : "");
}

static std::string describe(const ImportInfo& im) {
  switch (im.kind) {
    case ExternKind::Func:
      return "func " + im.func.to_string();
    case ExternKind::Table:
      return std::string("table ") + to_string(im.table.elem) + " " + limits(im.table.limits);
    case ExternKind::Memory:
      return std::string("memory ") + (im.memory.is64 ? "i64 " : "") + limits(im.memory.limits) +
             " pages";
    case ExternKind::Global:
      return std::string("global ") + (im.global.mut ? "mut " : "") + to_string(im.global.type);
    case ExternKind::Tag:
      return "tag " + im.func.to_string();
  }
  return "?";
}

int inspect_module(const std::string& file) {
  auto m = Module::load_file(file);
  if (!m) {
    std::cerr << "error: " << m.error().to_string() << "\n";
    return 1;
  }
  const Module& mod = **m;
  std::printf("module %s%s\n", file.c_str(),
              mod.name().empty() ? "" : (" ($" + mod.name() + ")").c_str());
  std::printf("\nsections:\n  %-12s %10s %10s\n", "name", "offset", "size");
  size_t total = 0;
  for (const auto& s : mod.sections()) {
    std::printf("  %-12s %#10x %10u%s\n", s.name.c_str(), s.offset, s.size,
                s.id == 0 ? "  (custom)" : "");
    total += s.size;
  }
  std::printf("  %-12s %10s %10zu\n", "total", "", total);
  auto imports = mod.imports();
  std::printf("\nimports (%zu):\n", imports.size());
  for (const auto& im : imports)
    std::printf("  %s.%s: %s\n", im.module.c_str(), im.name.c_str(), describe(im).c_str());
  auto exports = mod.exports();
  std::printf("\nexports (%zu):\n", exports.size());
  for (const auto& ex : exports)
    std::printf("  %s: %s %u\n", ex.name.c_str(), to_string(ex.kind), ex.index);
  std::printf("\ncode: %zu bytes\n", mod.code_size());
  std::string features;
  for (const std::string& f : mod.features()) features += (features.empty() ? "" : ", ") + f;
  std::printf("features: %s\n", features.empty() ? "none beyond the MVP" : features.c_str());
  // The DWARF, read only when the module has some (glint/source.h).
  DwarfInfo dwarf = dwarf_info(mod);
  if (dwarf.present) {
    std::printf("dwarf: %zu source files, %zu functions with lines%s\n", dwarf.files,
                dwarf.functions, dwarf.lines ? "" : " (no usable line table)");
    for (const std::string& p : dwarf.problems) std::printf("  problem: %s\n", p.c_str());
  }
  return 0;
}

}  // namespace glint::cli
