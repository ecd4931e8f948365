#include "decode/opcodes.h"

#include <array>

namespace glint::detail {
namespace {

struct OpInfo {
  const char* name = nullptr;
  Imm imm = Imm::None;
};

constexpr std::array<OpInfo, kOpLimit> make_table() {
  std::array<OpInfo, kOpLimit> t{};
#define X(name, code, imm, text) t[code] = {text, Imm::imm};
#define FC(name, code, imm, text) t[0x100 + code] = {text, Imm::imm};
#include "decode/opcodes.def"
#undef X
#undef FC
  return t;
}

constexpr auto kTable = make_table();

}  // namespace

const char* op_name(Op op) {
  auto i = static_cast<uint16_t>(op);
  return i < kOpLimit && kTable[i].name ? kTable[i].name : "?";
}
Imm op_immediate(Op op) { return kTable[static_cast<uint16_t>(op)].imm; }
bool op_exists(uint16_t op) { return op < kOpLimit && kTable[op].name != nullptr; }

}  // namespace glint::detail
