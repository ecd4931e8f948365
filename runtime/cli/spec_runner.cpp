// Runs spec scripts: wast2json turns each .wast into a JSON command list plus .wasm modules;
// every command is one unit that passes, fails or is skipped, and each skip has a reason
// (a module in the text format, which needs a text parser; a module this host cannot run).
// Scripts under a `proposals/` folder are converted with every wabt feature enabled.
#include "spec_runner.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
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
  std::map<std::string, int> skip_reasons;
  void operator+=(const Counts& o) {
    passed += o.passed;
    failed += o.failed;
    skipped += o.skipped;
    for (const auto& [why, n] : o.skip_reasons) skip_reasons[why] += n;
  }
};

// What a script expects of one value: exact bits, a NaN class, any non-null reference; a v128
// has one such check per lane.
enum class Check { Exact, CanonicalNan, ArithmeticNan, AnyRef };
struct Expected {
  Value value;
  Check kind = Check::Exact;
  int lane_bytes = 0;  // v128: the lanes' size, and a check per lane
  std::vector<Check> lanes;
};

uint64_t parse_u64(const std::string& s) { return std::stoull(s); }

int lane_bytes(const std::string& lane_type) {
  if (lane_type == "i8") return 1;
  if (lane_type == "i16") return 2;
  if (lane_type == "i32" || lane_type == "f32") return 4;
  return 8;
}

// A v128 from its lanes; a NaN class in a lane (expected values) goes to `checks`, and its
// bits are left 0.
Value parse_v128(const json& j, std::vector<Check>* checks = nullptr) {
  int size = lane_bytes(j.at("lane_type"));
  uint8_t bytes[16] = {};
  int i = 0;
  for (const auto& lane : j.at("value")) {
    std::string v = lane;
    Check c = v == "nan:canonical"    ? Check::CanonicalNan
              : v == "nan:arithmetic" ? Check::ArithmeticNan
                                      : Check::Exact;
    if (checks) checks->push_back(c);
    uint64_t bits = c == Check::Exact ? parse_u64(v) : 0;
    std::memcpy(bytes + i * size, &bits, size_t(size));  // little-endian: the low bytes
    i++;
  }
  return Value::v128(bytes);
}

Value parse_value(const json& j) {
  std::string type = j.at("type");
  if (type == "v128") return parse_v128(j);
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
  if (type == "v128") {
    e.lane_bytes = lane_bytes(j.at("lane_type"));
    e.value = parse_v128(j, &e.lanes);
    return e;
  }
  if (j.contains("value") && j.at("value").is_string()) {
    std::string v = j.at("value");
    if (v == "nan:canonical" || v == "nan:arithmetic") {
      e.value.type = type == "f32" ? ValType::F32 : ValType::F64;
      e.kind = v == "nan:canonical" ? Check::CanonicalNan : Check::ArithmeticNan;
      return e;
    }
  } else if (type == "funcref" || type == "externref") {
    e.value.type = type == "funcref" ? ValType::FuncRef : ValType::ExternRef;
    e.kind = Check::AnyRef;  // "(ref.func)" / "(ref.extern)" without a value: any non-null
    return e;
  }
  e.value = parse_value(j);
  return e;
}

// One f32 or f64 (size 4 or 8) against a check.
bool check_bits(Check kind, uint64_t want, uint64_t got, int size) {
  uint64_t sign = size == 4 ? 0x80000000u : 0x8000000000000000ull;
  uint64_t quiet = size == 4 ? 0x7FC00000u : 0x7FF8000000000000ull;
  switch (kind) {
    case Check::Exact:
      return want == got;
    case Check::CanonicalNan:
      return (got & ~sign) == quiet;
    case Check::ArithmeticNan:
      return (got & quiet) == quiet;
    case Check::AnyRef:
      return got != 0;
  }
  return false;
}

bool matches(const Expected& e, const Value& v) {
  if (e.value.type != v.type) return false;
  if (v.type == ValType::V128) {
    uint8_t want[16], got[16];
    std::memcpy(want, &e.value.bits, 8);
    std::memcpy(want + 8, &e.value.hi, 8);
    std::memcpy(got, &v.bits, 8);
    std::memcpy(got + 8, &v.hi, 8);
    for (size_t i = 0; i < e.lanes.size(); i++) {
      uint64_t a = 0, b = 0;
      std::memcpy(&a, want + i * size_t(e.lane_bytes), size_t(e.lane_bytes));
      std::memcpy(&b, got + i * size_t(e.lane_bytes), size_t(e.lane_bytes));
      if (!check_bits(e.lanes[i], a, b, e.lane_bytes)) return false;
    }
    return true;
  }
  return check_bits(e.kind, e.value.bits, v.bits, v.type == ValType::F32 ? 4 : 8);
}

// Assertions of the Wasm 2.0 scripts that a proposal Glint implements has made obsolete (its own
// folder tests the new rule): such a module loading is a skip with this reason, not a failure.
const char* superseded(const std::string& expected_text) {
  if (expected_text == "multiple memories")
    return "a second memory is invalid in Wasm 2.0, valid with multi-memory";
  return nullptr;
}

std::string show(const Value& v) {
  std::string s = std::string(to_string(v.type)) + ":" + v.to_string();
  if (v.type == ValType::V128) s += " (f32x4 " + v.lanes("f32x4") + ")";
  return s;
}

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
  void skip(const std::string& why) {
    counts_.skipped++;
    counts_.skip_reasons[why]++;
  }
  // Does command c use a module this host refused (ErrorKind::Unsupported)? Then it is skipped.
  bool refused(const json& c) {
    const json* by = c.contains("action") ? &c.at("action") : nullptr;
    if (!by && c.at("type") == "register") by = &c;
    if (!by) return false;
    const char* key = by == &c ? "name" : "module";
    return by->contains(key) ? refused_.count(by->at(key).get<std::string>()) > 0
                             : current_refused_;
  }
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
  bool current_refused_ = false;
  std::set<std::string> refused_;  // named modules refused
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
    current_refused_ = !m && m.error().kind == ErrorKind::Unsupported;
    if (c.contains("name")) refused_.erase(c.at("name").get<std::string>());
    if (current_refused_) {
      current_ = nullptr;
      if (c.contains("name")) refused_.insert(c.at("name").get<std::string>());
      return skip("unsupported module: " +
                  m.error().message.substr(m.error().message.find(": ") + 2));
    }
    if (!m) return fail(line, "module did not load: " + m.error().to_string());
    auto inst = linker_.instantiate(store_, *m);
    if (!inst) return fail(line, "module did not instantiate: " + inst.error().to_string());
    current_ = *inst;
    if (c.contains("name")) named_[c.at("name")] = current_;
    return pass();
  }
  if (refused(c)) return skip("its module was refused as unsupported");
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
    if (c.contains("either")) {  // relaxed SIMD: any one of the listed results
      for (const auto& alternative : c.at("either"))
        if (r->size() == 1 && matches(parse_expected(alternative), (*r)[0])) return pass();
      return fail(line, "got " + (r->empty() ? "nothing" : show((*r)[0])) + ", expected one of " +
                            c.at("either").dump());
    }
    const json& exp = c.at("expected");
    if (r->size() != exp.size()) return fail(line, "wrong number of results");
    for (size_t i = 0; i < exp.size(); i++) {
      Expected e = parse_expected(exp[i]);
      if (!matches(e, (*r)[i]))
        return fail(
            line, "result " + std::to_string(i) + ": got " + show((*r)[i]) + ", expected " +
                      (e.kind == Check::Exact && e.lanes.empty() ? show(e.value) : exp[i].dump()));
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
  if (type == "assert_exception") {  // an exception no catch took, out of the call
    auto r = action(c.at("action"));
    if (r) return fail(line, "expected an exception, got results");
    if (!r.error().trap || r.error().trap->kind != TrapKind::UncaughtException)
      return fail(line, "expected an exception, got " + r.error().to_string());
    return pass();
  }
  if (type == "assert_malformed" || type == "assert_invalid") {
    if (text_module) return skip("text-format module (needs a text parser)");
    auto m = load(c.at("filename"));
    if (m && superseded(c.at("text"))) return skip(superseded(c.at("text")));
    if (m)
      return fail(line,
                  type + ": module loaded, expected '" + c.at("text").get<std::string>() + "'");
    return pass();
  }
  if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
    if (text_module) return skip("text-format module (needs a text parser)");
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

// A script's name in reports: a proposal's includes its folder ("tail-call/return_call.wast").
std::string script_name(const fs::path& wast) {
  std::string parent = wast.parent_path().filename().string();
  bool proposal = wast.parent_path().parent_path().filename() == "proposals";
  return (proposal ? parent + "/" : "") + wast.filename().string();
}

// Converts one script with wast2json into a fresh temporary directory and runs it.
Counts run_file(const fs::path& wast, bool verbose) {
  std::string name = script_name(wast);
  Counts counts;
  fs::path tmp = fs::temp_directory_path() / ("glint-spec-" + std::to_string(getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  fs::path out = tmp / (wast.stem().string() + ".json");
  bool proposal = name.find('/') != std::string::npos;
  std::string cmd = std::string("wast2json ") + (proposal ? "--enable-all '" : "'") +
                    wast.string() + "' -o '" + out.string() + "' 2>&1";
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
  counts = ScriptRunner(tmp, name, verbose).run(doc.at("commands"));
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
      std::cout << script_name(f) << ": " << c.passed << " passed, " << c.failed << " failed, "
                << c.skipped << " skipped\n";
    total += c;
  }
  for (const auto& [why, n] : total.skip_reasons)
    std::cout << "skipped " << n << ": " << why << "\n";
  std::cout << "spec: " << total.passed << " passed, " << total.failed << " failed, "
            << total.skipped << " skipped" << std::endl;
  return total.failed == 0 ? 0 : 1;
}

}  // namespace glint::cli
