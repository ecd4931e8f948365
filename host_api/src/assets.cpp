// Asset lookup and loading: PNG atlases through stb_image, WAV sounds through SDL.
#include "glint_host/assets.h"

#include <stb/stb_image.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "glint_host/audio.h"

namespace fs = std::filesystem;

namespace glint::host {

Assets::Assets(std::string dir, Renderer* renderer, Audio* audio)
    : dir_(std::move(dir)), renderer_(renderer), audio_(audio) {
  std::error_code ec;
  if (dir_.empty() || !fs::is_directory(dir_, ec)) return;
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) {
      Entry e;
      e.name = fs::relative(it->path(), dir_, ec).generic_string();
      files_.push_back(std::move(e));
    }
  }
  std::sort(files_.begin(), files_.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
}

int32_t Assets::lookup(std::string_view name, std::string& error) {
  auto it = std::lower_bound(files_.begin(), files_.end(), name,
                             [](const Entry& e, std::string_view n) { return e.name < n; });
  if (it == files_.end() || it->name != name) {
    error = "no asset '" + std::string(name) + "' in " + dir_;
    return -1;
  }
  if (!it->loaded && !load(*it, error)) return -1;
  return int32_t(it - files_.begin());
}

const Atlas* Assets::atlas(int32_t id) const {
  if (id < 0 || size_t(id) >= files_.size() || !files_[id].atlas) return nullptr;
  return &*files_[id].atlas;
}

int Assets::sound(int32_t id) const {
  if (id < 0 || size_t(id) >= files_.size()) return -1;
  return files_[id].sound;
}

static bool ends_with(const std::string& s, const char* suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

bool Assets::load(Entry& e, std::string& error) {
  std::string path = dir_ + "/" + e.name;
  if (ends_with(e.name, ".png")) {
    if (!load_atlas(e, error)) return false;
  } else if (ends_with(e.name, ".wav") && audio_) {
    // Without a sound device a sound still gets its id and plays silently (`sound` stays -1),
    // as api_audio.cpp promises: a game runs the same with or without sound, and its log is
    // not a warning per sound.
    e.sound = audio_->load_wav(path, error);
    if (e.sound < 0) {
      error = "cannot load '" + e.name + "': " + error;
      return false;
    }
  }
  // Other files (e.g. .atlas) have ids but nothing to load.
  e.loaded = true;
  return true;
}

bool Assets::load_atlas(Entry& e, std::string& error) {
  if (!renderer_) {
    error = "no renderer to load '" + e.name + "'";
    return false;
  }
  std::string path = dir_ + "/" + e.name;
  int w = 0, h = 0, channels = 0;
  stbi_uc* rgba = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!rgba) {
    error = "cannot load '" + e.name + "': " + stbi_failure_reason();
    return false;
  }
  std::vector<uint32_t> argb(size_t(w) * size_t(h));
  for (size_t i = 0; i < argb.size(); ++i) {
    const stbi_uc* p = rgba + 4 * i;
    argb[i] = uint32_t(p[3]) << 24 | uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2];
  }
  stbi_image_free(rgba);

  Atlas atlas;
  atlas.width = w;
  atlas.height = h;
  std::string desc_path = path.substr(0, path.size() - 4) + ".atlas";
  std::ifstream desc(desc_path);
  if (desc) {
    std::stringstream text;
    text << desc.rdbuf();
    if (!parse_atlas(text.str(), w, h, atlas.frames, error)) {
      error = desc_path + ": " + error;
      return false;
    }
  } else {
    atlas.frames.push_back({0, 0, float(w), float(h)});
  }
  atlas.texture = renderer_->add_texture(argb.data(), w, h, error);
  if (atlas.texture < 0) return false;
  e.atlas = std::move(atlas);
  return true;
}

bool parse_atlas(const std::string& text, int w, int h, std::vector<AtlasFrame>& frames,
                 std::string& error) {
  std::istringstream in(text);
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream words(line);
    std::string kind;
    if (!(words >> kind)) continue;
    auto fail = [&](const std::string& why) {
      error = "line " + std::to_string(line_no) + ": " + why;
      return false;
    };
    if (kind == "grid") {
      int cw = 0, ch = 0;
      if (!(words >> cw >> ch) || cw <= 0 || ch <= 0) return fail("expected 'grid W H'");
      for (int y = 0; y + ch <= h; y += ch)
        for (int x = 0; x + cw <= w; x += cw)
          frames.push_back({float(x), float(y), float(cw), float(ch)});
    } else if (kind == "frame") {
      int x, y, fw, fh;
      if (!(words >> x >> y >> fw >> fh)) return fail("expected 'frame X Y W H'");
      if (x < 0 || y < 0 || fw <= 0 || fh <= 0 || x + fw > w || y + fh > h)
        return fail("frame outside the " + std::to_string(w) + "x" + std::to_string(h) + " image");
      frames.push_back({float(x), float(y), float(fw), float(fh)});
    } else {
      return fail("unknown entry '" + kind + "' (expected 'grid' or 'frame')");
    }
  }
  if (frames.empty()) {
    error = "no frames";
    return false;
  }
  return true;
}

}  // namespace glint::host
