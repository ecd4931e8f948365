// The game view, the modules panel and the per-frame profiler.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "editor.h"

namespace glint::editor {

void draw_game_view(Editor& ed) {
  // Why the picture does not move, on a line of its own above it: over the picture it would
  // hide the game's own top line (score, wave).
  const char* note = nullptr;
  switch (ed.session.state()) {
    case RunState::Loading:
      note = "loading...";
      break;
    case RunState::Paused:
      note = "paused (F5 continues)";
      break;
    case RunState::Stopped:
      note = "stopped in the debugger (F5 continues, F10/F11 step)";
      break;
    case RunState::Running:
      break;
  }
  if (note)
    ImGui::TextColored(ImVec4(1, 0.86f, 0.35f, 1), "%s", note);
  else if (!ed.game_focused)
    ImGui::TextDisabled("running: click the game to play");
  else
    ImGui::TextDisabled("running: the keyboard goes to the game");

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float scale = std::min(avail.x / float(ed.game_width), avail.y / float(ed.game_height));
  scale = std::max(scale, 0.1f);
  ImVec2 size(float(ed.game_width) * scale, float(ed.game_height) * scale);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  pos.x += std::max(0.0f, (avail.x - size.x) * 0.5f);
  ImGui::SetCursorScreenPos(pos);
  ImGui::Image(ed.game_texture, size);
  ed.game_view_shrunk = scale < 1.0f;
  ed.game_x = pos.x, ed.game_y = pos.y, ed.game_w = size.x, ed.game_h = size.y;
  if (ImGui::IsItemClicked()) ImGui::SetWindowFocus();
  ed.game_focused = ImGui::IsWindowFocused();
}

void draw_modules(Editor& ed) {
  const auto& modules = ed.session.modules();
  if (modules.empty()) {
    ImGui::TextDisabled("no modules yet");
    return;
  }
  ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_ScrollY;
  if (!ImGui::BeginTable("modules", 6, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("module");
  ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("size");
  ImGui::TableSetupColumn("load");
  ImGui::TableSetupColumn("state");
  ImGui::TableSetupColumn("hot reload");
  ImGui::TableHeadersRow();
  std::string reload, start_new_build;  // asked for (done after the table: they change it)
  for (const ModuleInfo& m : modules) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(m.name.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(m.path.c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%.1f KB", double(m.bytes) / 1024.0);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("code section: %zu bytes", m.code_bytes);
    ImGui::TableNextColumn();
    ImGui::Text("%.1f ms", m.load_ms);
    ImGui::TableNextColumn();
    bool failed = !m.error.empty();
    if (failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextUnformatted(m.state.c_str());
    if (failed) ImGui::PopStyleColor();
    if (failed && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.error.c_str());
    ImGui::TableNextColumn();
    ImGui::PushID(m.name.c_str());
    if (ImGui::SmallButton("reload")) reload = m.name;
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("load %s again and swap it in, keeping the module's state", m.path.c_str());
    if (m.pending_build) {
      ImGui::SameLine();
      if (ImGui::SmallButton("start new build")) start_new_build = m.name;
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "its data layout changed (console): run the new build with a fresh "
            "state");
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  if (!reload.empty()) ed.session.reload(reload);
  if (!start_new_build.empty()) ed.session.restart_new_build(start_new_build);
}

namespace {

// One plot line of the profiler over the kept frames.
void plot(const char* label, const std::vector<float>& values, const char* unit) {
  float last = values.empty() ? 0 : values.back();
  float peak = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "%s: %.3g %s (max %.3g)", label, double(last), unit,
                double(peak));
  ImGui::PlotLines("##plot", values.data(), int(values.size()), 0, overlay, 0.0f,
                   std::max(peak * 1.15f, 1e-3f), ImVec2(-1, 46));
}

}  // namespace

void draw_profiler(Editor& ed) {
  const auto& samples = ed.session.samples();
  const auto& modules = ed.session.modules();
  if (samples.empty()) {
    ImGui::TextDisabled("no frames yet");
    return;
  }
  ImGui::Text("game frame %" PRIu64 ", last %zu frames", samples.back().frame, samples.size());
  std::vector<float> values;
  values.reserve(samples.size());
  for (const FrameSample& s : samples) values.push_back(float(s.script_ms));
  ImGui::PushID("all");
  plot("script, all modules", values, "ms");
  ImGui::PopID();
  for (size_t m = 0; m < modules.size(); ++m) {
    ImGui::PushID(int(m));
    if (ImGui::CollapsingHeader(modules[m].name.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      auto series = [&](auto get) {
        values.clear();
        for (const FrameSample& s : samples)
          values.push_back(m < s.modules.size() ? float(get(s.modules[m])) : 0.0f);
      };
      ImGui::PushID("ms");
      series([](const host::ModuleFrameStats& f) { return f.script_ms; });
      plot("script", values, "ms");
      ImGui::PopID();
      ImGui::PushID("calls");
      series([](const host::ModuleFrameStats& f) { return double(f.host_calls); });
      plot("host calls", values, "per frame");
      ImGui::PopID();
      ImGui::PushID("fuel");
      series([](const host::ModuleFrameStats& f) { return double(f.fuel); });
      plot("fuel", values, "per frame");
      ImGui::PopID();
    }
    ImGui::PopID();
  }
}

}  // namespace glint::editor
