// Source-level debugging (glint/source.h, glint/debug.h) on C and Rust programs built with -g at
// -O0 and -O2 (unit/guests/debuggee.c, debuggee.rs): lines, breakpoints at lines, variables,
// stepping by line, break on trap, conditions, writes, backtraces, and bad DWARF.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "glint/glint.h"
#include "glint/wasi.h"
#include "support.h"

using namespace glint;

namespace {

struct Variant {
  std::string name;    // "debuggee_c_O0"
  std::string source;  // "debuggee.c"
  bool rust = false;
  bool optimized = false;
};
const std::vector<Variant> kVariants = {
    {"debuggee_c_O0", "debuggee.c", false, false},
    {"debuggee_c_O2", "debuggee.c", false, true},
    {"debuggee_rs_O0", "debuggee.rs", true, false},
    {"debuggee_rs_O2", "debuggee.rs", true, true},
};

// The line of the "@marker" comment in a test program's source.
uint32_t line_of(const Variant& v, const std::string& marker) {
  std::ifstream in(std::string(GLINT_TEST_GUESTS) + "/" + v.source);
  std::string text;
  for (uint32_t n = 1; std::getline(in, text); n++) {
    size_t at = text.find("// @" + marker);
    if (at != std::string::npos) {
      char next = text.size() > at + 4 + marker.size() ? text[at + 4 + marker.size()] : ' ';
      if (next == ' ' || next == ':') return n;
    }
  }
  FAIL("no marker @" << marker << " in " << v.source);
  return 0;
}

// One run of a test program under the debugger: its stops (what the handler saw) and output.
struct Run {
  const Variant& v;
  std::shared_ptr<const Module> module;
  Store store;
  std::vector<DebugStop> stops;
  std::function<DebugAction(DebugStop&)> on_stop = [](DebugStop&) { return DebugAction::Continue; };
  std::string output;

  explicit Run(const Variant& variant) : v(variant) {
    module = test::load_test_module(v.name + ".wasm");
    store.set_debug_handler([this](DebugStop& s) {
      DebugAction a = on_stop(s);
      stops.push_back(s);
      return a;
    });
  }
  std::string where(const char* marker) const {
    return v.source + ":" + std::to_string(line_of(v, marker));
  }
  Result<int> run(std::vector<std::string> args = {}) {
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    Linker linker;
    wasi::Config config;
    config.args = {"debuggee"};
    config.args.insert(config.args.end(), args.begin(), args.end());
    config.stdout_fd = fileno(out);
    wasi::add_to_linker(linker, config);
    linker.func("env", "host_add", [](int32_t a, int32_t b) { return a + b; });
    auto r = wasi::run_command(store, linker, module);
    std::rewind(out);
    char buf[256];
    while (size_t n = std::fread(buf, 1, sizeof buf, out)) output.append(buf, n);
    std::fclose(out);
    return r;
  }
};

// Where the tests stop to look at weigh's parameters: its @weigh line. But at -O2 rustc hoists
// the bounds check of e.path[2] above the line's own code, and e's location list ends before
// the line begins (e is dead there: "<optimized out>"); its entry, after the prologue, is where
// they can be seen.
std::string weigh_stop(const Run& r) {
  return r.v.rust && r.v.optimized ? "weigh" : r.where("weigh");
}

uint32_t line(const DebugFrame& f) { return f.source.empty() ? 0 : f.source[0].line; }

Variable var(const DebugFrame& f, const std::string& path) {
  auto v = find_variable(f, path);
  REQUIRE_MESSAGE(v.ok(), path << ": " << (v.ok() ? "" : v.error().message));
  return *v;
}

// The path to a field of `e` (a pointer in C, a reference in Rust).
std::string field(const Variant& v, const std::string& name) {
  return (v.rust ? "e." : "e->") + name;
}

BreakCondition once() {
  BreakCondition c;
  c.once = true;
  return c;
}
BreakCondition when(std::string t) {
  BreakCondition c;
  c.test = std::move(t);
  return c;
}
BreakCondition from_hit(uint32_t n) {
  BreakCondition c;
  c.hit_count = n;
  return c;
}

void remove_all_breakpoints() {
  for (const Breakpoint& b : list_breakpoints()) remove_breakpoint(b.id);
}

}  // namespace

TEST_CASE("line tables: code offsets to source places and lines to code") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    auto m = test::load_test_module(v.name + ".wasm");
    DwarfInfo info = dwarf_info(*m);
    CHECK(info.present);
    CHECK(info.lines);
    CHECK(info.problems.empty());
    uint32_t weigh = line_of(v, "weigh");
    auto code = find_line(*m, v.source, weigh);
    REQUIRE_MESSAGE(code.ok(), (code.ok() ? "" : code.error().message));
    CHECK(code->line == weigh);
    CHECK(code->file.ends_with("/" + v.source));
    REQUIRE_FALSE(code->offsets.empty());
    auto locs = source_locations(*m, code->offsets[0]);
    REQUIRE_FALSE(locs.empty());
    CHECK(locs[0].line == weigh);
    CHECK(locs[0].file == code->file);
    CHECK(locs.back().function.ends_with("weigh"));
    auto files = source_files(*m);
    CHECK(std::find(files.begin(), files.end(), code->file) != files.end());
    auto lines = lines_with_code(*m, code->file);
    CHECK(std::find(lines.begin(), lines.end(), weigh) != lines.end());
    // A line without code moves to the next one with code: the line before main's first
    // statement is its signature or a comment.
    auto moved = find_line(*m, v.source, 1);
    if (moved) CHECK(moved->line > 1);
    CHECK(find_line(*m, "nope.c", 3).error().message ==
          "no source file 'nope.c' in the module's line tables");
  }
}

TEST_CASE("a breakpoint at a line stops there and shows the variables") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    auto b = add_breakpoint(*r.module, weigh_stop(r));
    REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().message));
    bool at_line = weigh_stop(r) != "weigh";
    if (at_line) CHECK(b->line == line_of(v, "weigh"));
    r.on_stop = [&](DebugStop& s) {
      const DebugFrame& f = s.frames[0];
      if (at_line) CHECK(line(f) == line_of(v, "weigh"));
      CHECK(s.breakpoints == std::vector<int>{b->id});
      if (r.stops.empty()) {  // the first call: g_entities[0] / enemies[0]
        CHECK(var(f, "factor").value == "2");
        CHECK(var(f, "factor").scalar->as_i32() == 2);
        Variable e = var(f, "e");
        CHECK(e.available);
        CHECK(e.num_children == 1);
        CHECK(var(f, field(v, "hp")).value == "10.5");
        CHECK(var(f, field(v, "hp")).scalar->as_f32() == 10.5f);
        CHECK(var(f, field(v, "id")).value == "1");
        if (v.rust) {
          CHECK(var(f, "e.pos.__1").value == "2");
          CHECK(var(f, "e.mode").value == "Hunting");
          CHECK(var(f, "e.target").value == "Some(2)");
          CHECK(var(f, "e.name").value == "\"alpha\"");
          CHECK(var(f, "e.path.len").value == "4");
          // A static, found by its path; never written, so -O2 keeps only its value.
          CHECK(var(f, "COUNTER").value == (v.optimized ? "<optimized out>" : "7"));
          auto globals = global_variables(*f.instance);
          CHECK(std::any_of(globals.begin(), globals.end(),
                            [](const Variable& g) { return g.name == "debuggee::COUNTER"; }));
        } else {
          CHECK(var(f, "e->pos.y").value == "2");
          CHECK(var(f, "e->state").value == "RUNNING");
          CHECK(var(f, "e->scores[2]").value == "3");
          CHECK(var(f, "e->scores").value == "[1, 2, 3, 4]");
          CHECK(var(f, "e->name").value.ends_with("\"alpha\""));
          // -O2 keeps no trace of a static that is never written: it is only its value.
          CHECK(var(f, "g_counter").value == (v.optimized ? "<optimized out>" : "7"));
          CHECK(var(f, "g_entities[1].name").value.ends_with("\"beta\""));
          auto globals = global_variables(*f.instance);
          CHECK(std::any_of(globals.begin(), globals.end(), [](const Variable& g) {
            return g.name == "g_entities" && g.num_children == 3;
          }));
          // The tree: e -> *e -> its fields.
          auto pointee = children(e);
          REQUIRE(pointee.size() == 1);
          CHECK(pointee[0].name == "*e");
          auto fields = children(pointee[0]);
          REQUIRE(fields.size() == 6);
          CHECK(fields[2].name == "pos");
          CHECK(fields[2].value == "{x = 1, y = 2}");
          auto scores = children(fields[4]);
          REQUIRE(scores.size() == 4);
          CHECK(scores[3].name == "[3]");
          CHECK(scores[3].value == "4");
          CHECK(scores[3].address == *fields[4].address + 12);
        }
        size_t depth = 0;  // weigh's source frame (optimized code may be in an inlined call)
        while (depth + 1 < f.source.size() && !f.source[depth].function.ends_with("weigh")) depth++;
        auto vars = frame_variables(f, depth);
        REQUIRE(vars.size() >= 2);
        CHECK(vars[0].name == "e");  // parameters first
        CHECK(vars[1].name == "factor");
      }
      return DebugAction::Continue;
    };
    auto code = r.run();
    REQUIRE(code.ok());
    CHECK(r.stops.size() == 3);
    CHECK(r.output == "total 90\n");
    remove_all_breakpoints();
  }
}

TEST_CASE("stepping over a call by line") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    REQUIRE(add_breakpoint(*r.module, r.where("call"), once()).ok());
    r.on_stop = [&](DebugStop&) {
      return r.stops.empty() ? DebugAction::StepOverLine : DebugAction::Continue;
    };
    REQUIRE(r.run().ok());
    REQUIRE(r.stops.size() == 2);
    // Over the call: still in main, on another line; weigh ran without stopping.
    const DebugStop& over = r.stops[1];
    CHECK(over.reason == DebugStop::Reason::Step);
    CHECK(over.frames.size() == r.stops[0].frames.size());
    CHECK(line(over.frames[0]) != line_of(v, "call"));
    if (!v.optimized) CHECK(line(over.frames[0]) == line_of(v, "after_call"));
    CHECK(r.output == "total 90\n");
  }
}

TEST_CASE("stepping over a line that calls an inlined function runs the call whole") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    REQUIRE(add_breakpoint(*r.module, r.where("inline_call"), once()).ok());
    r.on_stop = [&](DebugStop&) {
      return r.stops.empty() ? DebugAction::StepOverLine : DebugAction::Continue;
    };
    REQUIRE(r.run().ok());
    REQUIRE(r.stops.size() == 2);
    const DebugFrame& start = r.stops[0].frames[0];
    const DebugFrame& over = r.stops[1].frames[0];
    INFO("stopped at " << start.source[0].function << ":" << line(start) << ", stepped to "
                       << over.source[0].function << ":" << line(over));
    CHECK(r.stops[1].reason == DebugStop::Reason::Step);
    CHECK(r.stops[1].frames.size() == r.stops[0].frames.size());
    // Not in code inlined into the line (bonus; at -O2 the breakpoint may stop at the entry of
    // the inlined code, a source frame deeper), and on another line.
    CHECK(over.source.size() <= start.source.size());
    for (size_t i = 1; i < over.source.size(); i++)
      CHECK(over.source[i].line != line_of(v, "inline_call"));
    CHECK(line(over) != line_of(v, "inline_call"));
    CHECK(line(over) != line_of(v, "bonus"));
    CHECK(line(over) != line_of(v, "bonus_clamp"));
    if (!v.optimized) CHECK(line(over) == line_of(v, "after_inline"));
    remove_all_breakpoints();
  }
}

TEST_CASE("stepping into an inlined call by line stops in it, as an inlined frame") {
  for (const Variant& v : kVariants) {
    if (v.optimized) continue;  // at -O2 the call's code may come before the line's own
    CAPTURE(v.name);
    Run r(v);
    REQUIRE(add_breakpoint(*r.module, r.where("inline_call"), once()).ok());
    r.on_stop = [&](DebugStop&) {
      return r.stops.empty() ? DebugAction::StepIntoLine : DebugAction::Continue;
    };
    REQUIRE(r.run().ok());
    REQUIRE(r.stops.size() == 2);
    // The same wasm frame, with bonus as an inlined source frame called from @inline_call.
    const DebugFrame& in = r.stops[1].frames[0];
    CHECK(r.stops[1].frames.size() == r.stops[0].frames.size());
    REQUIRE(in.source.size() == r.stops[0].frames[0].source.size() + 1);
    CHECK(in.source[0].function.ends_with("bonus"));
    CHECK(line(in) == line_of(v, "bonus"));
    CHECK(in.source[1].line == line_of(v, "inline_call"));
    remove_all_breakpoints();
  }
}

TEST_CASE("stepping into and out of a function, and over a host call, by line") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    REQUIRE(add_breakpoint(*r.module, r.where("call"), once()).ok());
    REQUIRE(add_breakpoint(*r.module, r.where("host")).ok());
    size_t depth = 0;
    r.on_stop = [&](DebugStop& s) {
      if (r.stops.empty()) {
        depth = s.frames.size();
        return DebugAction::StepIntoLine;
      }
      if (s.frames.size() > depth) return DebugAction::StepOut;  // in weigh: out again
      if (line(s.frames[0]) == line_of(v, "host")) return DebugAction::StepOverLine;
      return DebugAction::Continue;
    };
    REQUIRE(r.run().ok());
    REQUIRE(r.stops.size() == 5);
    // Into the call, at its first line after the prologue: weigh (optimized code may first
    // enter a call of the loop's own, which then returns to the same place).
    CHECK(r.stops[1].frames.size() == depth + 1);
    if (!v.optimized) {
      CHECK(r.stops[1].frames[0].source[0].function.ends_with("weigh"));
      CHECK(line(r.stops[1].frames[0]) == line_of(v, "weigh"));
    }
    // Out: back in main, right after the call (in the middle of its line).
    CHECK(r.stops[2].frames.size() == depth);
    if (!v.optimized) CHECK(line(r.stops[2].frames[0]) == line_of(v, "call"));
    // The host call's line, and over it to the next line (the host function ran: output).
    CHECK(line(r.stops[3].frames[0]) == line_of(v, "host"));
    CHECK(r.stops[4].reason == DebugStop::Reason::Step);
    CHECK(line(r.stops[4].frames[0]) != line_of(v, "host"));
    if (!v.optimized) CHECK(line(r.stops[4].frames[0]) == line_of(v, "print"));
    CHECK(r.output == "total 90\n");
    remove_all_breakpoints();
  }
}

TEST_CASE("break on trap stops at the faulting line with its variables, before unwinding") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    r.store.set_break_on_trap(true);
    auto code = r.run({"x"});
    const Trap& t = test::trap_of(code);
    CHECK((t.kind == TrapKind::IntegerDivideByZero || t.kind == TrapKind::MemoryOutOfBounds));
    REQUIRE(r.stops.size() == 1);
    const DebugStop& s = r.stops[0];
    CHECK(s.reason == DebugStop::Reason::Trap);
    REQUIRE(s.trap);
    CHECK(s.trap->kind == t.kind);
    const DebugFrame& f = s.frames[0];
    CHECK(line(f) == line_of(v, v.rust ? "peek" : "divide"));
    if (v.rust) {
      CHECK(var(f, "address").value == "4294967280");
      if (!v.optimized) CHECK(var(f, "p").value == "0xfffffff0");
    } else {
      CHECK(var(f, "b").value == "0");
      CHECK(var(f, "a").value == "120");  // factor is 3 with the argument
    }
    // Every frame is still there: main's, at the call.
    bool main_seen = false;
    for (const DebugFrame& caller : s.frames)
      main_seen |= !caller.source.empty() && line(caller) == line_of(v, "trap_call");
    CHECK(main_seen);
  }
}

TEST_CASE("conditional breakpoints: a test of a variable, a hit count") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    // Variables read memory as it is now: read them while stopped.
    std::vector<std::string> ids;
    auto record_id = [&](DebugStop& s) {
      ids.push_back(var(s.frames[0], field(v, "id")).value);
      return DebugAction::Continue;
    };
    Run r(v);
    auto by_test = add_breakpoint(*r.module, weigh_stop(r), when(field(v, "id") + " == 3"));
    REQUIRE_MESSAGE(by_test.ok(), (by_test.ok() ? "" : by_test.error().message));
    r.on_stop = record_id;
    REQUIRE(r.run().ok());
    CHECK(ids == std::vector<std::string>{"3"});
    remove_all_breakpoints();

    ids.clear();
    Run again(v);
    auto by_count = add_breakpoint(*again.module, weigh_stop(again), from_hit(2));
    REQUIRE(by_count.ok());
    again.on_stop = record_id;
    REQUIRE(again.run().ok());
    CHECK(ids == std::vector<std::string>{"2", "3"});  // from the second time on
    CHECK(list_breakpoints()[0].hits == 3);
    remove_all_breakpoints();

    // A wasm local in the test, with or without DWARF: weigh's second parameter, factor.
    Run by_local(v);
    REQUIRE(add_breakpoint(*by_local.module, "weigh", when("$1 != 2")).ok());
    REQUIRE(by_local.run().ok());
    CHECK(by_local.stops.empty());
    remove_all_breakpoints();
  }
  auto m = test::load_test_module("debuggee_c_O0.wasm");
  auto bad = add_breakpoint(*m, "debuggee.c:30", when("x ~ 3"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.starts_with("a breakpoint test is"));
}

TEST_CASE("a variable written while stopped changes what the program prints") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    REQUIRE(add_breakpoint(*r.module, weigh_stop(r), once()).ok());
    r.on_stop = [&](DebugStop& s) {
      // A field in memory, through the parameter that points to it.
      auto hp = set_variable(s.frames[0], field(v, "hp"), "100");
      CHECK_MESSAGE(hp.ok(), (hp.ok() ? "" : hp.error().message));
      CHECK(var(s.frames[0], field(v, "hp")).value == "100");
      return DebugAction::Continue;
    };
    REQUIRE(r.run().ok());
    CHECK(r.output == "total 269\n");  // 100 * 2 + 3 instead of 10.5 * 2 + 3 for the first
    // After the stop, its frames can no longer be written.
    REQUIRE(r.stops.size() == 1);
    CHECK_FALSE(set_variable(r.stops[0].frames[0], "factor", "3").ok());
  }
}

TEST_CASE("trap backtraces name file:line") {
  for (const Variant& v : kVariants) {
    CAPTURE(v.name);
    Run r(v);
    r.store.set_debug_handler({});
    auto code = r.run({"x"});
    const Trap& t = test::trap_of(code);
    REQUIRE_FALSE(t.backtrace.empty());
    CHECK(t.backtrace[0].file.ends_with("/" + v.source));
    CHECK(t.backtrace[0].line == line_of(v, v.rust ? "peek" : "divide"));
    std::string where = v.source + ":" + std::to_string(line_of(v, "trap_call"));
    CHECK(t.to_string().find(where) != std::string::npos);
  }
}

namespace {
// The module with custom section `name`'s contents changed by `edit`.
test::Bytes with_section(const test::Bytes& module, const std::string& name,
                         const std::function<void(test::Bytes&)>& edit) {
  auto leb = [](const test::Bytes& b, size_t& at) {
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      uint8_t byte = b[at++];
      v |= uint32_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
  };
  test::Bytes out(module.begin(), module.begin() + 8);
  size_t at = 8;
  bool found = false;
  while (at < module.size()) {
    size_t start = at;
    uint8_t id = module[at++];
    uint32_t size = leb(module, at);
    size_t end = at + size, name_at = at;
    if (id == 0) {
      uint32_t n = leb(module, name_at);
      if (std::string(module.begin() + long(name_at), module.begin() + long(name_at + n)) == name) {
        test::Bytes payload(module.begin() + long(name_at + n), module.begin() + long(end));
        edit(payload);
        test::Bytes body;
        for (uint32_t v = n;; v >>= 7) {  // the name, then the new contents
          body.push_back(uint8_t((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
          if (v <= 0x7f) break;
        }
        body.insert(body.end(), name.begin(), name.end());
        body.insert(body.end(), payload.begin(), payload.end());
        out.push_back(0);
        for (uint32_t v = uint32_t(body.size());; v >>= 7) {
          out.push_back(uint8_t((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
          if (v <= 0x7f) break;
        }
        out.insert(out.end(), body.begin(), body.end());
        at = end;
        found = true;
        continue;
      }
    }
    out.insert(out.end(), module.begin() + long(start), module.begin() + long(end));
    at = end;
  }
  REQUIRE_MESSAGE(found, "no section " << name);
  return out;
}

// Loads a module whose DWARF is bad: it loads, runs, stops at a wasm breakpoint with its
// frames, and dwarf_info says what was wrong.
DwarfInfo check_bad_dwarf(const test::Bytes& bytes) {
  auto m = Module::load(bytes);
  REQUIRE_MESSAGE(m.ok(), (m.ok() ? "" : m.error().to_string()));
  DwarfInfo info = dwarf_info(**m);
  CHECK(info.present);
  CHECK_FALSE(info.problems.empty());
  auto start = function_code_offset(**m, "weigh");
  REQUIRE(start.ok());
  REQUIRE(set_breakpoint(**m, *start).ok());
  Store store;
  size_t stops = 0;
  store.set_debug_handler([&](DebugStop& s) {
    if (stops++ == 0) CHECK(s.frames[0].func_name == "weigh");
    for (const DebugFrame& f : s.frames) (void)frame_variables(f);  // whatever they are
    return stops < 4 ? DebugAction::StepIntoLine : DebugAction::Continue;
  });
  Linker linker;
  std::FILE* out = std::tmpfile();
  wasi::Config config;
  config.args = {"debuggee"};
  config.stdout_fd = fileno(out);
  wasi::add_to_linker(linker, config);
  linker.func("env", "host_add", [](int32_t a, int32_t b) { return a + b; });
  store.set_fuel(10'000'000);
  auto r = wasi::run_command(store, linker, *m);
  std::fclose(out);
  CHECK(r.ok());
  CHECK(stops == 3 + 3);  // weigh runs three times: each stop, then three steps
  (void)source_files(**m);
  (void)source_locations(**m, *start);
  return info;
}
}  // namespace

TEST_CASE("bad DWARF: the module runs, wasm-level debugging works, dwarf_info says what") {
  test::Bytes good = test::test_wasm_bytes("debuggee_c_O0.wasm");
  SUBCASE("truncated .debug_info") {
    DwarfInfo info = check_bad_dwarf(
        with_section(good, ".debug_info", [](test::Bytes& b) { b.resize(b.size() / 3); }));
    INFO(info.problems[0]);
    CHECK(info.problems[0].find("debug_info") != std::string::npos);
  }
  SUBCASE("a bad abbreviation code") {
    DwarfInfo info = check_bad_dwarf(with_section(good, ".debug_info", [](test::Bytes& b) {
      b[11] = 0x7f;  // the first unit's first DIE (DWARF 4: an 11-byte unit header)
    }));
    INFO(info.problems[0]);
    CHECK(info.problems[0].find("abbreviation") != std::string::npos);
  }
  SUBCASE("a line program that points past the code") {
    DwarfInfo info = check_bad_dwarf(with_section(good, ".debug_line", [](test::Bytes& b) {
      // Every DW_LNE_set_address (0, length 5, opcode 2, a 4-byte address) far past the code.
      for (size_t i = 0; i + 7 <= b.size(); i++)
        if (b[i] == 0 && b[i + 1] == 5 && b[i + 2] == 2) b[i + 6] = 0x70;
    }));
    INFO(info.problems[0]);
    CHECK(info.problems[0].find("points past the code") != std::string::npos);
    CHECK_FALSE(info.lines);
  }
  SUBCASE("no DWARF") {
    auto m = test::load_test_module("debug.wasm");
    DwarfInfo info = dwarf_info(*m);
    CHECK_FALSE(info.present);
    CHECK(info.problems.empty());
    CHECK(source_locations(*m, 0x40).empty());
    CHECK(find_line(*m, "x.c", 3).error().message == "the module has no DWARF line information");
  }
}

TEST_CASE("the demo's modules carry DWARF that reads: lines and functions in C and Rust") {
  // The line after a function's opening line, found by its text in the demo's sources.
  auto line_after = [](const std::string& file, const std::string& text) {
    std::ifstream in(std::string(GLINT_DEMO_SOURCES) + "/" + file);
    std::string l;
    for (uint32_t n = 1; std::getline(in, l); n++)
      if (l.find(text) != std::string::npos) return n + 1;
    FAIL("no '" << text << "' in " << file);
    return 0u;
  };
  struct Case {
    const char* module;
    const char* file;
    const char* text;
    const char* function;
  };
  for (const Case& c :
       {Case{"arena.wasm", "player.c", "void player_update(float dt) {", "player_update"},
        Case{"enemies.wasm", "enemies.rs", "pub extern \"C\" fn update(dt: f32)", "update"}}) {
    CAPTURE(std::string(c.module));
    auto m = Module::load_file(std::string(GLINT_DEMO_GUESTS) + "/" + c.module);
    REQUIRE(m.ok());
    DwarfInfo info = dwarf_info(**m);
    CHECK(info.lines);
    CHECK(info.problems.empty());
    uint32_t line = line_after(c.file, c.text);
    auto code = find_line(**m, c.file, line);
    REQUIRE_MESSAGE(code.ok(), (code.ok() ? "" : code.error().message));
    CHECK(code->line == line);
    // The line may be a call of an inlined function (player_update's `steer(dt);` at -O2): the
    // breakpoint is then at the inlined code's entry, and the line is where it was called from.
    auto locs = source_locations(**m, code->offsets[0]);
    REQUIRE_FALSE(locs.empty());
    CHECK(
        std::any_of(locs.begin(), locs.end(), [&](const SourceLoc& l) { return l.line == line; }));
    CHECK(locs.back().function.ends_with(c.function));
    auto b = add_breakpoint(**m, c.function);
    REQUIRE_MESSAGE(b.ok(), (b.ok() ? "" : b.error().message));
    CHECK(remove_breakpoint(b->id));
  }
}

// ---- stepping where an exception unwinds (unit/guests/exceptions.cpp, C++ try/catch) ---------
//
// A step over a call whose callee throws, caught by the caller, stops where a native debugger's
// `next` does: at the catch (the caller's next line never runs). So does a step over the throw
// itself, from inside the callee: the catch is the next line that runs, a frame out.
TEST_CASE("stepping over a call that throws stops at the caller's catch") {
  auto line_at = [](const char* marker) {
    Variant v{"", "exceptions.cpp"};
    return line_of(v, marker);
  };
  for (int opt : {0, 2}) {
    CAPTURE(opt);
    auto module = test::load_test_module("exceptions_cpp_O" + std::to_string(opt) + ".wasm");
    REQUIRE(dwarf_info(*module).present);
    for (const char* from : {"call_throws", "throw"}) {
      for (int32_t x : {5, 0}) {  // 0: thrower returns, the step goes to the next line
        CAPTURE(from);
        CAPTURE(x);
        if (x == 0 && std::string(from) == "throw") continue;  // the throw's line runs on
        // At -O2 a breakpoint at the throw's line stops in the middle of it (not a statement
        // row: the comparison before the throw is fused with the branch), where a step by line
        // goes by instruction.
        if (opt == 2 && std::string(from) == "throw") continue;
        Store store;
        auto inst = Linker().instantiate(store, module);
        REQUIRE(inst.ok());
        std::vector<DebugStop> stops;
        store.set_debug_handler([&](DebugStop& s) {
          stops.push_back(s);
          return stops.size() == 1 ? DebugAction::StepOverLine : DebugAction::Continue;
        });
        std::string at = "exceptions.cpp:" + std::to_string(line_at(from));
        REQUIRE(add_breakpoint(*module, at, once()).ok());
        auto result = (*inst)->call<int32_t>("run", x);
        remove_all_breakpoints();
        REQUIRE(result.ok());
        CHECK(*result == (x ? 12 : 11));  // the catch ran (or not), as without the debugger
        REQUIRE(stops.size() == 2);
        CHECK(stops[1].reason == DebugStop::Reason::Step);
        const DebugFrame& to = stops[1].frames[0];
        REQUIRE_FALSE(to.source.empty());
        INFO("stopped at " << line(stops[0].frames[0]) << ", stepped to " << to.source[0].function
                           << ":" << line(to));
        CHECK(to.source[0].function.find("catcher") != std::string::npos);
        if (x)
          CHECK(line(to) == line_at("catch"));
        else if (opt == 0)
          CHECK(line(to) == line_at("after_call"));
        else  // -O2 keeps no code of its own for `r = 1`
          CHECK((line(to) == line_at("after_call") || line(to) == line_at("after_try")));
      }
    }
  }
}
