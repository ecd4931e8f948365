// The Lua workload: Lua 5.4 (Debian's lua5.4 sources, unchanged) running bench.lua, which the
// build embeds as bytes (bench_lua.h). The size argument is the script's number of rounds.
//
// Lua raises errors with longjmp, which wasm32-wasi has no way to do: the wasm build compiles
// Lua with LUAI_THROW as abort() (see CMakeLists.txt and wasm_shim/setjmp.h). The script raises
// no errors and uses no coroutines (coroutine.yield throws too), so it runs the same either way.
#include "../../c/bench.h"
#include "bench_lua.h"
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

static uint64_t run(int rounds) {
  lua_State* L = luaL_newstate();
  // Only what the script uses: no io, os or package (nothing touches files or the OS).
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_settop(L, 0);
  if (luaL_loadbuffer(L, (const char*)bench_lua, sizeof bench_lua, "bench.lua") != LUA_OK) {
    fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    exit(1);
  }
  lua_pushinteger(L, rounds);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
    exit(1);
  }
  uint64_t checksum = bench_mix(0, (uint64_t)lua_tointeger(L, -1));
  lua_close(L);
  return checksum;
}

BENCH_MAIN(run, 30, 1)
