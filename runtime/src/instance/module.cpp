// Module loading: decode, validate, translate; and the read-only views of a module.
#include "decode/module.h"

// libiberty would declare basename() again, differently from glibc's <string.h>; say it has one.
#define HAVE_DECL_BASENAME 1
#include <libiberty/demangle.h>
#include <xxhash.h>

#include <cstdlib>

#include "compile/compiler.h"
#include "debug/debugger.h"
#include "debug/source_info.h"
#include "decode/features.h"
#include "glint/glint.h"
#include "glint/snapshot.h"
#include "instance/limits.h"
#include "validate/validator.h"

namespace glint {

using detail::DecodeError;
using detail::ValidateError;

Module::Module(std::unique_ptr<detail::ModuleDesc> d, std::unique_ptr<detail::CompiledModule> c)
    : desc_(std::move(d)), compiled_(std::move(c)) {}

uint64_t Module::content_hash() const {
  uint64_t hash = content_hash_.load(std::memory_order_relaxed);
  if (hash == 0) {  // threads that race here compute the same value
    hash = XXH3_64bits(desc_->bytes.data(), desc_->bytes.size());
    content_hash_.store(hash, std::memory_order_relaxed);
  }
  return hash;
}
Module::~Module() {
  detail::forget_patches(*this);
  detail::forget_source_info(*this);
}

// Turns the loader's exceptions into errors with offsets.
template <class T, class F>
static Result<T> catching(F&& load) {
  try {
    return load();
  } catch (const ValidateError& e) {
    return Error{ErrorKind::Invalid, e.what(), e.offset};
  } catch (const DecodeError& e) {
    return Error{ErrorKind::Malformed, e.what(), e.offset};
  } catch (const detail::UnsupportedError& e) {
    return Error{ErrorKind::Unsupported, e.what(), e.offset};
  } catch (const std::bad_alloc&) {
    return Error{ErrorKind::Malformed, "module too large to load"};
  }
}

// Decode, then validate and translate in one pass over each function body. The limits are
// checked before decoding (size) and before translating (functions, locals).
Result<std::shared_ptr<const Module>> Module::load(std::span<const uint8_t> bytes,
                                                   const ResourceLimits& limits) {
  if (auto e = detail::check_module_size(bytes.size(), limits)) return *e;
  std::optional<Error> over;
  auto m = catching<std::shared_ptr<const Module>>([&]() -> std::shared_ptr<const Module> {
    auto d =
        std::make_unique<detail::ModuleDesc>(detail::decode_module(bytes.data(), bytes.size()));
    if ((over = detail::check_module_limits(*d, limits))) return nullptr;
    auto compiled = detail::validate_and_compile(*d);
    return std::make_shared<const Module>(std::move(d), std::move(compiled));
  });
  if (over) return *over;
  return m;
}

Result<std::shared_ptr<const Module>> Module::load_file(const std::string& path,
                                                        const ResourceLimits& limits) {
  auto bytes = read_file(path);
  if (!bytes) return bytes.error();
  auto m = load(*bytes, limits);
  if (!m) {
    Error e = m.error();
    e.message = path + ": " + e.message;
    return e;
  }
  return m;
}

Result<void> Module::validate(std::span<const uint8_t> bytes) {
  auto valid = catching<bool>([&] {
    detail::validate_module(detail::decode_module(bytes.data(), bytes.size()));
    return true;
  });
  if (!valid) return valid.error();
  return {};
}

const std::string& Module::name() const { return desc_->module_name; }
std::span<const uint8_t> Module::bytes() const { return desc_->bytes; }

std::vector<ImportInfo> Module::imports() const {
  std::vector<ImportInfo> out;
  for (const auto& im : desc_->imports) {
    ImportInfo info{im.module, im.name, im.kind, {}, im.table, im.memory, im.global};
    if (im.kind == ExternKind::Func) info.func = desc_->types[im.func_type];
    if (im.kind == ExternKind::Tag) info.func = desc_->types[im.tag_type];
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<ExportInfo> Module::exports() const {
  std::vector<ExportInfo> out;
  for (const auto& ex : desc_->exports) out.push_back({ex.name, ex.kind, ex.index});
  return out;
}

std::vector<SectionInfo> Module::sections() const { return desc_->sections; }

// Names compiled from C++ or Rust are mangled (`_ZN10rs_process4main17h...E`); backtraces show
// them demangled (`rs_process::main`), by libiberty, which knows both manglings.
std::string detail::readable_name(const std::string& name) {
  if (name.size() < 3 || name[0] != '_' || (name[1] != 'Z' && name[1] != 'R')) return name;
  char* demangled = cplus_demangle(name.c_str(), DMGL_PARAMS | DMGL_AUTO);
  if (!demangled) return name;
  std::string out = demangled;
  std::free(demangled);
  return out;
}

std::string Module::function_name(uint32_t func_index) const {
  auto it = desc_->func_names.find(func_index);
  if (it != desc_->func_names.end()) return detail::readable_name(it->second);
  // Imports and exports name a function well enough when there is no name section.
  if (func_index < desc_->num_imported_funcs) {
    const auto& imports = desc_->imports;
    uint32_t n = 0;
    for (const auto& im : imports)
      if (im.kind == ExternKind::Func && n++ == func_index) return im.module + "." + im.name;
  }
  for (const auto& ex : desc_->exports)
    if (ex.kind == ExternKind::Func && ex.index == func_index) return ex.name;
  return "func[" + std::to_string(func_index) + "]";
}

std::string Module::local_name(uint32_t func_index, uint32_t local_index) const {
  auto f = desc_->local_names.find(func_index);
  if (f == desc_->local_names.end()) return "";
  auto l = f->second.find(local_index);
  return l == f->second.end() ? "" : l->second;
}

std::vector<std::string> Module::features() const { return detail::module_features(*desc_); }

size_t Module::code_size() const {
  for (const auto& s : desc_->sections)
    if (s.id == 10) return s.size;
  return 0;
}

}  // namespace glint
