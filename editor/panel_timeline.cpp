// The rewind timeline panel: the frames the game keeps (host::Timeline), a slider to scrub
// them (the game view shows the frame), and resume: play goes on from the frame shown.
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <string>

#include "editor.h"

namespace glint::editor {

namespace {

// Kept frames FROM..TO as a replay file, which glint-demo --replay checks.
void draw_save_range(Editor& ed, const TimelineInfo& t) {
  TimelineView& v = ed.timeline;
  int first = int(t.first), last = int(t.last);
  if (v.from < first || v.from > last) v.from = first;
  if (v.to_last || v.to < v.from || v.to > last) v.to = last;
  ImGui::Separator();
  ImGui::SetNextItemWidth(110);
  ImGui::InputInt("##from", &v.from);
  ImGui::SameLine();
  ImGui::TextUnformatted("to");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  if (ImGui::InputInt("##to", &v.to)) v.to_last = v.to >= last;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(180);
  ImGui::InputText("##path", v.path, sizeof v.path);
  ImGui::SameLine();
  if (ImGui::Button("save range as replay")) {
    std::string error;
    size_t bytes = ed.session.save_range(uint64_t(std::max(v.from, 0)), uint64_t(std::max(v.to, 0)),
                                         v.path, error);
    if (bytes)
      ed.console.info("timeline: frames " + std::to_string(v.from) + ".." + std::to_string(v.to) +
                      " saved to " + v.path + " (" + std::to_string(bytes) +
                      " bytes; glint-demo --replay checks it)");
    else
      ed.console.error("timeline: save range: " + error);
  }
}

// How much the timeline keeps, in seconds of game time (60 frames each).
void draw_keep(Editor& ed, const TimelineInfo& t) {
  TimelineView& v = ed.timeline;
  if (v.keep_seconds == 0) v.keep_seconds = std::max(1, int(t.max_frames / 60));
  ImGui::SetNextItemWidth(110);
  ImGui::InputInt("seconds kept", &v.keep_seconds);
  v.keep_seconds = std::clamp(v.keep_seconds, 1, 600);
  if (ImGui::IsItemDeactivatedAfterEdit() && size_t(v.keep_seconds) * 60 != t.max_frames)
    ed.session.set_timeline_frames(size_t(v.keep_seconds) * 60);
  ImGui::SameLine();
  ImGui::TextDisabled("(%zu frames; memory is the limit too)", t.max_frames);
}

}  // namespace

void draw_timeline(Editor& ed) {
  Session& s = ed.session;
  const TimelineInfo& t = s.timeline();
  if (!t.on) {
    ImGui::TextDisabled("no timeline (glint-editor --rewind N keeps the last N frames)");
    return;
  }
  if (!t.error.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", t.error.c_str());
  if (t.frames == 0) {
    ImGui::TextDisabled("no frames kept yet");
    return;
  }
  ImGui::Text("frames %" PRIu64 "..%" PRIu64 " kept (%zu, %.1f MiB), the game is at %" PRIu64,
              t.first, t.last, t.frames, double(t.bytes) / 1048576.0, t.current);
  ImGui::TextDisabled("keeping a frame takes %.2f ms (max %.2f)", t.mean_record_ms,
                      t.max_record_ms);
  if (s.state() == RunState::Stopped) {
    ImGui::TextDisabled("stopped inside a call: continue (F5) to go back in time");
    return;
  }
  auto seek = [&](uint64_t frame) {
    std::string error;
    if (!s.seek(frame, error)) ed.console.error("timeline: " + error);
  };
  // The slider shows frames counted back from the last one kept: its range fits an int.
  int back = int(t.last - t.current), most = int(t.last - t.first);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::SliderInt("##frame", &back, most, 0, "%d frames back") && back >= 0 && back <= most)
    seek(t.last - uint64_t(back));
  if (ImGui::Button("|<")) seek(t.first);
  ImGui::SameLine();
  if (ImGui::Button("<") && t.current > t.first) seek(t.current - 1);
  ImGui::SameLine();
  if (ImGui::Button(">") && t.current < t.last) seek(t.current + 1);
  ImGui::SameLine();
  if (ImGui::Button(">|")) seek(t.last);
  ImGui::SameLine();
  if (s.state() == RunState::Running) {
    if (ImGui::Button("hold")) s.hold();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("stop between two frames, to scrub");
  } else {
    if (ImGui::Button("resume from here")) s.continue_running();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("play on from frame %" PRIu64 " (the frames kept after it are dropped)",
                        t.current);
  }
  draw_save_range(ed, t);
  draw_keep(ed, t);
}

}  // namespace glint::editor
