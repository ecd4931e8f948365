// Exception handling at run time: finding the catch for a thrown exception, and the caught
// exceptions `rethrow` names. The interpreter's Throw and Rethrow handlers call these; nothing
// here is on any other instruction's path.
//
// The search walks the frame array from the throwing frame outwards. In each frame, the
// handler current at its position (CompiledFunc::handler_ranges) and then its parents are
// tried, each clause in order; a catch of the same Tag object (or catch_all) takes it. The
// search stops at the nearest entry from the host: an exception does not cross a host
// function. A host function that called wasm gets the uncaught exception as an error (a trap
// of kind UncaughtException) and decides what to do; if it fails in turn, its wasm caller
// traps (kind Host), which no catch takes.
#include <algorithm>
#include <utility>

#include "execute/vm.h"

namespace glint::detail {

uint32_t CompiledFunc::handler_at(const Cell* pc) const {
  uint32_t index = uint32_t(pc - code.data());
  auto it = std::upper_bound(handler_ranges.begin(), handler_ranges.end(), index,
                             [](uint32_t i, const HandlerRange& r) { return i < r.code_index; });
  return it == handler_ranges.begin() ? kNoHandler : std::prev(it)->handler;
}

namespace {

// "tag e0 (i32:10, f32:5)": the uncaught exception's tag and values, for its trap message.
std::string describe(const Exception& e) {
  if (!e.tag) return "uncaught exception";
  std::string s = "uncaught exception: tag " + e.tag->name();
  const std::vector<ValType>& types = e.tag->type().params;
  if (types.empty()) return s;
  s += " (";
  size_t slot = 0;
  for (size_t i = 0; i < types.size() && slot < e.values.size(); i++) {
    Value v{types[i], e.values[slot++]};
    if (types[i] == ValType::V128 && slot < e.values.size()) v.hi = e.values[slot++];
    s += (i ? ", " : "") + std::string(to_string(types[i])) + ":" + v.to_string();
  }
  return s + ")";
}

}  // namespace

const Cell* find_handler(Vm& vm, const Cell* pc) {
  const Exception& thrown = vm.thrown;
  for (Frame* f = vm.frame; f->func; --f) {
    const CompiledFunc& code = *f->func;
    if (code.handlers.empty()) continue;
    // A caller is at its call: the cell before where it resumes belongs to that instruction.
    const Cell* at = f == vm.frame ? pc : (f + 1)->ret_pc - 1;
    for (uint32_t h = code.handler_at(at); h != kNoHandler; h = code.handlers[h].parent) {
      const ExceptionHandler& handler = code.handlers[h];
      for (const CatchClause& c : handler.clauses) {
        bool all = c.tag == kCatchAll;
        if (!all && f->inst->tags_[c.tag] != thrown.tag) continue;
        if (!all)
          std::copy(thrown.values.begin(), thrown.values.end(), f->fp + handler.payload_slot);
        auto frame = uint32_t(f - vm.frames.get());
        auto& caught = vm.caught;
        while (!caught.empty() &&
               (caught.back().frame > frame ||
                (caught.back().frame == frame && caught.back().level >= handler.level)))
          caught.pop_back();
        caught.push_back({frame, handler.level, thrown});
        vm.frame = f;
        return code.code.data() + c.target;
      }
    }
  }
  vm.trap_message = describe(thrown);
  return nullptr;
}

// Rethrow: the exception the catch at `level` of `frame` took.
static Exception caught_at(const Vm& vm, const Frame* frame, uint32_t level) {
  auto index = uint32_t(frame - vm.frames.get());
  for (auto it = vm.caught.rbegin(); it != vm.caught.rend(); ++it)
    if (it->frame == index && it->level == level) return it->exception;
  return {};  // not reached: validation puts every rethrow inside its catch
}

// Throw I(tag) S(first) I(slots), Rethrow I(level) (execute/iops.def).
const Cell* throw_exception(Vm& vm, const Cell* pc) {
  const Frame& f = *vm.frame;
  if (std::exchange(vm.throwing, 0) == 1) {
    vm.thrown.tag = f.inst->tags_[pc[1].u];
    const uint64_t* values = f.fp + pc[2].i;
    vm.thrown.values.assign(values, values + pc[3].u);
  } else {
    vm.thrown = caught_at(vm, vm.frame, uint32_t(pc[1].u));
  }
  return find_handler(vm, pc);
}

void drop_caught(Vm& vm, const Frame* entry) {
  auto index = uint32_t(entry - vm.frames.get());
  while (!vm.caught.empty() && vm.caught.back().frame >= index) vm.caught.pop_back();
}

}  // namespace glint::detail
