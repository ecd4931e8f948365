// The data layout (glint/source.h's DataLayout): every variable at a fixed address in linear
// memory and the types of its bytes, as plain data, for hot reload's migration and for naming
// memory. Read once per module (debug/source.cpp caches it).
#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/DebugInfo/DWARF/DWARFExpression.h>
#include <llvm/DebugInfo/DWARF/DWARFUnit.h>

#include <algorithm>
#include <map>

#include "debug/dwarf/llvm_reader.h"
#include "debug/dwarf/types.h"

namespace glint::detail {

namespace dw = llvm::dwarf;
using llvm::DWARFDie;

namespace {

using Kind = LayoutType::Kind;

class LayoutBuilder {
 public:
  LayoutBuilder() { out.types.emplace_back(); }  // 0: Unknown

  // The index of `type` (not stripped) from array dimension `dim` on.
  uint32_t type_id(const DWARFDie& type, uint32_t dim = 0) {
    DWARFDie t = strip(type);
    if (!t) return 0;
    auto key = std::make_pair(t.getOffset(), dim);
    if (auto it = ids_.find(key); it != ids_.end()) return it->second;
    uint32_t id = uint32_t(out.types.size());
    ids_[key] = id;  // before the fields: a struct may point to itself
    out.types.emplace_back();
    LayoutType lt = describe(t, dim);
    // `typedef struct {...} Pickup;`: the struct is known by its typedef's name.
    if (lt.name.find("{...}") != std::string::npos && dim == 0) lt.name = type_name(type);
    out.types[id] = std::move(lt);
    return id;
  }

  DataLayout out;

 private:
  LayoutType describe(const DWARFDie& t, uint32_t dim) {
    LayoutType lt;
    lt.name = type_name(t, dim);
    lt.size = type_size(t, dim);
    switch (t.getTag()) {
      case dw::DW_TAG_base_type: {
        auto enc = t.find(dw::DW_AT_encoding);
        uint64_t e = enc ? enc->getAsUnsignedConstant().getValueOr(0) : 0;
        lt.kind = e == dw::DW_ATE_float     ? Kind::Float
                  : e == dw::DW_ATE_boolean ? Kind::Bool
                                            : Kind::Int;
        lt.is_signed = is_signed(t);
        break;
      }
      case dw::DW_TAG_enumeration_type:
        lt.kind = Kind::Enum;
        lt.is_signed = is_signed(t);
        break;
      case dw::DW_TAG_pointer_type:
      case dw::DW_TAG_reference_type:
      case dw::DW_TAG_rvalue_reference_type: {
        DWARFDie pointee = strip(type_of(t));
        if (pointee && pointee.getTag() == dw::DW_TAG_subroutine_type) {
          lt.kind = Kind::FunctionPointer;
        } else {
          lt.kind = Kind::Pointer;
          lt.element = type_id(type_of(t));
        }
        break;
      }
      case dw::DW_TAG_structure_type:
      case dw::DW_TAG_class_type:
        lt.kind = Kind::Struct;
        for (DWARFDie m = t.getFirstChild(); m && !m.isNULL(); m = m.getSibling()) {
          auto tag = m.getTag();
          if (tag == dw::DW_TAG_variant_part) {
            describe_variants(m, lt);
            break;
          }
          if (m.find(dw::DW_AT_bit_size)) {
            lt.kind = Kind::Other;  // bit fields: copied whole only
            lt.fields.clear();
            break;
          }
          if ((tag != dw::DW_TAG_member && tag != dw::DW_TAG_inheritance) ||
              m.find(dw::DW_AT_external))
            continue;
          auto offset = member_offset(m);
          if (!offset) continue;
          const char* name = m.getShortName();
          lt.fields.push_back({name ? name : type_name(type_of(m)), *offset, type_id(type_of(m))});
        }
        break;
      case dw::DW_TAG_array_type:
        lt.kind = Kind::Array;
        lt.count = array_count(t, dim);
        lt.element = dim + 1 < array_dims(t) ? type_id(t, dim + 1) : type_id(type_of(t));
        break;
      default:
        lt.kind = lt.size ? Kind::Other : Kind::Unknown;
        break;
    }
    return lt;
  }

  // A Rust enum: the variant part's discriminant (DW_AT_discr) and its variants.
  void describe_variants(const DWARFDie& part, LayoutType& lt) {
    lt.kind = Kind::Other;
    lt.fields.clear();
    DWARFDie discr = part.getAttributeValueAsReferencedDie(dw::DW_AT_discr);
    auto offset = discr ? member_offset(discr) : std::nullopt;
    if (!offset) return;  // without a discriminant, the active variant is unknown
    lt.discr_offset = *offset;
    lt.discr_size = type_size(type_of(discr));
    for (DWARFDie v = part.getFirstChild(); v && !v.isNULL(); v = v.getSibling()) {
      if (v.getTag() != dw::DW_TAG_variant) continue;
      LayoutType::Variant var;
      if (auto value = v.find(dw::DW_AT_discr_value)) {
        var.has_value = true;
        var.value = value->getAsUnsignedConstant().getValueOr(
            uint64_t(value->getAsSignedConstant().getValueOr(0)));
      }
      for (DWARFDie m = v.getFirstChild(); m && !m.isNULL(); m = m.getSibling()) {
        if (m.getTag() != dw::DW_TAG_member) continue;
        const char* name = m.getShortName();
        var.name = name ? name : "";
        var.offset = member_offset(m).value_or(0);
        var.type = type_id(type_of(m));
      }
      lt.variants.push_back(std::move(var));
    }
    if (lt.discr_size && lt.discr_size <= 8) lt.kind = Kind::Variants;
  }

  std::map<std::pair<uint64_t, uint32_t>, uint32_t> ids_;
};

// The address of a variable whose location is one DW_OP_addr (a fixed place in memory).
std::optional<uint32_t> fixed_address(const DWARFDie& d) {
  auto loc = d.find(dw::DW_AT_location);
  if (!loc) return std::nullopt;
  auto block = loc->getAsBlock();
  if (!block || block->size() < 2 || (*block)[0] != dw::DW_OP_addr) return std::nullopt;
  size_t n = block->size() - 1;
  if (n != 4 && n != 8) return std::nullopt;  // wasm32: 4 bytes
  uint64_t a = 0;
  for (size_t i = 0; i < n; i++) a |= uint64_t((*block)[1 + i]) << (8 * i);
  if (a > UINT32_MAX) return std::nullopt;
  return uint32_t(a);
}

}  // namespace

DataLayout LlvmReader::data_layout() {
  LayoutBuilder b;
  for (const auto& unit : context_->compile_units()) {
    DWARFDie top = unit->getUnitDIE(false);
    const char* unit_name = top.getShortName();
    std::string file = unit_name ? unit_name : "";
    file = file.substr(file.find_last_of('/') + 1);
    // Namespaces and functions prefix their variables' names ("shots::pool", "update::step").
    std::function<void(const DWARFDie&, const std::string&)> walk = [&](const DWARFDie& scope,
                                                                        const std::string& prefix) {
      for (DWARFDie d = scope.getFirstChild(); d && !d.isNULL(); d = d.getSibling()) {
        auto tag = d.getTag();
        const char* name = d.getShortName();
        if (tag == dw::DW_TAG_namespace || tag == dw::DW_TAG_subprogram) {
          walk(d, prefix + (name ? name : "") + "::");
        } else if (tag == dw::DW_TAG_lexical_block) {
          walk(d, prefix);
        } else if (tag == dw::DW_TAG_variable && name && !d.find(dw::DW_AT_declaration)) {
          // wasm-ld puts a variable it dropped at -1 (a tombstone): not in memory.
          if (auto address = fixed_address(d); address && *address < 0xFFFFFFF0u)
            b.out.variables.push_back({prefix + name, file, *address, b.type_id(type_of(d))});
        }
      }
    };
    walk(top, "");
  }
  std::sort(b.out.variables.begin(), b.out.variables.end(),
            [](const LayoutVariable& x, const LayoutVariable& y) { return x.address < y.address; });
  return std::move(b.out);
}

}  // namespace glint::detail
