// glint-api-check [--exact] [--instantiate] FILE.wasm...
// Compares a guest's imports from module "glint" with the host's binding (api_imports(), the
// types Linker::func deduced from C++). Every import must be bound with the same type; with
// --exact the guest must import every host function (the SDK test guests do). With
// --instantiate it also links the module against the real host (Game-less: a bare Store) and
// reports the linker's verdict. Exits 1 on any mismatch.
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "glint_host/api_table.h"

int main(int argc, char** argv) {
  bool exact = false, instantiate = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--exact"))
      exact = true;
    else if (!std::strcmp(argv[i], "--instantiate"))
      instantiate = true;
    else
      files.push_back(argv[i]);
  }
  std::map<std::string, glint::FuncType> host;
  for (auto& imp : glint::host::api_imports()) host[imp.name] = imp.type;
  std::printf("host binds %zu functions under \"glint\"\n", host.size());

  int failures = 0;
  for (const std::string& file : files) {
    auto module = glint::Module::load_file(file);
    if (!module) {
      std::printf("FAIL %s: %s\n", file.c_str(), module.error().to_string().c_str());
      ++failures;
      continue;
    }
    std::set<std::string> seen;
    int bad = 0;
    for (const glint::ImportInfo& imp : (*module)->imports()) {
      if (imp.module != "glint") {
        if (imp.module != "wasi_snapshot_preview1") {
          std::printf("FAIL %s: imports %s.%s from an unknown module\n", file.c_str(),
                      imp.module.c_str(), imp.name.c_str());
          ++bad;
        }
        continue;
      }
      seen.insert(imp.name);
      auto it = host.find(imp.name);
      if (it == host.end()) {
        std::printf("FAIL %s: imports glint.%s, which the host does not bind\n", file.c_str(),
                    imp.name.c_str());
        ++bad;
      } else if (imp.kind != glint::ExternKind::Func || imp.func != it->second) {
        std::printf("FAIL %s: glint.%s is imported as %s, the host binds %s\n", file.c_str(),
                    imp.name.c_str(), imp.func.to_string().c_str(), it->second.to_string().c_str());
        ++bad;
      }
    }
    if (exact) {
      for (auto& [name, type] : host) {
        if (!seen.count(name)) {
          std::printf("FAIL %s: does not import glint.%s %s\n", file.c_str(), name.c_str(),
                      type.to_string().c_str());
          ++bad;
        }
      }
    }
    if (!bad) std::printf("ok %s: %zu glint imports match the host\n", file.c_str(), seen.size());
    if (instantiate) {
      glint::Store store;
      glint::Linker linker;
      glint::host::bind_api(linker);
      glint::host::bind_wasi_stubs(linker, **module);
      auto inst = linker.instantiate(store, *module);
      if (inst) {
        std::printf("ok %s: instantiated against the host\n", file.c_str());
      } else {
        std::printf("FAIL %s: %s\n", file.c_str(), inst.error().to_string().c_str());
        ++bad;
      }
    }
    failures += bad;
  }
  return failures ? 1 : 0;
}
