// Runs spec scripts: wast2json turns each .wast into a JSON command list plus .wasm modules;
// every command is one unit that passes, fails or is skipped (text-format modules, SIMD).
#include "spec_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "glint/glint.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace glint::cli {
namespace {

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
  void operator+=(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
  }
};

// A value as the script writes it: exact bits, or a NaN class to check.
struct Expected {
  Value value;
  enum { Exact, CanonicalNan, ArithmeticNan, AnyRef } kind = Exact;
};

uint64_t parse_u64(const std::string& s) { return std::stoull(s); }

Value parse_value(const json& j) {
  std::string type = j.at("type");
  std::string v = j.at("value").is_string() ? j.at("value").get<std::string>() : "";
  if (type == "i32") return Value::i32(int32_t(uint32_t(parse_u64(v))));
  if (type == "i64") return Value::i64(int64_t(parse_u64(v)));
  if (type == "f32") return Value::f32_bits(uint32_t(parse_u64(v)));
  if (type == "f64") return Value::f64_bits(parse_u64(v));
  if (type == "externref")
    return v == "null" ? Value::null(ValType::ExternRef)
                       : Value::externref(ExternRef(parse_u64(v) + 1));
  if (type == "funcref") return Value::null(ValType::FuncRef);
  throw std::runtime_error("unsupported value type " + type);
}

Expected parse_expected(const json& j) {
  Expected e;
  std::string type = j.at("type");
  if (j.contains("value") && j.at("value").is_string()) {
    std::string v = j.at("value");
    if (v == "nan:canonical" || v == "nan:arithmetic") {
      e.value.type = type == "f32" ? ValType::F32 : ValType::F64;
      e.kind = v == "nan:canonical" ? Expected::CanonicalNan : Expected::ArithmeticNan;
      return e;
    }
  } else if (type == "funcref" || type == "externref") {
    e.value.type = type == "funcref" ? ValType::FuncRef : ValType::ExternRef;
    e.kind = Expected::AnyRef;  // "(ref.func)" / "(ref.extern)" without a value: any non-null
    return e;
  }
  e.value = parse_value(j);
  return e;
}

bool matches(const Expected& e, const Value& v) {
  if (e.value.type != v.type) return false;
  switch (e.kind) {
    case Expected::Exact:
      return e.value.bits == v.bits;
    case Expected::AnyRef:
      return !v.is_null();
    case Expected::CanonicalNan:
      return v.type == ValType::F32 ? (v.bits & 0x7FFFFFFFu) == 0x7FC00000u
                                    : (v.bits & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull;
    case Expected::ArithmeticNan:
      return v.type == ValType::F32 ? (v.bits & 0x7FC00000u) == 0x7FC00000u
                                    : (v.bits & 0x7FF8000000000000ull) == 0x7FF8000000000000ull;
  }
  return false;
}

std::string show(const Value& v) { return std::string(to_string(v.type)) + ":" + v.to_string(); }

class ScriptRunner {
 public:
  ScriptRunner(fs::path dir, std::string file, bool verbose)
      : dir_(std::move(dir)), file_(std::move(file)), verbose_(verbose) {
    define_spectest();
  }
  Counts run(const json& commands);

 private:
  static StoreConfig spec_limits();
  void define_spectest();
  void command(const json& c);
  Result<std::vector<Value>> action(const json& a);
  Instance* target(const json& a);
  Result<std::shared_ptr<const Module>> load(const std::string& filename);
  void pass() { counts_.passed++; }
  void skip() { counts_.skipped++; }
  void fail(int line, const std::string& why) {
    counts_.failed++;
    std::cout << file_ << ":" << line << ": FAIL " << why << "\n";
  }

  fs::path dir_;
  std::string file_;
  bool verbose_;
  // One store holds every module of a script (hundreds in some): the spec's own bounds, not a
  // game's resource limits, apply to the suite.
  Store store_{spec_limits()};
  Linker linker_;
  std::map<std::string, Instance*> named_;
  Instance* current_ = nullptr;
  Counts counts_;
};

StoreConfig ScriptRunner::spec_limits() {
  StoreConfig c;
  ResourceLimits& l = c.limits;
  l.max_module_bytes = SIZE_MAX;
  l.max_functions = l.max_locals = l.max_instances = UINT32_MAX;
  l.max_memory_pages = l.max_store_memory_pages = 65536;
  l.max_table_elements = 10'000'000;  // the spec allows 2^32-1; a table this long is 80 MB
  return c;
}

void ScriptRunner::define_spectest() {
  auto print = [this](const char* name, FuncType t) {
    linker_.func_dynamic("spectest", name, t,
                         [this](Caller&, std::span<const Value> args, std::span<Value>) {
                           if (!verbose_) return;
                           for (const Value& v : args) std::cout << show(v) << " ";
                           std::cout << "\n";
                         });
  };
  using V = ValType;
  print("print", {});
  print("print_i32", {{V::I32}, {}});
  print("print_i64", {{V::I64}, {}});
  print("print_f32", {{V::F32}, {}});
  print("print_f64", {{V::F64}, {}});
  print("print_i32_f32", {{V::I32, V::F32}, {}});
  print("print_f64_f64", {{V::F64, V::F64}, {}});
  linker_.define("spectest", "global_i32",
                 Extern::of(store_.new_global({V::I32, false}, Value::i32(666))));
  linker_.define("spectest", "global_i64",
                 Extern::of(store_.new_global({V::I64, false}, Value::i64(666))));
  linker_.define("spectest", "global_f32",
                 Extern::of(store_.new_global({V::F32, false}, Value::f32(666.6f))));
  linker_.define("spectest", "global_f64",
                 Extern::of(store_.new_global({V::F64, false}, Value::f64(666.6))));
  linker_.define("spectest", "table",
                 Extern::of(store_.new_table({V::FuncRef, {10, 20}}, Value::null(V::FuncRef))));
  linker_.define("spectest", "memory", Extern::of(store_.new_memory({{1, 2}})));
}

Result<std::shared_ptr<const Module>> ScriptRunner::load(const std::string& filename) {
  return Module::load_file((dir_ / filename).string(), spec_limits().limits);
}

Instance* ScriptRunner::target(const json& a) {
  if (a.contains("module")) {
    auto it = named_.find(a.at("module").get<std::string>());
    return it == named_.end() ? nullptr : it->second;
  }
  return current_;
}

Result<std::vector<Value>> ScriptRunner::action(const json& a) {
  Instance* inst = target(a);
  if (!inst) return Error{ErrorKind::Usage, "no module for action"};
  std::string field = a.at("field");
  if (a.at("type") == "get") {
    Global* g = inst->global(field);
    if (!g) return Error{ErrorKind::Usage, "no exported global '" + field + "'"};
    Value v = g->get();
    return std::vector<Value>{v};
  }
  std::vector<Value> args;
  for (const auto& j : a.at("args")) args.push_back(parse_value(j));
  return inst->invoke(field, args);
}

void ScriptRunner::command(const json& c) {
  std::string type = c.at("type");
  int line = c.value("line", 0);
  bool text_module = c.value("module_type", "binary") == "text";

  if (type == "module") {
    auto m = load(c.at("filename"));
    if (!m) return fail(line, "module did not load: " + m.error().to_string());
    auto inst = linker_.instantiate(store_, *m);
    if (!inst) return fail(line, "module did not instantiate: " + inst.error().to_string());
    current_ = *inst;
    if (c.contains("name")) named_[c.at("name")] = current_;
    return pass();
  }
  if (type == "register") {
    Instance* inst = c.contains("name") ? named_[c.at("name")] : current_;
    if (!inst) return fail(line, "register: no such module");
    linker_.define_instance(c.at("as"), *inst);
    return pass();
  }
  if (type == "action") {
    auto r = action(c.at("action"));
    if (!r) return fail(line, "action failed: " + r.error().to_string());
    return pass();
  }
  if (type == "assert_return") {
    auto r = action(c.at("action"));
    if (!r) return fail(line, "expected values, got " + r.error().to_string());
    const json& exp = c.at("expected");
    if (r->size() != exp.size()) return fail(line, "wrong number of results");
    for (size_t i = 0; i < exp.size(); i++) {
      Expected e = parse_expected(exp[i]);
      if (!matches(e, (*r)[i]))
        return fail(line, "result " + std::to_string(i) + ": got " + show((*r)[i]) + ", expected " +
                              (e.kind == Expected::Exact ? show(e.value) : exp[i].dump()));
    }
    return pass();
  }
  if (type == "assert_trap" || type == "assert_exhaustion") {
    std::string text = c.at("text");
    auto r = action(c.at("action"));
    if (r) return fail(line, "expected trap '" + text + "', got results");
    if (!r.error().trap)
      return fail(line, "expected trap '" + text + "', got " + r.error().to_string());
    std::string got = r.error().trap->message;
    if (got.rfind(text, 0) != 0 && text.rfind(got, 0) != 0)
      return fail(line, "expected trap '" + text + "', got '" + got + "'");
    return pass();
  }
  if (type == "assert_malformed" || type == "assert_invalid") {
    if (text_module) return skip();  // needs a text-format parser
    auto m = load(c.at("filename"));
    if (m)
      return fail(line,
                  type + ": module loaded, expected '" + c.at("text").get<std::string>() + "'");
    return pass();
  }
  if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
    if (text_module) return skip();
    auto m = load(c.at("filename"));
    if (!m) return fail(line, type + ": module did not load: " + m.error().to_string());
    auto inst = linker_.instantiate(store_, *m);
    if (inst)
      return fail(
          line, type + ": module instantiated, expected '" + c.at("text").get<std::string>() + "'");
    bool is_trap = inst.error().kind == ErrorKind::Trap;
    if ((type == "assert_uninstantiable") != is_trap)
      return fail(line, type + ": wrong kind of failure: " + inst.error().to_string());
    return pass();
  }
  fail(line, "unknown command type '" + type + "'");
}

Counts ScriptRunner::run(const json& commands) {
  for (const auto& c : commands) {
    try {
      command(c);
    } catch (const std::exception& e) {
      fail(c.value("line", 0), std::string("runner error: ") + e.what());
    }
  }
  return counts_;
}

// Converts one script with wast2json into a fresh temporary directory and runs it.
Counts run_file(const fs::path& wast, bool verbose) {
  std::string name = wast.filename().string();
  Counts counts;
  fs::path tmp = fs::temp_directory_path() / ("glint-spec-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::path out = tmp / (wast.stem().string() + ".json");
  std::string cmd =
      "wast2json --disable-simd '" + wast.string() + "' -o '" + out.string() + "' 2>&1";
  bool simd = name.rfind("simd_", 0) == 0;
  if (simd) cmd = "wast2json '" + wast.string() + "' -o '" + out.string() + "' 2>&1";
  std::string output;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[512];
    while (fgets(buf, sizeof buf, p)) output += buf;
    if (pclose(p) != 0) {
      std::cout << name << ": FAIL wast2json could not convert it:\n" << output;
      counts.failed++;
      fs::remove_all(tmp);
      return counts;
    }
  }
  std::ifstream in(out);
  json doc = json::parse(in);
  if (simd) {
    counts.skipped = int(doc.at("commands").size());  // SIMD is a later issue
  } else {
    counts = ScriptRunner(tmp, name, verbose).run(doc.at("commands"));
  }
  fs::remove_all(tmp);
  return counts;
}

}  // namespace

int run_spec(const SpecOptions& options) {
  if (std::system("wast2json --version > /dev/null 2>&1") != 0) {
    std::cerr << "error: wast2json (from wabt) is not on PATH; install the 'wabt' package\n";
    return 2;
  }
  std::vector<fs::path> files;
  for (const auto& p : options.paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p))
        if (e.path().extension() == ".wast") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p)) {
      files.push_back(p);
    } else {
      std::cerr << "error: no such file or directory: " << p << "\n";
      return 2;
    }
  }
  Counts total;
  for (const auto& f : files) {
    Counts c = run_file(f, options.verbose);
    if (options.verbose)
      std::cout << f.filename().string() << ": " << c.passed << " passed, " << c.failed
                << " failed, " << c.skipped << " skipped\n";
    total += c;
  }
  std::cout << "spec: " << total.passed << " passed, " << total.failed << " failed, "
            << total.skipped << " skipped" << std::endl;
  return total.failed == 0 ? 0 : 1;
}

}  // namespace glint::cli
