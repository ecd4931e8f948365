// The memory view: a module's linear memory in hex and ASCII. Go to an address or a variable,
// follow a pointer, and see which bytes changed since the stop before this one.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cinttypes>
#include <cstring>

#include "editor.h"
#include "places.h"

namespace glint::editor {

namespace {

const ImVec4 kChanged(1.0f, 0.55f, 0.25f, 1.0f);
const ImVec4 kZero(0.5f, 0.5f, 0.5f, 1.0f);

// An address typed in "go to": a number, or a variable of the selected frame ("player",
// "p->pos", "*p", "$3"): where it lives in memory, or for a wasm local, the address it holds.
std::optional<uint64_t> resolve_address(Editor& ed, const std::string& text, std::string& why) {
  if (auto n = parse_number(text)) return n;
  const glint::DebugFrame* f = ed.session.frame();
  if (!f) {
    why = "not stopped: no frame to find " + text + " in";
    return std::nullopt;
  }
  auto v = glint::find_variable(*f, text, ed.session.selected_depth());
  if (!v) {
    why = v.error().message;
    return std::nullopt;
  }
  if (v->address) return *v->address;
  if (v->scalar && v->scalar->type == glint::ValType::I32)
    return uint64_t(uint32_t(v->scalar->bits));
  why = text + " is not in memory (" + v->value + ")";
  return std::nullopt;
}

}  // namespace

void draw_memory(Editor& ed) {
  MemoryView& v = ed.memory;
  if (const auto* stop = ed.session.stop(); stop && v.module.empty()) v.module = stop->module->name;
  if (v.module.empty() && !ed.session.modules().empty())
    v.module = ed.session.modules().front().name;
  ImGui::SetNextItemWidth(120);
  if (ImGui::BeginCombo("##module", v.module.c_str())) {
    for (const ModuleInfo& m : ed.session.modules())
      if (ImGui::Selectable(m.name.c_str(), m.name == v.module)) {
        v.module = m.name;
        v.bytes.clear();
      }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(200);
  if (ImGui::InputTextWithHint("##goto", "go to: address or variable", v.go_to, sizeof v.go_to,
                               ImGuiInputTextFlags_EnterReturnsTrue)) {
    v.message.clear();
    if (auto a = resolve_address(ed, v.go_to, v.message)) {
      v.address = *a & ~uint64_t(15);
      v.scroll = v.moved = true;
    }
  }
  ImGui::SameLine();
  host::GuestModule* m = ed.module(v.module);
  glint::Memory* mem = m && m->instance ? m->instance->memory() : nullptr;
  if (ImGui::Button("follow pointer") && mem && mem->in_bounds(v.address, 4)) {
    uint32_t p;
    std::memcpy(&p, mem->data() + v.address, 4);
    v.address = p & ~uint64_t(15);
    v.scroll = v.moved = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("go to the address stored (u32, little-endian) at %s",
                      hex(v.address).c_str());
  if (!v.message.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.45f, 1), "%s", v.message.c_str());
  if (m && !mem) {
    ImGui::TextDisabled("this module has no memory");
    return;
  }
  if (!m && v.bytes.empty()) {
    ImGui::TextDisabled("(the game is running a frame)");
    return;
  }
  const std::vector<uint8_t>& before = ed.session.memory_at_previous_stop(v.module);
  const uint64_t size = mem ? mem->size() : v.bytes_at + v.bytes.size();
  const int columns = 16;
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  ImGui::BeginChild("##rows", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  if (v.scroll) {
    v.scroll = false;
    ImGui::SetScrollY(float(v.address / columns) * row_h);
  }
  ImGuiListClipper clipper;
  clipper.Begin(int((size + columns - 1) / columns), row_h);
  std::vector<uint8_t> shown;
  uint64_t shown_at = UINT64_MAX;
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      uint64_t addr = uint64_t(row) * columns;
      if (shown_at == UINT64_MAX) shown_at = addr;
      uint8_t b[columns] = {};
      int n = int(std::min<uint64_t>(columns, size - addr));
      for (int i = 0; i < n; ++i) {
        if (mem) {
          b[i] = mem->data()[addr + uint64_t(i)];
        } else if (addr + uint64_t(i) >= v.bytes_at &&
                   addr + uint64_t(i) - v.bytes_at < v.bytes.size()) {
          b[i] = v.bytes[addr + uint64_t(i) - v.bytes_at];
        }
        shown.push_back(b[i]);
      }
      ImGui::TextDisabled("%08" PRIx64, addr);
      for (int i = 0; i < n; ++i) {
        ImGui::SameLine(0, i == 8 ? 10.0f : 5.0f);
        uint64_t a = addr + uint64_t(i);
        bool changed = a < before.size() && before[a] != b[i];
        char cell[4];
        std::snprintf(cell, sizeof cell, "%02x", b[i]);
        ImGui::PushID(int(a & 0x7fffffff));
        ImGui::PushStyleColor(ImGuiCol_Text, changed     ? kChanged
                                             : b[i] == 0 ? kZero
                                                         : ImGui::GetStyleColorVec4(ImGuiCol_Text));
        if (ImGui::Selectable(cell, v.address == a, 0, ImGui::CalcTextSize("00"))) {
          v.address = a;
          v.moved = true;
        }
        ImGui::PopStyleColor();
        if (changed && ImGui::IsItemHovered())
          ImGui::SetTooltip("%s: was %02x at the stop before", hex(a).c_str(), before[a]);
        ImGui::PopID();
      }
      char ascii[columns + 1] = {};
      for (int i = 0; i < n; ++i) ascii[i] = std::isprint(b[i]) ? char(b[i]) : '.';
      ImGui::SameLine(0, 14);
      ImGui::TextUnformatted(ascii);
    }
  }
  ImGui::EndChild();
  if (mem && shown_at != UINT64_MAX) {  // kept for the frames where the game runs
    v.bytes = std::move(shown);
    v.bytes_at = shown_at;
  }
}

}  // namespace glint::editor
