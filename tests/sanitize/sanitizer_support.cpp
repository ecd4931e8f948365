// Linked into every program of the sanitizer build (GLINT_SANITIZE, see the top CMakeLists.txt).
//
// LeakSanitizer checks for leaks when the program exits, after SDL has unloaded the system
// libraries it opened with dlopen (X11, the GL driver): their leaks then show as
// "<unknown module>" and cannot be told apart from anything else. So here libraries are never
// unloaded, and a leak whose allocation passes through a library outside Glint that is known
// to leak is suppressed by that library's name. Glint's own leaks keep failing their tests.

extern "C" {

// SDL (and anything else) calls this instead of the C library's: the library stays mapped.
int dlclose(void*) { return 0; }

const char* __lsan_default_suppressions() {
  // SDL 2.26 opens a D-Bus session connection and never closes it. Add a line per library
  // outside Glint that leaks, never one of Glint's own.
  return "leak:libdbus-1.so\n";
}

// ASan follows __tls_get_addr to learn each thread's dynamic TLS blocks, which LeakSanitizer
// then scans. In the editor (GL through Mesa, whose driver swrast_dri.so reaches its TLS through
// TLS descriptors, the likely cause: their resolver is not a plain __tls_get_addr call) it
// sometimes records a block at a bogus place, and the leak check at exit faults inside
// LeakSanitizer itself: "DTLS 14 at 0x000000001560-0x001800002662" for the main thread, then
// "Tracer caught signal 11: addr=0x1560" in ScanRangeForPointers and "LeakSanitizer has encountered
// a fatal error" (editor_rewind_same_game, 3 of 10 runs). In the runs that pass it records no
// dynamic TLS block at all, so not following __tls_get_addr loses nothing: Glint's own thread-local
// data is static TLS (the runtime is linked into each program), which is still scanned.
const char* __asan_default_options() { return "intercept_tls_get_addr=0"; }

}  // extern "C"
