// Validation and translation of a whole module, on one or two threads (see
// compile/func_compiler.h for the translator itself).
#include "compile/compiler.h"

#include <sched.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "compile/func_compiler.h"
#include "compile/helper_thread.h"
#include "decode/instr.h"
#include "validate/validator.h"

namespace glint::detail {
namespace {

// Below this much code, starting a thread costs more than it saves (about 1.5 ms of work).
constexpr size_t kParallelCodeBytes = 64 * 1024;
// Bodies are handed out in chunks of at most this many and about this much code: small enough
// that a thread that starts late (waking a core can take a millisecond or two on these VMs)
// still gets its share. A body larger than kChunkBytes is a chunk of its own: a module's one
// huge body (clang -O1 inlines static functions called once: 63% of large.wasm's code is one
// body) is the critical path, and the small bodies around it belong to the other thread (with
// them in its chunk, large.wasm loaded in 2.27-2.37 ms, median of 16 alternating runs at
// real-time priority, standing in for a quiet machine; alone, 2.09-2.13).
constexpr uint32_t kChunkBodies = 16;
constexpr size_t kChunkBytes = 4096;

// Chunk c is bodies [starts[c], starts[c + 1]).
std::vector<uint32_t> chunk_starts(const ModuleDesc& m) {
  std::vector<uint32_t> starts{0};
  uint32_t n = uint32_t(m.bodies.size()), count = 0;
  size_t bytes = 0;
  for (uint32_t i = 0; i < n; i++) {
    size_t size = m.bodies[i].code_end - m.bodies[i].code_begin;
    if (count > 0 && (count == kChunkBodies || bytes + size > kChunkBytes)) {
      starts.push_back(i);
      count = 0;
      bytes = 0;
    }
    count++;
    bytes += size;
  }
  starts.push_back(n);
  return starts;
}

// Cores this process may run on: hardware_concurrency() counts the machine's, but under
// `taskset` or a container's CPU set a second thread would only share the one core.
unsigned usable_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return unsigned(CPU_COUNT(&set));
  return std::thread::hardware_concurrency();
}

bool worth_a_thread(const ModuleDesc& m) {
  if (m.bodies.size() < 2 * kChunkBodies || usable_cores() < 2) return false;
  size_t total = 0;
  for (const FuncBody& b : m.bodies) total += b.code_end - b.code_begin;
  return total >= kParallelCodeBytes;
}

// Validates and translates the chunks taken in increasing order from `next` until none
// are left or one fails. Chunks are claimed in order and each is finished unless it fails, so
// the failed chunk with the lowest start holds the error one thread going in order would meet.
struct ChunkWorker {
  const ModuleValidation& validation;
  std::atomic<uint32_t>& next;
  const std::vector<uint32_t>& starts;
  FuncCompiler compiler;
  uint32_t chunk = UINT32_MAX;  // the chunk being worked on: the failed one after an error
  std::exception_ptr error;

  void run() {
    auto claim = [this](uint32_t& first, uint32_t& last) {
      uint32_t c = next.fetch_add(1);
      if (c + 1 >= starts.size()) return false;
      chunk = c;
      first = starts[c];
      last = starts[c + 1];
      return true;
    };
    try {
      validation.bodies(claim, &compiler);
      chunk = UINT32_MAX;
    } catch (...) {
      error = std::current_exception();
    }
  }
};

}  // namespace

// Bodies are independent once the module-level rules hold, so a large module is validated and
// translated by two threads (this one and the helper thread), each with its own translator,
// writing disjoint CompiledFuncs. A small one goes through the same chunks on this thread.
std::unique_ptr<CompiledModule> validate_and_compile(const ModuleDesc& m) {
  auto cm = std::make_unique<CompiledModule>();
  for (const FuncType& t : m.types) cm->type_ids.push_back(intern_func_type(t));
  cm->funcs.resize(m.bodies.size());  // sized first: calls point at their callee's entry
  ModuleValidation validation(m);
  std::vector<uint32_t> starts = chunk_starts(m);
  std::atomic<uint32_t> next{0};
  ChunkWorker main_worker{validation, next, starts, FuncCompiler(m, *cm), UINT32_MAX, nullptr};
  ChunkWorker helper_worker{validation, next, starts, FuncCompiler(m, *cm), UINT32_MAX, nullptr};
  bool shared = worth_a_thread(m) && helper_thread_try_start([&] { helper_worker.run(); });
  main_worker.run();
  if (shared) helper_thread_wait();
  const ChunkWorker& first_failure =
      main_worker.chunk < helper_worker.chunk ? main_worker : helper_worker;
  if (first_failure.error) std::rethrow_exception(first_failure.error);
  return cm;
}

uint32_t CompiledFunc::wasm_offset_at(const Cell* pc) const {
  if (offsets.empty()) return 0;
  uint32_t index = uint32_t(pc - code.data());
  auto it = std::upper_bound(offsets.begin(), offsets.end(), index,
                             [](uint32_t i, const OffsetEntry& e) { return i < e.code_index; });
  if (it == offsets.begin()) return offsets.front().wasm_offset;
  return std::prev(it)->wasm_offset;
}

uint32_t CompiledFunc::later_access_offset(const Cell* pc, uint32_t k) const {
  uint32_t index = uint32_t(pc - code.data());
  auto it = std::lower_bound(later_accesses.begin(), later_accesses.end(), index,
                             [](const OffsetEntry& e, uint32_t i) { return e.code_index < i; });
  it += std::min<ptrdiff_t>(k - 1, later_accesses.end() - it);
  return it != later_accesses.end() && it->code_index == index ? it->wasm_offset
                                                               : wasm_offset_at(pc);
}

const LocalLag* CompiledFunc::lag_at(uint32_t i, const Cell* pc) const {
  uint32_t index = uint32_t(pc - code.data());
  for (const LocalLag& l : local_lags)
    if (l.local == i && index >= l.code_begin && index < l.code_end) return &l;
  return nullptr;
}

}  // namespace glint::detail
