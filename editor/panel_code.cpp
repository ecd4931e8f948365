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
constexpr ImU32 kCurrentColor = IM_COL32(255, 210, 60, 255);  // where the code stopped
constexpr ImU32 kFrameColor = IM_COL32(90, 200, 120, 255);    // the selected caller frame
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
// The gutter is kGutter line heights wide: the dot on the left, the arrow over its right half,
// so that both show on a line that has both.
constexpr float kGutter = 1.6f;
void gutter(ImDrawList* draw, ImVec2 at, float h, bool breakpoint, bool current, bool frame) {
  float r = h * 0.32f;
  ImVec2 c(at.x + h * 0.5f, at.y + h * 0.5f);
  if (breakpoint) draw->AddCircleFilled(c, r, kBreakpointColor);
  if (current || frame) {
    ImU32 color = current ? kCurrentColor : kFrameColor;
    ImVec2 a(c.x + r * 0.2f, c.y - r), b(c.x + r * 2.2f, c.y), d(c.x + r * 0.2f, c.y + r);
    draw->AddTriangleFilled(a, b, d, color);
    draw->AddTriangle(a, b, d, IM_COL32(0, 0, 0, 200));
  }
}

// A code view's table: the gutter, a number (line or offset), the text. Returns the row height,
// or 0 if the table is not shown.
float begin_code_table(const char* id, float number_width, ImGuiTableFlags flags) {
  if (!ImGui::BeginTable(id, 3, ImGuiTableFlags_ScrollY | flags)) return 0;
  float h = ImGui::GetTextLineHeightWithSpacing();
  ImGui::TableSetupColumn("##gutter", ImGuiTableColumnFlags_WidthFixed, h * kGutter);
  ImGui::TableSetupColumn("##number", ImGuiTableColumnFlags_WidthFixed, number_width);
  ImGui::TableSetupColumn("##text",
                          flags & ImGuiTableFlags_ScrollX ? ImGuiTableColumnFlags_WidthFixed
                                                          : ImGuiTableColumnFlags_WidthStretch,
                          flags & ImGuiTableFlags_ScrollX ? 1200.0f : 0.0f);
  return h;
}

// Offsets of the module's breakpoints that are set.
std::set<uint32_t> breakpoint_offsets(Editor& ed, const std::string& module) {
  std::set<uint32_t> out;
  for (const UserBreakpoint& bp : ed.session.breakpoints())
    if (bp.module == module && bp.enabled) out.insert(bp.offsets.begin(), bp.offsets.end());
  return out;
}

}  // namespace

namespace {

// The file picker: every file the module's line tables name, with a filter.
void file_picker(Editor& ed, const ModuleInfo& info) {
  CodeView& v = ed.code;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  std::string preview = v.file.empty() ? "(pick a source file)" : file_name(v.file);
  if (!ImGui::BeginCombo("##file", preview.c_str(), ImGuiComboFlags_HeightLarge)) return;
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "filter", v.file_filter, sizeof v.file_filter);
  for (const std::string& f : v.files) {
    if (v.file_filter[0] && f.find(v.file_filter) == std::string::npos) continue;
    bool found = !ed.sources.get(f, info.path).path.empty();
    if (!found)
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (ImGui::Selectable(f.c_str(), f == v.file)) ed.show_source(v.module, f, 1);
    if (!found) ImGui::PopStyleColor();
  }
  ImGui::EndCombo();
}

}  // namespace

void draw_source(Editor& ed) {
  CodeView& v = ed.code;
  v.source_active = true;
  if (module_picker(ed, v.module)) v.file.clear();
  const ModuleInfo* info = ed.session.module_info(v.module);
  if (!info || !info->module) {
    ImGui::TextDisabled("no code loaded");
    return;
  }
  const glint::Module& module = *info->module;
  if (v.files_module != v.module) {
    v.files = glint::source_files(module);
    v.files_module = v.module;
  }
  if (v.files.empty()) {
    ImGui::TextWrapped("%s has no DWARF line information: the Disassembly tab shows its code.%s",
                       v.module.c_str(),
                       info->dwarf.problems.empty() ? "" : " The DWARF's problems:");
    for (const std::string& p : info->dwarf.problems) ImGui::BulletText("%s", p.c_str());
    return;
  }
  file_picker(ed, *info);
  if (v.file.empty()) {
    ImGui::TextDisabled("%zu source files: pick one above, or stop somewhere", v.files.size());
    return;
  }
  const SourceFile& src = ed.sources.get(v.file, info->path);
  if (!src.problem.empty()) ImGui::TextColored(ImVec4(1, 0.7f, 0.3f, 1), "%s", src.problem.c_str());
  if (src.lines.empty()) return;
  if (v.code_lines_file != v.module + "\n" + v.file) {
    v.code_lines = glint::lines_with_code(module, v.file);
    v.code_lines_file = v.module + "\n" + v.file;
  }
  std::set<uint32_t> breakpoints;
  for (const UserBreakpoint& bp : ed.session.breakpoints())
    if (bp.module == v.module && bp.enabled && bp.file == v.file) breakpoints.insert(bp.line);
  uint32_t stopped_line = 0, frame_line = 0;
  if (const auto* stop = ed.session.stop(); stop && stop->module->name == v.module) {
    const auto& top =
        stop->stop.frames.empty() ? std::vector<glint::SourceLoc>{} : stop->stop.frames[0].source;
    if (!top.empty() && top[0].file == v.file) stopped_line = top[0].line;
    const glint::SourceLoc* sel = ed.session.frame_source();
    if (sel && sel->file == v.file &&
        !(ed.session.selected_frame() == 0 && ed.session.selected_depth() == 0))
      frame_line = sel->line;
  }

  float h = begin_code_table("source", 36, ImGuiTableFlags_ScrollX);  // long lines scroll
  if (!h) return;
  if (v.scroll_to_line) {
    v.scroll_to_line = false;
    ImGui::SetScrollY(std::max(0.0f, float(v.line - 1) * h - ImGui::GetWindowHeight() * 0.4f));
  }
  ImGuiListClipper clipper;
  clipper.Begin(int(src.lines.size()), h);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      uint32_t line = uint32_t(i) + 1;
      bool is_stop = line == stopped_line, is_frame = line == frame_line;
      ImGui::TableNextRow(ImGuiTableRowFlags_None, h);
      if (is_stop || is_frame)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, is_stop ? kCurrentRowBg : kFrameRowBg);
      ImGui::TableNextColumn();
      ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::PushID(i);
      if (ImGui::InvisibleButton("##bp", ImVec2(h * kGutter, h))) {
        v.line = line;
        ed.session.toggle_breakpoint(v.module, v.file + ":" + std::to_string(line), v.file, line);
      }
      bool has_code = std::binary_search(v.code_lines.begin(), v.code_lines.end(), line);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            has_code ? "click: breakpoint on this line (F9)"
                     : "no code on this line: a breakpoint goes to the next line with code");
      if (has_code && !breakpoints.count(line))
        draw->AddCircleFilled(ImVec2(at.x + h * 0.5f, at.y + h * 0.5f), 1.5f,
                              IM_COL32(128, 128, 128, 160));
      gutter(draw, at, h, breakpoints.count(line) > 0, is_stop, is_frame);
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%4u", line);
      ImGui::TableNextColumn();
      const std::string& text = src.lines[size_t(i)];
      if (ImGui::Selectable(text.empty() ? " " : text.c_str(), v.line == line)) v.line = line;
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

void draw_disassembly(Editor& ed) {
  CodeView& v = ed.code;
  v.source_active = false;
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
  auto current =
      std::find_if(functions.begin(), functions.end(),
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

  float h = begin_code_table("disasm", 70, ImGuiTableFlags_RowBg);
  if (!h) return;
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
      if (ImGui::InvisibleButton("##bp", ImVec2(h * kGutter, h)))
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
