// Host platform tests that need no VM: renderer (software, pixels read back), mixer, input and
// scripted input, assets, save slot, random numbers, font.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <stb/stb_image_write.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "glint_host/assets.h"
#include "glint_host/audio.h"
#include "glint_host/font.h"
#include "glint_host/input.h"
#include "glint_host/renderer.h"
#include "glint_host/rng.h"
#include "glint_host/save.h"

using namespace glint::host;
namespace fs = std::filesystem;

namespace {

// A software renderer drawing into a surface we can read.
struct Canvas {
  SDL_Surface* surface;
  SDL_Renderer* sdl;
  std::unique_ptr<Renderer> r;
  Canvas(int w, int h) {
    surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    sdl = SDL_CreateSoftwareRenderer(surface);
    r = std::make_unique<Renderer>(sdl, w, h);
  }
  ~Canvas() {
    r.reset();
    SDL_DestroyRenderer(sdl);
    SDL_FreeSurface(surface);
  }
  // 0xRRGGBB at (x, y).
  uint32_t rgb(int x, int y) const {
    uint32_t argb = static_cast<uint32_t*>(surface->pixels)[y * surface->pitch / 4 + x];
    return argb & 0xFFFFFF;
  }
};

fs::path temp_dir(const char* name) {
  fs::path p = fs::temp_directory_path() / ("glint_host_test_" + std::to_string(getpid())) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// A mono 16-bit WAV of `n` samples of value `v`.
void write_wav(const fs::path& path, int rate, int n, int16_t v) {
  std::ofstream f(path, std::ios::binary);
  auto u32 = [&](uint32_t x) { f.write(reinterpret_cast<const char*>(&x), 4); };
  auto u16 = [&](uint16_t x) { f.write(reinterpret_cast<const char*>(&x), 2); };
  f.write("RIFF", 4);
  u32(36 + 2 * n);
  f.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(1);
  u32(rate);
  u32(rate * 2);
  u16(2);
  u16(16);
  f.write("data", 4);
  u32(2 * n);
  for (int i = 0; i < n; ++i) u16(uint16_t(v));
}

double rms(const std::vector<float>& s, int channel) {
  double sum = 0;
  for (size_t i = channel; i < s.size(); i += 2) sum += double(s[i]) * s[i];
  return std::sqrt(sum / double(s.size() / 2));
}

}  // namespace

TEST_CASE("rng: seeded, reproducible, in range") {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    uint32_t x = a.next32();
    CHECK(x == b.next32());
    differs |= x != c.next32();
  }
  CHECK(differs);
  bool lo = false, hi = false;
  for (int i = 0; i < 2000; ++i) {
    int v = a.range_int(-3, 3);
    CHECK(v >= -3);
    CHECK(v <= 3);
    lo |= v == -3;
    hi |= v == 3;
    float u = a.unit();
    CHECK(u >= 0.0f);
    CHECK(u < 1.0f);
  }
  CHECK(lo);
  CHECK(hi);
  CHECK(a.range_int(INT32_MIN, INT32_MAX) != a.range_int(INT32_MIN, INT32_MAX));
  CHECK(a.range_int(5, 5) == 5);
}

TEST_CASE("font: glyphs come from the sheet") {
  auto px = build_font_pixels();
  auto count_on = [&](unsigned char c) {
    GlyphRect g = glyph_rect(c);
    int on = 0;
    for (int y = 0; y < kGlyphH; ++y)
      for (int x = 0; x < kGlyphW; ++x)
        on += px[size_t(g.y + y) * kFontTextureW + size_t(g.x + x)] >> 24 ? 1 : 0;
    return on;
  };
  CHECK(count_on(' ') == 0);
  CHECK(count_on('A') > 10);
  CHECK(count_on('.') == 1);
  CHECK(count_on(kSolidGlyph) == kGlyphW * kGlyphH);
  CHECK(glyph_rect(200).x == glyph_rect('?').x);  // non-ASCII draws as '?'
}

TEST_CASE("renderer: shapes land where asked, in layer order") {
  Canvas c(64, 64);
  DrawState s;
  c.r->clear(0x102030FF);
  c.r->rect(s, 10, 10, 20, 20, 0xFF0000FF);
  s.layer = -1;  // drawn first although recorded later
  c.r->rect(s, 0, 0, 64, 64, 0x00FF00FF);
  s.layer = 2;
  c.r->rect(s, 25, 25, 10, 10, 0x0000FFFF);
  c.r->flush();
  CHECK(c.rgb(15, 15) == 0xFF0000);
  CHECK(c.rgb(2, 2) == 0x00FF00);
  CHECK(c.rgb(27, 27) == 0x0000FF);  // layer 2 over the red rect
  CHECK(c.rgb(40, 40) == 0x00FF00);
  CHECK(c.r->last_stats().commands == 3);

  // Nothing recorded: just the clear color (reset to black each frame).
  c.r->flush();
  CHECK(c.rgb(15, 15) == 0x000000);
}

TEST_CASE("renderer: lines, circles, outlines, text") {
  Canvas c(64, 64);
  DrawState s;
  c.r->line(s, {0, 5}, {63, 5}, 3, 0xFFFFFFFF);
  c.r->circle(s, {32, 32}, 10, 0xFF0000FF);
  c.r->circle_lines(s, {32, 32}, 20, 2, 0x00FF00FF);
  c.r->rect_lines(s, 50, 50, 12, 12, 2, 0x0000FFFF);
  c.r->flush();
  CHECK(c.rgb(30, 5) == 0xFFFFFF);
  CHECK(c.rgb(30, 9) == 0x000000);
  CHECK(c.rgb(32, 32) == 0xFF0000);
  CHECK(c.rgb(32 + 19, 32) == 0x00FF00);
  CHECK(c.rgb(32 + 15, 32) == 0x000000);  // between the disc and the ring
  CHECK(c.rgb(50, 56) == 0x0000FF);       // outline
  CHECK(c.rgb(56, 56) == 0x000000);       // hollow inside

  c.r->text(s, "Hi", {0, 0}, 16, 0xFFFF00FF);
  c.r->flush();
  int yellow = 0;
  for (int y = 0; y < 16; ++y)
    for (int x = 0; x < 24; ++x) yellow += c.rgb(x, y) == 0xFFFF00;
  CHECK(yellow > 20);
  CHECK(Renderer::measure_text("Hi\nthere", 8) == doctest::Approx(5 * 6));
}

TEST_CASE("renderer: sprites with flip, tint, rotation; one batch per atlas") {
  Canvas c(64, 64);
  // An 8x4 texture: left half red, right half green; one frame of 2x1 texels per 4x4 pixels.
  uint32_t px[8 * 4];
  for (int i = 0; i < 32; ++i) px[i] = i % 8 < 4 ? 0xFFFF0000 : 0xFF00FF00;
  std::string error;
  Atlas atlas;
  atlas.texture = c.r->add_texture(px, 8, 4, error);
  REQUIRE(atlas.texture > 0);
  atlas.frames = {{0, 0, 8, 4}};
  DrawState s;
  c.r->sprite(s, atlas, atlas.frames[0], {16, 16}, 0, 2.5f, 0, 0xFFFFFFFF);   // 20x10 at 6..26
  c.r->sprite(s, atlas, atlas.frames[0], {48, 16}, 0, 2.5f, 1, 0xFFFFFFFF);   // mirrored
  c.r->sprite(s, atlas, atlas.frames[0], {16, 48}, 90, 2.5f, 0, 0xFFFFFFFF);  // rotated: 10x20
  c.r->sprite(s, atlas, atlas.frames[0], {48, 48}, 0, 2.5f, 0, 0x808080FF);   // tinted
  c.r->flush();
  CHECK(c.rgb(10, 16) == 0xFF0000);
  CHECK(c.rgb(22, 16) == 0x00FF00);
  CHECK(c.rgb(42, 16) == 0x00FF00);
  CHECK(c.rgb(54, 16) == 0xFF0000);
  CHECK(c.rgb(16, 41) == 0xFF0000);  // clockwise: the left half is now on top
  CHECK(c.rgb(16, 55) == 0x00FF00);
  CHECK(c.rgb(24, 48) == 0x000000);
  uint32_t tinted = c.rgb(44, 48);
  CHECK((tinted >> 16) > 0x70);
  CHECK((tinted >> 16) < 0x90);
  CHECK(c.r->last_stats().sprites == 4);
  CHECK(c.r->last_stats().batches == 1);

  // Interleaving textures within a layer still sorts into one batch per texture.
  for (int i = 0; i < 100; ++i) {
    c.r->sprite(s, atlas, atlas.frames[0], {float(i % 60), 5}, 0, 0.25f, 0, 0xFFFFFFFF);
    c.r->rect(s, float(i % 60), 40, 1, 1, 0xFFFFFFFF);
  }
  c.r->flush();
  CHECK(c.r->last_stats().commands == 200);
  CHECK(c.r->last_stats().batches == 2);
}

TEST_CASE("camera: centered, zoomed, rotated, invertible") {
  Camera cam = Camera::centered(100, 50, 2, 90, {64, 64});
  glm::vec2 p = cam.to_screen({100, 50});
  CHECK(p.x == doctest::Approx(32));
  CHECK(p.y == doctest::Approx(32));
  glm::vec2 q = cam.to_screen({101, 50});  // +x in the world is +y on screen after 90 degrees
  CHECK(q.x == doctest::Approx(32).epsilon(1e-4));
  CHECK(q.y == doctest::Approx(34));
  glm::vec2 w = cam.to_world(cam.to_screen({7, -3}));
  CHECK(w.x == doctest::Approx(7));
  CHECK(w.y == doctest::Approx(-3));

  Canvas c(64, 64);
  DrawState s{0, Camera::centered(0, 0, 2, 0, {64, 64})};
  c.r->rect(s, 0, 0, 5, 5, 0xFFFFFFFF);  // 10x10 on screen from the center
  c.r->flush();
  CHECK(c.rgb(33, 33) == 0xFFFFFF);
  CHECK(c.rgb(41, 41) == 0xFFFFFF);
  CHECK(c.rgb(43, 43) == 0x000000);
  CHECK(c.rgb(30, 30) == 0x000000);
}

TEST_CASE("mixer: tones, samples, pan, loop, stop") {
  Mixer m(8000);
  std::vector<float> out(2 * 800);
  m.mix(out.data(), 800);
  CHECK(rms(out, 0) == 0);

  for (int wave = 0; wave <= 4; ++wave) {
    uint32_t v = m.tone(Wave(wave), 440, 0.05f, 1);
    CHECK(v > 0);
    m.mix(out.data(), 800);  // 0.1 s: the tone ends inside this buffer
    CHECK(rms(out, 0) > 0.05);
    CHECK(m.active_voices() == 0);
  }

  int sample = m.add_sample(std::vector<float>(2 * 100, 0.5f));
  uint32_t left = m.play(sample, 1, -1, 1, false);
  CHECK(left > 0);
  m.mix(out.data(), 50);
  CHECK(out[0] == doctest::Approx(0.5));
  CHECK(out[1] == 0);
  m.stop(left);
  CHECK(m.active_voices() == 0);

  uint32_t loop = m.play(sample, 1, 0, 2, true);  // twice as fast, looping
  m.mix(out.data(), 800);
  CHECK(out[2 * 799] == doctest::Approx(0.5));
  CHECK(m.active_voices() == 1);
  m.stop(loop);

  CHECK(m.play(99, 1, 0, 1, false) == 0);  // no such sample
  for (int i = 0; i < Mixer::kVoices; ++i) CHECK(m.tone(Wave::Sine, 100, 1, 1) > 0);
  CHECK(m.tone(Wave::Sine, 100, 1, 1) == 0);  // all voices busy
  m.stop_all();
  CHECK(m.active_voices() == 0);
  CHECK(m.frames_mixed() > 0);
}

TEST_CASE("audio: the dummy driver mixes and discards") {
  SDL_setenv("SDL_AUDIODRIVER", "dummy", 1);
  Audio audio;
  std::string error;
  REQUIRE_MESSAGE(audio.open(error), error);
  uint32_t v = audio.tone(Wave::Square, 440, 0.5f, 0.5f);
  CHECK(v > 0);
  uint64_t before = audio.frames_mixed();
  SDL_Delay(200);
  CHECK(audio.frames_mixed() > before);  // the callback ran
  SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

TEST_CASE("input: latched presses and scripted events") {
  Input in;
  in.key(SDL_SCANCODE_SPACE, true);
  in.key(SDL_SCANCODE_SPACE, false);  // a tap inside one step
  in.begin_step();
  CHECK(in.state().keys[SDL_SCANCODE_SPACE].pressed);
  CHECK(in.state().keys[SDL_SCANCODE_SPACE].released);
  CHECK(!in.state().keys[SDL_SCANCODE_SPACE].down);
  in.begin_step();
  CHECK(!in.state().keys[SDL_SCANCODE_SPACE].pressed);

  auto script = InputScript::parse(
      "# comment\n3 Left down\n\n5 Left up\n1 MouseMove 10 20\n2 MouseLeft down\n", "t");
  REQUIRE(script.ok());
  CHECK(script->size() == 4);
  Input in2;
  for (uint64_t f = 0; f <= 3; ++f) {
    script->apply(f, in2);
    in2.begin_step();
  }
  CHECK(in2.state().keys[SDL_SCANCODE_LEFT].down);
  CHECK(in2.state().keys[SDL_SCANCODE_LEFT].pressed);
  CHECK(in2.state().mouse_x == 10);
  CHECK(in2.state().mouse[SDL_BUTTON_LEFT].down);
  script->apply(5, in2);
  in2.begin_step();
  CHECK(!in2.state().keys[SDL_SCANCODE_LEFT].down);

  auto bad = InputScript::parse("1 Left down\n2 NoSuchKey down\n", "s.txt");
  REQUIRE(!bad.ok());
  CHECK(bad.error().message == "s.txt:2: unknown key name 'NoSuchKey'");
  CHECK(!InputScript::parse("x Left down", "s").ok());
  CHECK(!InputScript::parse("1 Left sideways", "s").ok());
  CHECK(!InputScript::parse("1 Left down extra", "s").ok());
}

TEST_CASE("atlas descriptions") {
  std::vector<AtlasFrame> frames;
  std::string error;
  CHECK(parse_atlas("grid 16 16\n", 64, 32, frames, error));
  CHECK(frames.size() == 8);
  CHECK(frames[5].x == 16);
  CHECK(frames[5].y == 16);
  frames.clear();
  CHECK(parse_atlas("frame 0 0 10 10\nframe 10 0 5 5 # small\n", 16, 16, frames, error));
  CHECK(frames.size() == 2);
  frames.clear();
  CHECK(!parse_atlas("frame 10 10 10 10\n", 16, 16, frames, error));
  CHECK(error == "line 1: frame outside the 16x16 image");
  CHECK(!parse_atlas("tiles 4\n", 16, 16, frames, error));
  CHECK(!parse_atlas("", 16, 16, frames, error));
}

TEST_CASE("assets: lookup by name, atlases and sounds load") {
  fs::path dir = temp_dir("assets");
  uint32_t px[4 * 2];
  for (uint32_t& p : px) p = 0xFF336699;
  REQUIRE(stbi_write_png((dir / "hero.png").c_str(), 4, 2, 4, px, 16));
  std::ofstream(dir / "hero.atlas") << "grid 2 2\n";
  REQUIRE(stbi_write_png((dir / "plain.png").c_str(), 4, 2, 4, px, 16));
  std::ofstream(dir / "broken.png") << "not a png";
  write_wav(dir / "beep.wav", 22050, 2205, 8000);

  Canvas c(8, 8);
  Audio audio;  // never opened: loading still converts to the mixer format
  Assets assets(dir.string(), c.r.get(), &audio);
  std::string error;
  int32_t hero = assets.lookup("hero.png", error);
  REQUIRE(hero >= 0);
  REQUIRE(assets.atlas(hero));
  CHECK(assets.atlas(hero)->frames.size() == 2);
  int32_t plain = assets.lookup("plain.png", error);
  REQUIRE(assets.atlas(plain));
  CHECK(assets.atlas(plain)->frames.size() == 1);
  CHECK(assets.lookup("plain.png", error) == plain);  // stable ids
  int32_t beep = assets.lookup("beep.wav", error);
  REQUIRE(beep >= 0);
  CHECK(assets.sound(beep) >= 0);
  CHECK(assets.atlas(beep) == nullptr);
  CHECK(assets.lookup("missing.png", error) == -1);
  CHECK(error.find("no asset 'missing.png'") == 0);
  CHECK(assets.lookup("broken.png", error) == -1);
  CHECK(error.find("cannot load 'broken.png'") == 0);
  CHECK(assets.lookup("../etc/passwd", error) == -1);

  // No sound device: the sound keeps its id and plays nothing, as with a device.
  Assets silent(dir.string(), c.r.get(), nullptr);
  CHECK(silent.lookup("beep.wav", error) == beep);
  CHECK(silent.sound(beep) == -1);
  CHECK(silent.lookup("missing.wav", error) == -1);
}

TEST_CASE("save slot: sections per module survive a reload") {
  fs::path dir = temp_dir("save");
  std::string path = (dir / "sub" / "game.sav").string(), error;
  {
    SaveSlot s(path);
    REQUIRE(s.load(error));
    CHECK(!s.has("a"));
    uint8_t a[] = {1, 2, 3}, b[] = {9};
    REQUIRE(s.write("a", a, error));
    REQUIRE(s.write("b", b, error));
  }
  SaveSlot s(path);
  REQUIRE(s.load(error));
  REQUIRE(s.read("a"));
  CHECK(*s.read("a") == std::vector<uint8_t>{1, 2, 3});
  CHECK(*s.read("b") == std::vector<uint8_t>{9});

  std::ofstream(path, std::ios::trunc) << std::string("GLSV\x02\0\0\0", 8);  // no sections
  SaveSlot broken(path);
  CHECK(!broken.load(error));
  CHECK(error.find("truncated") != std::string::npos);

  SaveSlot memory;  // no file: works, writes nothing
  uint8_t x[] = {7};
  CHECK(memory.write("m", x, error));
  CHECK(memory.read("m")->size() == 1);
}

TEST_CASE("gamepads: a virtual controller's buttons and axes reach the snapshot") {
  REQUIRE(SDL_InitSubSystem(SDL_INIT_GAMECONTROLLER) == 0);
  SDL_VirtualJoystickDesc desc{};
  desc.version = SDL_VIRTUAL_JOYSTICK_DESC_VERSION;
  desc.type = SDL_JOYSTICK_TYPE_GAMECONTROLLER;
  desc.naxes = SDL_CONTROLLER_AXIS_MAX;
  desc.nbuttons = SDL_CONTROLLER_BUTTON_MAX;
  desc.name = "glint test pad";
  int index = SDL_JoystickAttachVirtualEx(&desc);
  REQUIRE(index >= 0);
  Input in;
  SDL_Event e;
  SDL_PumpEvents();
  while (SDL_PollEvent(&e)) in.handle_event(e);
  in.begin_step();
  REQUIRE(in.state().pads[0].connected);

  SDL_Joystick* joy = SDL_JoystickFromInstanceID(SDL_JoystickGetDeviceInstanceID(index));
  REQUIRE(joy);
  SDL_JoystickSetVirtualButton(joy, SDL_CONTROLLER_BUTTON_A, 1);
  SDL_JoystickSetVirtualAxis(joy, SDL_CONTROLLER_AXIS_LEFTX, 32767);
  SDL_GameControllerUpdate();
  in.begin_step();
  CHECK(in.state().pads[0].buttons[SDL_CONTROLLER_BUTTON_A].down);
  CHECK(in.state().pads[0].buttons[SDL_CONTROLLER_BUTTON_A].pressed);
  CHECK(in.state().pads[0].axes[SDL_CONTROLLER_AXIS_LEFTX] == doctest::Approx(1.0));
  in.begin_step();
  CHECK(!in.state().pads[0].buttons[SDL_CONTROLLER_BUTTON_A].pressed);
  CHECK(!in.state().pads[1].connected);

  SDL_JoystickDetachVirtual(index);
  SDL_PumpEvents();
  while (SDL_PollEvent(&e)) in.handle_event(e);
  in.begin_step();
  CHECK(!in.state().pads[0].connected);
  SDL_QuitSubSystem(SDL_INIT_GAMECONTROLLER);
}

TEST_CASE("renderer: hostile coordinates and floods are dropped, not drawn") {
  Canvas c(64, 64);
  DrawState s;
  const float nan = std::nanf(""), inf = INFINITY;
  c.r->rect(s, nan, 0, 10, 10, 0xFFFFFFFF);
  c.r->rect(s, 0, 0, inf, 10, 0xFFFFFFFF);
  c.r->rect(s, -1e30f, -1e30f, 2e30f, 2e30f, 0xFFFFFFFF);
  c.r->circle(s, {10, 10}, nan, 0xFFFFFFFF);
  c.r->circle_lines(s, {nan, 10}, 5, 1, 0xFFFFFFFF);
  c.r->line(s, {0, 0}, {inf, 0}, 2, 0xFFFFFFFF);
  c.r->text(s, "x", {nan, 0}, 8, 0xFFFFFFFF);
  c.r->rect(s, -1e5f, -1e5f, 2e5f, 2e5f, 0x00FF00FF);  // big but sane: drawn
  c.r->flush();
  CHECK(c.r->last_stats().dropped == 7);
  CHECK(c.rgb(32, 32) == 0x00FF00);

  for (uint32_t i = 0; i < kMaxFrameVertices / 4 + 10; ++i) c.r->rect(s, 1, 1, 1, 1, 0xFFFFFFFF);
  c.r->flush();
  CHECK(c.r->last_stats().vertices == kMaxFrameVertices);
  CHECK(c.r->last_stats().dropped == 10);
}
