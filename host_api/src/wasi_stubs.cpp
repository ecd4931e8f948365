// Stand-ins for the WASI preview1 imports a game module may carry (C's libc or Rust's std pull
// some in), and for the same calls from snapshot 0 ("wasi_unstable", older toolchains), whose
// layouts agree with preview1 for every call stood in for here. Games get no files, arguments or
// wall clock: output goes to the log, clocks read game time, random_get reads the module's seeded
// stream, so runs stay deterministic.
#include <string>

#include "api.h"
#include "glint_host/api_table.h"

namespace glint::host {

namespace {

constexpr int32_t kErrnoSuccess = 0, kErrnoBadf = 8, kErrnoNosys = 52;

using Args = std::span<const glint::Value>;
using Results = std::span<glint::Value>;

Api& api_of(glint::Caller& c) { return *static_cast<Api*>(c.store().user_data); }

glint::FuncType i32s(size_t params, size_t results) {
  return {std::vector<glint::ValType>(params, glint::ValType::I32),
          std::vector<glint::ValType>(results, glint::ValType::I32)};
}

uint32_t u32(const glint::Value& v) { return uint32_t(v.as_i32()); }

int32_t fd_write(glint::Caller& c, Args a) {
  uint32_t fd = u32(a[0]), iovs = u32(a[1]), count = u32(a[2]), written_ptr = u32(a[3]);
  if (fd != 1 && fd != 2) return kErrnoBadf;
  glint::Memory& m = c.memory();
  std::string text;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t ptr = m.load<uint32_t>(uint64_t(iovs) + 8ull * i);
    uint32_t len = m.load<uint32_t>(uint64_t(iovs) + 8ull * i + 4);
    text += m.string(ptr, len);
  }
  m.store<uint32_t>(written_ptr, uint32_t(text.size()));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  Api& api = api_of(c);
  if (!text.empty())
    api.game().log(api.module(), fd == 1 ? Game::Level::Info : Game::Level::Warn, text);
  return kErrnoSuccess;
}

int32_t random_get(glint::Caller& c, Args a) {
  auto bytes = c.memory().span(u32(a[0]), u32(a[1]));
  Rng& rng = api_of(c).rng();
  for (uint8_t& b : bytes) b = uint8_t(rng.next32() >> 24);
  return kErrnoSuccess;
}

int32_t clock_time_get(glint::Caller& c, Args a) {
  Api& api = api_of(c);
  double seconds = double(api.game().frame()) * double(api.game().config().dt);
  c.memory().store<uint64_t>(u32(a[2]), uint64_t(seconds * 1e9));
  return kErrnoSuccess;
}

int32_t zero_sizes(glint::Caller& c, Args a) {  // args_sizes_get, environ_sizes_get
  c.memory().store<uint32_t>(u32(a[0]), 0);
  c.memory().store<uint32_t>(u32(a[1]), 0);
  return kErrnoSuccess;
}

}  // namespace

void bind_wasi_stubs(glint::Linker& linker, const glint::Module& module) {
  using glint::ValType;
  for (const glint::ImportInfo& imp : module.imports()) {
    bool wasi = imp.module == "wasi_snapshot_preview1" || imp.module == "wasi_unstable";
    if (!wasi || imp.kind != glint::ExternKind::Func) continue;
    const std::string& name = imp.name;
    const glint::FuncType& type = imp.func;
    int32_t (*handler)(glint::Caller&, Args) = nullptr;
    if (name == "fd_write" && type == i32s(4, 1)) handler = fd_write;
    if (name == "random_get" && type == i32s(2, 1)) handler = random_get;
    if (name == "args_sizes_get" && type == i32s(2, 1)) handler = zero_sizes;
    if (name == "environ_sizes_get" && type == i32s(2, 1)) handler = zero_sizes;
    if (name == "clock_time_get" &&
        type == glint::FuncType{{ValType::I32, ValType::I64, ValType::I32}, {ValType::I32}})
      handler = clock_time_get;
    if (name == "proc_exit") {
      linker.func_dynamic(imp.module, name, type, [](glint::Caller&, Args a, Results) {
        int code = a.empty() ? 0 : a[0].as_i32();
        throw glint::TrapError{"proc_exit(" + std::to_string(code) + ")", glint::TrapKind::Exit,
                               code};
      });
      continue;
    }
    // Anything else answers "not supported" (or nothing, if it returns nothing).
    linker.func_dynamic(imp.module, name, type,
                        [handler, type](glint::Caller& c, Args a, Results r) {
                          int32_t err = handler ? handler(c, a) : kErrnoNosys;
                          for (size_t i = 0; i < r.size(); ++i)
                            r[i] = glint::Value::zero(type.results[i]);
                          if (!r.empty() && type.results[0] == glint::ValType::I32)
                            r[0] = glint::Value::i32(err);
                        });
  }
}

}  // namespace glint::host
