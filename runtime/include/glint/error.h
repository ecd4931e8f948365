// Errors and traps are values: every failure reaches the embedder as a glint::Error inside a
// glint::Result, never as a crash, abort or escaping exception.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace glint {

enum class TrapKind {
  Unreachable,               // "unreachable"
  MemoryOutOfBounds,         // "out of bounds memory access"
  TableOutOfBounds,          // "out of bounds table access"
  UndefinedElement,          // "undefined element" (call_indirect index past the table)
  UninitializedElement,      // "uninitialized element" (call_indirect through null)
  IndirectCallTypeMismatch,  // "indirect call type mismatch"
  IntegerDivideByZero,       // "integer divide by zero"
  IntegerOverflow,           // "integer overflow"
  InvalidConversion,         // "invalid conversion to integer"
  StackExhausted,            // "call stack exhausted"
  OutOfFuel,                 // "out of fuel"
  Interrupted,               // "interrupted"
  Host,                      // a host function failed; message says why
  Exit,                      // the guest asked to exit (WASI proc_exit); exit_code is set
  UncaughtException,         // "uncaught exception": a wasm throw no catch took; the message
                             // names the tag and its values, the backtrace where it was thrown
};
const char* to_string(TrapKind k);  // the spec's wording, as listed above

// One frame of a wasm backtrace, innermost first.
struct TraceFrame {
  std::string module;  // module name from the name section, or ""
  uint32_t func_index = 0;
  std::string func_name;     // from the name section, or "func[N]"
  uint32_t code_offset = 0;  // byte offset of the instruction in the module binary
  bool host = false;         // a host function
  // From the module's DWARF, where it has a line for the instruction (glint/source.h): the
  // source place; func_name is then the source function's. A wasm frame whose code was
  // inlined shows as several frames with the same code_offset, all but the last `inlined`.
  std::string file;
  uint32_t line = 0, column = 0;
  bool inlined = false;
};

struct Trap {
  TrapKind kind = TrapKind::Unreachable;
  std::string message;  // for Host traps, the host's words; otherwise to_string(kind)
  std::vector<TraceFrame> backtrace;
  int exit_code = 0;  // kind == Exit
  // "integer divide by zero in 'div' at offset 0x2a\n    at div (offset 0x2a)\n    at ...";
  // with DWARF: "... in 'div' at math.c:12:9 (offset 0x2a)\n    at div (math.c:12:9, offset 0x2a)"
  std::string to_string() const;
};

enum class ErrorKind {
  Malformed,    // the binary does not decode
  Invalid,      // it decodes but fails validation
  Link,         // instantiation could not resolve or match an import
  Trap,         // execution trapped (also during instantiation: segments, start function)
  Usage,        // the embedder asked for something that does not exist or does not fit
  Io,           // a file could not be read
  Snapshot,     // a snapshot or replay file is damaged, of another module, or of a newer format
  Limit,        // the module asks for more than a ResourceLimits allows; the message names it
  Unsupported,  // valid, but this host cannot run it (SIMD on a CPU without SSE4.1)
};
const char* to_string(ErrorKind k);

struct Error {
  Error() = default;
  Error(ErrorKind k, std::string msg, std::optional<size_t> off = std::nullopt)
      : kind(k), message(std::move(msg)), offset(off) {}

  ErrorKind kind = ErrorKind::Usage;
  std::string message;
  std::optional<size_t> offset;     // byte offset in the module, where one applies
  std::optional<glint::Trap> trap;  // kind == Trap
  std::string to_string() const;    // one readable line (plus backtrace for traps)
};

// Result<T> holds a T or an Error. Check with `if (r)` / `r.ok()`, then use `*r` or `r->`.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}
  bool ok() const { return !e_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

// Thrown by host functions (or by Memory's checked accessors they use) to trap the guest.
// The host-call boundary catches it; it never crosses into the embedder.
struct TrapError {
  std::string message;
  TrapKind kind = TrapKind::Host;
  int exit_code = 0;
};

}  // namespace glint
