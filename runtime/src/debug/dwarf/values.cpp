// Types and values: names, sizes, the text of a value, its children (fields, elements, the
// pointee), and the bytes a written value becomes.
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFFormValue.h>
#include <llvm/DebugInfo/DWARF/DWARFUnit.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "debug/dwarf/llvm_reader.h"
#include "debug/dwarf/types.h"

namespace glint::detail {

namespace dw = llvm::dwarf;
using llvm::DWARFDie;

namespace {

constexpr size_t kSummary = 100;      // characters of a struct or array summary, at most
constexpr size_t kShownElements = 8;  // elements in an array's summary
constexpr size_t kStringChars = 64;   // characters of a C string shown after its pointer
constexpr int kMaxTypeDepth = 32;     // typedef chains, against cycles in broken DWARF

// Broken DWARF can make a type refer to itself (a const of itself, an array of itself): the
// functions that follow type references give up below this many of them on the C stack.
struct TypeDepth {
  static inline thread_local int depth = 0;
  TypeDepth() { depth++; }
  ~TypeDepth() { depth--; }
  bool too_deep() const { return depth > kMaxTypeDepth; }
};

uint64_t constant(const DWARFDie& d, dw::Attribute a, uint64_t otherwise = 0) {
  if (auto v = d.find(a))
    if (auto u = v->getAsUnsignedConstant()) return *u;
  return otherwise;
}

bool is_c(const DWARFDie& d) {
  llvm::DWARFUnit* u = d.getDwarfUnit();
  if (!u) return false;
  uint64_t lang = constant(u->getUnitDIE(false), dw::DW_AT_language);
  return lang == dw::DW_LANG_C89 || lang == dw::DW_LANG_C || lang == dw::DW_LANG_C99 ||
         lang == dw::DW_LANG_C11;
}

bool is_rust(const DWARFDie& d) {
  llvm::DWARFUnit* u = d.getDwarfUnit();
  return u && constant(u->getUnitDIE(false), dw::DW_AT_language) == dw::DW_LANG_Rust;
}

bool is_record(const DWARFDie& t) {
  auto tag = t.getTag();
  return tag == dw::DW_TAG_structure_type || tag == dw::DW_TAG_class_type ||
         tag == dw::DW_TAG_union_type;
}

std::string shortest(double v, int min_digits, int max_digits) {
  char buf[40];
  for (int digits = min_digits; digits <= max_digits; digits++) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v || std::isnan(v)) break;
  }
  return buf;
}

std::string quoted(const std::string& s, bool truncated) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c < 32 || c >= 127) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out + (truncated ? "\"..." : "\"");
}

// Up to `max` characters at `address` in memory, to the first NUL.
std::string memory_string(const InstanceState& in, uint64_t address, uint64_t max, bool& more) {
  std::string s;
  more = false;
  for (uint64_t i = 0; i < max; i++) {
    if (!in.memory || address + i >= in.memory_size) return s;
    char c = char(in.memory[address + i]);
    if (c == 0) return s;
    s += c;
  }
  more = true;
  return s;
}

bool is_char(const DWARFDie& type) {
  DWARFDie t = strip(type);
  if (!t || t.getTag() != dw::DW_TAG_base_type || type_size(t) != 1) return false;
  uint64_t enc = constant(t, dw::DW_AT_encoding);
  return enc == dw::DW_ATE_signed_char || enc == dw::DW_ATE_unsigned_char;
}

// A field of a struct, union or Rust enum, as children() lists it.
struct Field {
  std::string name;
  DWARFDie type;
  uint64_t offset = 0;
  uint64_t bit_size = 0, bit_offset = 0;  // a bit field: its bits from `offset`
};

// The active variant of a Rust enum's variant part: its member (named after the variant).
std::optional<Field> active_variant(const DWARFDie& part, const ValueView& view) {
  DWARFDie discr = part.getAttributeValueAsReferencedDie(dw::DW_AT_discr);
  std::optional<uint64_t> tag;
  if (discr) {
    uint64_t size = type_size(type_of(discr));
    auto offset = member_offset(discr);
    if (offset && size <= 8 && view.all_known(*offset, size)) tag = view.uint_at(*offset, size);
    if (tag && size < 8) *tag &= (uint64_t(1) << (8 * size)) - 1;
  }
  DWARFDie chosen;
  for (DWARFDie v = part.getFirstChild(); v && !v.isNULL(); v = v.getSibling()) {
    if (v.getTag() != dw::DW_TAG_variant) continue;
    auto value = v.find(dw::DW_AT_discr_value);
    if (!value) {
      if (!chosen) chosen = v;  // the default variant, unless one matches
      continue;
    }
    auto u = value->getAsUnsignedConstant();
    if (!u) {
      if (auto s = value->getAsSignedConstant()) u = uint64_t(*s);
    }
    if (tag && u && *u == *tag) {
      chosen = v;
      break;
    }
  }
  if (!chosen) return std::nullopt;
  for (DWARFDie m = chosen.getFirstChild(); m && !m.isNULL(); m = m.getSibling())
    if (m.getTag() == dw::DW_TAG_member) {
      const char* name = m.getShortName();
      return Field{name ? name : "", type_of(m), member_offset(m).value_or(0)};
    }
  return std::nullopt;
}

std::vector<Field> fields(const DWARFDie& record, const ValueView& view) {
  std::vector<Field> out;
  bool is_union = record.getTag() == dw::DW_TAG_union_type;
  for (DWARFDie m = record.getFirstChild(); m && !m.isNULL(); m = m.getSibling()) {
    auto tag = m.getTag();
    if (tag == dw::DW_TAG_variant_part) {
      if (auto v = active_variant(m, view)) out.push_back(*v);
      continue;
    }
    if (tag != dw::DW_TAG_member && tag != dw::DW_TAG_inheritance) continue;
    if (m.find(dw::DW_AT_external)) continue;  // a static member
    Field f;
    const char* name = m.getShortName();
    f.type = type_of(m);
    f.name = name ? name : tag == dw::DW_TAG_inheritance ? type_name(f.type) : "<anonymous>";
    auto offset = member_offset(m);
    if (!offset && !is_union && !m.find(dw::DW_AT_data_bit_offset)) continue;
    f.offset = offset.value_or(0);
    if (uint64_t bits = constant(m, dw::DW_AT_bit_size)) {
      f.bit_size = bits;
      if (auto data_bit = m.find(dw::DW_AT_data_bit_offset)) {
        uint64_t at = data_bit->getAsUnsignedConstant().getValueOr(0);
        f.offset = at / 8;
        f.bit_offset = at % 8;
      } else if (auto old = m.find(dw::DW_AT_bit_offset)) {  // DWARF 2: from the high end
        uint64_t storage = constant(m, dw::DW_AT_byte_size, type_size(f.type)) * 8;
        f.bit_offset = storage - old->getAsUnsignedConstant().getValueOr(0) - bits;
      }
    }
    out.push_back(std::move(f));
  }
  return out;
}

// The Rust enum a struct is (it has a variant part), formatted "Some(5)" or "None".
std::optional<std::string> rust_enum_text(const DWARFDie& record, const ValueView& view,
                                          int depth) {
  for (DWARFDie m = record.getFirstChild(); m && !m.isNULL(); m = m.getSibling()) {
    if (m.getTag() != dw::DW_TAG_variant_part) continue;
    auto v = active_variant(m, view);
    if (!v) return "<unknown variant>";
    DWARFDie payload = strip(v->type);
    auto inner = payload ? fields(payload, view.at(v->offset)) : std::vector<Field>{};
    if (inner.empty()) return v->name;
    std::string text = v->name + "(";
    for (size_t i = 0; i < inner.size(); i++) {
      if (i) text += ", ";
      text += depth > 1 ? "..."
                        : format_value(inner[i].type, view.at(v->offset + inner[i].offset),
                                       depth + 1, 0, nullptr);
    }
    return text + ")";
  }
  return std::nullopt;
}

std::string record_text(const DWARFDie& t, const ValueView& view, int depth) {
  if (auto e = rust_enum_text(t, view, depth)) return *e;
  auto fs = fields(t, view);
  // Rust's &str: a pointer and a length.
  const char* name = t.getShortName();
  if (name && std::string_view(name) == "&str" && fs.size() == 2) {
    uint64_t ptr = view.uint_at(fs[0].offset, 4), len = view.uint_at(fs[1].offset, 4);
    bool more = false;
    std::string s =
        memory_string(view.instance(), ptr, std::min<uint64_t>(len, kStringChars), more);
    return quoted(s.substr(0, len), len > kStringChars);
  }
  if (depth > 0) return "{...}";
  std::string text = "{";
  for (size_t i = 0; i < fs.size(); i++) {
    std::string part = (i ? ", " : "") + fs[i].name + " = " +
                       format_value(fs[i].type, view.at(fs[i].offset), depth + 1, 0, nullptr);
    if (text.size() + part.size() > kSummary) return text + (i ? ", ...}" : "...}");
    text += part;
  }
  return text + "}";
}

std::string array_text(const DWARFDie& t, const ValueView& view, int depth, uint32_t dim) {
  uint64_t count = array_count(t, dim);
  DWARFDie elem = type_of(t);
  bool last_dim = dim + 1 >= array_dims(t);
  if (last_dim && is_char(elem)) {  // a char array: its string
    std::string s;
    for (uint64_t i = 0; i < count && i < kStringChars; i++) {
      char c = 0;
      if (!view.read(i, &c, 1) || c == 0) break;
      s += c;
    }
    return quoted(s, count > kStringChars && s.size() == kStringChars);
  }
  if (depth > 0) return "[...]";
  uint64_t size = element_size(t, dim);
  std::string text = "[";
  for (uint64_t i = 0; i < count; i++) {
    if (i == kShownElements || text.size() > kSummary) return text + ", ...]";
    text +=
        (i ? ", " : "") + (last_dim ? format_value(elem, view.at(i * size), depth + 1, 0, nullptr)
                                    : array_text(t, view.at(i * size), depth + 1, dim + 1));
  }
  return text + "]";
}

std::string base_text(const DWARFDie& t, const ValueView& view, std::optional<Value>* scalar) {
  uint64_t size = type_size(t), enc = constant(t, dw::DW_AT_encoding);
  if (size == 0) return "";
  if (size > 8) return std::string("<").append(std::to_string(size)).append(" bytes>");
  uint64_t bits = view.uint_at(0, size);
  char buf[64];
  auto set = [&](Value v) {
    if (scalar) *scalar = v;
  };
  switch (enc) {
    case dw::DW_ATE_float:
      if (size == 4) {
        float f;
        uint32_t b = uint32_t(bits);
        std::memcpy(&f, &b, 4);
        set(Value::f32(f));
        return shortest(f, 6, 9);
      }
      if (size == 8) {
        double d;
        std::memcpy(&d, &bits, 8);
        set(Value::f64(d));
        return shortest(d, 15, 17);
      }
      return "<float of " + std::to_string(size) + " bytes>";
    case dw::DW_ATE_boolean:
      set(Value::i32(bits != 0));
      return bits ? "true" : "false";
    case dw::DW_ATE_signed:
    case dw::DW_ATE_signed_char: {
      unsigned shift = unsigned(64 - 8 * size);
      int64_t v = int64_t(bits << shift) >> shift;
      set(size == 8 ? Value::i64(v) : Value::i32(int32_t(v)));
      std::snprintf(buf, sizeof buf, "%" PRId64, v);
      if (enc == dw::DW_ATE_signed_char && v >= 32 && v < 127)
        std::snprintf(buf, sizeof buf, "%" PRId64 " '%c'", v, char(v));
      return buf;
    }
    case dw::DW_ATE_UTF:  // Rust's char: a code point
      set(Value::i32(int32_t(bits)));
      if (bits >= 32 && bits < 127)
        std::snprintf(buf, sizeof buf, "'%c'", char(bits));
      else
        std::snprintf(buf, sizeof buf, "U+%04" PRIX64, bits);
      return buf;
    default: {  // unsigned, unsigned_char, and what else there is
      set(size == 8 ? Value::i64(int64_t(bits)) : Value::i32(int32_t(uint32_t(bits))));
      std::snprintf(buf, sizeof buf, "%" PRIu64, bits);
      if (enc == dw::DW_ATE_unsigned_char && bits >= 32 && bits < 127)
        std::snprintf(buf, sizeof buf, "%" PRIu64 " '%c'", bits, char(bits));
      return buf;
    }
  }
}

std::string enum_text(const DWARFDie& t, const ValueView& view, std::optional<Value>* scalar) {
  uint64_t size = std::min<uint64_t>(type_size(t), 8);
  uint64_t bits = view.uint_at(0, size ? size : 4);
  bool is_signed_enum = is_signed(t);
  int64_t v = int64_t(bits);
  if (is_signed_enum && size && size < 8) {
    unsigned shift = unsigned(64 - 8 * size);
    v = int64_t(bits << shift) >> shift;
  }
  if (scalar) *scalar = size == 8 ? Value::i64(v) : Value::i32(int32_t(v));
  for (DWARFDie e = t.getFirstChild(); e && !e.isNULL(); e = e.getSibling()) {
    if (e.getTag() != dw::DW_TAG_enumerator) continue;
    auto c = e.find(dw::DW_AT_const_value);
    if (!c) continue;
    auto s = c->getAsSignedConstant();
    auto u = c->getAsUnsignedConstant();
    if ((s && *s == v) || (u && *u == bits)) return e.getShortName() ? e.getShortName() : "?";
  }
  return std::to_string(v);
}

}  // namespace

// --- types -----------------------------------------------------------------------------------

DWARFDie type_of(const DWARFDie& die) {
  if (!die) return {};
  if (auto v = die.findRecursively(dw::DW_AT_type)) return die.getAttributeValueAsReferencedDie(*v);
  return {};
}

DWARFDie strip(DWARFDie t) {
  for (int i = 0; t && i < kMaxTypeDepth; i++) {
    switch (t.getTag()) {
      case dw::DW_TAG_typedef:
      case dw::DW_TAG_const_type:
      case dw::DW_TAG_volatile_type:
      case dw::DW_TAG_restrict_type:
      case dw::DW_TAG_atomic_type:
        t = type_of(t);
        break;
      default:
        return t;
    }
  }
  return t;
}

bool is_pointer(const DWARFDie& t) {
  auto tag = t.getTag();
  return tag == dw::DW_TAG_pointer_type || tag == dw::DW_TAG_reference_type ||
         tag == dw::DW_TAG_rvalue_reference_type;
}

bool is_signed(const DWARFDie& type) {
  TypeDepth guard;
  DWARFDie t = strip(type);
  if (!t || guard.too_deep()) return false;
  if (t.getTag() == dw::DW_TAG_enumeration_type) {
    DWARFDie base = type_of(t);
    return base ? is_signed(base) : true;  // C's enums are int
  }
  uint64_t enc = constant(t, dw::DW_AT_encoding);
  return enc == dw::DW_ATE_signed || enc == dw::DW_ATE_signed_char;
}

uint32_t array_dims(const DWARFDie& array) {
  uint32_t n = 0;
  for (DWARFDie s = array.getFirstChild(); s && !s.isNULL(); s = s.getSibling())
    n += s.getTag() == dw::DW_TAG_subrange_type;
  return n ? n : 1;
}

uint64_t array_count(const DWARFDie& array, uint32_t dim) {
  uint32_t k = 0;
  for (DWARFDie s = array.getFirstChild(); s && !s.isNULL(); s = s.getSibling()) {
    if (s.getTag() != dw::DW_TAG_subrange_type || k++ != dim) continue;
    if (auto count = s.find(dw::DW_AT_count)) return count->getAsUnsignedConstant().getValueOr(0);
    if (auto upper = s.find(dw::DW_AT_upper_bound)) {
      auto u = upper->getAsUnsignedConstant();
      if (!u) return 0;
      uint64_t lower = constant(s, dw::DW_AT_lower_bound);
      return *u >= lower ? *u - lower + 1 : 0;
    }
    return 0;
  }
  return 0;
}

std::optional<uint64_t> member_offset(const DWARFDie& member) {
  if (auto v = member.find(dw::DW_AT_data_member_location))
    if (auto u = v->getAsUnsignedConstant()) return *u;
  return std::nullopt;
}

uint64_t element_size(const DWARFDie& array, uint32_t dim) {
  uint64_t size = type_size(type_of(array));
  for (uint32_t d = dim + 1; d < array_dims(array); d++) size *= array_count(array, d);
  return size;
}

uint64_t type_size(const DWARFDie& type, uint32_t array_dim) {
  TypeDepth guard;
  DWARFDie t = strip(type);
  if (!t || guard.too_deep()) return 0;
  if (array_dim && t.getTag() == dw::DW_TAG_array_type) return element_size(t, array_dim - 1);
  if (auto size = t.find(dw::DW_AT_byte_size)) return size->getAsUnsignedConstant().getValueOr(0);
  switch (t.getTag()) {
    case dw::DW_TAG_pointer_type:
    case dw::DW_TAG_reference_type:
    case dw::DW_TAG_rvalue_reference_type:
      return 4;  // wasm32
    case dw::DW_TAG_array_type: {
      uint64_t size = type_size(type_of(t));
      for (uint32_t d = 0; d < array_dims(t); d++) size *= array_count(t, d);
      return size;
    }
    case dw::DW_TAG_enumeration_type:
      return type_of(t) ? type_size(type_of(t)) : 4;
    default:
      return 0;
  }
}

static std::string array_name(const DWARFDie& t, uint32_t from_dim) {
  std::string dims;
  bool rust = is_rust(t);
  std::string elem = type_name(type_of(t));
  for (uint32_t d = array_dims(t); d-- > from_dim;) {
    uint64_t n = array_count(t, d);
    std::string count = n ? std::to_string(n) : "";
    elem = rust ? "[" + elem + "; " + count + "]" : elem;
    if (!rust) dims = "[" + count + "]" + dims;
  }
  return elem + dims;
}

std::string type_name(const DWARFDie& type, uint32_t array_dim) {
  TypeDepth guard;
  if (!type) return "void";
  if (guard.too_deep()) return "<type too deep>";
  if (array_dim && type.getTag() == dw::DW_TAG_array_type) return array_name(type, array_dim);
  const char* name = type.getShortName();
  switch (type.getTag()) {
    case dw::DW_TAG_structure_type:
    case dw::DW_TAG_class_type:
    case dw::DW_TAG_union_type:
    case dw::DW_TAG_enumeration_type: {
      std::string kind = type.getTag() == dw::DW_TAG_union_type         ? "union "
                         : type.getTag() == dw::DW_TAG_enumeration_type ? "enum "
                                                                        : "struct ";
      if (!name) return kind + "{...}";
      return is_c(type) ? kind + name : name;
    }
    case dw::DW_TAG_pointer_type:
    case dw::DW_TAG_reference_type:
    case dw::DW_TAG_rvalue_reference_type:
      if (name) return name;  // Rust names its pointers: "&mut Enemy", "*const u8"
      return type_name(type_of(type)) + (type.getTag() == dw::DW_TAG_pointer_type ? " *" : " &");
    case dw::DW_TAG_const_type:
      return "const " + type_name(type_of(type));
    case dw::DW_TAG_volatile_type:
      return "volatile " + type_name(type_of(type));
    case dw::DW_TAG_restrict_type:
    case dw::DW_TAG_atomic_type:
      return type_name(type_of(type));
    case dw::DW_TAG_array_type:
      return array_name(type, 0);
    case dw::DW_TAG_subroutine_type:
      return "function";
    default:
      return name ? name : "<unnamed type>";
  }
}

// --- bytes -----------------------------------------------------------------------------------

bool ValueView::read(uint64_t offset, void* out, uint64_t n) const {
  uint64_t at = base_ + offset;
  if (ref_.address) {
    uint64_t a = *ref_.address + at;
    if (!instance_.memory || a > instance_.memory_size || n > instance_.memory_size - a)
      return false;
    std::memcpy(out, instance_.memory + a, n);
    return true;
  }
  if (at > ref_.bytes.size() || n > ref_.bytes.size() - at || !all_known(offset, n)) return false;
  std::memcpy(out, ref_.bytes.data() + at, n);
  return true;
}

bool ValueView::all_known(uint64_t offset, uint64_t n) const {
  uint64_t at = base_ + offset;
  if (ref_.address) {
    uint64_t a = *ref_.address + at;
    return instance_.memory && a <= instance_.memory_size && n <= instance_.memory_size - a;
  }
  if (at > ref_.known.size() || n > ref_.known.size() - at) return false;
  return std::all_of(ref_.known.begin() + ptrdiff_t(at), ref_.known.begin() + ptrdiff_t(at + n),
                     [](uint8_t k) { return k != 0; });
}

bool ValueView::any_known(uint64_t offset, uint64_t n) const {
  if (ref_.address) return all_known(offset, std::min<uint64_t>(n, 1));
  uint64_t at = base_ + offset;
  for (uint64_t i = at; i < at + n && i < ref_.known.size(); i++)
    if (ref_.known[i]) return true;
  return false;
}

uint64_t ValueView::uint_at(uint64_t offset, uint64_t size) const {
  uint64_t v = 0;
  if (size > 8 || !read(offset, &v, size)) return 0;
  return v;
}

// --- values ----------------------------------------------------------------------------------

std::string format_value(const DWARFDie& type, const ValueView& view, int depth, uint32_t array_dim,
                         std::optional<Value>* scalar) {
  TypeDepth guard;
  DWARFDie t = strip(type);
  if (!t) return "void";
  if (guard.too_deep()) return "<type too deep>";
  uint64_t size = type_size(t);
  bool whole = t.getTag() == dw::DW_TAG_array_type || is_record(t) || view.all_known(0, size);
  if (!whole) return "<not available>";
  switch (t.getTag()) {
    case dw::DW_TAG_base_type:
      return base_text(t, view, scalar);
    case dw::DW_TAG_enumeration_type:
      return enum_text(t, view, scalar);
    case dw::DW_TAG_pointer_type:
    case dw::DW_TAG_reference_type:
    case dw::DW_TAG_rvalue_reference_type: {
      uint64_t address = view.uint_at(0, 4);
      if (scalar) *scalar = Value::i32(int32_t(uint32_t(address)));
      char buf[24];
      std::snprintf(buf, sizeof buf, "0x%" PRIx64, address);
      std::string text = buf;
      if (address && is_char(type_of(t))) {
        bool more = false;
        std::string s = memory_string(view.instance(), address, kStringChars, more);
        text += " " + quoted(s, more);
      }
      return text;
    }
    case dw::DW_TAG_structure_type:
    case dw::DW_TAG_class_type:
    case dw::DW_TAG_union_type:
      return record_text(t, view, depth);
    case dw::DW_TAG_array_type:
      return array_text(t, view, depth, array_dim);
    case dw::DW_TAG_subroutine_type:
      return "function";
    default:
      return std::string("<").append(dw::TagString(t.getTag())).append(">");
  }
}

Result<std::vector<uint8_t>> encode_value(const DWARFDie& type, std::string_view text) {
  DWARFDie t = strip(type);
  uint64_t size = type_size(t);
  std::string s(text);
  auto bad = [&](const char* what) {
    return Error{ErrorKind::Usage, "'" + s + "' is not " + what + " (" + type_name(type) + ")"};
  };
  if (!t || size == 0 || size > 8)
    return Error{ErrorKind::Usage,
                 "only a number, bool, enum or pointer can be written, not " + type_name(type)};
  auto tag = t.getTag();
  uint64_t bits = 0;
  char* end = nullptr;
  if (tag == dw::DW_TAG_base_type && constant(t, dw::DW_AT_encoding) == dw::DW_ATE_float) {
    double d = std::strtod(s.c_str(), &end);
    if (s.empty() || *end) return bad("a number");
    if (size == 4) {
      float f = float(d);
      uint32_t b;
      std::memcpy(&b, &f, 4);
      bits = b;
    } else {
      std::memcpy(&bits, &d, 8);
    }
  } else if (tag == dw::DW_TAG_base_type && constant(t, dw::DW_AT_encoding) == dw::DW_ATE_boolean &&
             (s == "true" || s == "false")) {
    bits = s == "true";
  } else {
    bool found = false;
    if (tag == dw::DW_TAG_enumeration_type)
      for (DWARFDie e = t.getFirstChild(); e && !e.isNULL(); e = e.getSibling())
        if (e.getTag() == dw::DW_TAG_enumerator && e.getShortName() && s == e.getShortName())
          if (auto c = e.find(dw::DW_AT_const_value)) {
            auto sv = c->getAsSignedConstant();
            bits = sv ? uint64_t(*sv) : c->getAsUnsignedConstant().getValueOr(0);
            found = true;
          }
    if (!found) {
      if (tag != dw::DW_TAG_base_type && tag != dw::DW_TAG_enumeration_type && !is_pointer(t))
        return Error{ErrorKind::Usage,
                     "only a number, bool, enum or pointer can be written, not " + type_name(type)};
      errno = 0;
      long long v = std::strtoll(s.c_str(), &end, 0);
      if (errno == ERANGE) {
        errno = 0;
        v = static_cast<long long>(std::strtoull(s.c_str(), &end, 0));
      }
      if (s.empty() || *end || errno) return bad("an integer");
      bits = uint64_t(v);
      if (size < 8) {  // the value must fit the type, signed or not
        int64_t lo = is_signed(t) ? -(int64_t(1) << (8 * size - 1)) : 0;
        int64_t hi = is_signed(t) ? (int64_t(1) << (8 * size - 1)) - 1
                                  : int64_t((uint64_t(1) << (8 * size)) - 1);
        if (v < lo || v > hi) return bad("in range");
      }
    }
  }
  std::vector<uint8_t> out(size);
  for (uint64_t i = 0; i < size; i++) out[i] = uint8_t(bits >> (8 * i));
  return out;
}

// --- children --------------------------------------------------------------------------------

DWARFDie LlvmReader::die_at(uint64_t offset) {
  return offset ? context_->getDIEForOffset(offset) : DWARFDie();
}

size_t LlvmReader::count_children(const DWARFDie& type, const ValueView& view, uint32_t array_dim) {
  DWARFDie t = strip(type);
  if (!t) return 0;
  if (is_record(t)) return fields(t, view).size();
  if (t.getTag() == dw::DW_TAG_array_type) return array_count(t, array_dim);
  if (is_pointer(t)) {
    DWARFDie pointee = strip(type_of(t));
    uint64_t address = view.uint_at(0, 4);
    const InstanceState& in = view.instance();
    bool followable = pointee && pointee.getTag() != dw::DW_TAG_subroutine_type &&
                      type_size(pointee) > 0 && address && in.memory && address < in.memory_size;
    return followable ? 1 : 0;
  }
  return 0;
}

std::optional<Variable> LlvmReader::child_at(const Variable& v, const DWARFDie& type, size_t i,
                                             const InstanceState& instance) {
  const VarRef& ref = *v.ref;
  DWARFDie t = strip(type);
  ValueView view(ref, instance);
  if (!t) return std::nullopt;
  // A part of v at `offset`: in memory if v is, else a copy of its bytes there.
  auto part = [&](std::string name, const DWARFDie& part_type, uint64_t offset, uint64_t size,
                  uint32_t dim) {
    Evaluation e;
    Piece p;
    if (ref.address) {
      p.kind = Piece::Memory;
      p.address = *ref.address + offset;
      e.pieces.push_back(p);
      return make_variable(std::move(name), part_type, e, instance, dim);
    }
    Variable c = make_variable(std::move(name), part_type, e, instance, dim);
    auto r = std::make_shared<VarRef>(*c.ref);
    r->bytes.assign(size, 0);
    r->known.assign(size, 0);
    for (uint64_t k = 0; k < size && offset + k < ref.bytes.size(); k++) {
      r->bytes[k] = ref.bytes[offset + k];
      r->known[k] = ref.known[offset + k];
    }
    c.ref = r;
    describe(c, instance);
    return c;
  };
  if (is_record(t)) {
    auto fs = fields(t, view);
    if (i >= fs.size()) return std::nullopt;
    const Field& f = fs[i];
    if (!f.bit_size) return part(f.name, f.type, f.offset, type_size(f.type), 0);
    // A bit field: its value, shifted out of its storage (read only).
    uint64_t storage = 0;
    view.read(f.offset, &storage, std::min<uint64_t>(8, (f.bit_offset + f.bit_size + 7) / 8));
    uint64_t value = (storage >> f.bit_offset) & ((uint64_t(1) << f.bit_size) - 1);
    Variable c = make_variable(f.name, f.type, Evaluation{}, instance);
    auto r = std::make_shared<VarRef>(*c.ref);
    r->bytes.resize(type_size(f.type));
    for (size_t k = 0; k < r->bytes.size() && k < 8; k++) r->bytes[k] = uint8_t(value >> (8 * k));
    r->known.assign(r->bytes.size(), 1);
    c.ref = r;
    describe(c, instance);
    return c;
  }
  if (t.getTag() == dw::DW_TAG_array_type) {
    uint32_t dim = ref.array_dim;
    uint64_t size = element_size(t, dim);
    std::string name = "[" + std::to_string(i) + "]";
    if (dim + 1 < array_dims(t)) return part(name, t, i * size, size, dim + 1);
    return part(name, type_of(t), i * size, size, 0);
  }
  if (is_pointer(t) && i == 0 && v.scalar)
    return memory_variable("*" + v.name, type_of(t), uint32_t(v.scalar->bits), instance);
  return std::nullopt;
}

// --- paths -----------------------------------------------------------------------------------

bool PathReader::take(std::string_view s) {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.starts_with(s)) return false;
  rest.remove_prefix(s.size());
  return true;
}

std::string PathReader::name() {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  auto ident = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  };
  size_t n = 0;
  while (n < rest.size()) {
    if (ident(rest[n])) {
      n++;
    } else if (rest.substr(n).starts_with("::")) {  // a Rust path: enemies::STATE
      n += 2;
    } else {
      break;
    }
  }
  std::string out(rest.substr(0, n));
  rest.remove_prefix(n);
  return out;
}

std::optional<uint64_t> PathReader::number() {
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::string s(rest);
  char* end = nullptr;
  errno = 0;
  uint64_t v = std::strtoull(s.c_str(), &end, 0);
  if (end == s.c_str() || errno) return std::nullopt;
  rest.remove_prefix(size_t(end - s.c_str()));
  return v;
}

Error PathReader::error(const std::string& expected) const {
  return Error{
      ErrorKind::Usage,
      "expected " + expected + (rest.empty() ? " at the end" : " at '" + std::string(rest) + "'")};
}

}  // namespace glint::detail
