// glint-apigen: prints the guest SDKs and the reference of the host API, all from api.def.
//
//   glint-apigen c        > glint_api.h    C header for guests (imports from module "glint")
//   glint-apigen rust     > glint_api.rs   Rust module for guests (raw imports + safe wrappers)
//   glint-apigen markdown > API.md         the reference
//   glint-apigen c-all    > all.c          a C guest that imports every function (SDK test)
//   glint-apigen rust-all > all.rs         the same in Rust
//   glint-apigen host-decl > api_decl.inc  the host's glint::host::Api member declarations
//   glint-apigen host-bind > api_bind.inc  the Linker::func calls that bind them
//
// The definition is compiled in (api.def is an X-macro list), so the generator cannot read a
// different API than the host binds.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

enum class Type { VOID, I32, U32, I64, U64, F32, F64, BOOL, COLOR, ID, STR, BYTES, BUF };

struct Arg {
  Type type;
  const char* name;
  const char* doc;
};
struct Entry {
  enum Kind { Section, Fn, Const, Export } kind;
  const char* name;  // section id, function, constant or export name
  const char* doc;
  Type ret = Type::VOID;
  std::vector<Arg> args;
  const char* title = "";  // sections
  const char* group = "";  // constants
  long value = 0;          // constants
};

std::vector<Entry> load_api() {
  std::vector<Entry> api;
#define GLINT_SECTION(id, title, doc) \
  api.push_back({Entry::Section, #id, doc, Type::VOID, {}, title});
#define GLINT_FN(name, ret, doc, args) api.push_back({Entry::Fn, #name, doc, Type::ret, {args}});
#define GLINT_EXPORT(name, ret, doc, args) \
  api.push_back({Entry::Export, #name, doc, Type::ret, {args}});
#define GLINT_ARG(type, name, doc) Arg{Type::type, #name, doc},
#define GLINT_CONST(group, name, value, doc) \
  api.push_back({Entry::Const, #name, doc, Type::I32, {}, "", #group, value});
#include "api.def"
  return api;
}

// ---- type spellings ------------------------------------------------------------------------

const char* c_type(Type t) {
  switch (t) {
    case Type::VOID:
      return "void";
    case Type::I32:
      return "int32_t";
    case Type::U32:
      return "uint32_t";
    case Type::I64:
      return "int64_t";
    case Type::U64:
      return "uint64_t";
    case Type::F32:
      return "float";
    case Type::F64:
      return "double";
    case Type::BOOL:
      return "bool";
    case Type::COLOR:
      return "glint_color";
    case Type::ID:
      return "int32_t";
    default:
      return "?";
  }
}

const char* rust_type(Type t) {
  switch (t) {
    case Type::VOID:
      return "()";
    case Type::I32:
      return "i32";
    case Type::U32:
      return "u32";
    case Type::I64:
      return "i64";
    case Type::U64:
      return "u64";
    case Type::F32:
      return "f32";
    case Type::F64:
      return "f64";
    case Type::BOOL:
      return "bool";
    case Type::COLOR:
      return "Color";
    case Type::ID:
      return "i32";
    case Type::STR:
      return "&str";
    case Type::BYTES:
      return "&[u8]";
    case Type::BUF:
      return "&mut [u8]";
  }
  return "?";
}

const char* wasm_type(Type t) {
  switch (t) {
    case Type::I64:
    case Type::U64:
      return "i64";
    case Type::F32:
      return "f32";
    case Type::F64:
      return "f64";
    default:
      return "i32";
  }
}

bool is_span(Type t) { return t == Type::STR || t == Type::BYTES || t == Type::BUF; }

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// C parameters; a span becomes (pointer, length).
std::string c_params(const Entry& e) {
  std::vector<std::string> p;
  for (const Arg& a : e.args) {
    std::string n = a.name;
    if (a.type == Type::STR) {
      p.push_back("const char* " + n);
      p.push_back("uint32_t " + n + "_len");
    } else if (a.type == Type::BYTES) {
      p.push_back("const void* " + n);
      p.push_back("uint32_t " + n + "_len");
    } else if (a.type == Type::BUF) {
      p.push_back("void* " + n);
      p.push_back("uint32_t " + n + "_cap");
    } else {
      p.push_back(std::string(c_type(a.type)) + " " + n);
    }
  }
  return p.empty() ? "void" : join(p, ", ");
}

std::string c_signature(const Entry& e, const char* prefix) {
  return std::string(c_type(e.ret)) + " " + prefix + e.name + "(" + c_params(e) + ")";
}

std::string rust_raw_params(const Entry& e) {
  std::vector<std::string> p;
  for (const Arg& a : e.args) {
    std::string n = a.name;
    if (a.type == Type::STR || a.type == Type::BYTES) {
      p.push_back(n + "_ptr: *const u8");
      p.push_back(n + "_len: u32");
    } else if (a.type == Type::BUF) {
      p.push_back(n + "_ptr: *mut u8");
      p.push_back(n + "_cap: u32");
    } else {
      p.push_back(n + ": " + rust_type(a.type));
    }
  }
  return join(p, ", ");
}

std::string rust_params(const Entry& e) {
  std::vector<std::string> p;
  for (const Arg& a : e.args) p.push_back(std::string(a.name) + ": " + rust_type(a.type));
  return join(p, ", ");
}

std::string rust_ret(const Entry& e) {
  return e.ret == Type::VOID ? "" : std::string(" -> ") + rust_type(e.ret);
}

std::string wasm_signature(const Entry& e) {
  std::vector<std::string> p;
  for (const Arg& a : e.args) {
    p.push_back(wasm_type(a.type));
    if (is_span(a.type)) p.push_back("i32");
  }
  std::string r = e.ret == Type::VOID ? "" : wasm_type(e.ret);
  return "(" + join(p, ", ") + ") -> (" + r + ")";
}

// Doc strings are C literals: `\n` inside them is already a newline by now.
void print_comment(const char* indent, const char* marker, const std::string& text) {
  std::printf("%s%s %s\n", indent, marker, text.c_str());
}

// ---- C header --------------------------------------------------------------------------------

void print_c(const std::vector<Entry>& api) {
  std::printf(
      "// glint_api.h: the Glint host API for C guests. GENERATED by glint-apigen from\n"
      "// host_api/api.def: do not edit. Reference: host_api/API.md.\n"
      "#ifndef GLINT_API_H\n#define GLINT_API_H\n\n"
      "#include <stdbool.h>\n#include <stdint.h>\n\n"
      "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
      "// Colors are packed 0xRRGGBBAA.\n"
      "typedef uint32_t glint_color;\n"
      "#define GLINT_RGBA(r, g, b, a)                                                      \\\n"
      "  ((glint_color)(((uint32_t)(r) << 24) | ((uint32_t)(g) << 16) | ((uint32_t)(b) << 8) | "
      "\\\n   (uint32_t)(a)))\n"
      "// A string literal as the (text, text_len) pair: glint_log_info(GLINT_STR(\"hi\")).\n"
      "#define GLINT_STR(lit) (lit), (uint32_t)(sizeof(lit) - 1)\n"
      "// Marks a guest function the host calls: GLINT_EXPORT(update) void update(float dt).\n"
      "#define GLINT_EXPORT(name) __attribute__((export_name(#name)))\n"
      "#define GLINT_IMPORT_(name) __attribute__((import_module(\"glint\"), "
      "import_name(#name)))\n");
  std::string group;
  for (const Entry& e : api) {
    switch (e.kind) {
      case Entry::Section:
        std::printf("\n// ---- %s ----\n", e.title);
        group.clear();
        break;
      case Entry::Export:
        print_comment("", "// export:", c_signature(e, "") + " -- " + e.doc);
        break;
      case Entry::Fn:
        print_comment("", "//", e.doc);
        std::printf("GLINT_IMPORT_(%s) %s;\n", e.name, c_signature(e, "glint_").c_str());
        break;
      case Entry::Const:
        if (group != e.group) std::printf("\n");
        group = e.group;
        std::printf("#define GLINT_%s %ld%s%s\n", e.name, e.value, *e.doc ? "  // " : "", e.doc);
        break;
    }
  }
  std::printf("\n#ifdef __cplusplus\n}\n#endif\n#endif  // GLINT_API_H\n");
}

// ---- Rust module -----------------------------------------------------------------------------

void print_rust(const std::vector<Entry>& api) {
  std::printf(
      "// glint_api.rs: the Glint host API for Rust guests. GENERATED by glint-apigen from\n"
      "// host_api/api.def: do not edit. Reference: host_api/API.md.\n"
      "// Use it as a crate (rustc --extern glint_api=libglint_api.rlib) or a module.\n"
      "#![allow(dead_code, clippy::too_many_arguments)]\n\n"
      "/// Colors are packed 0xRRGGBBAA.\n"
      "pub type Color = u32;\n"
      "pub const fn rgba(r: u8, g: u8, b: u8, a: u8) -> Color {\n"
      "    ((r as u32) << 24) | ((g as u32) << 16) | ((b as u32) << 8) | (a as u32)\n"
      "}\n\n");
  for (const Entry& e : api) {
    if (e.kind == Entry::Const)
      std::printf("pub const %s: i32 = %ld;%s%s\n", e.name, e.value, *e.doc ? " // " : "", e.doc);
  }
  std::printf(
      "\n/// The imports exactly as the host binds them: spans are (pointer, length) pairs.\n"
      "pub mod raw {\n    use super::Color;\n"
      "    #[link(wasm_import_module = \"glint\")]\n    extern \"C\" {\n");
  for (const Entry& e : api) {
    if (e.kind != Entry::Fn) continue;
    std::printf("        pub fn %s(%s)%s;\n", e.name, rust_raw_params(e).c_str(),
                rust_ret(e).c_str());
  }
  std::printf("    }\n}\n");
  for (const Entry& e : api) {
    if (e.kind == Entry::Section) std::printf("\n// ---- %s ----\n", e.title);
    if (e.kind != Entry::Fn) continue;
    std::vector<std::string> call;
    for (const Arg& a : e.args) {
      std::string n = a.name;
      if (a.type == Type::BUF)
        call.push_back(n + ".as_mut_ptr(), " + n + ".len() as u32");
      else if (is_span(a.type))
        call.push_back(n + ".as_ptr(), " + n + ".len() as u32");
      else
        call.push_back(n);
    }
    print_comment("", "///", e.doc);
    std::printf("#[inline]\npub fn %s(%s)%s {\n    unsafe { raw::%s(%s) }\n}\n", e.name,
                rust_params(e).c_str(), rust_ret(e).c_str(), e.name, join(call, ", ").c_str());
  }
}

// ---- SDK test guests: import every function once ----------------------------------------------

void print_c_all(const std::vector<Entry>& api) {
  std::printf(
      "// GENERATED by glint-apigen: a guest that imports every host function.\n"
      "#include \"glint_api.h\"\n\nGLINT_EXPORT(update) void update(float dt) {\n"
      "  if (dt >= 0) return;  // never true: the calls only create the imports\n");
  for (const Entry& e : api) {
    if (e.kind != Entry::Fn) continue;
    std::vector<std::string> args;
    for (const Arg& a : e.args) {
      args.push_back("0");
      if (is_span(a.type)) args.push_back("0");
    }
    std::printf("  glint_%s(%s);\n", e.name, join(args, ", ").c_str());
  }
  std::printf("}\n");
}

void print_rust_all(const std::vector<Entry>& api) {
  std::printf(
      "// GENERATED by glint-apigen: a guest that imports every host function.\n"
      "#[no_mangle]\npub extern \"C\" fn update(dt: f32) {\n"
      "    if dt >= 0.0 {\n        return; // the calls below only create the imports\n"
      "    }\n    let mut buf = [0u8; 4];\n");
  for (const Entry& e : api) {
    if (e.kind != Entry::Fn) continue;
    std::vector<std::string> args;
    for (const Arg& a : e.args) {
      switch (a.type) {
        case Type::STR:
          args.push_back("\"\"");
          break;
        case Type::BYTES:
          args.push_back("&[]");
          break;
        case Type::BUF:
          args.push_back("&mut buf");
          break;
        case Type::F32:
        case Type::F64:
          args.push_back("0.0");
          break;
        case Type::BOOL:
          args.push_back("false");
          break;
        default:
          args.push_back("0");
          break;
      }
    }
    std::printf("    let _ = glint_api::%s(%s);\n", e.name, join(args, ", ").c_str());
  }
  std::printf("}\n");
}

// ---- Markdown reference ----------------------------------------------------------------------

const char* md_type(Type t) {
  switch (t) {
    case Type::STR:
      return "string (ptr, len)";
    case Type::BYTES:
      return "bytes (ptr, len)";
    case Type::BUF:
      return "buffer (ptr, cap)";
    case Type::COLOR:
      return "color (u32 0xRRGGBBAA)";
    case Type::ID:
      return "id (i32)";
    case Type::BOOL:
      return "bool (i32)";
    default:
      return rust_type(t);
  }
}

void print_markdown(const std::vector<Entry>& api) {
  std::printf(
      "# Glint host API reference\n\n"
      "<!-- GENERATED by glint-apigen from host_api/api.def: do not edit. The host_api_md test "
      "fails if this file is out of date; regenerate with `ninja -C build update_api_md`. -->\n\n"
      "Game modules are wasm32 guests (C or Rust). They import these functions from the wasm "
      "module `glint`; their signatures are checked when the module is linked. C guests include "
      "the generated `glint_api.h` (functions are prefixed `glint_`, constants `GLINT_`); Rust "
      "guests use the generated `glint_api` crate (safe wrappers taking `&str`/`&[u8]`, raw "
      "imports in `glint_api::raw`).\n\n"
      "Strings and byte arrays cross as (pointer, length) pairs; the host checks each against "
      "the guest's memory, and an out-of-bounds pair traps the module with a message naming "
      "the function and the argument. Colors are packed `0xRRGGBBAA` (`GLINT_RGBA(r, g, b, a)`, "
      "`rgba(r, g, b, a)`).\n\n");
  std::printf("## Contents\n\n");
  for (const Entry& e : api)
    if (e.kind == Entry::Section) std::printf("- [%s](#%s)\n", e.title, e.name);
  std::string group;
  auto end_consts = [&] {
    if (!group.empty()) std::printf("\n");
    group.clear();
  };
  for (const Entry& e : api) {
    if (e.kind != Entry::Const) end_consts();
    switch (e.kind) {
      case Entry::Section:
        std::printf("\n<a id=\"%s\"></a>\n## %s\n\n%s\n", e.name, e.title, e.doc);
        break;
      case Entry::Export:
      case Entry::Fn: {
        bool fn = e.kind == Entry::Fn;
        std::printf("\n### `%s`%s\n\n%s\n\n", e.name, fn ? "" : " (export)", e.doc);
        std::printf("```\nwasm: %s\nC:    %s\n", wasm_signature(e).c_str(),
                    c_signature(e, fn ? "glint_" : "").c_str());
        std::printf("Rust: fn %s(%s)%s\n```\n", e.name, rust_params(e).c_str(),
                    rust_ret(e).c_str());
        if (!e.args.empty()) {
          std::printf("\n| parameter | type | meaning |\n| --- | --- | --- |\n");
          for (const Arg& a : e.args)
            std::printf("| `%s` | %s | %s |\n", a.name, md_type(a.type), a.doc);
        }
        if (e.ret != Type::VOID) std::printf("\nReturns %s.\n", md_type(e.ret));
        break;
      }
      case Entry::Const:
        if (group != e.group) {
          std::printf("\n### Constants `%s_*`\n\n| name | value | note |\n| --- | --- | --- |\n",
                      e.group);
          group = e.group;
        }
        std::printf("| `%s` | %ld | %s |\n", e.name, e.value, e.doc);
        break;
    }
  }
  end_consts();
}

// ---- Host side -------------------------------------------------------------------------------

// The type a host member function sees: spans arrive checked, as views of guest memory.
const char* host_type(Type t) {
  switch (t) {
    case Type::VOID:
      return "void";
    case Type::BOOL:
      return "bool";
    case Type::COLOR:
      return "uint32_t";
    case Type::STR:
      return "std::string_view";
    case Type::BYTES:
      return "std::span<const uint8_t>";
    case Type::BUF:
      return "std::span<uint8_t>";
    default:
      return c_type(t);
  }
}

void print_host_decl(const std::vector<Entry>& api) {
  std::printf(
      "// GENERATED by glint-apigen host-decl from host_api/api.def: do not edit.\n"
      "// Members of glint::host::Api, one per host function.\n");
  for (const Entry& e : api) {
    if (e.kind == Entry::Section) std::printf("\n// ---- %s ----\n", e.title);
    if (e.kind != Entry::Fn) continue;
    std::vector<std::string> p;
    for (const Arg& a : e.args) p.push_back(std::string(host_type(a.type)) + " " + a.name);
    std::printf("%s %s(%s);\n", host_type(e.ret), e.name, join(p, ", ").c_str());
  }
}

// Each function becomes a lambda whose C++ parameters are the wasm parameters (spans as two
// uint32_t): Linker::func deduces the wasm signature from it. The lambda checks the spans
// against the caller's memory (naming the function and argument on failure) and forwards.
void print_host_bind(const std::vector<Entry>& api) {
  std::printf(
      "// GENERATED by glint-apigen host-bind from host_api/api.def: do not edit.\n"
      "// Included by host_api/src/bind.cpp inside bind_functions(Registry& r).\n");
  for (const Entry& e : api) {
    if (e.kind != Entry::Fn) continue;
    std::vector<std::string> params{"glint::Caller& c"}, checks, call;
    for (const Arg& a : e.args) {
      std::string n = a.name;
      if (is_span(a.type)) {
        const char* second = a.type == Type::BUF ? "_cap" : "_len";
        const char* view = a.type == Type::STR     ? "guest_str"
                           : a.type == Type::BYTES ? "guest_bytes"
                                                   : "guest_buf";
        params.push_back("uint32_t " + n + "_ptr");
        params.push_back("uint32_t " + n + second);
        checks.push_back("  auto " + n + " = " + view + "(c, \"" + e.name + "\", \"" + n + "\", " +
                         n + "_ptr, " + n + second + ");\n");
      } else {
        params.push_back(std::string(host_type(a.type)) + " " + n);
      }
      call.push_back(n);
    }
    std::printf("add(r, \"%s\", [](%s) {\n%s  return api_of(c).%s(%s);\n});\n", e.name,
                join(params, ", ").c_str(), join(checks, "").c_str(), e.name,
                join(call, ", ").c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const char* what = argc == 2 ? argv[1] : "";
  auto api = load_api();
  if (!std::strcmp(what, "c"))
    print_c(api);
  else if (!std::strcmp(what, "rust"))
    print_rust(api);
  else if (!std::strcmp(what, "markdown"))
    print_markdown(api);
  else if (!std::strcmp(what, "c-all"))
    print_c_all(api);
  else if (!std::strcmp(what, "rust-all"))
    print_rust_all(api);
  else if (!std::strcmp(what, "host-decl"))
    print_host_decl(api);
  else if (!std::strcmp(what, "host-bind"))
    print_host_bind(api);
  else {
    std::fprintf(stderr,
                 "usage: glint-apigen c|rust|markdown|c-all|rust-all|host-decl|host-bind\n");
    return 2;
  }
  return std::fflush(stdout) == 0 ? 0 : 1;
}
