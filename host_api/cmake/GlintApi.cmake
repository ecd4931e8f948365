# The guest SDK of the host API, usable from any CMakeLists (include(); it has an include guard):
#   GLINT_API_INCLUDE_DIR  folder holding the generated glint_api.h
#   GLINT_API_RS           the generated Rust module glint_api.rs
#   GLINT_API_RLIB         glint_api.rs compiled as a wasm32 crate (libglint_api.rlib)
#   glint_add_c_guest(NAME OUTPUT out.wasm SOURCES a.c ... [FLAGS ...] [LINK_FLAGS ...])
#   glint_add_rust_guest(NAME OUTPUT out.wasm SOURCE main.rs [FLAGS ...])
# C guests are wasm32-wasi reactors (-mexec-model=reactor: libc works, the host calls
# _initialize); they include "glint_api.h" and mark exports with GLINT_EXPORT(name).
# Rust guests are cdylibs that `use glint_api::*;` (the crate is passed with --extern).
# No include_guard: the variables must be set in every directory that includes this.
include(GuestToolchain)

set(GLINT_API_DIR ${CMAKE_BINARY_DIR}/host_api/sdk)
set(GLINT_API_INCLUDE_DIR ${GLINT_API_DIR})
set(GLINT_API_HEADER ${GLINT_API_DIR}/glint_api.h)
set(GLINT_API_RS ${GLINT_API_DIR}/glint_api.rs)
set(GLINT_API_RLIB ${GLINT_API_DIR}/libglint_api.rlib)

function(glint_add_c_guest name)
  cmake_parse_arguments(A "" "OUTPUT" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  glint_add_c_wasm(${name} OUTPUT ${A_OUTPUT} SOURCES ${A_SOURCES}
    FLAGS -O2 -mexec-model=reactor -I${GLINT_API_INCLUDE_DIR} ${A_FLAGS}
    LINK_FLAGS ${A_LINK_FLAGS}
    DEPENDS ${GLINT_API_HEADER} ${A_DEPENDS})
  add_dependencies(${name} glint_api_sdk)
endfunction()

function(glint_add_rust_guest name)
  cmake_parse_arguments(A "" "OUTPUT;SOURCE" "FLAGS;DEPENDS" ${ARGN})
  glint_add_rust_wasm(${name} OUTPUT ${A_OUTPUT} SOURCE ${A_SOURCE}
    FLAGS --crate-type cdylib -C opt-level=2 --extern glint_api=${GLINT_API_RLIB}
          ${A_FLAGS}
    DEPENDS ${GLINT_API_RLIB} ${A_DEPENDS})
  add_dependencies(${name} glint_api_sdk)
endfunction()
