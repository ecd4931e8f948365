// The module of the fusion tests (wat/fusion.wat) instantiated, with counts of the internal
// instructions an export was translated to: test_fusion.cpp, test_bulk.cpp, test_xorshift.cpp.
#pragma once
#include <doctest/doctest.h>

#include "glint/glint.h"
#include "handler_count.h"
#include "support.h"

namespace test {

struct FusionModule {
  glint::Store store;
  glint::Linker linker;
  glint::Instance* inst = nullptr;
  FusionModule() {
    auto r = linker.instantiate(store, load_test_module("fusion.wasm"));
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    inst = *r;
  }
  void poke32(uint32_t addr, uint32_t v) { inst->memory("memory")->store<uint32_t>(addr, v); }
  // How many of the exported function's internal instructions run `op`'s handler, or its
  // slotless form's (execute/slotless_iops.def: the same instruction, which leaves its result
  // in the integer accumulator only; count_exact tells them apart).
  size_t count(const char* func, glint::detail::IOp op) const {
    glint::detail::IOp noslot = glint::detail::slotless_form(op);
    return count_exact(func, op) +
           (noslot == glint::detail::IOp::Nop ? 0 : count_exact(func, noslot));
  }
  size_t count_exact(const char* func, glint::detail::IOp op) const {
    return count_handlers(inst->module(), func, op);
  }
};

}  // namespace test
