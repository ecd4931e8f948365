# Finds the compilers that build guest code to wasm32-wasi, and gives helpers to use them:
#   glint_add_c_wasm(NAME OUTPUT out.wasm SOURCES a.c b.c [FLAGS ...] [LINK_FLAGS ...])
#   glint_add_rust_wasm(NAME OUTPUT out.wasm SOURCE main.rs [FLAGS ...])
# Each creates a custom target NAME that builds OUTPUT. Both toolchains are required: guests,
# tests, the demo and the benchmarks all need them (scripts/setup.sh installs them).
include_guard(GLOBAL)

find_program(GLINT_WASM_CLANG NAMES clang-14 clang)
set(GLINT_WASI_SYSROOT "/usr" CACHE PATH "wasi-libc sysroot (Debian: headers in /usr/include/wasm32-wasi)")
if(NOT GLINT_WASM_CLANG OR NOT EXISTS "/usr/include/wasm32-wasi/stdio.h")
  message(FATAL_ERROR "No C compiler for wasm32-wasi: install clang-14, lld-14, wasi-libc and "
                      "libclang-rt-14-dev-wasm32 (scripts/setup.sh does)")
endif()

# The rustc first on PATH may be a rustup one without wasm targets: use the first candidate that
# actually has a wasm32-wasi (or wasm32-wasip1) standard library installed.
set(GLINT_WASM_RUSTC "" CACHE FILEPATH "rustc with a wasm32-wasi target")
set(GLINT_RUST_WASM_TARGET "" CACHE STRING "Rust wasm target name")
if(NOT GLINT_WASM_RUSTC)
  foreach(candidate /usr/bin/rustc rustc)
    find_program(_rustc_path ${candidate} NO_CACHE)
    if(NOT _rustc_path)
      continue()
    endif()
    foreach(target wasm32-wasi wasm32-wasip1)
      execute_process(COMMAND ${_rustc_path} --print sysroot OUTPUT_VARIABLE _sysroot
                      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      if(EXISTS "${_sysroot}/lib/rustlib/${target}/lib")
        set(GLINT_WASM_RUSTC ${_rustc_path} CACHE FILEPATH "" FORCE)
        set(GLINT_RUST_WASM_TARGET ${target} CACHE STRING "" FORCE)
        break()
      endif()
    endforeach()
    unset(_rustc_path)
    if(GLINT_WASM_RUSTC)
      break()
    endif()
  endforeach()
endif()
if(NOT GLINT_WASM_RUSTC)
  message(FATAL_ERROR "No rustc with a wasm32-wasi standard library: install Debian's rustc and "
                      "libstd-rust-dev-wasm32 (scripts/setup.sh does)")
endif()
message(STATUS "Guest C compiler (wasm32-wasi): ${GLINT_WASM_CLANG}")
message(STATUS "Guest Rust compiler: ${GLINT_WASM_RUSTC} target ${GLINT_RUST_WASM_TARGET}")

# Compiles and links in two steps: clang's driver, when it links with -O and finds binaryen's
# wasm-opt on PATH, runs it on the output, which drops the name section (function names in
# backtraces, hot reload) and leaves the DWARF describing code that no longer exists. Linking
# without -O keeps the module exactly what clang and wasm-ld made, binaryen installed or not.
function(glint_add_c_wasm name)
  cmake_parse_arguments(A "" "OUTPUT" "SOURCES;FLAGS;LINK_FLAGS;DEPENDS" ${ARGN})
  set(objdir ${CMAKE_CURRENT_BINARY_DIR}/${name}.objs)
  set(link_flags ${A_FLAGS})
  list(FILTER link_flags EXCLUDE REGEX "^-O")
  set(compile_steps)
  set(objs)
  set(srcs)
  set(n 0)
  foreach(s ${A_SOURCES})
    get_filename_component(abs ${s} ABSOLUTE)
    get_filename_component(stem ${s} NAME_WE)
    set(obj ${objdir}/${n}_${stem}.o)
    list(APPEND compile_steps COMMAND ${GLINT_WASM_CLANG} --target=wasm32-wasi ${A_FLAGS} -Wno-unused-command-line-argument
         -c ${abs} -o ${obj})
    list(APPEND objs ${obj})
    list(APPEND srcs ${abs})
    math(EXPR n "${n} + 1")
  endforeach()
  add_custom_command(OUTPUT ${A_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${objdir}
    ${compile_steps}
    COMMAND ${GLINT_WASM_CLANG} --target=wasm32-wasi ${link_flags} -Wno-unused-command-line-argument
            ${objs} -o ${A_OUTPUT} ${A_LINK_FLAGS}
    DEPENDS ${srcs} ${A_DEPENDS}
    COMMENT "wasm32-wasi (C): ${name}" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${A_OUTPUT})
endfunction()

function(glint_add_rust_wasm name)
  cmake_parse_arguments(A "" "OUTPUT;SOURCE" "FLAGS;DEPENDS" ${ARGN})
  get_filename_component(src ${A_SOURCE} ABSOLUTE)
  add_custom_command(OUTPUT ${A_OUTPUT}
    COMMAND ${GLINT_WASM_RUSTC} --edition 2021 --target ${GLINT_RUST_WASM_TARGET} ${A_FLAGS} ${src} -o ${A_OUTPUT}
    DEPENDS ${src} ${A_DEPENDS}
    COMMENT "wasm32 (Rust): ${name}" VERBATIM)
  add_custom_target(${name} ALL DEPENDS ${A_OUTPUT})
endfunction()
