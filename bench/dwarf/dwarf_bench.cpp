// glint-dwarf-bench: what source-level debugging costs (issue 15's numbers).
//
//   glint-dwarf-bench load [MODULE...]   Module::load of each module as built (with its DWARF)
//                                        and with its .debug_* sections taken out, taking turns
//   glint-dwarf-bench open [MODULE...]   the first source-level question about each module:
//                                        loading the reader plugin, then reading the line tables
//   glint-dwarf-bench step [MODULE...]   steps by line (StepOverLine, twice StepIntoLine every
//                                        third) through a test program (tests/unit/guests/
//                                        debuggee.*) from its function weigh on: the time from
//                                        the handler's answer to the next stop
//   options: --runs N
//
// Defaults: the demo's modules for load and open, the debugger tests' programs for step.
// Wall-clock times: the median of the runs, with the fastest and the slowest, so the spread a
// shared machine adds is visible. For load, `--only with|without` loads one kind only, for
// instruction counts under callgrind (same binary, same steps around it).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "glint/glint.h"
#include "glint/wasi.h"

namespace {

double now_ms() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct Stats {
  double median = 0, min = 0, max = 0;
};
Stats stats(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return {};
  return {v[v.size() / 2], v.front(), v.back()};
}

std::vector<uint8_t> read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "glint-dwarf-bench: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return {std::istreambuf_iterator<char>(in), {}};
}

uint32_t leb(const std::vector<uint8_t>& b, size_t& at) {
  uint32_t v = 0;
  for (int shift = 0; at < b.size(); shift += 7) {
    uint8_t byte = b[at++];
    v |= uint32_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) break;
  }
  return v;
}

// The module without its .debug_* custom sections: the same code, no DWARF.
std::vector<uint8_t> without_dwarf(const std::vector<uint8_t>& b) {
  std::vector<uint8_t> out(b.begin(), b.begin() + 8);
  size_t at = 8;
  while (at < b.size()) {
    size_t start = at;
    uint8_t id = b[at++];
    uint32_t size = leb(b, at);
    size_t end = at + size;
    bool dwarf = false;
    if (id == 0) {
      size_t name_at = at;
      uint32_t n = leb(b, name_at);
      dwarf = std::string(b.begin() + long(name_at), b.begin() + long(name_at + n))
                  .rfind(".debug_", 0) == 0;
    }
    if (!dwarf) out.insert(out.end(), b.begin() + long(start), b.begin() + long(end));
    at = end;
  }
  return out;
}

double load_ms(const std::vector<uint8_t>& bytes) {
  double t = now_ms();
  auto m = glint::Module::load(bytes);
  double dt = now_ms() - t;
  if (!m) {
    std::fprintf(stderr, "glint-dwarf-bench: %s\n", m.error().to_string().c_str());
    std::exit(1);
  }
  return dt;
}

void bench_load(const std::vector<std::string>& paths, int runs, const std::string& only) {
  std::printf(
      "Module::load, with DWARF and without (its .debug_* sections taken out), %d runs "
      "each, taking turns:\n",
      runs);
  for (const std::string& path : paths) {
    std::vector<uint8_t> with = read(path), without = without_dwarf(with);
    std::vector<double> a, b;
    for (int i = 0; i < runs; i++) {
      if (only != "without") a.push_back(load_ms(with));
      if (only != "with") b.push_back(load_ms(without));
    }
    Stats sa = stats(a), sb = stats(b);
    std::printf("  %s: %zu bytes (%zu without DWARF)\n", path.c_str(), with.size(), without.size());
    if (only.empty())
      std::printf("    with %.3f ms (%.3f-%.3f), without %.3f ms (%.3f-%.3f): %.2fx\n", sa.median,
                  sa.min, sa.max, sb.median, sb.min, sb.max, sa.median / sb.median);
  }
}

void bench_open(const std::vector<std::string>& paths) {
  std::vector<std::shared_ptr<const glint::Module>> modules;
  for (const std::string& path : paths) {
    auto m = glint::Module::load_file(path);
    if (!m) {
      std::fprintf(stderr, "glint-dwarf-bench: %s\n", m.error().to_string().c_str());
      std::exit(1);
    }
    modules.push_back(*m);
  }
  std::printf(
      "The first source-level question about each module (loads the reader plugin at "
      "the first):\n");
  double total = 0;
  for (size_t i = 0; i < modules.size(); i++) {
    double t = now_ms();
    glint::DwarfInfo info = glint::dwarf_info(*modules[i]);
    double dt = now_ms() - t;
    total += dt;
    std::printf(
        "  %s: %.1f ms (reading its DWARF: %.1f ms): %zu files, %zu functions with lines, "
        "%zu problems\n",
        paths[i].c_str(), dt, info.read_ms, info.files, info.functions, info.problems.size());
    for (const std::string& p : info.problems) std::printf("    %s\n", p.c_str());
  }
  std::printf("  all: %.1f ms\n", total);
}

// Steps by line through a debuggee from its first call of `weigh` on; the time of each step is from
// the handler's answer to the next call of the handler.
void bench_step(const std::vector<std::string>& paths, int runs) {
  std::printf("Steps by line through the test programs, %d runs each:\n", runs);
  for (const std::string& path : paths) {
    auto m = glint::Module::load_file(path);
    if (!m) continue;
    std::vector<double> over, into;
    glint::BreakCondition once;
    once.once = true;
    for (int run = 0; run < runs; run++) {
      auto b = glint::add_breakpoint(**m, "weigh", once);
      if (!b) {
        std::fprintf(stderr, "glint-dwarf-bench: %s: %s\n", path.c_str(),
                     b.error().message.c_str());
        return;
      }
      glint::Store store;
      double answered = 0;
      int stops = 0;
      glint::DebugAction last = glint::DebugAction::Continue;
      store.set_debug_handler([&](glint::DebugStop& s) {
        double t = now_ms();
        if (answered > 0) {
          (last == glint::DebugAction::StepOverLine ? over : into).push_back(t - answered);
          if (t - answered > 5 && !s.frames.empty() && !s.frames[0].source.empty())
            std::printf("    slow step (%.1f ms) to %s:%u\n", t - answered,
                        s.frames[0].source[0].file.c_str(), s.frames[0].source[0].line);
        }
        stops++;
        last = stops % 3 == 0 ? glint::DebugAction::StepIntoLine : glint::DebugAction::StepOverLine;
        if (stops > 40 || s.frames.empty()) last = glint::DebugAction::Continue;
        answered = now_ms();
        return last;
      });
      std::FILE* sink = std::tmpfile();
      glint::Linker linker;
      glint::wasi::Config config;
      config.args = {"debuggee"};
      config.stdout_fd = fileno(sink);
      glint::wasi::add_to_linker(linker, config);
      linker.func("env", "host_add", [](int32_t x, int32_t y) { return x + y; });
      (void)glint::wasi::run_command(store, linker, *m);
      std::fclose(sink);
    }
    Stats so = stats(over), si = stats(into);
    std::printf(
        "  %s: step over a line %.3f ms (%.3f-%.3f, %zu steps), step into %.3f ms "
        "(%.3f-%.3f, %zu steps)\n",
        path.c_str(), so.median, so.min, so.max, over.size(), si.median, si.min, si.max,
        into.size());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  std::vector<std::string> paths;
  std::string only;
  int runs = 0;
  for (int i = 2; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      paths.push_back(a);
    }
  }
  if (mode == "load" || mode == "open") {
    if (paths.empty()) paths = {GLINT_DEMO_GUESTS "/arena.wasm", GLINT_DEMO_GUESTS "/enemies.wasm"};
    if (mode == "load") bench_load(paths, runs ? runs : 30, only);
    if (mode == "open") bench_open(paths);
    return 0;
  }
  if (mode == "step") {
    if (paths.empty())
      for (const char* v : {"c_O0", "c_O2", "rs_O0", "rs_O2"})
        paths.push_back(std::string(GLINT_TEST_WASMS "/debuggee_") + v + ".wasm");
    bench_step(paths, runs ? runs : 5);
    return 0;
  }
  std::fprintf(stderr,
               "usage: glint-dwarf-bench load|open|step [MODULE...] [--runs N] "
               "[--only with|without]\n");
  return 2;
}
