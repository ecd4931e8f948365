// Binds glint::host::Api into the VM. The Linker::func calls are generated from api.def
// (api_bind.inc): each lambda's C++ parameters are the wasm parameters, so Linker::func deduces
// the wasm signature, and instantiation checks it against what the guest imports.
#include <cinttypes>
#include <cstdio>

#include "api.h"
#include "glint_host/api_table.h"

namespace glint::host {

namespace {

// Every bound function starts here, so this is where host calls are counted.
Api& api_of(glint::Caller& c) {
  Api& api = *static_cast<Api*>(c.store().user_data);
  ++api.host_calls;
  return api;
}

// Checks a (ptr, len) argument against the caller's memory and the store's limit on argument
// lengths (ResourceLimits::max_host_arg_bytes); the trap names the call and the argument, e.g.
// "draw_text: argument 'text' (ptr=70000, len=5) is out of bounds".
std::span<uint8_t> guest_span(glint::Caller& c, const char* fn, const char* arg, uint32_t ptr,
                              uint32_t len) {
  glint::Memory& m = c.memory();
  if (uint32_t max = c.store().limits().max_host_arg_bytes; len > max) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "%s: argument '%s' (ptr=%" PRIu32 ", len=%" PRIu32
                  ") is longer than the limit max_host_arg_bytes = %" PRIu32,
                  fn, arg, ptr, len, max);
    throw glint::TrapError{msg};
  }
  if (!m.in_bounds(ptr, len)) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "%s: argument '%s' (ptr=%" PRIu32 ", len=%" PRIu32
                  ") is out of bounds (memory is %" PRIu64 " bytes)",
                  fn, arg, ptr, len, uint64_t(m.size()));
    throw glint::TrapError{msg};
  }
  return {m.data() + ptr, len};
}

std::string_view guest_str(glint::Caller& c, const char* fn, const char* arg, uint32_t ptr,
                           uint32_t len) {
  auto s = guest_span(c, fn, arg, ptr, len);
  return {reinterpret_cast<const char*>(s.data()), s.size()};
}

std::span<const uint8_t> guest_bytes(glint::Caller& c, const char* fn, const char* arg,
                                     uint32_t ptr, uint32_t len) {
  return guest_span(c, fn, arg, ptr, len);
}

std::span<uint8_t> guest_buf(glint::Caller& c, const char* fn, const char* arg, uint32_t ptr,
                             uint32_t cap) {
  return guest_span(c, fn, arg, ptr, cap);
}

// Where the generated code puts each function: a linker, a table, or both.
struct Registry {
  glint::Linker* linker = nullptr;
  std::vector<ApiImport>* table = nullptr;
};

template <class F>
void add(Registry& r, const char* name, F f) {
  if (r.table) r.table->push_back({name, glint::detail::make_host_func(f, name).type});
  if (r.linker) r.linker->func("glint", name, std::move(f));
}

void bind_functions(Registry& r) {
#include "api_bind.inc"
}

}  // namespace

void bind_api(glint::Linker& linker) {
  Registry r{&linker, nullptr};
  bind_functions(r);
}

std::vector<ApiImport> api_imports() {
  std::vector<ApiImport> table;
  Registry r{nullptr, &table};
  bind_functions(r);
  return table;
}

}  // namespace glint::host
