# The guest SDK of the host API, usable from any CMakeLists (include(); it has an include guard):
#   GLINT_API_INCLUDE_DIR  folder holding the generated glint_api.h
#   GLINT_API_RS           the generated Rust module glint_api.rs
#   GLINT_API_RLIB         glint_api.rs compiled as a wasm32 crate (libglint_api.rlib)
#   glint_add_c_guest(NAME OUTPUT out.wasm SOURCES a.c ... [FLAGS ...] [LINK_FLAGS ...])
#   glint_add_rust_guest(NAME OUTPUT out.wasm SOURCE main.rs [FLAGS ...])
# Both write out.wasm.build, the module's build recipe (glint_host/watch.h).
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

# NAME.wasm.build next to the module: how to rebuild it and which files it is built from, for
# glint-demo --watch and the editor (glint_host/watch.h). Written at generate time, only when it
# changes.
function(glint_write_build_recipe name output)
  set(text "# How to rebuild this module (written by CMake; read by glint-demo --watch and glint-editor)\n")
  string(APPEND text "dir ${CMAKE_BINARY_DIR}\n")
  string(APPEND text "command ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target ${name}\n")
  foreach(s ${ARGN})
    get_filename_component(abs ${s} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    string(APPEND text "source ${abs}\n")
  endforeach()
  file(GENERATE OUTPUT ${output}.build CONTENT "${text}")
endfunction()

function(glint_add_c_guest name)
  cmake_parse_arguments(A "" "OUTPUT" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  glint_add_c_wasm(${name} OUTPUT ${A_OUTPUT} SOURCES ${A_SOURCES}
    FLAGS -O2 -mexec-model=reactor -I${GLINT_API_INCLUDE_DIR} ${A_FLAGS}
    LINK_FLAGS ${A_LINK_FLAGS}
    DEPENDS ${GLINT_API_HEADER} ${A_DEPENDS})
  add_dependencies(${name} glint_api_sdk)
  glint_write_build_recipe(${name} ${A_OUTPUT} ${A_SOURCES} ${A_DEPENDS})
endfunction()

function(glint_add_rust_guest name)
  cmake_parse_arguments(A "" "OUTPUT;SOURCE" "FLAGS;DEPENDS" ${ARGN})
  glint_add_rust_wasm(${name} OUTPUT ${A_OUTPUT} SOURCE ${A_SOURCE}
    FLAGS --crate-type cdylib -C opt-level=2 --extern glint_api=${GLINT_API_RLIB}
          ${A_FLAGS}
    DEPENDS ${GLINT_API_RLIB} ${A_DEPENDS})
  add_dependencies(${name} glint_api_sdk)
  glint_write_build_recipe(${name} ${A_OUTPUT} ${A_SOURCE} ${A_DEPENDS})
endfunction()
