// The host API as bound into the VM: every function of api.def under module "glint".
#pragma once
#include <string>
#include <vector>

#include "glint/glint.h"

namespace glint::host {

struct ApiImport {
  std::string name;
  glint::FuncType type;  // deduced from the C++ binding (the lambda Linker::func receives)
};

// Adds every host function to `linker` (module "glint"). The functions find their module's
// state through Store::user_data, which must point to that module's glint::host::Api.
void bind_api(glint::Linker& linker);
// The same functions with their wasm types, in api.def order: what a guest may import.
std::vector<ApiImport> api_imports();

// Harmless stand-ins for the WASI imports `module` has (see host_api/README.md).
void bind_wasi_stubs(glint::Linker& linker, const glint::Module& module);

}  // namespace glint::host
