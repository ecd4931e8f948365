// Internal: the groups of WASI functions, each registered by its own file.
#pragma once
#include <memory>

#include "glint/wasi.h"

namespace glint::wasi {
class Context;
void add_fs(Linker& linker, const std::shared_ptr<Context>& ctx);    // wasi_fs.cpp
void add_proc(Linker& linker, const std::shared_ptr<Context>& ctx);  // wasi_proc.cpp
}  // namespace glint::wasi
