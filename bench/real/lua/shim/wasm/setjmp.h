// wasm32-wasi has no setjmp/longjmp (no way to unwind the wasm stack from C). Lua's ldo.c
// includes this header and, with LUAI_THROW, LUAI_TRY and luai_jmpbuf defined on the command
// line (CMakeLists.txt), needs only the type: an error aborts instead of unwinding.
#pragma once
typedef int jmp_buf[1];
