// The console panel: guest logs, traps (each place of a trap's backtrace is a link to its code),
// the debugger's messages, and a command line for the script commands (script.h).
#include <imgui.h>

#include "editor.h"
#include "places.h"

namespace glint::editor {

namespace {

ImVec4 color_of(ConsoleLine::Kind kind) {
  switch (kind) {
    case ConsoleLine::Kind::Warn:
      return {1.0f, 0.8f, 0.35f, 1.0f};
    case ConsoleLine::Kind::Error:
      return {1.0f, 0.45f, 0.45f, 1.0f};
    case ConsoleLine::Kind::Command:
      return {0.55f, 0.75f, 1.0f, 1.0f};
    case ConsoleLine::Kind::Output:
      return {0.75f, 1.0f, 0.75f, 1.0f};
    case ConsoleLine::Kind::Info:
      break;
  }
  return ImGui::GetStyleColorVec4(ImGuiCol_Text);
}

std::string place_text(const CodePlace& p) {
  std::string at = p.file.empty() ? hex(p.code_offset) : p.file + ":" + std::to_string(p.line);
  return p.module + " " + at;
}

}  // namespace

void draw_console(Editor& ed) {
  ConsoleView& v = ed.console_view;
  for (ConsoleLine& line : ed.console.lines_since(v.next)) {
    v.lines.push_back(std::move(line));
    v.scroll_to_bottom = true;
  }
  v.next = ed.console.size();
  if (v.lines.size() > Console::kMaxLines + Console::kMaxLines / 4)
    v.lines.erase(v.lines.begin(), v.lines.begin() + long(v.lines.size() - Console::kMaxLines));
  // One row per line and per place of a trap's backtrace, so that the clipper's rows are of
  // one height.
  std::vector<std::pair<uint32_t, int>> rows;  // (line, place or -1)
  rows.reserve(v.lines.size());
  for (uint32_t i = 0; i < v.lines.size(); ++i) {
    rows.push_back({i, -1});
    for (size_t p = 0; p < v.lines[i].places.size(); ++p) rows.push_back({i, int(p)});
  }

  float input_h = ImGui::GetFrameHeightWithSpacing();
  ImGui::BeginChild("##lines", ImVec2(0, -input_h), false, ImGuiWindowFlags_HorizontalScrollbar);
  ImGuiListClipper clipper;
  clipper.Begin(int(rows.size()), ImGui::GetTextLineHeightWithSpacing());
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      auto [i, p] = rows[size_t(r)];
      const ConsoleLine& line = v.lines[i];
      if (p < 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, color_of(line.kind));
        ImGui::TextUnformatted(line.kind == ConsoleLine::Kind::Command ? ("> " + line.text).c_str()
                                                                       : line.text.c_str());
        ImGui::PopStyleColor();
        continue;
      }
      ImGui::PushID(r);
      const CodePlace& place = line.places[size_t(p)];
      std::string text = (p == 0 ? "    at " : "    called from ") + place_text(place);
      if (ImGui::Selectable(text.c_str())) ed.show_place(place);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("show this place in the code view");
      ImGui::PopID();
    }
  }
  if (v.scroll_to_bottom) ImGui::SetScrollHereY(1.0f);
  v.scroll_to_bottom = false;
  ImGui::EndChild();

  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputTextWithHint("##command", "command (help lists them)", v.input, sizeof v.input,
                               ImGuiInputTextFlags_EnterReturnsTrue)) {
    std::string command = v.input;
    v.input[0] = '\0';
    if (!command.empty()) {
      v.history.push_back(command);
      if (ed.run_command) ed.run_command(command);
    }
    ImGui::SetKeyboardFocusHere(-1);  // keep typing
  }
}

}  // namespace glint::editor
