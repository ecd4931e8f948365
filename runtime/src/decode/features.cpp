// Which WebAssembly features a module uses, beyond the MVP: read from its types, sections and
// instructions (for `glint inspect`; loading needs none of this).
#include "decode/features.h"

#include <algorithm>

#include "decode/instr.h"

namespace glint::detail {
namespace {

// A feature an instruction alone shows, or "" for an MVP instruction.
const char* instruction_feature(Op op) {
  uint16_t c = uint16_t(op);
  if (is_simd(op)) return c >= 0x300 ? "relaxed-simd" : "simd";
  if (c >= 0xC0 && c <= 0xC4) return "sign-extension";
  if (c >= 0x100 && c <= 0x107) return "saturating-float-to-int";
  if (is_exception_op(op)) return "exception-handling";
  switch (op) {
    case Op::MemoryInit:
    case Op::DataDrop:
    case Op::MemoryCopy:
    case Op::MemoryFill:
    case Op::TableInit:
    case Op::ElemDrop:
    case Op::TableCopy:
      return "bulk-memory";
    case Op::RefNull:
    case Op::RefIsNull:
    case Op::RefFunc:
    case Op::TableGet:
    case Op::TableSet:
    case Op::TableGrow:
    case Op::TableSize:
    case Op::TableFill:
    case Op::SelectT:
      return "reference-types";
    case Op::ReturnCall:
    case Op::ReturnCallIndirect:
      return "tail-call";
    default:
      return "";
  }
}

bool is_extended_const(Op op) {
  return op == Op::I32Add || op == Op::I32Sub || op == Op::I32Mul || op == Op::I64Add ||
         op == Op::I64Sub || op == Op::I64Mul;
}

class Finder {
 public:
  explicit Finder(const ModuleDesc& m) : m_(m) {}
  std::vector<std::string> run();

 private:
  void add(const char* f) {
    if (*f && std::find(found_.begin(), found_.end(), f) == found_.end()) found_.push_back(f);
  }
  void type(ValType t) {
    if (t == ValType::V128) add("simd");
    if (is_ref(t)) add("reference-types");
  }
  void const_expr(const ConstExpr& e) {
    for (const ConstInstr& ci : e.instrs) {
      if (is_extended_const(Op(ci.op))) add("extended-const");
      if (Op(ci.op) != Op::RefFunc) add(instruction_feature(Op(ci.op)));  // see elements
    }
  }
  void body(const FuncBody& b);

  const ModuleDesc& m_;
  std::vector<std::string> found_;
};

void Finder::body(const FuncBody& b) {
  for (ValType t : b.locals) type(t);
  Reader r(m_.bytes.data() + b.code_begin, b.code_end - b.code_begin, b.code_begin);
  std::vector<uint32_t> labels;
  while (!r.done()) {
    Instr in = read_instr(r, labels, &m_.memory_space);
    add(instruction_feature(in.op));
    if (in.op == Op::Block || in.op == Op::Loop || in.op == Op::If) {
      if (in.block.kind == BlockType::Index) add("multi-value");
    }
    if (in.op == Op::CallIndirect && in.b != 0) add("reference-types");  // another table
  }
}

std::vector<std::string> Finder::run() {
  for (const FuncType& t : m_.types) {
    for (ValType v : t.params) type(v);
    for (ValType v : t.results) type(v);
    if (t.results.size() > 1) add("multi-value");
  }
  for (const Import& im : m_.imports)
    if (im.kind == ExternKind::Global && im.global.mut) add("mutable-globals");
  for (const Export& ex : m_.exports)
    if (ex.kind == ExternKind::Global && m_.global_space[ex.index].mut) add("mutable-globals");
  for (const GlobalType& g : m_.global_space) type(g.type);
  for (const Global& g : m_.globals) const_expr(g.init);
  if (m_.table_space.size() > 1) add("reference-types");
  if (m_.memory_space.size() > 1) add("multi-memory");
  if (!m_.tag_space.empty()) add("exception-handling");
  for (const MemoryType& t : m_.memory_space)
    if (t.is64) add("memory64");
  // Element segments: the MVP's lists of function indices decode as ref.func expressions too,
  // so only other kinds of segment show a feature.
  for (const ElemSegment& e : m_.elems) {
    if (e.mode != SegmentMode::Active || e.type != ValType::FuncRef) add("bulk-memory");
    const_expr(e.offset);
    for (const ConstExpr& init : e.init) const_expr(init);
  }
  if (m_.data_count) add("bulk-memory");
  for (const DataSegment& d : m_.datas) {
    if (d.mode != SegmentMode::Active) add("bulk-memory");
    const_expr(d.offset);
  }
  for (const FuncBody& b : m_.bodies) body(b);
  std::sort(found_.begin(), found_.end());
  return found_;
}

}  // namespace

std::vector<std::string> module_features(const ModuleDesc& m) { return Finder(m).run(); }

}  // namespace glint::detail
