// What a stop shows: the call stack, the wasm locals and operand stack of the selected frame,
// the globals; and the breakpoints list.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdlib>
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
  if (stop->stop.trap)
    ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "trapped: %s (continuing ends the call with it)",
                       stop->stop.trap->message.c_str());
  if (!begin_table("stack", 3)) return;
  headers({"#", "function", "where"});
  int row = 0;
  for (size_t i = 0; i < stop->stop.frames.size(); ++i) {
    const glint::DebugFrame& f = stop->stop.frames[i];
    // A wasm frame whose code was inlined is several source frames, innermost first.
    size_t depths = std::max<size_t>(1, f.source.size());
    for (size_t d = 0; d < depths; ++d) {
      const glint::SourceLoc* s = d < f.source.size() ? &f.source[d] : nullptr;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(row++);
      std::string label = d == 0 ? std::to_string(i) : "";
      bool selected = ed.session.selected_frame() == i && ed.session.selected_depth() == d;
      if (ImGui::Selectable(label.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns)) {
        ed.session.select_frame(i, d);
        ed.follow_stop();
      }
      ImGui::PopID();
      ImGui::TableNextColumn();
      ImGui::Text("%s%s", s ? s->function.c_str() : f.func_name.c_str(),
                  d + 1 < f.source.size() ? " (inlined)" : "");
      ImGui::TableNextColumn();
      if (s && s->line)
        ImGui::Text("%s:%u", file_name(s->file).c_str(), s->line);
      else
        ImGui::Text("%s %s", module.c_str(), hex(f.code_offset).c_str());
    }
  }
  ImGui::EndTable();
}

namespace {

// A value typed for a wasm local of type `t`; nullopt if it does not parse.
std::optional<glint::Value> parse_value(glint::ValType t, const char* text) {
  char* end = nullptr;
  switch (t) {
    case glint::ValType::I32: {
      long long v = std::strtoll(text, &end, 0);
      if (*end == '\0' && v >= INT32_MIN && v <= UINT32_MAX) return glint::Value::i32(int32_t(v));
      break;
    }
    case glint::ValType::I64: {
      long long v = std::strtoll(text, &end, 0);
      if (*end == '\0') return glint::Value::i64(v);
      break;
    }
    case glint::ValType::F32: {
      float v = std::strtof(text, &end);
      if (*end == '\0') return glint::Value::f32(v);
      break;
    }
    case glint::ValType::F64: {
      double v = std::strtod(text, &end);
      if (*end == '\0') return glint::Value::f64(v);
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

}  // namespace

void draw_locals(Editor& ed) {
  if (not_stopped(ed)) return;
  const glint::DebugFrame* f = ed.session.frame();
  if (!f) return;
  glint::DebugFrame* frame = ed.session.frame();
  const glint::Module& module = f->instance->module();
  int& editing = ed.inspect.editing_local;
  char* edit = ed.inspect.local_edit;
  const size_t edit_size = sizeof ed.inspect.local_edit;
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
    if (editing == int(i)) {
      ImGui::SetNextItemWidth(-1);
      ImGui::SetKeyboardFocusHere();
      if (ImGui::InputText("##edit", edit, edit_size, ImGuiInputTextFlags_EnterReturnsTrue)) {
        auto value = parse_value(v.type, edit);
        auto r =
            value ? glint::set_local(*frame, uint32_t(i), *value)
                  : glint::Result<void>(glint::Error{
                        glint::ErrorKind::Usage, std::string("not a ") + glint::to_string(v.type)});
        if (r) ed.session.note_write();
        if (!r) ed.console.error("cannot set $" + std::to_string(i) + ": " + r.error().message);
        editing = -1;
      }
    } else if (dead) {
      ImGui::TextDisabled("%s (dead)", format_value(v).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("the code overwrites this local before reading it again");
    } else {
      ImGui::TextUnformatted(format_value(v).c_str());
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) {
        editing = int(i);
        std::snprintf(edit, edit_size, "%s", format_value(v).c_str());
      }
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

void draw_breakpoints(Editor& ed) {
  char* where = ed.inspect.new_breakpoint;
  ImGui::SetNextItemWidth(-70);
  bool add = ImGui::InputTextWithHint("##where", "FILE:LINE, function or 0xOFFSET", where,
                                      sizeof ed.inspect.new_breakpoint,
                                      ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  add |= ImGui::Button("add");
  if (add && where[0]) {
    const UserBreakpoint& bp = ed.session.add_breakpoint("", where);
    if (!bp.error.empty()) ed.console.error("breakpoint " + std::string(where) + ": " + bp.error);
    where[0] = '\0';
  }
  std::vector<UserBreakpoint> list = ed.session.breakpoints();
  if (list.empty()) {
    ImGui::TextDisabled("no breakpoints (F9 in the code views, or add one above)");
    return;
  }
  if (!begin_table("breakpoints", 6)) return;
  headers({"on", "#", "where", "stops at", "hits", "condition (VAR OP NUMBER)"});
  char* condition = ed.inspect.condition;
  int& editing = ed.inspect.editing_condition;
  for (const UserBreakpoint& bp : list) {
    ImGui::PushID(bp.number);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    bool on = bp.enabled;
    if (ImGui::Checkbox("##on", &on)) ed.session.enable_breakpoint(bp.number, on);
    ImGui::SameLine();
    if (ImGui::SmallButton("x")) ed.session.remove_breakpoint(bp.number);
    ImGui::TableNextColumn();
    ImGui::Text("%d", bp.number);
    ImGui::TableNextColumn();
    if (ImGui::Selectable((bp.module + " " + bp.where).c_str()) && !bp.offsets.empty()) {
      if (bp.line)
        ed.show_source(bp.module, bp.file, bp.line);
      else
        ed.show_offset(bp.module, bp.offsets.front());
    }
    ImGui::TableNextColumn();
    if (!bp.error.empty()) {
      ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", bp.error.c_str());
    } else {
      std::string at = bp.line ? file_name(bp.file) + ":" + std::to_string(bp.line) + " " : "";
      for (uint32_t off : bp.offsets) at += hex(off) + " ";
      ImGui::TextUnformatted(at.c_str());
    }
    ImGui::TableNextColumn();
    ImGui::Text("%u", bp.hits);
    ImGui::TableNextColumn();
    if (editing == bp.number) {
      ImGui::SetNextItemWidth(-1);
      if (ImGui::InputText("##cond", condition, sizeof ed.inspect.condition,
                           ImGuiInputTextFlags_EnterReturnsTrue)) {
        glint::BreakCondition c = bp.condition;
        c.test = condition;
        ed.session.set_condition(bp.number, c);
        editing = 0;
      }
    } else {
      std::string text = bp.condition.test.empty() ? "(always)" : bp.condition.test;
      if (bp.condition.hit_count > 1)
        text += ", from hit " + std::to_string(bp.condition.hit_count);
      if (ImGui::Selectable(text.c_str())) {
        editing = bp.number;
        std::snprintf(condition, sizeof ed.inspect.condition, "%s", bp.condition.test.c_str());
      }
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace glint::editor
