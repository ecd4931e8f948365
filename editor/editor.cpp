// Navigation between the views (editor.h).
#include "editor.h"

namespace glint::editor {

void Editor::show_place(const CodePlace& place) {
  if (!place.file.empty())
    show_source(place.module, place.file, place.line);
  else
    show_offset(place.module, place.code_offset);
}

void Editor::show_offset(const std::string& module, uint32_t offset) {
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
  select_panel["Disassembly"] = true;
}

void Editor::show_source(const std::string& module, const std::string& file, uint32_t line) {
  code.module = module;
  code.file = file;
  code.line = line;
  code.scroll_to_line = true;
  select_panel["Source"] = true;
}

void Editor::follow_stop() {
  const auto* stop = session.stop();
  const glint::DebugFrame* frame = session.frame();
  if (!stop || !frame) return;
  shown_stop = stop->serial;
  memory.module = stop->module->name;
  show_offset(stop->module->name, frame->code_offset);
}

host::GuestModule* Editor::module(const std::string& name) {
  host::Game* game = session.game_if_quiet();
  if (!game) return nullptr;
  for (const auto& m : game->modules())
    if (m->name == name) return m.get();
  return nullptr;
}

}  // namespace glint::editor
