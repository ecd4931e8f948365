// Hot reload's state transfer: the state of an instance of one build of a module, carried
// over to a fresh instance of a new build (instantiated, nothing of it run yet), so the game
// goes on where it was with the new code.
//
//   auto fresh = linker.instantiate(new_store, new_module);
//   auto t = glint::transfer_state(*old_instance, **fresh);
//   if (t && t->kept) ... call on_reload in the new instance, drop the old one
//   else ... t->changes says why not (what moved in the data layout)
//
// What carries over (runtime/SNAPSHOTS.md, "Hot reload"):
// - memory: all of it (heap, statics), except bytes of the data segments the old instance never
//   wrote since it started: those are the new build's (string literals, constant tables, and
//   the initial values of variables the game had not changed yet);
// - mutable globals the same way (the stack pointer, unchanged between frames, is the new
//   build's);
// - tables: function references by function name, so a function pointer stored before the
//   reload calls the new build's function of that name.
// It is kept only where the data layout did not move: the same data segments at the same
// places, the same globals, each table slot holding the function of the same name. Otherwise
// `changes` says what moved, and nothing is kept.
#pragma once
#include <string>
#include <vector>

#include "glint/error.h"

namespace glint {

class Instance;

struct StateTransfer {
  bool kept = false;
  std::vector<std::string> changes;  // !kept: what moved ("data segment 2 moved: ...")
  std::vector<std::string> notes;    // kept: what was done ("rodata: 112 bytes from the new build")
};

// Writes `to`'s memories, globals and tables. On an error, or when !kept, `to` may be partly
// written: it is meant to be thrown away then.
Result<StateTransfer> transfer_state(const Instance& from, Instance& to);

}  // namespace glint
