// Which internal instructions the translator emitted: for tests of fusions and call forms.
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "compile/code.h"  // detail::IOp and the handler table
#include "glint/glint.h"

namespace test {

// How many of export `func`'s internal instructions run `op`'s handler (counted at instruction
// starts, so an operand cell that happens to equal a handler is not counted).
inline size_t count_handlers(const glint::Module& m, const std::string& func,
                             glint::detail::IOp op) {
  uint32_t imported = 0;
  for (const glint::ImportInfo& i : m.imports()) imported += i.kind == glint::ExternKind::Func;
  for (const glint::ExportInfo& e : m.exports()) {
    if (e.name != func) continue;
    const glint::detail::CompiledFunc& f = m.compiled().funcs[e.index - imported];
    size_t n = 0;
    for (const glint::detail::OffsetEntry& at : f.offsets)
      n += f.code[at.code_index].op == glint::detail::handler_table()[size_t(op)];
    return n;
  }
  FAIL("no export " << func);
  return 0;
}

}  // namespace test
