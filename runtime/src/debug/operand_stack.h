// The wasm operand stack of a frame at a debug stop (debug/operand_stack.cpp).
#pragma once
#include "execute/vm.h"
#include "glint/debug.h"

namespace glint::detail {

// Fills df.stack (and df.has_stack) for frame f stopped at `at`: the first cell of the
// instruction about to run, or for a caller, a cell of the call it is in.
void frame_operand_stack(const Frame& f, const Cell* at, bool caller, DebugFrame& df);

}  // namespace glint::detail
