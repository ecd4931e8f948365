// What a stop shows: the call stack, the wasm locals and operand stack of the selected frame,
// the globals; and the breakpoints list.
#include <imgui.h>

#include <cinttypes>
#include <string>

#include "editor.h"
#include "places.h"

namespace glint::editor {

namespace {

bool begin_table(const char* id, int columns) {
  return ImGui::BeginTable(id, columns,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                               ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY);
}

void headers(std::initializer_list<const char*> names) {
  ImGui::TableSetupScrollFreeze(0, 1);
  for (const char* n : names) ImGui::TableSetupColumn(n);
  ImGui::TableHeadersRow();
}

bool not_stopped(Editor& ed) {
  if (ed.session.stop()) return false;
  ImGui::TextDisabled("%s", ed.session.state() == RunState::Running
                                ? "running (F6 pauses, F9 sets a breakpoint)"
                                : "not stopped in the debugger");
  return true;
}

}  // namespace

void draw_call_stack(Editor& ed) {
  if (not_stopped(ed)) return;
  const auto* stop = ed.session.stop();
  const std::string& module = stop->module->name;
  if (!begin_table("stack", 3)) return;
  headers({"#", "function", "where"});
  for (size_t i = 0; i < stop->stop.frames.size(); ++i) {
    const glint::DebugFrame& f = stop->stop.frames[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(int(i));
    std::string label = std::to_string(i);
    if (ImGui::Selectable(label.c_str(), ed.session.selected_frame() == i,
                          ImGuiSelectableFlags_SpanAllColumns)) {
      ed.session.select_frame(i);
      ed.follow_stop();
    }
    ImGui::PopID();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.func_name.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s %s", module.c_str(), hex(f.code_offset).c_str());
  }
  ImGui::EndTable();
}

void draw_locals(Editor& ed) {
  if (not_stopped(ed)) return;
  const glint::DebugFrame* f = ed.session.frame();
  if (!f) return;
  const glint::Module& module = ed.session.stopped_module()->module ? *ed.session.stopped_module()->module
                                                                    : f->instance->module();
  ImGui::Text("%s: %zu locals (parameters first)", f->func_name.c_str(), f->locals.size());
  if (!begin_table("locals", 4)) return;
  headers({"#", "name", "type", "value"});
  for (size_t i = 0; i < f->locals.size(); ++i) {
    const glint::Value& v = f->locals[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("$%zu", i);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(module.local_name(f->func_index, uint32_t(i)).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(glint::to_string(v.type));
    ImGui::TableNextColumn();
    bool dead = i < f->dead.size() && f->dead[i];
    if (dead) {
      ImGui::TextDisabled("%s (dead)", format_value(v).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("the code overwrites this local before reading it again");
    } else {
      ImGui::TextUnformatted(format_value(v).c_str());
    }
  }
  ImGui::EndTable();
}

void draw_operand_stack(Editor& ed) {
  if (not_stopped(ed)) return;
  const glint::DebugFrame* f = ed.session.frame();
  if (!f) return;
  if (!f->has_stack) {
    ImGui::TextWrapped(
        "The operand stack cannot be shown at this stop (a value on it was never computed on "
        "its own, or this is the second stop inside one wasm instruction).");
    return;
  }
  if (f->stack.empty()) {
    ImGui::TextDisabled("empty");
    return;
  }
  if (!begin_table("operands", 3)) return;
  headers({"depth", "type", "value"});
  for (size_t i = f->stack.size(); i-- > 0;) {  // top first
    const glint::Value& v = f->stack[i];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%zu%s", f->stack.size() - 1 - i, i + 1 == f->stack.size() ? " (top)" : "");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(glint::to_string(v.type));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(v).c_str());
  }
  ImGui::EndTable();
}

void draw_globals(Editor& ed) {
  static std::string module;
  if (const auto* stop = ed.session.stop(); stop && module.empty()) module = stop->module->name;
  if (module.empty() && !ed.session.modules().empty()) module = ed.session.modules().front().name;
  ImGui::SetNextItemWidth(140);
  if (ImGui::BeginCombo("##module", module.c_str())) {
    for (const ModuleInfo& m : ed.session.modules())
      if (ImGui::Selectable(m.name.c_str(), m.name == module)) module = m.name;
    ImGui::EndCombo();
  }
  host::GuestModule* m = ed.module(module);
  if (!m || !m->instance) {
    ImGui::TextDisabled(m ? "not instantiated" : "(the game is running a frame)");
    return;
  }
  const glint::Instance& inst = *m->instance;
  // Names from the exports (wasm has no global names otherwise).
  std::map<uint32_t, std::string> names;
  for (const auto& [name, e] : inst.exports_)
    for (uint32_t i = 0; i < inst.globals_.size(); ++i)
      if (e.kind == glint::ExternKind::Global && e.global() == inst.globals_[i]) names[i] = name;
  if (!begin_table("globals", 4)) return;
  headers({"#", "name", "type", "value"});
  for (uint32_t i = 0; i < inst.globals_.size(); ++i) {
    glint::Value v = inst.globals_[i]->get();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%u", i);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(names.count(i) ? names[i].c_str() : "");
    ImGui::TableNextColumn();
    ImGui::Text("%s%s", glint::to_string(v.type), inst.globals_[i]->type().mut ? " mut" : "");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(v).c_str());
  }
  ImGui::EndTable();
}

void draw_breakpoints(Editor& ed) {
  static char where[256] = "";
  ImGui::SetNextItemWidth(-70);
  bool add = ImGui::InputTextWithHint("##where", "FILE:LINE, function or 0xOFFSET", where,
                                      sizeof where, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  add |= ImGui::Button("add");
  if (add && where[0]) {
    const Breakpoint& bp = ed.session.add_breakpoint("", where);
    if (!bp.error.empty()) ed.console.error("breakpoint " + std::string(where) + ": " + bp.error);
    where[0] = '\0';
  }
  std::vector<Breakpoint> list = ed.session.breakpoints();
  if (list.empty()) {
    ImGui::TextDisabled("no breakpoints (F9 in the code views, or add one above)");
    return;
  }
  if (!begin_table("breakpoints", 5)) return;
  headers({"on", "#", "where", "stops at", ""});
  for (const Breakpoint& bp : list) {
    ImGui::PushID(bp.number);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    bool on = bp.enabled;
    if (ImGui::Checkbox("##on", &on)) ed.session.enable_breakpoint(bp.number, on);
    ImGui::TableNextColumn();
    ImGui::Text("%d", bp.number);
    ImGui::TableNextColumn();
    if (ImGui::Selectable((bp.module + " " + bp.where).c_str()) && !bp.offsets.empty())
      ed.show_offset(bp.module, bp.offsets.front());
    ImGui::TableNextColumn();
    if (!bp.error.empty()) {
      ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", bp.error.c_str());
    } else {
      std::string at;
      for (uint32_t off : bp.offsets) at += (at.empty() ? "" : ", ") + hex(off);
      ImGui::TextUnformatted(at.c_str());
    }
    ImGui::TableNextColumn();
    if (ImGui::SmallButton("delete")) ed.session.remove_breakpoint(bp.number);
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace glint::editor
