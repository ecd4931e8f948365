// Names for memory from a module's data layout (glint/source.h's name_memory): the variables,
// fields and elements a byte range covers.
#include <algorithm>
#include <string>
#include <vector>

#include "glint/source.h"

namespace glint {

namespace {

constexpr size_t kMaxNames = 6;
constexpr int kMaxDepth = 16;

// Appends the names of what [lo, hi) of a value of type `t` at `path` covers.
void name_part(const DataLayout& layout, uint32_t t, uint64_t lo, uint64_t hi,
               const std::string& path, std::vector<std::string>& out, int depth) {
  const LayoutType& type = layout.type(t);
  if (out.size() > kMaxNames) return;
  if (depth > kMaxDepth || (lo == 0 && hi >= type.size)) {
    out.push_back(path);
    return;
  }
  if (type.kind == LayoutType::Kind::Struct) {
    size_t before = out.size();
    for (size_t i = 0; i < type.fields.size(); i++) {
      const LayoutType::Field& f = type.fields[i];
      uint64_t size = layout.type(f.type).size, end = f.offset + size;
      if (size == 0 || end <= lo || f.offset >= hi) continue;
      name_part(layout, f.type, lo > f.offset ? lo - f.offset : 0, std::min(hi, end) - f.offset,
                path + "." + f.name, out, depth + 1);
    }
    if (out.size() == before) out.push_back(path + " (padding)");
    return;
  }
  if (type.kind == LayoutType::Kind::Array) {
    uint64_t each = layout.type(type.element).size;
    if (each == 0) {
      out.push_back(path);
      return;
    }
    uint64_t first = lo / each, last = (hi - 1) / each;
    if (first != last) {  // several elements: the range, not each one
      out.push_back(path + "[" + std::to_string(first) + ".." + std::to_string(last) + "]");
      return;
    }
    name_part(layout, type.element, lo - first * each, hi - first * each,
              path + "[" + std::to_string(first) + "]", out, depth + 1);
    return;
  }
  out.push_back(path);
}

}  // namespace

const LayoutType::Variant* LayoutType::active_variant(const uint8_t* bytes) const {
  if (kind != Kind::Variants || discr_offset + discr_size > size) return nullptr;
  uint64_t value = 0;
  for (uint64_t i = 0; i < discr_size; i++) value |= uint64_t(bytes[discr_offset + i]) << (8 * i);
  const Variant* other = nullptr;
  for (const Variant& v : variants) {
    if (v.has_value && v.value == value) return &v;
    if (!v.has_value) other = &v;
  }
  return other;
}

std::string name_memory(const DataLayout& layout, uint32_t address, uint32_t size) {
  std::vector<std::string> names;
  uint64_t lo = address, hi = uint64_t(address) + std::max<uint32_t>(size, 1);
  for (const LayoutVariable& v : layout.variables) {
    uint64_t vsize = layout.size_of(v), vend = v.address + vsize;
    if (v.address >= hi) break;
    if (vsize == 0 || vend <= lo) continue;
    name_part(layout, v.type, lo > v.address ? lo - v.address : 0, std::min(hi, vend) - v.address,
              v.name, names, 0);
  }
  std::string out;
  for (size_t i = 0; i < names.size() && i < kMaxNames; i++) out += (i ? ", " : "") + names[i];
  if (names.size() > kMaxNames) out += ", ...";
  return out;
}

}  // namespace glint
