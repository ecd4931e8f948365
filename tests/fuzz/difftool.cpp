// glint-difftool: the Glint half of differential testing against V8 (diff.py drives it).
//   glint-difftool gen FIRST_SEED COUNT DIR [FEATURES]
//                                             writes DIR/SEED.wasm, modules made by wasm_gen
//                                             from 4 KiB of seeded pseudo-random bytes, with
//                                             the features named (wasm_gen.h, default "v8")
//   glint-difftool run FILE...                runs each module and prints its report
//   glint-difftool gen-wabt FIRST_SEED COUNT DIR FEATURES
//                                             the same modules, reporting themselves
//                                             (GenOptions::self_report), for wabt's
//                                             wasm-interp (diff.py --reference wabt)
//   glint-difftool run-wabt FILE...           runs each such module as
//                                             `wasm-interp --run-all-exports` does, and
//                                             prints what it prints
// The report (diff_run.mjs prints the same from node) calls every export f0, f1, ... in order
// with fixed arguments, and after each call prints the result or the kind of trap, and a hash
// of the memory; then the exported globals. Float results print as their bits, any NaN as
// "nan": the spec lets engines differ in a NaN's sign and payload.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>

#include "glint/glint.h"
#include "wasm_gen.h"

namespace {

using Bytes = std::vector<uint8_t>;

std::string show(const glint::Value& v) {
  char buf[64];
  switch (v.type) {
    case glint::ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRIu32, uint32_t(v.bits));
      break;
    case glint::ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRIu64, v.bits);
      break;
    case glint::ValType::F32:
      if (v.as_f32() != v.as_f32()) return "f32:nan";
      std::snprintf(buf, sizeof buf, "f32:%" PRIu32, uint32_t(v.bits));
      break;
    case glint::ValType::F64:
      if (v.as_f64() != v.as_f64()) return "f64:nan";
      std::snprintf(buf, sizeof buf, "f64:%" PRIu64, v.bits);
      break;
    default:
      return "ref";
  }
  return buf;
}

// The trap kinds as V8 can tell them apart (diff_run.mjs maps V8's messages to these). V8 has
// one message for a float truncation out of range and of NaN ("float unrepresentable in integer
// range"), where Glint, as the spec, says integer overflow for the first: a trap at a trunc
// opcode is a conversion.
const char* trap_class(const glint::Trap& t, const std::vector<uint8_t>& bytes) {
  using K = glint::TrapKind;
  uint32_t at = t.backtrace.empty() ? 0 : t.backtrace[0].code_offset;
  bool at_trunc = at < bytes.size() && bytes[at] >= 0xA8 && bytes[at] <= 0xB1;
  if (t.kind == K::IntegerOverflow && at_trunc) return "conversion";
  switch (t.kind) {
    case K::Unreachable:
      return "unreachable";
    case K::MemoryOutOfBounds:
      return "memory";
    case K::TableOutOfBounds:
    case K::UndefinedElement:
      return "table";
    case K::UninitializedElement:
    case K::IndirectCallTypeMismatch:
      return "indirect";
    case K::IntegerDivideByZero:
      return "divzero";
    case K::IntegerOverflow:
      return "overflow";
    case K::InvalidConversion:
      return "conversion";
    case K::StackExhausted:
      return "stack";
    case K::UncaughtException:
      return "exception";
    default:
      return "other";
  }
}

uint64_t fnv1a(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  return h;
}

// The arguments both halves pass: parameter j of any export.
glint::Value argument(glint::ValType t, size_t j) {
  switch (t) {
    case glint::ValType::I32:
      return glint::Value::i32(int32_t(j * 31 + 5));
    case glint::ValType::I64:
      return glint::Value::i64(int64_t(j * 1000003 + 7));
    case glint::ValType::F32:
      return glint::Value::f32(float(j) + 0.5f);
    default:
      return glint::Value::f64(double(j) * 1.25);
  }
}

// A module read, loaded and instantiated in its own store; prints its "module NAME" line, and
// what failed if something did ("load error: ...", 1; "instantiate: trap KIND", 0).
struct Opened {
  std::vector<uint8_t> bytes;
  std::shared_ptr<const glint::Module> module;
  glint::Store store;
  glint::Instance* instance = nullptr;
  int status = 0;

  Opened(const std::string& path, std::string (*trap_name)(const glint::Trap&, const Bytes&)) {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
    std::printf("module %s\n", std::filesystem::path(path).filename().c_str());
    auto m = glint::Module::load(bytes);
    if (!m) {
      std::printf("load error: %s\n", m.error().to_string().c_str());
      status = 1;
      return;
    }
    module = *m;
    auto inst = glint::Linker().instantiate(store, module);
    if (!inst) {
      const auto& e = inst.error();
      std::printf("instantiate: trap %s\n", e.trap ? trap_name(*e.trap, bytes).c_str() : "error");
      return;
    }
    instance = *inst;
  }
};

int run(const std::string& path) {
  Opened o(path,
           [](const glint::Trap& t, const Bytes& b) { return std::string(trap_class(t, b)); });
  if (!o.instance) return o.status;
  glint::Instance* inst = o.instance;
  glint::Store& store = o.store;
  const Bytes& bytes = o.bytes;
  glint::Memory* mem = inst->memory("memory");
  for (uint32_t f = 0;; f++) {
    glint::Function* fn = inst->func(fuzzgen::export_name('f', f));
    if (!fn) break;
    std::vector<glint::Value> args;
    for (size_t j = 0; j < fn->type().params.size(); j++)
      args.push_back(argument(fn->type().params[j], j));
    auto r = store.call(fn, args);
    std::string out;
    if (!r) {
      out = r.error().trap ? std::string("trap ") + trap_class(*r.error().trap, bytes)
                           : "error " + r.error().message;
    } else {
      out = "ok";
      for (const auto& v : *r) out += ' ', out += show(v);  // (not " " + ...: g++ 12 -Wrestrict)
    }
    std::printf("f%u: %s mem %016" PRIx64 " budget %s\n", f, out.c_str(),
                fnv1a(mem->data(), mem->size()), show(inst->global("budget")->get()).c_str());
  }
  for (uint32_t g = 1;; g++) {
    glint::Global* gl = inst->global(fuzzgen::export_name('g', g));
    if (!gl) break;
    std::printf("g%u: %s\n", g, show(gl->get()).c_str());
  }
  std::printf("budget: %s\n", show(inst->global("budget")->get()).c_str());
  return 0;
}

// What `wasm-interp --run-all-exports` prints: each exported function without parameters called
// in export order, "NAME() => i32:N, i64:N" or "NAME() => error: MESSAGE". Glint prints the
// spec's wording of the trap; diff.py maps wabt's to it.
int run_wabt(const std::string& path) {
  Opened o(path, [](const glint::Trap& t, const Bytes&) { return std::string(to_string(t.kind)); });
  if (!o.instance) return o.status;
  for (const auto& ex : o.module->exports()) {
    glint::Function* fn = o.instance->func(ex.name);
    if (!fn || !fn->type().params.empty()) continue;
    auto r = o.store.call(fn, {});
    std::string out;
    if (!r) {
      out = r.error().trap ? std::string(" error: ") + glint::to_string(r.error().trap->kind)
                           : " error: " + r.error().message;
    } else {
      const char* sep = " ";
      for (const auto& v : *r) out += sep, out += show(v), sep = ", ";
    }
    std::printf("%s() =>%s\n", ex.name.c_str(), out.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string cmd = argc > 1 ? argv[1] : "";
  bool wabt = cmd == "gen-wabt" && argc == 6;
  if ((cmd == "gen" && (argc == 5 || argc == 6)) || wabt) {
    uint64_t first = std::stoull(argv[2]), count = std::stoull(argv[3]);
    fuzzgen::GenOptions options;
    options.self_report = options.wabt_quirks = wabt;
    options.features = fuzzgen::parse_features(argc == 6 ? argv[5] : "v8");
    if (options.features == ~0u) {
      std::fprintf(stderr, "glint-difftool: unknown feature in '%s' (wasm_gen.h names them)\n",
                   argv[5]);
      return 2;
    }
    for (uint64_t seed = first; seed < first + count; seed++) {
      std::mt19937_64 rng(seed);
      std::vector<uint8_t> noise(4096);
      for (auto& b : noise) b = uint8_t(rng());
      fuzzgen::Source src(noise.data(), noise.size());
      fuzzgen::Bytes wasm = fuzzgen::generate_module(src, options);
      std::string path = argv[4];
      path += "/" + std::to_string(seed) + ".wasm";
      std::ofstream out(path, std::ios::binary);
      out.write(reinterpret_cast<const char*>(wasm.data()), std::streamsize(wasm.size()));
    }
    return 0;
  }
  if (cmd == "run" && argc > 2) {
    int failures = 0;
    for (int i = 2; i < argc; i++) failures += run(argv[i]);
    return failures ? 1 : 0;
  }
  if (cmd == "run-wabt" && argc > 2) {
    int failures = 0;
    for (int i = 2; i < argc; i++) failures += run_wabt(argv[i]);
    return failures ? 1 : 0;
  }
  std::fprintf(stderr,
               "usage: glint-difftool gen FIRST_SEED COUNT DIR [FEATURES]\n"
               "       glint-difftool run FILE...\n"
               "       glint-difftool gen-wabt FIRST_SEED COUNT DIR FEATURES\n"
               "       glint-difftool run-wabt FILE...\n");
  return 2;
}
