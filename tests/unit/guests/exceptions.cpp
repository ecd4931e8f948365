// A C++ test program for stepping over calls that throw (test_source.cpp). Built with
// -fwasm-exceptions, which compiles try/catch to the legacy try/catch instructions, and without
// a C++ runtime: the two functions a catch calls are stand-ins here, and the throw is
// __builtin_wasm_throw with C++'s tag (0), as __cxa_throw would do.
extern "C" {
void* __cxa_begin_catch(void* exception) { return exception; }
void __cxa_end_catch() {}
}

static int thrown;

__attribute__((noinline)) void thrower(int x) {
  thrown = x;                                   // @thrower
  if (x > 0) __builtin_wasm_throw(0, &thrown);  // @throw
}

__attribute__((noinline)) int catcher(int x) {
  int r = 0;
  try {
    thrower(x);    // @call_throws
    r = 1;         // @after_call
  } catch (...) {  // @catch
    r = 2;         // @in_catch
  }
  return r + 10;  // @after_try
}

extern "C" __attribute__((export_name("run"))) int run(int x) { return catcher(x); }
