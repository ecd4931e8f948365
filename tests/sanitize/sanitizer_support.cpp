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

}  // extern "C"
