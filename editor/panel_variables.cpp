// Source variables through DWARF (glint/source.h): the selected frame's parameters and locals as
// a tree (structs, arrays, pointers open as their fields, elements and pointee), and the
// module's globals, source ones and wasm ones. A value double-clicked can be written.
#include <imgui.h>

#include <cinttypes>

#include "editor.h"
#include "places.h"

namespace glint::editor {

namespace {

// The path find_variable() and set_variable() take for a child of `parent`.
std::string child_path(const std::string& parent, const glint::Variable& child) {
  if (child.name.empty()) return parent;
  if (child.name[0] == '[') return parent + child.name;  // an element
  if (child.name[0] == '*') return "*" + parent;         // a pointee
  if (parent.size() > 1 && parent[0] == '*') return parent.substr(1) + "->" + child.name;
  return parent + "." + child.name;  // a field
}

bool begin_table(const char* id) {
  if (!ImGui::BeginTable(id, 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV |
                             ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY))
    return false;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch, 0.35f);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 0.4f);
  ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthStretch, 0.25f);
  ImGui::TableHeadersRow();
  return true;
}

// One row, and its children's rows when open. `writable`: a stop is on and the path can be
// written through set_variable.
using ChildCache = std::map<std::string, std::vector<glint::Variable>>;

void variable_row(Editor& ed, const glint::Variable& v, const std::string& path, bool writable,
                  ChildCache& cache) {
  VariablesView& view = ed.variables;
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::PushID(path.c_str());
  ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanFullWidth;
  if (!v.num_children) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
  bool open = ImGui::TreeNodeEx("##node", flags, "%s", v.name.c_str());
  ImGui::TableNextColumn();
  if (view.editing == path) {
    ImGui::SetNextItemWidth(-1);
    ImGui::SetKeyboardFocusHere();
    if (ImGui::InputText("##edit", view.edit, sizeof view.edit,
                         ImGuiInputTextFlags_EnterReturnsTrue)) {
      auto r = ed.session.write_variable(path, view.edit);
      if (r)
        ed.console.info("set " + path + " = " + view.edit);
      else
        ed.console.error("cannot set " + path + ": " + r.error().message);
      view.editing.clear();
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) view.editing.clear();
  } else {
    if (!v.available)
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(v.value.c_str());
    if (!v.available) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
      if (v.address)
        ImGui::SetTooltip("%s at %s%s", path.c_str(), hex(*v.address).c_str(),
                          writable && v.available ? "; double-click to change it" : "");
      if (ImGui::IsMouseDoubleClicked(0) && writable && v.available && !v.num_children) {
        view.editing = path;
        std::snprintf(view.edit, sizeof view.edit, "%s", v.value.c_str());
      }
      if (ImGui::IsMouseClicked(1) && v.address) {  // right click: show it in memory
        ed.memory.address = *v.address & ~uint64_t(15);
        ed.memory.scroll = ed.memory.moved = true;
        ed.select_panel["Memory"] = true;
      }
    }
  }
  ImGui::TableNextColumn();
  ImGui::TextDisabled("%s", v.type.c_str());
  if (open && v.num_children) {
    auto it = cache.find(path);
    if (it == cache.end()) it = cache.emplace(path, glint::children(v)).first;
    for (const glint::Variable& child : it->second)
      variable_row(ed, child, child_path(path, child), writable, cache);
    if (v.num_children > it->second.size()) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextDisabled("... %zu more", v.num_children - it->second.size());
    }
    ImGui::TreePop();
  }
  ImGui::PopID();
}

}  // namespace

void draw_variables(Editor& ed) {
  VariablesView& view = ed.variables;
  const glint::DebugFrame* f = ed.session.frame();
  if (!f) {
    ImGui::TextDisabled("not stopped in the debugger");
    return;
  }
  if (f->source.empty()) {
    ImGui::TextWrapped("%s has no DWARF here: its wasm locals are in the Locals tab.",
                       f->func_name.c_str());
    return;
  }
  if (view.version != ed.session.view_version()) {
    view.version = ed.session.view_version();
    view.variables = glint::frame_variables(*f, ed.session.selected_depth());
    view.children.clear();
  }
  const glint::SourceLoc* where = ed.session.frame_source();
  ImGui::Text("%s (%s:%u)", where->function.c_str(), file_name(where->file).c_str(), where->line);
  if (view.variables.empty()) {
    ImGui::TextDisabled("no parameters or locals in scope here");
    return;
  }
  if (!begin_table("variables")) return;
  for (const glint::Variable& v : view.variables) variable_row(ed, v, v.name, true, view.children);
  ImGui::EndTable();
}

void draw_globals(Editor& ed) {
  VariablesView& view = ed.variables;
  std::string& module = view.globals_module;
  if (const auto* stop = ed.session.stop(); stop && module.empty()) module = stop->module->name;
  if (module.empty() && !ed.session.modules().empty()) module = ed.session.modules().front().name;
  ImGui::SetNextItemWidth(140);
  if (ImGui::BeginCombo("##module", module.c_str())) {
    for (const ModuleInfo& m : ed.session.modules())
      if (ImGui::Selectable(m.name.c_str(), m.name == module)) {
        module = m.name;
        view.globals_version = UINT64_MAX;
      }
    ImGui::EndCombo();
  }
  host::GuestModule* m = ed.module(module);
  if (!m || !m->instance) {
    ImGui::TextDisabled(m ? "not instantiated" : "(the game is running a frame)");
    return;
  }
  const glint::Instance& inst = *m->instance;
  // Read again at each game frame and each change of the stop.
  uint64_t version = ed.session.view_version() * 31 + ed.session.game_frame();
  if (view.globals_version != version) {
    view.globals_version = version;
    view.globals = glint::global_variables(inst);
    view.global_children.clear();
  }
  bool stopped = ed.session.stopped_module() == m;
  if (!view.globals.empty() &&
      ImGui::CollapsingHeader("source globals (DWARF)", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::BeginChild("##source_globals", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.6f));
    if (begin_table("globals_src")) {
      for (const glint::Variable& v : view.globals)
        variable_row(ed, v, v.name, stopped, view.global_children);
      ImGui::EndTable();
    }
    ImGui::EndChild();
  }
  if (!ImGui::CollapsingHeader("wasm globals", ImGuiTreeNodeFlags_DefaultOpen)) return;
  // Wasm has no names for globals but their exports.
  std::map<uint32_t, std::string> names;
  for (const auto& [name, e] : inst.exports_)
    for (uint32_t i = 0; i < inst.globals_.size(); ++i)
      if (e.kind == glint::ExternKind::Global && e.global() == inst.globals_[i]) names[i] = name;
  if (!ImGui::BeginTable("globals", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersV)) return;
  for (uint32_t i = 0; i < inst.globals_.size(); ++i) {
    glint::Value v = inst.globals_[i]->get();
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%u %s", i, names.count(i) ? names[i].c_str() : "");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(format_value(v).c_str());
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s%s", glint::to_string(v.type),
                        inst.globals_[i]->type().mut ? " mut" : "");
  }
  ImGui::EndTable();
}

}  // namespace glint::editor
