// The translator's exception handling: try, catch, catch_all, delegate, throw and rethrow (the
// legacy exception-handling proposal, which the pinned spec suite tests).
//
// A `try` is a block whose body's code range is recorded as its handler's (set_handler); its
// catches are labels the unwinder jumps to (execute/exceptions.cpp), with the exception's
// values put in the home slots of the try's stack height, where the catch's code expects them.
// What the translator knows about the frame must hold there whichever instruction threw:
// - entries below the try are not lazy on locals (enter_block materializes them), so a write
//   of a local in the body cannot change them;
// - deferred additions to locals are emitted before every call and throw (keeps_deferred), so
//   the locals' slots hold their values at any instruction that can throw;
// - a loop containing a try, throw or rethrow never takes the loop register
//   (may_take_register), and handlers' boundaries are labels, so nothing fuses across them.
#include "compile/func_compiler.h"

namespace glint::detail {

// From the next instruction on, handler h is current.
void FuncCompiler::set_handler(uint32_t h) {
  if (h == current_handler_) return;
  current_handler_ = h;
  auto& ranges = fn_->handler_ranges;
  uint32_t at = uint32_t(here());
  if (!ranges.empty() && ranges.back().code_index == at)
    ranges.back().handler = h;
  else
    ranges.push_back({at, h});
  label_here();
}

void FuncCompiler::enter_try(const BlockType& bt) {
  enter_block(Op::Try, bt);
  Control& c = ctrl_.back();
  ExceptionHandler h;
  h.parent = current_handler_;
  h.level = catch_depth_;
  c.handler = uint32_t(fn_->handlers.size());
  fn_->handlers.push_back(std::move(h));
  c.handler_outside = current_handler_;
  c.handler_inside = c.handler;
  set_handler(c.handler);
}

// `catch tag` (or catch_all, tag == kCatchAll): the end of the body (or of the catch before)
// jumps to the end of the try; the exception's values arrive in the home slots from the try's
// height up.
void FuncCompiler::catch_arm(uint32_t tag) {
  Control& c = ctrl_.back();
  if (!c.unreachable) {
    materialize_top(c.results);
    op(IOp::Br);
    label_cell(c);
  }
  if (c.op == Op::Try) {  // the body ends: its handler is no longer current
    set_handler(c.handler_outside);
    c.handler_inside = c.handler_outside;
    catch_depth_++;
  }
  label_here();
  c.op = tag == kCatchAll ? Op::CatchAll : Op::Catch;
  c.unreachable = false;
  stack_.truncate(c.height);
  ExceptionHandler& h = fn_->handlers[c.handler];
  h.payload_slot = next_home();
  h.clauses.push_back({tag, uint32_t(here())});
  if (tag != kCatchAll)
    for (size_t i = 0; i < m_.types[m_.tag_space[tag]].params.size(); i++) push_stack();
}

// The end of a try (before end_block binds its label).
void FuncCompiler::end_try(Control& c) {
  if (c.op == Op::Try) {  // without catches: exceptions pass through to the parent
    set_handler(c.handler_outside);
  } else {
    catch_depth_--;
  }
}

// `delegate l`: the body's exceptions go to the handler current inside label l (counted from
// outside the try), skipping any try between.
void FuncCompiler::delegate(uint32_t depth) {
  fn_->handlers[ctrl_.back().handler].parent = ctrl_[ctrl_.size() - 2 - depth].handler_inside;
  end_block();
}

// Throw S(first) I(tag) I(slots): the tag's values are the top entries, put in their home slots.
void FuncCompiler::throw_exception(uint32_t tag) {
  uint32_t n = uint32_t(m_.types[m_.tag_space[tag]].params.size());
  materialize_top(n);
  uint32_t first = n ? home(height() - n) : 0;
  uint32_t slots = n ? home(height() - 1) + (stack_.back().wide ? 2 : 1) - first : 0;
  op(IOp::Throw);
  cell(tag);
  slot(first);
  cell(slots);
  last_ = LastOp{};
  mark_unreachable();
}

// Rethrow I(level): the exception the catch at that nesting level took.
void FuncCompiler::rethrow(uint32_t depth) {
  op(IOp::Rethrow);
  cell(fn_->handlers[ctrl_[ctrl_.size() - 1 - depth].handler].level);
  last_ = LastOp{};
  mark_unreachable();
}

}  // namespace glint::detail
