// glint-editor's window and main loop: SDL (host_api's Platform) and Dear ImGui with the
// SDL_Renderer backend, the game drawn into a texture, the panels tiled in the window.
#include "app.h"

#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "editor.h"
#include "glint_host/platform.h"
#include "script.h"

namespace fs = std::filesystem;

namespace glint::editor {

namespace {

using Clock = std::chrono::steady_clock;

// The window is tiled with these, each a window of tabs; x, y, w, h are fractions of the space
// below the menu bar. ImGui keeps where the user moved them in the layout ini.
struct PanelDef {
  const char* name;
  void (*draw)(Editor&);
};
struct Tile {
  const char* title;
  float x, y, w, h;
  std::vector<PanelDef> panels;
};
const std::vector<Tile>& tiles() {
  static const std::vector<Tile> t = {
      {"Game", 0.00f, 0.00f, 0.40f, 0.48f, {{"Game", draw_game_view}}},
      {"Output",
       0.00f,
       0.48f,
       0.40f,
       0.52f,
       {{"Console", draw_console},
        {"Breakpoints", draw_breakpoints},
        {"Modules", draw_modules},
        {"Profiler", draw_profiler},
        {"Timeline", draw_timeline}}},
      {"Code",
       0.40f,
       0.00f,
       0.34f,
       0.64f,
       {{"Source", draw_source}, {"Disassembly", draw_disassembly}}},
      {"Memory view", 0.40f, 0.64f, 0.34f, 0.36f, {{"Memory", draw_memory}}},
      {"Stack", 0.74f, 0.00f, 0.26f, 0.30f, {{"Call stack", draw_call_stack}}},
      {"Inspect",
       0.74f,
       0.30f,
       0.26f,
       0.70f,
       {{"Variables", draw_variables},
        {"Locals", draw_locals},
        {"Operand stack", draw_operand_stack},
        {"Globals", draw_globals}}},
  };
  return t;
}

void draw_tiles(Editor& ed, float top, bool place) {
  ImVec2 size = ImGui::GetIO().DisplaySize;
  float h = size.y - top;
  for (const Tile& t : tiles()) {
    ImGuiCond cond = place ? ImGuiCond_Always : ImGuiCond_FirstUseEver;
    ImGui::SetNextWindowPos(ImVec2(t.x * size.x, top + t.y * h), cond);
    ImGui::SetNextWindowSize(ImVec2(t.w * size.x, t.h * h), cond);
    if (ImGui::Begin(t.title, nullptr, ImGuiWindowFlags_NoCollapse) &&
        ImGui::BeginTabBar("##tabs")) {
      for (const PanelDef& p : t.panels) {
        bool select = ed.select_panel[p.name];
        ed.select_panel[p.name] = false;
        if (select) ImGui::SetWindowFocus();
        if (ImGui::BeginTabItem(p.name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0)) {
          p.draw(ed);
          ImGui::EndTabItem();
        }
      }
      ImGui::EndTabBar();
    }
    ImGui::End();
  }
}

// The menu bar, with the debugger's buttons and state on the right of the menus.
bool draw_menu_bar(Editor& ed) {
  bool quit = false;
  Session& s = ed.session;
  if (!ImGui::BeginMainMenuBar()) return false;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Restart the game", "Shift+F5")) s.restart();
    if (ImGui::MenuItem("Reload changed modules")) s.reload("");
    if (bool watch = s.watch_files();
        ImGui::MenuItem("Reload modules when their files change", nullptr, &watch))
      s.set_watch_files(watch);
    if (ImGui::MenuItem("Reload sources")) ed.sources.forget();
    if (ImGui::MenuItem("Quit")) quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Debug")) {
    bool stopped = s.state() == RunState::Stopped;
    if (ImGui::MenuItem("Continue", "F5", false, s.state() != RunState::Running))
      s.continue_running();
    if (ImGui::MenuItem("Pause", "F6", false, s.state() == RunState::Running)) s.pause();
    if (ImGui::MenuItem("Step over", "F10", false, stopped)) s.step(StepKind::Over);
    if (ImGui::MenuItem("Step into", "F11", false, stopped)) s.step(StepKind::Into);
    if (ImGui::MenuItem("Step out", "Shift+F11", false, stopped)) s.step(StepKind::Out);
    if (ImGui::MenuItem("Step one instruction", nullptr, false, stopped))
      s.step(StepKind::Instruction);
    if (ImGui::MenuItem("Toggle breakpoint", "F9")) debugger_key(ed, SDL_SCANCODE_F9, false);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    if (ImGui::MenuItem("Reset layout")) ed.layout_reset = true;
    ImGui::EndMenu();
  }
  ImGui::Separator();
  bool running = s.state() == RunState::Running;
  if (ImGui::SmallButton(running ? "Pause (F6)" : "Continue (F5)"))
    running ? s.pause() : s.continue_running();
  ImGui::BeginDisabled(s.state() != RunState::Stopped);
  if (ImGui::SmallButton("Over (F10)")) s.step(StepKind::Over);
  if (ImGui::SmallButton("Into (F11)")) s.step(StepKind::Into);
  if (ImGui::SmallButton("Out (Shift+F11)")) s.step(StepKind::Out);
  ImGui::EndDisabled();
  if (ImGui::SmallButton("Restart (Shift+F5)")) s.restart();
  ImGui::Separator();
  ImGui::TextColored(running ? ImVec4(0.5f, 1, 0.5f, 1) : ImVec4(1, 0.85f, 0.3f, 1), "%s",
                     s.state_name());
  ImGui::TextDisabled("frame %" PRIu64, s.game_frame());
  if (auto ms = s.last_step_ms()) ImGui::TextDisabled("last step %.2f ms", *ms);
  ImGui::EndMainMenuBar();
  return quit;
}

// The debugger's keys, wherever the keyboard focus is.
void handle_debugger_keys(Editor& ed) {
  const ImGuiIO& io = ImGui::GetIO();
  for (SDL_Scancode key :
       {SDL_SCANCODE_F5, SDL_SCANCODE_F6, SDL_SCANCODE_F9, SDL_SCANCODE_F10, SDL_SCANCODE_F11})
    if (ImGui::IsKeyPressed(key, false) && debugger_key(ed, key, io.KeyShift)) ++ed.debugger_keys;
}

// Input for the game: keys while the game view has the focus (but the debugger's function
// keys), the mouse over its picture, in the game's coordinates.
void route_to_game(Editor& ed, const SDL_Event& e) {
  auto inside = [&](float x, float y) {
    return ed.game_w > 0 && x >= ed.game_x && y >= ed.game_y && x < ed.game_x + ed.game_w &&
           y < ed.game_y + ed.game_h;
  };
  auto to_game = [&](int& x, int& y) {
    x = int((float(x) - ed.game_x) * float(ed.game_width) / ed.game_w);
    y = int((float(y) - ed.game_y) * float(ed.game_height) / ed.game_h);
  };
  SDL_Event g = e;
  switch (e.type) {
    case SDL_KEYDOWN:
    case SDL_KEYUP:
      if (e.key.keysym.scancode >= SDL_SCANCODE_F1 && e.key.keysym.scancode <= SDL_SCANCODE_F12)
        return;
      if (ed.game_focused || e.type == SDL_KEYUP) ed.session.game_event(e);
      return;
    case SDL_MOUSEMOTION:
      if (!inside(float(e.motion.x), float(e.motion.y))) return;
      to_game(g.motion.x, g.motion.y);
      break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
      if (!inside(float(e.button.x), float(e.button.y)) && e.type == SDL_MOUSEBUTTONDOWN) return;
      to_game(g.button.x, g.button.y);
      break;
    case SDL_MOUSEWHEEL:
      if (!ed.game_focused) return;
      break;
    case SDL_CONTROLLERDEVICEADDED:
    case SDL_CONTROLLERDEVICEREMOVED:
      break;
    default:
      return;
  }
  ed.session.game_event(g);
}

// ImGui 1.86 keeps each key's state, not its events: a key's release and next press read in
// the same UI frame make no press at all (a quick second F10 during a slow frame, or a script's
// F11 up and Shift+F11 down). So a key's second event in a frame waits for the next frame.
class KeyEvents {
 public:
  void next_frame(const std::function<void(const SDL_Event&)>& handle) {
    seen_.clear();
    std::vector<SDL_Event> held = std::move(held_);
    held_.clear();
    for (const SDL_Event& e : held) feed(e, handle);
  }
  void feed(const SDL_Event& e, const std::function<void(const SDL_Event&)>& handle) {
    bool key = e.type == SDL_KEYDOWN || e.type == SDL_KEYUP;
    if (key && std::count(seen_.begin(), seen_.end(), e.key.keysym.scancode))
      return held_.push_back(e);
    if (key) seen_.push_back(e.key.keysym.scancode);
    handle(e);
  }

 private:
  std::vector<SDL_Scancode> seen_;  // keys with an event this frame
  std::vector<SDL_Event> held_;     // for the next frame, in order
};

std::string default_layout_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  fs::path dir = xdg && *xdg ? fs::path(xdg) : home && *home ? fs::path(home) / ".config" : "";
  if (dir.empty()) return "";
  std::error_code ec;
  fs::create_directories(dir / "glint", ec);
  return (dir / "glint" / "editor.ini").string();
}

// What a run prints at its end, in glint-demo's words, so the same checks read both.
void print_summary(Session& session) {
  std::optional<uint64_t> hash = session.state_hash();
  host::Game* game = session.game_if_quiet();
  if (!game) return;
  const host::ScriptTimes& st = game->script_times();
  std::printf("frames: %" PRIu64 ", script time per frame: mean %.3f ms, max %.3f ms\n", st.frames,
              st.mean_ms(), st.max_ms);
  std::printf("script page faults per frame: mean %.1f\n", st.mean_faults());
  for (const std::string& e : game->errors()) std::printf("error: %s\n", e.c_str());
  if (hash) std::printf("state hash: %016" PRIx64 "\n", *hash);
}

// The texture the game draws into, shown by the game view. Its sampling is chosen when it is
// made, through the hint: SDL 2.26's OpenGL renderer binds a texture whose scale mode is set
// later (SDL_SetTextureScaleMode) behind its cache of the bound texture, and the next ImGui
// text drawn was then sampled from the game picture (garbled menu bar).
SDL_Texture* make_game_texture(SDL_Renderer* sdl, int width, int height, SDL_ScaleMode mode) {
  const char* hint = SDL_GetHint(SDL_HINT_RENDER_SCALE_QUALITY);
  std::string kept = hint ? hint : "";
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, mode == SDL_ScaleModeNearest ? "nearest" : "linear");
  SDL_Texture* texture =
      SDL_CreateTexture(sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, width, height);
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, kept.c_str());
  return texture;
}

// Nearest sampling keeps pixel art sharp at 1:1 and larger, but a smaller view drops whole
// rows and columns (the game's pixel font lost strokes: "MOVE" read "MIVE"); shrunk, the view
// blends neighbouring pixels instead. Changing means a new texture (above) with the picture
// copied over, since a paused game draws no new one: only when the view crosses 1:1.
SDL_Texture* resample_game_texture(SDL_Renderer* sdl, SDL_Texture* texture, bool shrunk) {
  SDL_ScaleMode mode = SDL_ScaleModeNearest, want = shrunk ? SDL_ScaleModeLinear : mode;
  SDL_GetTextureScaleMode(texture, &mode);
  if (mode == want) return texture;
  int width = 0, height = 0;
  SDL_QueryTexture(texture, nullptr, nullptr, &width, &height);
  SDL_Texture* made = make_game_texture(sdl, width, height, want);
  if (!made) return texture;  // keeps the old sampling
  SDL_SetRenderTarget(sdl, made);
  SDL_RenderCopy(sdl, texture, nullptr, nullptr);
  SDL_SetRenderTarget(sdl, nullptr);
  SDL_DestroyTexture(texture);
  return made;
}

}  // namespace

int run_editor(const EditorOptions& o) {
  bool scripted = !o.script.empty() || !o.input.empty();
  host::PlatformConfig pc;
  pc.title = "Glint editor";
  pc.vsync = o.vsync;
  pc.audio = o.audio;
  pc.window_width = o.width;
  pc.window_height = o.height;
  if (host::Platform::want_headless(false)) {
    std::fprintf(stderr,
                 "glint-editor: no display (DISPLAY and WAYLAND_DISPLAY are not set). Run it "
                 "under a virtual X server: xvfb-run -a -s '-screen 0 1920x1080x24' "
                 "glint-editor --script FILE\n");
    return 1;
  }
  std::string error;
  auto platform = host::Platform::create(pc, error);
  if (!platform) {
    std::fprintf(stderr, "glint-editor: %s\n", error.c_str());
    return 1;
  }
  SDL_Renderer* sdl = platform->renderer();
  host::Renderer renderer(sdl, pc.width, pc.height);
  SDL_Texture* game_texture = make_game_texture(sdl, pc.width, pc.height, SDL_ScaleModeNearest);
  if (!game_texture) {
    std::fprintf(stderr, "glint-editor: cannot make the game's texture: %s\n", SDL_GetError());
    return 1;
  }
  SDL_SetRenderTarget(sdl, game_texture);
  SDL_SetRenderDrawColor(sdl, 0, 0, 0, 255);
  SDL_RenderClear(sdl);
  SDL_SetRenderTarget(sdl, nullptr);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  std::string layout = o.layout == "none"  ? ""
                       : !o.layout.empty() ? o.layout
                       : scripted          ? ""  // scripted sessions look the same every time
                                           : default_layout_path();
  ImGui::GetIO().IniFilename = layout.empty() ? nullptr : layout.c_str();
  ImGui::StyleColorsDark();
  ImGui_ImplSDL2_InitForSDLRenderer(platform->window());
  ImGui_ImplSDLRenderer_Init(sdl);
  std::printf("glint-editor: %s renderer%s\n", platform->renderer_name(),
              platform->audio() ? ", audio on" : ", no audio");

  Console console;
  SessionConfig sc;
  sc.modules = o.modules;
  sc.game.assets_dir = o.assets;
  sc.game.seed = o.seed;
  if (o.fuel) sc.game.fuel = o.fuel;
  sc.lockstep = scripted;
  sc.input_script = o.input;
  sc.rewind_frames = o.rewind_frames;
  int exit_code = 0;
  {
    Session session(sc, renderer, platform->audio(), console);
    Editor ed(session, console, SourceCache(o.source_path));
    ed.game_texture = game_texture;
    ed.game_width = pc.width;
    ed.game_height = pc.height;
    ed.layout_reset = layout.empty() || !fs::exists(layout);
    Script script(ed);
    ed.run_command = [&](const std::string& line) { script.submit(line); };
    if (!o.script.empty() && !script.load(o.script, error)) {
      std::fprintf(stderr, "glint-editor: %s\n", error.c_str());
      return 2;
    }
    ed.select_panel["Game"] = true;  // keys go to the game until another panel is clicked

    KeyEvents key_events;
    auto last = Clock::now();
    int window_w = 0, window_h = 0, placed_w = 0, placed_h = 0;  // re-tile on resizes
    bool quit = false;
    while (!quit) {
      auto t0 = Clock::now();
      double elapsed_ms = std::chrono::duration<double, std::milli>(t0 - last).count();
      last = t0;
      auto handle = [&](const SDL_Event& e) {
        ImGui_ImplSDL2_ProcessEvent(&e);
        route_to_game(ed, e);
      };
      key_events.next_frame(handle);
      quit |= !platform->poll([&](const SDL_Event& e) { key_events.feed(e, handle); });
      game_texture = resample_game_texture(sdl, game_texture, ed.game_view_shrunk);
      ed.game_texture = game_texture;
      session.begin_frame([&] {
        SDL_SetRenderTarget(sdl, game_texture);
        renderer.flush();
        SDL_SetRenderTarget(sdl, nullptr);
      });
      if (session.stop_count() != ed.shown_stop && session.stop()) ed.follow_stop();
      if (session.code_generation() != ed.code_generation) ed.forget_code();
      script.tick();
      if (script.quit()) break;  // no further game frame: the summary is of the frames asked for

      ImGui_ImplSDLRenderer_NewFrame();
      ImGui_ImplSDL2_NewFrame();
      // While a script runs, the mouse is not there: wherever the pointer of a virtual
      // display sits, it must not hover a row in the screenshots.
      if (!o.script.empty() && script.active())
        ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      ImGui::NewFrame();
      SDL_GetWindowSize(platform->window(), &window_w, &window_h);
      quit |= draw_menu_bar(ed);
      bool place = ed.layout_reset || (placed_w && (placed_w != window_w || placed_h != window_h));
      draw_tiles(ed, ImGui::GetFrameHeight(), place);
      ed.layout_reset = false;
      placed_w = window_w, placed_h = window_h;
      handle_debugger_keys(ed);
      ImGui::Render();
      session.end_frame(elapsed_ms);

      SDL_SetRenderDrawColor(sdl, 24, 24, 28, 255);
      SDL_RenderClear(sdl);
      ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
      if (std::string path = script.screenshot_due(); !path.empty()) {
        bool ok = platform->screenshot(path, error);
        script.screenshot_done(ok, error);
      }
      platform->present();
      double frame_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (!scripted && frame_ms < 15) SDL_Delay(Uint32(15 - frame_ms));  // no vsync: ~60 Hz
    }
    print_summary(session);
    exit_code = script.exit_code();
  }
  ImGui_ImplSDLRenderer_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
  SDL_DestroyTexture(game_texture);
  return exit_code;
}

}  // namespace glint::editor
