// The code views: the source view (with its breakpoint gutter and file picker) and the
// disassembly of functions (wasm instructions with their offsets), for code without DWARF.
#include <imgui.h>

#include <algorithm>
#include <set>

#include "editor.h"
#include "places.h"

namespace glint::editor {

namespace {

constexpr ImU32 kBreakpointColor = IM_COL32(230, 60, 60, 255);
constexpr ImU32 kCurrentColor = IM_COL32(255, 210, 60, 255);   // where the code stopped
constexpr ImU32 kFrameColor = IM_COL32(90, 200, 120, 255);      // the selected caller frame
constexpr ImU32 kCurrentRowBg = IM_COL32(255, 210, 60, 40);
constexpr ImU32 kFrameRowBg = IM_COL32(90, 200, 120, 40);

// Picks the module whose code is shown; true if it changed.
bool module_picker(Editor& ed, std::string& module) {
  const auto& modules = ed.session.modules();
  if (module.empty() && !modules.empty()) module = modules.front().name;
  bool changed = false;
  ImGui::SetNextItemWidth(140);
  if (ImGui::BeginCombo("##module", module.empty() ? "(no module)" : module.c_str())) {
    for (const ModuleInfo& m : modules) {
      if (ImGui::Selectable(m.name.c_str(), m.name == module)) {
        changed = m.name != module;
        module = m.name;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

// The gutter mark of a row: a breakpoint dot, the stop's arrow, the selected frame's arrow.
void gutter(ImDrawList* draw, ImVec2 at, float h, bool breakpoint, bool current, bool frame) {
  float r = h * 0.32f;
  ImVec2 c(at.x + h * 0.5f, at.y + h * 0.5f);
  if (breakpoint) draw->AddCircleFilled(c, r, kBreakpointColor);
  if (current || frame) {
    ImU32 color = current ? kCurrentColor : kFrameColor;
    draw->AddTriangleFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y), ImVec2(c.x - r, c.y + r),
                            color);
  }
}

// Offsets of the module's breakpoints that are set.
std::set<uint32_t> breakpoint_offsets(Editor& ed, const std::string& module) {
  std::set<uint32_t> out;
  for (const Breakpoint& bp : ed.session.breakpoints())
    if (bp.module == module && bp.enabled) out.insert(bp.offsets.begin(), bp.offsets.end());
  return out;
}

}  // namespace

void draw_source(Editor& ed) {
  module_picker(ed, ed.code.module);
  ImGui::TextWrapped(
      "The source view shows C and Rust source from the module's DWARF; until the runtime "
      "reads DWARF, use the disassembly.");
}

void draw_disassembly(Editor& ed) {
  CodeView& v = ed.code;
  if (module_picker(ed, v.module)) v.has_func = false;
  const ModuleInfo* info = ed.session.module_info(v.module);
  if (!info || !info->module) {
    ImGui::TextDisabled("no code loaded");
    return;
  }
  const glint::Module& module = *info->module;
  std::vector<glint::FunctionCode> functions = glint::defined_functions(module);
  if (functions.empty()) {
    ImGui::TextDisabled("the module defines no functions");
    return;
  }
  if (!v.has_func) {
    v.func_index = functions.front().func_index;
    v.has_func = true;
  }
  auto current = std::find_if(functions.begin(), functions.end(),
                              [&](const glint::FunctionCode& f) { return f.func_index == v.func_index; });
  if (current == functions.end()) current = functions.begin();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##function", current->name.c_str(), ImGuiComboFlags_HeightLarge)) {
    for (const glint::FunctionCode& f : functions) {
      std::string label = f.name + "  [" + std::to_string(f.func_index) + "]";
      if (ImGui::Selectable(label.c_str(), f.func_index == v.func_index)) {
        v.func_index = f.func_index;
        v.offset = f.begin;
        v.scroll_to_offset = true;
      }
    }
    ImGui::EndCombo();
  }
  if (v.disasm_module != v.module || v.disasm_func != v.func_index) {
    v.disasm = glint::disassemble(module, v.func_index);
    v.disasm_module = v.module;
    v.disasm_func = v.func_index;
  }

  std::set<uint32_t> breakpoints = breakpoint_offsets(ed, v.module);
  const auto* stop = ed.session.stop();
  std::optional<uint32_t> stopped_at, frame_at;
  if (stop && stop->module->name == v.module && !stop->stop.frames.empty()) {
    stopped_at = stop->stop.frames[0].code_offset;
    if (const glint::DebugFrame* f = ed.session.frame(); f && f != &stop->stop.frames[0])
      frame_at = f->code_offset;
  }

  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg;
  if (!ImGui::BeginTable("disasm", 3, flags)) return;
  float h = ImGui::GetTextLineHeightWithSpacing();
  ImGui::TableSetupColumn("##gutter", ImGuiTableColumnFlags_WidthFixed, h);
  ImGui::TableSetupColumn("offset", ImGuiTableColumnFlags_WidthFixed, 70);
  ImGui::TableSetupColumn("instruction", ImGuiTableColumnFlags_WidthStretch);
  if (v.scroll_to_offset) {
    v.scroll_to_offset = false;
    for (size_t i = 0; i < v.disasm.size(); ++i) {
      if (v.disasm[i].offset < v.offset) continue;
      ImGui::SetScrollY(std::max(0.0f, float(i) * h - ImGui::GetWindowHeight() * 0.4f));
      break;
    }
  }
  ImGuiListClipper clipper;
  clipper.Begin(int(v.disasm.size()), h);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const glint::WasmInstruction& in = v.disasm[size_t(i)];
      ImGui::TableNextRow(ImGuiTableRowFlags_None, h);
      bool is_stop = stopped_at == in.offset, is_frame = frame_at == in.offset;
      if (is_stop || is_frame)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, is_stop ? kCurrentRowBg : kFrameRowBg);
      ImGui::TableNextColumn();
      ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::PushID(i);
      if (ImGui::InvisibleButton("##bp", ImVec2(h, h)))
        ed.session.toggle_breakpoint(v.module, hex(in.offset));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("click: breakpoint here (F9)");
      gutter(draw, at, h, breakpoints.count(in.offset) > 0, is_stop, is_frame);
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%06x", in.offset);
      ImGui::TableNextColumn();
      if (ImGui::Selectable(in.text.c_str(), v.offset == in.offset)) v.offset = in.offset;
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

}  // namespace glint::editor
