// Fuzz target 1: arbitrary bytes through decode + validate + translate (Module::load), and the
// validator alone (Module::validate). Either may fail, with an error that says where; both must
// agree on whether the bytes are a valid module, and nothing may crash.
#include <cstdio>
#include <cstdlib>

#include "glint/glint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto loaded = glint::Module::load(bytes);
  auto valid = glint::Module::validate(bytes);
  // (load also checks the resource limits, which validate does not)
  bool over_limit = !loaded && loaded.error().kind == glint::ErrorKind::Limit;
  if (loaded.ok() != valid.ok() && !over_limit) {
    std::fprintf(stderr, "load and validate disagree: load %s, validate %s\n",
                 loaded.ok() ? "ok" : loaded.error().to_string().c_str(),
                 valid.ok() ? "ok" : valid.error().to_string().c_str());
    std::abort();
  }
  if (!loaded) {
    const glint::Error& e = loaded.error();
    bool needs_offset =
        e.kind == glint::ErrorKind::Malformed || e.kind == glint::ErrorKind::Invalid;
    if (e.message.empty() || (needs_offset && (!e.offset || *e.offset > size))) {
      std::fprintf(stderr, "error without a place: %s\n", e.to_string().c_str());
      std::abort();
    }
    return 0;
  }
  // The read-only views of a module that tools use.
  const glint::Module& m = **loaded;
  for (const auto& ex : m.exports()) (void)m.function_name(ex.index);
  (void)m.imports();
  (void)m.sections();
  return 0;
}
