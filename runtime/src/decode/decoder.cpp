// Binary module decoder: sections in order, each consumed exactly, with the spec test suite's
// wording for malformed input. Index bounds and typing are the validator's job.
#include <algorithm>
#include <cstring>

#include "decode/instr.h"
#include "decode/module.h"

namespace glint::detail {
namespace {

constexpr uint32_t kMaxLocals = 50000;

const char* section_name(uint8_t id) {
  static const char* names[] = {"custom", "type",   "import",    "function", "table",
                                "memory", "global", "export",    "start",    "element",
                                "code",   "data",   "datacount", "tag"};
  return id <= 13 ? names[id] : "?";
}

// The order non-custom sections must appear in (data count sits between element and code, the
// tag section of exception handling between memory and global).
int section_rank(uint8_t id) {
  static const int rank[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return rank[id];
}

class Decoder {
 public:
  explicit Decoder(ModuleDesc& m) : m_(m) {}
  void run();

 private:
  Limits limits(Reader& r, uint8_t flag, bool wide);
  MemoryType memory_type(Reader& r);
  TableType table_type(Reader& r);
  GlobalType global_type(Reader& r);
  ConstExpr const_expr(Reader& r);
  uint32_t count(Reader& r) {
    uint32_t n = r.u32();
    if (n > r.remaining()) r.fail("length out of bounds");  // every entry takes >= 1 byte
    return n;
  }

  void types(Reader& r);
  void imports(Reader& r);
  void functions(Reader& r);
  void tables(Reader& r);
  void memories(Reader& r);
  void globals(Reader& r);
  void tags(Reader& r);
  uint32_t tag_type(Reader& r) {
    if (r.u8() != 0) r.fail("malformed tag attribute");  // 0: an exception
    return r.u32();
  }
  void exports(Reader& r);
  void elements(Reader& r);
  void code(Reader& r);
  void data(Reader& r);
  void custom(Reader& r, uint32_t begin, uint32_t size);
  void names(Reader& r);

  ModuleDesc& m_;
  std::vector<uint32_t> scratch_;
  std::vector<std::pair<uint32_t, ValType>> local_decls_;  // one body's; reused across bodies
  bool saw_functions_ = false, saw_code_ = false;
};

// Limits after their flag byte (bit 0: a maximum follows); a 64-bit memory's are u64.
Limits Decoder::limits(Reader& r, uint8_t flag, bool wide) {
  Limits l;
  l.min = wide ? r.u64() : r.u32();
  if (flag & 1) l.max = wide ? r.u64() : r.u32();
  return l;
}

// A memory's flag byte: bit 0 a maximum, bit 2 memory64 (i64 addresses).
MemoryType Decoder::memory_type(Reader& r) {
  uint8_t flag = r.u8();
  if (flag & ~5u) r.fail("integer too large");
  MemoryType t;
  t.is64 = flag & 4;
  t.limits = limits(r, flag, t.is64);
  return t;
}

TableType Decoder::table_type(Reader& r) {
  TableType t;
  uint8_t b = r.u8();
  if (b != 0x70 && b != 0x6F) r.fail("malformed reference type");
  t.elem = ValType(b);
  uint8_t flag = r.u8();
  if (flag > 1) r.fail("integer too large");
  t.limits = limits(r, flag, false);
  return t;
}

GlobalType Decoder::global_type(Reader& r) {
  GlobalType g;
  g.type = read_valtype(r);
  uint8_t mut = r.u8();
  if (mut > 1) r.fail("malformed mutability");
  g.mut = mut == 1;
  return g;
}

ConstExpr Decoder::const_expr(Reader& r) {
  ConstExpr e;
  e.offset = uint32_t(r.offset());
  for (;;) {
    Instr in = read_instr(r, scratch_);
    if (in.op == Op::End) return e;
    ConstInstr ci;
    ci.op = uint16_t(in.op);
    ci.offset = in.offset;
    switch (in.op) {
      case Op::GlobalGet:
      case Op::RefFunc:
        ci.bits = in.a;
        break;
      case Op::RefNull:
        ci.bits = uint64_t(in.type);
        break;
      case Op::V128Const:
        ci.bits = in.imm;
        ci.hi = in.imm_hi();
        break;
      default:
        ci.bits = in.imm;
        break;
    }
    e.instrs.push_back(ci);
  }
}

void Decoder::types(Reader& r) {
  uint32_t n = count(r);
  m_.types.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    if (r.u8() != 0x60) r.fail("integer representation too long");
    FuncType t;
    uint32_t np = count(r);
    for (uint32_t k = 0; k < np; k++) t.params.push_back(read_valtype(r));
    uint32_t nr = count(r);
    for (uint32_t k = 0; k < nr; k++) t.results.push_back(read_valtype(r));
    m_.types.push_back(std::move(t));
  }
}

void Decoder::imports(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) {
    Import im;
    im.offset = uint32_t(r.offset());
    im.module = r.name();
    im.name = r.name();
    uint8_t kind = r.u8();
    switch (kind) {
      case 0:
        im.kind = ExternKind::Func;
        im.func_type = r.u32();
        m_.num_imported_funcs++;
        break;
      case 1:
        im.kind = ExternKind::Table;
        im.table = table_type(r);
        m_.num_imported_tables++;
        break;
      case 2:
        im.kind = ExternKind::Memory;
        im.memory = memory_type(r);
        m_.num_imported_memories++;
        break;
      case 3:
        im.kind = ExternKind::Global;
        im.global = global_type(r);
        m_.num_imported_globals++;
        break;
      case 4:
        im.kind = ExternKind::Tag;
        im.tag_type = tag_type(r);
        m_.num_imported_tags++;
        break;
      default:
        r.fail("malformed import kind");
    }
    m_.imports.push_back(std::move(im));
  }
}

void Decoder::functions(Reader& r) {
  uint32_t n = count(r);
  saw_functions_ = true;
  for (uint32_t i = 0; i < n; i++) m_.funcs.push_back(r.u32());
}

void Decoder::tables(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) m_.tables.push_back(table_type(r));
}

void Decoder::memories(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) m_.memories.push_back(memory_type(r));
}

void Decoder::globals(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) {
    Global g;
    g.type = global_type(r);
    g.init = const_expr(r);
    m_.globals.push_back(std::move(g));
  }
}

void Decoder::tags(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) m_.tags.push_back(tag_type(r));
}

void Decoder::exports(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) {
    Export ex;
    ex.offset = uint32_t(r.offset());
    ex.name = r.name();
    uint8_t kind = r.u8();
    if (kind > 4) r.fail("malformed export kind");
    ex.kind = ExternKind(kind);
    ex.index = r.u32();
    m_.exports.push_back(std::move(ex));
  }
}

// Element segments have eight encodings: bit 0 = passive/declarative, bit 1 = explicit table
// index (active) or declarative (passive), bit 2 = expressions instead of function indices.
void Decoder::elements(Reader& r) {
  uint32_t n = count(r);
  for (uint32_t i = 0; i < n; i++) {
    ElemSegment seg;
    seg.section_offset = uint32_t(r.offset());
    uint32_t flags = r.u32();
    if (flags > 7) r.fail("malformed elements segment kind");
    bool passive_or_decl = flags & 1, bit1 = flags & 2, exprs = flags & 4;
    if (!passive_or_decl) {
      seg.mode = SegmentMode::Active;
      if (bit1) seg.table = r.u32();
      seg.offset = const_expr(r);
    } else {
      seg.mode = bit1 ? SegmentMode::Declarative : SegmentMode::Passive;
    }
    // Encodings 0 and 4 have no element kind / type byte (funcref implied).
    if (passive_or_decl || bit1) {
      uint8_t b = r.u8();
      if (exprs) {
        if (b != 0x70 && b != 0x6F) r.fail("malformed reference type");
        seg.type = ValType(b);
      } else if (b != 0x00) {
        r.fail("malformed element kind");
      }
    }
    uint32_t items = count(r);
    seg.init.reserve(items);
    for (uint32_t k = 0; k < items; k++) {
      if (exprs) {
        seg.init.push_back(const_expr(r));
      } else {
        ConstExpr e;
        e.offset = uint32_t(r.offset());
        e.instrs.push_back({uint16_t(Op::RefFunc), r.u32(), 0, e.offset});
        seg.init.push_back(std::move(e));
      }
    }
    m_.elems.push_back(std::move(seg));
  }
}

void Decoder::code(Reader& r) {
  uint32_t n = count(r);
  saw_code_ = true;
  if (n != m_.funcs.size()) r.fail("function and code section have inconsistent lengths");
  m_.bodies.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    FuncBody body;
    body.body_offset = uint32_t(r.offset());
    uint32_t size = r.u32();
    size_t body_begin = r.offset();
    Reader b(r.bytes(size), size, body_begin);
    uint32_t groups = b.u32();
    uint64_t total = 0;
    local_decls_.clear();
    for (uint32_t g = 0; g < groups; g++) {
      uint32_t cnt = b.u32();
      total += cnt;
      if (total > kMaxLocals) b.fail("too many locals");
      local_decls_.push_back({cnt, read_valtype(b)});
    }
    body.locals.reserve(size_t(total));
    for (auto& [cnt, t] : local_decls_) body.locals.insert(body.locals.end(), cnt, t);
    body.code_begin = uint32_t(b.offset());
    body.code_end = uint32_t(body_begin + size);
    if (body.code_begin >= body.code_end || m_.bytes[body.code_end - 1] != 0x0B)
      b.fail("END opcode expected");
    m_.bodies.push_back(std::move(body));
  }
}

void Decoder::data(Reader& r) {
  uint32_t n = count(r);
  if (m_.data_count && *m_.data_count != n)
    r.fail("data count and data section have inconsistent lengths");
  for (uint32_t i = 0; i < n; i++) {
    DataSegment seg;
    seg.section_offset = uint32_t(r.offset());
    uint32_t flags = r.u32();
    if (flags > 2) r.fail("malformed data segment kind");
    if (flags == 1) {
      seg.mode = SegmentMode::Passive;
    } else {
      if (flags == 2) seg.memory = r.u32();
      seg.offset = const_expr(r);
    }
    seg.data_size = r.u32();
    seg.data_begin = uint32_t(r.offset());
    if (seg.data_size > r.remaining()) r.fail("unexpected end of section or function");
    r.skip(seg.data_size);
    m_.datas.push_back(std::move(seg));
  }
}

// The name section is advisory: anything malformed in it is ignored, not an error.
void Decoder::names(Reader& r) {
  try {
    while (!r.done()) {
      uint8_t id = r.u8();
      uint32_t size = r.u32();
      Reader sub(r.bytes(size), size, r.offset() - size);
      if (id == 0) {
        m_.module_name = sub.name();
      } else if (id == 1) {
        uint32_t n = sub.u32();
        for (uint32_t i = 0; i < n; i++) {
          uint32_t idx = sub.u32();
          m_.func_names[idx] = sub.name();
        }
      } else if (id == 7 || id == 9) {  // global names, data segment names
        auto& names = id == 7 ? m_.global_names : m_.data_names;
        uint32_t n = sub.u32();
        for (uint32_t i = 0; i < n; i++) {
          uint32_t idx = sub.u32();
          names[idx] = sub.name();
        }
      } else if (id == 2) {
        uint32_t n = sub.u32();
        for (uint32_t i = 0; i < n; i++) {
          uint32_t f = sub.u32();
          uint32_t k = sub.u32();
          for (uint32_t j = 0; j < k; j++) {
            uint32_t l = sub.u32();
            m_.local_names[f][l] = sub.name();
          }
        }
      }
    }
  } catch (const DecodeError&) {
    // Keep what decoded cleanly.
  }
}

void Decoder::custom(Reader& r, uint32_t begin, uint32_t size) {
  std::string name = r.name();
  CustomSection c;
  c.name = name;
  c.data_begin = uint32_t(r.offset());
  c.data_size = uint32_t(begin + size - r.offset());
  m_.customs.push_back(c);
  m_.sections.back().name = name;
  if (name == "name") {
    Reader sub(m_.bytes.data() + c.data_begin, c.data_size, c.data_begin);
    names(sub);
  }
  r.skip(r.remaining());
}

void Decoder::run() {
  Reader r(m_.bytes.data(), m_.bytes.size());
  if (r.remaining() < 4 || std::memcmp(r.ptr(), "\0asm", 4) != 0)
    r.fail("magic header not detected");
  r.skip(4);
  if (r.remaining() < 4) r.fail("unexpected end");
  size_t version_offset = r.offset();
  const uint8_t* v = r.bytes(4);
  if (v[0] != 1 || v[1] || v[2] || v[3])
    throw DecodeError("unknown binary version", version_offset);  // where the field starts

  int last_rank = 0;
  while (!r.done()) {
    size_t id_offset = r.offset();
    uint8_t id = r.u8();
    if (id > 13) throw DecodeError("malformed section id", id_offset);
    uint32_t size = r.u32();
    uint32_t begin = uint32_t(r.offset());
    if (size > r.remaining()) r.fail("length out of bounds");
    if (id != 0) {
      int rank = section_rank(id);
      if (rank <= last_rank) throw DecodeError("unexpected content after last section", id_offset);
      last_rank = rank;
    }
    m_.sections.push_back({id, section_name(id), begin, size});
    Reader s(r.bytes(size), size, begin);
    switch (id) {
      case 0:
        custom(s, begin, size);
        break;
      case 1:
        types(s);
        break;
      case 2:
        imports(s);
        break;
      case 3:
        functions(s);
        break;
      case 4:
        tables(s);
        break;
      case 5:
        memories(s);
        break;
      case 6:
        globals(s);
        break;
      case 7:
        exports(s);
        break;
      case 8:
        m_.start = s.u32();
        break;
      case 9:
        elements(s);
        break;
      case 10:
        code(s);
        break;
      case 11:
        data(s);
        break;
      case 12:
        m_.data_count = s.u32();
        break;
      case 13:
        tags(s);
        break;
    }
    if (!s.done()) s.fail("section size mismatch");
  }
  if (!m_.funcs.empty() && !saw_code_)
    throw DecodeError("function and code section have inconsistent lengths", r.offset());
  if (m_.data_count && *m_.data_count != m_.datas.size() && *m_.data_count != 0)
    throw DecodeError("data count and data section have inconsistent lengths", r.offset());
  if (m_.data_count && *m_.data_count != m_.datas.size())
    throw DecodeError("data count and data section have inconsistent lengths", r.offset());
}

}  // namespace

ModuleDesc decode_module(const uint8_t* data, size_t size) {
  ModuleDesc m;
  m.bytes.assign(data, data + size);
  Decoder(m).run();

  // Index spaces: imports first, then definitions.
  for (const auto& im : m.imports) {
    switch (im.kind) {
      case ExternKind::Func:
        m.func_space.push_back(im.func_type);
        break;
      case ExternKind::Table:
        m.table_space.push_back(im.table);
        break;
      case ExternKind::Memory:
        m.memory_space.push_back(im.memory);
        break;
      case ExternKind::Global:
        m.global_space.push_back(im.global);
        break;
      case ExternKind::Tag:
        m.tag_space.push_back(im.tag_type);
        break;
    }
  }
  m.func_space.insert(m.func_space.end(), m.funcs.begin(), m.funcs.end());
  m.table_space.insert(m.table_space.end(), m.tables.begin(), m.tables.end());
  m.memory_space.insert(m.memory_space.end(), m.memories.begin(), m.memories.end());
  for (const auto& g : m.globals) m.global_space.push_back(g.type);
  m.tag_space.insert(m.tag_space.end(), m.tags.begin(), m.tags.end());

  auto v128 = [](ValType t) { return t == ValType::V128; };
  bool v128_type = std::any_of(m.global_space.begin(), m.global_space.end(),
                               [&](const GlobalType& g) { return v128(g.type); });
  for (const FuncType& t : m.types)
    v128_type = v128_type || std::any_of(t.params.begin(), t.params.end(), v128) ||
                std::any_of(t.results.begin(), t.results.end(), v128);
  for (const FuncBody& b : m.bodies)
    v128_type = v128_type || std::any_of(b.locals.begin(), b.locals.end(), v128);
  m.v128_types = v128_type;
  return m;
}

}  // namespace glint::detail
