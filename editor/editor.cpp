// Navigation between the views (editor.h).
#include "editor.h"

namespace glint::editor {

void Editor::forget_code() {
  code_generation = session.code_generation();
  code.files_module.clear();
  code.code_lines_file.clear();
  code.disasm_module.clear();
  variables.globals_version = UINT64_MAX;
  sources.forget();
}

void Editor::show_place(const CodePlace& place) {
  if (!place.file.empty())
    show_source(place.module, place.file, place.line);
  else
    show_offset(place.module, place.code_offset);
}

void Editor::show_offset(const std::string& module, uint32_t offset, bool bring_to_front) {
  code.module = module;
  code.offset = offset;
  code.scroll_to_offset = true;
  const ModuleInfo* info = session.module_info(module);
  if (info && info->module) {
    if (auto f = glint::function_at(*info->module, offset)) {
      code.func_index = f->func_index;
      code.has_func = true;
    }
  }
  if (bring_to_front) select_panel["Disassembly"] = true;
}

void Editor::show_source(const std::string& module, const std::string& file, uint32_t line) {
  code.module = module;
  code.file = file;
  code.line = line;
  code.scroll_to_line = true;
  select_panel["Source"] = true;
  select_panel["Disassembly"] = false;
}

void Editor::follow_stop() {
  const auto* stop = session.stop();
  const glint::DebugFrame* frame = session.frame();
  if (!stop || !frame) return;
  shown_stop = stop->serial;
  memory.module = stop->module->name;
  // The source if the frame has a line, else the disassembly, which follows in any case; its
  // variables, else its wasm locals.
  const glint::SourceLoc* s = session.frame_source();
  bool lines = s && s->line;
  show_offset(stop->module->name, frame->code_offset, !lines);
  if (lines) show_source(stop->module->name, s->file, s->line);
  select_panel[frame->source.empty() ? "Locals" : "Variables"] = true;
  // The memory view starts at the stack (global 0, the stack pointer of C and Rust modules)
  // until the user goes somewhere.
  if (!memory.moved && frame->instance && !frame->instance->globals_.empty()) {
    glint::Value sp = frame->instance->globals_[0]->get();
    if (sp.type == glint::ValType::I32) {
      memory.address = uint32_t(sp.bits) & ~15u;
      memory.scroll = true;
    }
  }
}

host::GuestModule* Editor::module(const std::string& name) {
  host::Game* game = session.game_if_quiet();
  if (!game) return nullptr;
  for (const auto& m : game->modules())
    if (m->name == name) return m.get();
  return nullptr;
}

}  // namespace glint::editor
